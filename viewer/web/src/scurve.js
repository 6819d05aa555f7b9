// The S-curve in the construction panel: planned (baseline) against actual percent complete
// over time, drawn by the viewer from GET /api/v1/construction/s-curve (monthly points, the
// SPI on the slider's day) for the campus, the fish or the selected building, with a dashed
// line on the slider's day. The server's PNG and SVG of the same curve are linked.
import { getJson } from "./api.js";
import { num, pick, t } from "./i18n.js";
import { el } from "./panel.js";

const SVG = "http://www.w3.org/2000/svg";
const W = 300; // viewBox px; the chart scales to the panel's width
const H = 150;
const PAD = { left: 30, right: 8, top: 8, bottom: 18 };
const answers = new Map(); // "scope|at" -> the API's answer (a promise), the latest few
let chosen = null; // the scope the user chose, and the building selected then: kept as the day moves

function svg(tag, attrs = {}, text = "") {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text) node.textContent = text;
  return node;
}

const time = (iso) => Date.parse(`${iso.slice(0, 10)}T00:00:00Z`);

/** The chart of `curve` (the API's answer) on the slider's day `today`. */
export function chart(curve, today) {
  const days = curve.points.map((p) => time(p.day));
  const t0 = Math.min(...days, time(today));
  const t1 = Math.max(...days, time(today));
  const x = (ms) => PAD.left + ((ms - t0) / Math.max(t1 - t0, 1)) * (W - PAD.left - PAD.right);
  const y = (pct) => PAD.top + (1 - pct / 100) * (H - PAD.top - PAD.bottom);
  const node = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "scurve-svg", role: "img", "aria-label": t("scurve.title") });
  for (const pct of [0, 50, 100]) {
    node.append(svg("line", { x1: PAD.left, x2: W - PAD.right, y1: y(pct), y2: y(pct), class: "grid" }));
    node.append(svg("text", { x: PAD.left - 4, y: y(pct) + 3, class: "axis", "text-anchor": "end" }, `${pct}%`));
  }
  const first = new Date(t0).getUTCFullYear() + 1;
  const last = new Date(t1).getUTCFullYear();
  const every = Math.max(1, Math.ceil((last - first + 1) / 5)); // five labels at most
  for (let year = first; year <= last; year += every) {
    const at = x(Date.UTC(year, 0, 1));
    node.append(svg("line", { x1: at, x2: at, y1: PAD.top, y2: H - PAD.bottom, class: "grid" }));
    node.append(svg("text", { x: at, y: H - 5, class: "axis", "text-anchor": "middle" }, String(year)));
  }
  const line = (points, cls) => svg("polyline", { points: points.map(([d, p]) => `${x(time(d)).toFixed(1)},${y(p).toFixed(1)}`).join(" "), class: cls });
  node.append(line(curve.points.map((p) => [p.day, p.planned_percent]), "planned"));
  const actual = curve.points.filter((p) => p.actual_percent !== null).map((p) => [p.day, p.actual_percent]);
  if (curve.points.some((p) => p.day <= today)) actual.push([today, curve.actual_percent]);
  if (actual.length) node.append(line(actual, "actual"));
  const now = x(time(today));
  node.append(svg("line", { x1: now, x2: now, y1: PAD.top, y2: H - PAD.bottom, class: "today" }));
  node.append(svg("circle", { cx: now, cy: y(curve.actual_percent), r: 3, class: "actual-dot" }));
  return node;
}

/** The SPI in words: behind below 1, ahead above. */
function spiText(spi) {
  if (spi === null || spi === undefined) return `${t("scurve.spi")} –`;
  const state = spi < 0.995 ? t("scurve.behind") : spi > 1.005 ? t("scurve.ahead") : t("scurve.onPlan");
  return `${t("scurve.spi")} ${num(spi, 2)} (${state})`;
}

/** The panel's S-curve section: a scope select (the campus, the fish, each of `buildings`;
 * the selected `building` chosen by default) and the chart on the day `at`. */
export function scurveSection({ at, building = null, buildings = [], names }) {
  const choose = el("select", { ariaLabel: t("scurve.scope"), id: "scurve-scope" });
  choose.append(el("option", { value: "campus" }, t("scurve.campus")), el("option", { value: "fish" }, t("scurve.fish")));
  for (const id of buildings) choose.append(el("option", { value: id }, pick(names.get(id)) || id));
  choose.value = chosen && chosen.building === building ? chosen.scope : building && buildings.includes(building) ? building : "campus";
  const box = el("div", { className: "scurve-chart" });
  const fact = el("p", { className: "fact scurve-fact" });
  const files = el("span", { className: "files" });
  const section = el("section", { className: "scurve", id: "scurve" }, el("h2", {}, t("scurve.title")), choose, box, fact, files);
  const show = async () => {
    const scope = choose.value;
    const key = `${scope}|${at}`;
    if (!answers.has(key)) answers.set(key, getJson("/api/v1/construction/s-curve", { params: { scope, at } }));
    while (answers.size > 24) answers.delete(answers.keys().next().value);
    let curve;
    try {
      curve = await answers.get(key);
    } catch (error) {
      answers.delete(key);
      fact.textContent = `${t("scurve.title")}: ${error.message}`;
      return;
    }
    if (scope !== choose.value) return; // chosen again meanwhile
    box.replaceChildren(chart(curve, at));
    section.dataset.scope = scope;
    section.dataset.spi = String(curve.spi);
    fact.replaceChildren(
      el("span", { className: "key planned" }, `${t("scurve.planned")} ${num(curve.planned_percent, 1)}%`),
      " · ",
      el("span", { className: "key actual" }, `${t("scurve.actual")} ${num(curve.actual_percent, 1)}%`),
      " · ",
      el("strong", { className: "spi" }, spiText(curve.spi)),
    );
    const link = (fmt) => el("a", { href: `/api/v1/construction/s-curve.${fmt}?scope=${encodeURIComponent(scope)}&at=${encodeURIComponent(at)}`, target: "_blank", rel: "noopener" }, fmt.toUpperCase());
    files.replaceChildren(el("span", { className: "key today" }, `${t("gantt.today")} ${at}`), " · ", link("png"), " ", link("svg"));
  };
  choose.onchange = () => {
    chosen = { scope: choose.value, building };
    show();
  };
  show();
  return section;
}
