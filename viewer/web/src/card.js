// The card of a picked feature: public facts (id, building, floor, area, ready date, stage) and,
// with a leasing token, the unit's internal fields from its building's stacking plan; in the
// construction mode, a building's stages (plan, forecast, actual, percent, slip) and, with a
// staff token, its site photos and documents.
import { HttpError, getJson, leasingToken } from "./api.js";
import { getLang, num, pick, stageText, t } from "./i18n.js";
import { dealSection } from "./deal.js";
import { documentLinks } from "./documents.js";
import { el } from "./panel.js";
import { evidenceSection } from "./evidence.js";
import { sourceLinks } from "./sources.js";
import { stagesSection } from "./stages-card.js";

const INTERNAL = ["status", "tenant_name", "kind", "ref", "until"];
const encodeId = (id) => id.split("/").map(encodeURIComponent).join("/");

/** The staff cell of a unit in its building's stacking plan (`template`: /…/{building}/…). */
async function internalFields(id, at, template) {
  if (!leasingToken() || !template) return null;
  const building = id.split("/")[0];
  try {
    const plan = await getJson(template.replace(/\{[^}]+\}/, encodeURIComponent(building)), { auth: true, params: { at } });
    const cell = (plan.floors || []).flatMap((f) => f.cells || []).find((c) => c.space === id);
    return cell ? Object.fromEntries(INTERNAL.filter((k) => cell[k] != null).map((k) => [k, cell[k]])) : null;
  } catch (error) {
    if (error instanceof HttpError && (error.status === 401 || error.status === 403)) return { error: t("card.tokenRejected") };
    return null;
  }
}

function rowsOf(info, names, mode) {
  const rows = [];
  const row = (key, value) => rows.push(el("dt", {}, t(key)), el("dd", {}, value));
  const building = info.building;
  if (building && building !== info.id) row("card.building", pick(names.get(building)) || building);
  if (info.floor) row("card.floor", info.level ? `L${info.level}` : info.floor);
  // which area: land (a zone or parcel) or floor (a floor, a unit); both where they differ
  const areaKey = { land: "card.land", floor: "card.floorArea" }[info.area_basis] || "card.area";
  if (info.area_m2) row(areaKey, `${num(info.area_m2)} m²`);
  // on land, the floor space of its (schematic) buildings: about, to three figures
  const about = (m2) => `≈ ${num(Number(m2.toPrecision(3)))}`;
  if (info.gfa_m2) row("card.gfa", `${info.area_basis === "land" ? about(info.gfa_m2) : num(info.gfa_m2)} m²`);
  if (info.storeys) row("card.storeys", num(info.storeys));
  if (info.height_m) row("card.height", `${num(info.height_m)} m`);
  // the facilities mode shows what runs (effective status), never a construction stage
  if (mode === "facilities" && info.facility_status) row("card.facility", t(`facility.${info.facility_status}`));
  else if (info.stage) row("card.stage", stageText(info.stage, info.percent, info.percent_basis) + (info.late ? ` · ${t("stage.late")}` : ""));
  if (info.ready) row("card.ready", info.ready);
  return rows;
}

/** The card of an id the campus does not have (a mistyped or stale `sel=` link). */
function showMissing(card, id, close) {
  const hint = el("p", { className: "status error" }, t("card.notFoundHint"));
  card.replaceChildren(close, el("h2", {}, t("card.notFound")), el("div", { className: "id" }, id), hint);
  card.dataset.feature = id;
  card.dataset.missing = "true";
  card.hidden = false;
}

/** Show the card of `id` at `at`; hide it for null. */
export async function showCard(id, { at, mode, names, stackingPlan, onClose, onBooked = () => {}, onStacking = null }) {
  const card = document.querySelector("#card");
  if (!id) {
    card.hidden = true;
    delete card.dataset.feature;
    delete card.dataset.missing;
    return;
  }
  let info;
  const close = el("button", { type: "button", className: "close", title: t("card.close"), ariaLabel: t("card.close") }, "×");
  close.onclick = onClose;
  card.onkeydown = (event) => {
    if (event.key === "Escape") onClose(); // the keyboard closes it too (and Tab moves on)
  };
  try {
    info = await getJson(`/api/v1/scene/features/${encodeId(id)}`, { params: { at } });
  } catch (error) {
    if (error instanceof HttpError && error.status === 404) return showMissing(card, id, close);
    info = { id, kind: "", name: null };
  }
  const part = info.kind === "unit" || info.kind === "floor";
  const title = part ? id.split("/").slice(1).join(" / ") : pick(info.name) || id;
  // visitors see where the facts come from (source and date, a link); the ids stay as titles
  const sources = sourceLinks(info.sources, getLang());
  const documents = documentLinks(id, info.kind, getLang()); // a unit's or floor's brochure and plan
  // leasing mode with a token: the building's stacking plan, one click away
  const building = info.building || (info.kind === "building" ? id : null);
  const stacking = mode === "leasing" && onStacking && stackingPlan && leasingToken() && building ? el("button", { type: "button", id: "card-stacking" }, t("card.stacking")) : null;
  if (stacking) stacking.onclick = () => onStacking(building);
  card.replaceChildren(close, el("h2", {}, title), el("div", { className: "id" }, id), el("dl", {}, ...rowsOf(info, names, mode)), ...[documents, stacking, sources].filter(Boolean));
  card.dataset.feature = id;
  delete card.dataset.missing;
  card.hidden = false;
  if (mode === "construction" && info.kind === "building") {
    // its stages (public: plan, forecast, actual, percent, slip), then staff-only site photos
    const [stages, evidence] = await Promise.all([stagesSection(id, at), evidenceSection(id, at, getLang())]);
    if (card.dataset.feature !== id) return;
    if (stages) card.append(stages);
    if (evidence) card.append(evidence);
    return;
  }
  if (info.kind !== "unit") return;
  const internal = await internalFields(id, at, stackingPlan);
  if (!internal || card.dataset.feature !== id) return;
  const rows = internal.error
    ? [el("p", { className: "status error" }, internal.error)]
    : [el("dl", {}, ...Object.entries(internal).flatMap(([k, v]) => [el("dt", {}, t(`internal.${k}`)), el("dd", {}, String(v))]))];
  card.append(el("div", { className: "internal" }, el("h2", {}, t("card.internal")), ...rows));
  const deal = mode === "leasing" ? dealSection(id, internal, onBooked) : null;
  if (deal) card.append(deal);
}
