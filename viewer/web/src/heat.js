// The facilities mode's heat map: each data hall's rack rows coloured by their load (drawn
// over design, from GET /api/v1/facilities/capacity, the figures the API, CLI and leasing
// search share), the data centre's floors by their busiest hall, and a legend.
import { getOptional, leasingToken } from "./api.js";
import { both, num, t } from "./i18n.js";
import { el } from "./panel.js";

/** Load share (drawn / design) bins, lightest first: [upper bound, colour, label key]. */
export const HEAT_BINS = [
  [0.2, "#d9ecf2", "heat.lt20"],
  [0.4, "#9fd0c0", "heat.lt40"],
  [0.6, "#f2d675", "heat.lt60"],
  [0.8, "#f28e2b", "heat.lt80"],
  [Infinity, "#c2362b", "heat.ge80"],
];
export const NO_READING = "#c9ced4";

export function heatColor(share) {
  if (share === null || share === undefined) return NO_READING;
  return HEAT_BINS.find(([upper]) => share < upper)[1];
}

/** Legend entries of the heat map (for showLegend). */
export function heatLegend() {
  return [...HEAT_BINS.map(([, color, key]) => ({ ...both(key), color })), { ...both("heat.none"), color: NO_READING }];
}

/** The capacity figures at `at` (end of that day), or null without a staff token. */
export async function loadHeat(at) {
  if (!leasingToken()) return null;
  return getOptional("/api/v1/facilities/capacity", { auth: true, params: { at } }, null);
}

/** Colours of the data centre's floors: each takes its busiest hall's colour. */
export function floorColours(heat) {
  const busiest = new Map();
  for (const f of heat?.facilities || []) {
    if (f.kind !== "hall" || !f.floor) continue;
    const share = f.load_share ?? -1;
    if (!busiest.has(f.floor) || share > busiest.get(f.floor)) busiest.set(f.floor, share);
  }
  return Object.fromEntries([...busiest].map(([floor, share]) => [floor, heatColor(share < 0 ? null : share)]));
}

const pct = (share) => (share === null || share === undefined ? t("heat.none") : `${num(share * 100)}%`);

/** The panel's grid: a line per hall, a cell per rack row; a click opens its history. */
export function heatGrid(heat, onFacility) {
  const rows = new Map();
  for (const f of heat.facilities) if (f.kind === "rack_row") (rows.get(f.parent) || rows.set(f.parent, []).get(f.parent)).push(f);
  const grid = el("div", { className: "heat-grid", role: "list" });
  for (const hall of heat.facilities.filter((f) => f.kind === "hall")) {
    const label = el("button", { type: "button", className: "heat-hall" }, `${hall.space?.split("/").pop() || hall.facility} · ${hall.level || ""}`);
    label.title = `${hall.facility}: ${num(hall.drawn_kw ?? 0)} / ${num(hall.design_kw)} kW (${pct(hall.load_share)})`;
    label.onclick = () => onFacility(hall.facility);
    const cells = el("div", { className: "heat-cells" });
    for (const row of rows.get(hall.facility) || []) {
      const cell = el("button", { type: "button", className: "heat-cell", style: `background:${heatColor(row.load_share)}` });
      cell.dataset.facility = row.facility;
      cell.dataset.color = heatColor(row.load_share);
      cell.title = `${row.facility}: ${row.drawn_kw === null ? t("heat.none") : `${num(row.drawn_kw)} kW`} / ${num(row.design_kw)} kW · ${t("heat.headroom")} ${num(row.headroom_kw)} kW`;
      cell.setAttribute("aria-label", cell.title);
      cell.onclick = () => onFacility(row.facility);
      cells.append(cell);
    }
    grid.append(el("div", { className: "heat-line", role: "listitem" }, label, cells));
  }
  return [el("h2", {}, t("heat.title")), el("p", { className: "fact" }, t("heat.lead")), grid];
}
