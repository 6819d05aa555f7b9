// Overdue work in the facilities mode: the work orders late (to start or to finish) at the
// date shown, from /api/v1/facilities/work-orders?overdue=true, each flying to its building.
import { getOptional } from "./api.js";
import { t } from "./i18n.js";
import { el } from "./panel.js";

const PATH = "/api/v1/facilities/work-orders";

/** The work orders overdue at `at` (a date: its end, campus time); [] when unavailable. */
export async function overdueAt(at) {
  const found = await getOptional(PATH, { params: { overdue: "true", at } }, null);
  return found?.work_orders || [];
}

/** Overdue work, worst priority first, by facility; a click selects the facility's building. */
export function overdueSection(orders, onBuilding) {
  const parts = [el("h2", {}, t("workOrders.overdue"), " ", el("span", { className: "count-badge" }, String(orders.length)))];
  if (!orders.length) return [...parts, el("p", { className: "fact" }, t("workOrders.none"))];
  const list = el("ul", { className: "stage-list work-orders" });
  const sorted = [...orders].sort((a, b) => a.priority.localeCompare(b.priority) || a.facility.localeCompare(b.facility));
  for (const o of sorted) {
    const late = t(`workOrders.late.${o.overdue}`);
    const button = el(
      "button",
      { type: "button", className: "late", title: `${o.id} · ${t(`workOrders.state.${o.state}`)}` },
      el("span", { className: "name" }, el("b", { className: `priority ${o.priority}` }, o.priority), ` ${o.title} · ${o.facility}`),
      el("span", { className: "stage" }, late),
    );
    button.dataset.workOrder = o.id;
    button.onclick = () => o.building && onBuilding(o.building);
    list.append(el("li", {}, button));
  }
  return [...parts, list];
}
