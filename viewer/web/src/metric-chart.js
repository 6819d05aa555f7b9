// A facility's metric history as an SVG line chart (GET /api/v1/facilities/metrics, an
// operations token): the mean line, the min-max band of downsampled buckets, the metric's
// unit, first and last times, and a choice of the facility's metrics.
import { HttpError, getJson, getOptional } from "./api.js";
import { num, pick, t } from "./i18n.js";
import { el } from "./panel.js";
import { campusToday } from "./state.js";

const SVG = "http://www.w3.org/2000/svg";
const W = 440;
const H = 190;
const PAD = { left: 46, right: 12, top: 12, bottom: 26 };
const DEFAULT_METRIC = { rack_row: "load_kw", hall: "it_load_kw", data_centre: "it_load_kw", cooling: "power_kw", service_centre: "power_kw" };

function svg(tag, attrs = {}, text = "") {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text) node.textContent = text;
  return node;
}

const campusTime = (iso) => new Date(Date.parse(iso) + 8 * 3600e3).toISOString().slice(5, 16).replace("T", " ");

/** The chart of `history` (the metrics endpoint's answer) as an <svg> element. */
export function lineChart(history) {
  const points = history.points.map((p) => ({ x: Date.parse(p.at), y: p.value, lo: p.min ?? p.value, hi: p.max ?? p.value }));
  const chart = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", class: "metric-svg" });
  chart.append(svg("title", {}, `${history.facility} ${history.metric} (${history.unit})`));
  if (!points.length) {
    chart.append(svg("text", { x: W / 2, y: H / 2, "text-anchor": "middle", class: "empty" }, t("chart.empty")));
    return chart;
  }
  const [x0, x1] = [Math.min(...points.map((p) => p.x)), Math.max(...points.map((p) => p.x))];
  let [y0, y1] = [Math.min(...points.map((p) => p.lo)), Math.max(...points.map((p) => p.hi))];
  if (y0 === y1) [y0, y1] = [y0 - 1, y1 + 1];
  const sx = (x) => PAD.left + ((x - x0) / (x1 - x0 || 1)) * (W - PAD.left - PAD.right);
  const sy = (y) => H - PAD.bottom - ((y - y0) / (y1 - y0)) * (H - PAD.top - PAD.bottom);
  for (const y of [y0, (y0 + y1) / 2, y1]) {
    chart.append(svg("line", { x1: PAD.left, x2: W - PAD.right, y1: sy(y), y2: sy(y), class: "grid" }));
    chart.append(svg("text", { x: PAD.left - 6, y: sy(y) + 4, "text-anchor": "end" }, num(y, 1)));
  }
  if (history.downsampled) {
    const band = [...points.map((p) => `${sx(p.x)},${sy(p.hi)}`), ...points.reverse().map((p) => `${sx(p.x)},${sy(p.lo)}`)];
    points.reverse();
    chart.append(svg("polygon", { points: band.join(" "), class: "band" }));
  }
  chart.append(svg("polyline", { points: points.map((p) => `${sx(p.x)},${sy(p.y)}`).join(" "), class: "line" }));
  if (points.length < 60) for (const p of points) chart.append(svg("circle", { cx: sx(p.x), cy: sy(p.y), r: 2.5, class: "dot" }));
  chart.append(svg("text", { x: PAD.left, y: H - 6 }, campusTime(history.points[0].at)));
  chart.append(svg("text", { x: W - PAD.right, y: H - 6, "text-anchor": "end" }, campusTime(history.points.at(-1).at)));
  chart.append(svg("text", { x: 4, y: PAD.top - 2, class: "unit" }, history.unit));
  return chart;
}

let catalogue = null;
/** Every facility's name, kind and metrics (the topology, operations token), fetched once. */
async function facilitiesCatalogue() {
  if (!catalogue) {
    const body = await getOptional("/api/v1/facilities/topology", { auth: true }, null);
    if (!body) return new Map(); // no operations token: asked again next time
    catalogue = new Map(body.facilities.map((f) => [f.id, f]));
  }
  return catalogue;
}

/** The chart's end: the end of a past day `at`; now for today (and later days), so the chart of
 * today is the 24 hours up to now at any hour, not the campus day that began at midnight UTC+8. */
function untilEndOf(at) {
  return at < campusToday() ? { end: at } : {};
}

/** Open the chart box on `facility`'s `metric` (default: its main one) up to the end of `at`. */
export async function openMetricChart(facility, at, metric = null) {
  const box = document.querySelector("#metric-chart");
  const node = (await facilitiesCatalogue()).get(facility);
  const metrics = (node?.metrics || []).map((m) => m.name);
  const chosen = metric || (metrics.includes(DEFAULT_METRIC[node?.kind]) ? DEFAULT_METRIC[node.kind] : metrics.includes("load_kw") ? "load_kw" : metrics[0]);
  const close = el("button", { type: "button", className: "close", title: t("card.close"), ariaLabel: t("card.close") }, "×");
  close.onclick = () => closeMetricChart();
  const select = el("select", { ariaLabel: t("chart.metric") }, ...metrics.map((m) => el("option", { value: m, selected: m === chosen }, m)));
  select.onchange = () => openMetricChart(facility, at, select.value);
  const body = el("div", { className: "chart-body" }, el("p", { className: "status" }, t("chart.loading")));
  box.replaceChildren(close, el("h2", {}, node ? pick(node.name) : facility), el("div", { className: "id" }, facility), select, body);
  box.dataset.facility = facility;
  box.dataset.metric = chosen || "";
  box.hidden = false;
  if (!chosen) return body.replaceChildren(el("p", { className: "status error" }, t(node ? "chart.noMetric" : "chart.token")));
  try {
    const history = await getJson("/api/v1/facilities/metrics", { auth: true, params: { facility, metric: chosen, ...untilEndOf(at) } });
    if (box.dataset.facility !== facility || box.dataset.metric !== chosen) return;
    body.replaceChildren(lineChart(history), el("p", { className: "status" }, `${num(history.total)} ${t("chart.readings")}`));
    box.dataset.points = String(history.points.length);
  } catch (error) {
    const denied = error instanceof HttpError && (error.status === 401 || error.status === 403);
    body.replaceChildren(el("p", { className: "status error" }, denied ? t("chart.token") : error.message));
  }
}

export function closeMetricChart() {
  const box = document.querySelector("#metric-chart");
  box.hidden = true;
  delete box.dataset.facility;
}

/** Follow the day shown: an open chart reloads up to the end of `at`. */
export function followDay(at) {
  const box = document.querySelector("#metric-chart");
  if (!box.hidden && box.dataset.facility) openMetricChart(box.dataset.facility, at, box.dataset.metric || null);
}
