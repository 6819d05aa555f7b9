// Leasing: availability filters (GET /api/v1/leasing/availability, when the server has it) that
// light the matching units, and the leasing token kept in sessionStorage for internal fields.
import { getJson, leasingToken, setLeasingToken } from "./api.js";
import { both, num, pick, t } from "./i18n.js";
import { el } from "./panel.js";

export const MATCH_COLOR = "#a8369a";

/** Ids of the spaces in an availability answer, whatever its envelope. */
export function matchIds(answer) {
  const rows = Array.isArray(answer) ? answer : answer?.matches || answer?.items || answer?.spaces || answer?.units || [];
  return rows.map((r) => (typeof r === "string" ? r : r.id || r.space_id || r.space?.id)).filter(Boolean);
}

/**
 * The leasing section. `filters` is kept between renders; `onMatches(ids | null)` lights units.
 * `available` is false while the leasing service is absent: the form says so and stays off.
 */
export function leasingBody({ filters, buildings, places = [], at, availability, onMatches }) {
  const available = Boolean(availability);
  const field = (key, input) => el("label", {}, t(key), input);
  const area = el("input", { type: "number", min: 0, step: "any", value: filters.minArea || "", name: "min_area_m2" });
  const most = el("input", { type: "number", min: 0, step: "any", value: filters.maxArea || "", name: "max_area_m2" });
  const ready = el("input", { type: "date", value: filters.readyBy || "", name: "available_from" });
  const building = el("select", { name: "building" }, el("option", { value: "" }, t("leasing.any")));
  for (const [id, name] of buildings) building.append(el("option", { value: id, selected: id === filters.building }, pick(name)));
  // a zone (the fish) or a parcel (the fish head): "kind:id"
  const place = el("select", { name: "place" }, el("option", { value: "" }, t("leasing.any")));
  for (const [kind, id, name] of places) {
    const value = `${kind}:${id}`;
    place.append(el("option", { value, selected: value === filters.place }, `${pick(name) || id} · ${t(`leasing.${kind}`)}`));
  }
  const status = el("p", { className: "status", id: "leasing-status" }, available ? "" : t("leasing.absent"));
  const submit = el("button", { type: "submit", className: "primary", disabled: !available }, t("leasing.apply"));
  const form = el(
    "form",
    { className: "filters", id: "leasing-filters" },
    field("leasing.minArea", area),
    field("leasing.maxArea", most),
    field("leasing.readyBy", ready),
    field("leasing.place", place),
    el("label", { className: "wide" }, t("leasing.building"), building),
    el("div", { className: "row wide" }, submit),
  );
  form.onsubmit = async (event) => {
    event.preventDefault();
    Object.assign(filters, { minArea: area.value, maxArea: most.value, readyBy: ready.value, building: building.value, place: place.value });
    const empty = !filters.minArea && !filters.maxArea && !filters.readyBy && !filters.building && !filters.place;
    if (empty) return onMatches(null);
    const [kind, id] = filters.place ? filters.place.split(":") : [];
    status.classList.remove("error");
    status.textContent = t("pipeline.loading");
    try {
      const answer = await getJson(availability, {
        auth: true,
        params: {
          at,
          min_area_m2: filters.minArea,
          max_area_m2: filters.maxArea,
          available_from: filters.readyBy,
          building: filters.building,
          zone: kind === "zone" ? id : "",
          parcel: kind === "parcel" ? id : "",
          kind: "office",
          limit: 2000,
        },
      });
      const ids = matchIds(answer);
      status.textContent = `${num(answer.total ?? ids.length)} ${t("leasing.matches")}`;
      onMatches(ids);
    } catch (error) {
      status.textContent = error.message;
      status.classList.add("error");
    }
  };
  return [el("p", { className: "lead" }, t("leasing.lead")), el("h2", {}, t("leasing.filters")), form, status];
}

export function matchLegend() {
  return { ...both("leasing.legend"), color: MATCH_COLOR };
}

/** Wire the settings popover: save or forget the token (this tab only, never in the URL). */
export function setupSettings(onToken) {
  const toggle = document.querySelector("#settings-toggle");
  const panel = document.querySelector("#settings");
  const input = document.querySelector("#token");
  const status = document.querySelector("#token-status");
  toggle.onclick = () => {
    panel.hidden = !panel.hidden;
    toggle.setAttribute("aria-expanded", String(!panel.hidden));
    input.value = leasingToken();
  };
  document.querySelector("#token-form").onsubmit = (event) => {
    event.preventDefault();
    setLeasingToken(input.value.trim());
    status.textContent = t("settings.saved");
    onToken();
  };
  document.querySelector("#token-clear").onclick = () => {
    setLeasingToken("");
    input.value = "";
    status.textContent = t("settings.cleared");
    onToken();
  };
}
