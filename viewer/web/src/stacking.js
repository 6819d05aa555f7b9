// Leasing mode with a leasing token: a building's stacking plan (GET …/buildings/{id}/stacking-plan)
// in a box over the 3D view: floors top first, each a bar of its spaces (width by area, colour by
// status as the API's legend gives it), the floor's vacant area; a space picks it in 3D.
import { getJson, leasingToken } from "./api.js";
import { num, pick, t } from "./i18n.js";
import { el } from "./panel.js";

const box = () => document.querySelector("#stacking");

/** The panel's section: a building and "Open the stacking plan" ([] without a token). */
export function stackingBody({ caps, at, buildings, chosen, onOpen }) {
  if (!caps.stacking_plan || !leasingToken()) return [];
  const select = el("select", { id: "stacking-building", ariaLabel: t("stacking.building") });
  for (const [id, name] of buildings) select.append(el("option", { value: id, selected: id === chosen }, pick(name) || id));
  const open = el("button", { type: "button", id: "stacking-open" }, t("stacking.open"));
  open.onclick = () => onOpen(select.value);
  return [el("h2", {}, t("stacking.title")), el("div", { className: "row stacking-pick" }, select, open)];
}

/** One floor: its level, a bar of its cells, its vacant area. */
function floorRow(floor, colours, names, onSpace) {
  const bar = el("div", { className: "stack-bar" });
  for (const c of floor.cells) {
    const status = names.get(c.status) || c.status;
    const who = c.tenant_name || c.tenant;
    const label = `${c.label} · ${num(c.area_m2)} m² · ${status}${who ? ` · ${who}` : ""}${c.until ? ` · ${t("stacking.until")} ${c.until}` : ""}`;
    const cell = el("button", { type: "button", className: "stack-cell", title: label, ariaLabel: label }, c.label);
    cell.dataset.space = c.space;
    cell.dataset.status = c.status;
    Object.assign(cell.style, { flexGrow: String(c.area_m2), background: colours.get(c.status) || "#ccc" });
    cell.onclick = () => onSpace(c.space);
    bar.append(cell);
  }
  const row = el("div", { className: "stack-floor" }, el("span", { className: "level" }, `L${floor.level}`), bar, el("span", { className: "vacant" }, `${num(Math.round(floor.vacant_m2))}`));
  row.dataset.floor = floor.floor;
  return row;
}

/** Open the box on `building`'s plan at `at` (`template`: the server's path, `{…}` taking the
 * building id); `onSpace(id)` selects a space in 3D. */
export async function openStacking(building, { template, at, onSpace, onClose }) {
  const node = box();
  const close = el("button", { type: "button", className: "close", title: t("card.close"), ariaLabel: t("card.close") }, "×");
  close.onclick = onClose;
  node.onkeydown = (event) => event.key === "Escape" && onClose();
  const body = el("div", { className: "stack-body" }, el("p", { className: "status" }, t("pipeline.loading")));
  node.replaceChildren(close, el("h2", {}, t("stacking.title")), el("div", { className: "id" }, building), body);
  Object.assign(node.dataset, { building, at });
  delete node.dataset.floors;
  node.hidden = false;
  try {
    const plan = await getJson(template.replace(/\{[^}]+\}/, encodeURIComponent(building)), { auth: true, params: { at } });
    if (node.dataset.building !== building || node.dataset.at !== at) return;
    const colours = new Map(plan.legend.map((e) => [e.status, e.color]));
    const names = new Map(plan.legend.map((e) => [e.status, pick(e.name)]));
    const legend = el("ul", { className: "legend stack-legend" }, ...plan.legend.map((e) => el("li", {}, el("i", { style: `background:${e.color}` }), pick(e.name))));
    const head = el("div", { className: "stack-floor stack-head" }, el("span", {}, t("stacking.floor")), el("span", {}, t("stacking.spaces")), el("span", { className: "vacant" }, t("stacking.vacant")));
    const summary = `${num(Math.round(plan.vacant_m2))} / ${num(Math.round(plan.area_m2))} m² ${t("stacking.vacantOf")} · ${plan.at.slice(0, 10)}`;
    node.querySelector("h2").textContent = `${t("stacking.title")} · ${pick(plan.name)}`;
    body.replaceChildren(el("p", { className: "status", id: "stacking-summary" }, summary), legend, head, ...plan.floors.map((f) => floorRow(f, colours, names, onSpace)));
    node.dataset.floors = String(plan.floors.length);
  } catch (error) {
    body.replaceChildren(el("p", { className: "status error" }, error.status === 401 || error.status === 403 ? t("pipeline.noRole") : error.message));
  }
}

export function closeStacking() {
  const node = box();
  node.hidden = true;
  delete node.dataset.building;
}

/** The building whose plan is open, and the day it shows (null when closed). */
export function stackingShown() {
  const node = box();
  return node.hidden ? null : { building: node.dataset.building, at: node.dataset.at };
}
