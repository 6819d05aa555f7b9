// With a leasing token: hold a free unit from its card and sign the hold (POST …/holds,
// …/holds/{id}/sign: the API's rules and refusals, shown as they come), and the occupancy
// KPIs of the campus and the fish in the leasing panel (GET …/occupancy).
import { getJson, leasingToken, postJson } from "./api.js";
import { num, t } from "./i18n.js";
import { el } from "./panel.js";

const LEASING = "/api/v1/leasing";
const HOLD_DAYS = 14;
const KPI_CLASSES = ["occupied", "signed", "pre_leased", "held", "vacant"];

const notes = new Map(); // unit id -> {text, preLease}: the last hold or signature from its card

/** What went wrong, in the card's status line (the API's words: it names the rule). */
function refused(status, error) {
  status.textContent = error.message;
  status.classList.add("error");
}

/** Sign hold `holdId`: a pre-lease box and the button; a refusal (e.g. a lease that must be a
 * pre-lease) is shown as the API words it. `done(text)` records the outcome. */
function signForm(holdId, preLease, status, done) {
  const box = el("input", { type: "checkbox", id: "deal-prelease", checked: preLease });
  const sign = el("button", { type: "button", className: "primary", id: "deal-sign" }, t("deal.sign"));
  sign.onclick = async () => {
    status.classList.remove("error");
    try {
      const lease = await postJson(`${LEASING}/holds/${holdId}/sign`, { pre_lease: box.checked });
      done(`${t("deal.signed")} ${lease.id}`, false);
    } catch (error) {
      refused(status, error);
    }
  };
  return el("div", { className: "row" }, el("label", {}, box, ` ${t("deal.preLease")}`), sign);
}

/** Hold unit `id` for a tenant over [start, end) for HOLD_DAYS, with a rent if given. */
function holdForm(id, preLease, status, done) {
  const input = (name, type, props = {}) => el("input", { name, type, required: name !== "rent", ...props });
  const tenant = input("tenant", "text", { placeholder: "sample-05" });
  const start = input("start", "date");
  const end = input("end", "date");
  const rent = input("rent", "number", { min: 0.01, step: 0.01 });
  const field = (key, node) => el("label", {}, t(key), node);
  const submit = el("button", { type: "submit", className: "primary" }, t("deal.hold"));
  const form = el("form", { className: "filters", id: "deal-hold" }, field("deal.tenant", tenant), field("deal.rent", rent), field("deal.start", start), field("deal.end", end), el("div", { className: "row wide" }, submit));
  form.onsubmit = async (event) => {
    event.preventDefault();
    status.classList.remove("error");
    const expires = new Date(Date.now() + HOLD_DAYS * 86_400_000).toISOString();
    const body = { spaces: [id], tenant: tenant.value.trim(), start: start.value, end: end.value, expires_at: expires };
    if (rent.value) body.terms = { rent: Number(rent.value), rent_unit: "cny_per_m2_day" };
    try {
      done(`${t("deal.held")} ${(await postJson(`${LEASING}/holds`, body)).id}`, preLease);
    } catch (error) {
      refused(status, error);
    }
  };
  return form;
}

/** The deal part of a unit's card (leasing token): a hold form when free, a sign form when
 * held, and the last outcome, kept across the card's redraws (`onBooked` redraws it). */
export function dealSection(id, internal, onBooked) {
  if (!leasingToken() || !internal || internal.error) return null;
  const note = notes.get(id);
  const status = el("p", { className: "status", id: "deal-status" }, note?.text || "");
  const done = (text, preLease) => {
    notes.set(id, { text, preLease });
    onBooked();
  };
  let action = null;
  // held from this card in a building not in use yet: the box comes ticked (a pre-lease)
  if (internal.status === "held" && String(internal.ref || "").startsWith("H-")) action = signForm(internal.ref, Boolean(note?.preLease), status, done);
  else if (["available", "not_ready"].includes(internal.status)) action = holdForm(id, internal.status === "not_ready", status, done);
  if (!action && !notes.has(id)) return null;
  return el("div", { className: "deal" }, el("h2", {}, t("deal.title")), action, status);
}

/** The occupancy KPIs of the campus and the fish (area, m²), filled in when they arrive. */
export function kpiBody({ caps, at }) {
  if (!caps.occupancy || !leasingToken()) return [];
  const table = el("table", { className: "kpis", id: "leasing-kpis" });
  getJson(caps.occupancy, { auth: true, params: { at } })
    .then((report) => {
      const head = el("tr", {}, el("th", {}), ...["campus", "fish"].map((s) => el("th", {}, t(`kpi.${s}`))));
      const rows = KPI_CLASSES.map((k) =>
        el("tr", { className: k }, el("th", {}, t(`kpi.${k}`)), ...["campus", "fish"].map((s) => el("td", {}, `${num(Math.round(report[s][k].area_m2))} m²`))),
      );
      table.replaceChildren(head, ...rows);
    })
    .catch(() => table.remove());
  return [el("h2", {}, t("kpi.title")), table];
}
