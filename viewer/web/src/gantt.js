// The schedule's Gantt chart in the viewer (construction mode): one row per activity of the one
// schedule network (every building's stages and what was imported), at its early dates as the
// API works them out (GET /api/v1/construction/schedule: critical path, floats, links), grouped
// by building. Critical work red, work with float blue, finished grey, milestones diamonds,
// links as thin lines, a dashed line on the slider's day; hover (or tap) a bar for its dates,
// in a tip kept inside the window. The server's PNG and SVG of the same chart are linked.
// A saved baseline, when chosen, draws its bars (grey, thin) under the current ones, and the
// tips give the start and finish variance in days (GET .../baselines/{name}/variance).
import { getJson } from "./api.js";
import { num, pick, t } from "./i18n.js";
import { el } from "./panel.js";

const SVG = "http://www.w3.org/2000/svg";
const ROW = 22; // px per activity
const HEAD = 34; // px of the axis: years above, the slider's day below
const DAY = 86400e3;
const STAGES = ["design", "foundation", "structure", "envelope_mep", "acceptance", "fit_out", "in_use"];

function svg(tag, attrs = {}, text = "") {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text) node.textContent = text;
  return node;
}

const time = (iso) => Date.parse(`${iso}T00:00:00Z`);

/** The label of an activity: its stage's name in the viewer's language (under its
 * building's heading), else the imported activity's name. */
function labelOf(a) {
  if (a.building && a.stage) return t(`stage.${a.stage}`);
  return a.name || a.id;
}

/** The building's name, for headings and tips. */
const buildingName = (a, names) => (a.building ? pick(names.get(a.building)) || a.building : t("gantt.other"));

/** Activities grouped by building (in the order first seen), stages in their order. */
function ordered(activities) {
  const groups = new Map();
  for (const a of activities) {
    const key = a.building || "";
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(a);
  }
  const rank = (a) => (a.stage ? STAGES.indexOf(a.stage) : 99);
  return [...groups.values()].flatMap((list) => list.sort((a, b) => rank(a) - rank(b) || a.early_start.localeCompare(b.early_start)));
}

function kindOf(a) {
  if (a.actual_finish) return "done";
  return a.critical ? "critical" : "float";
}

const signed = (days) => `${days > 0 ? "+" : ""}${num(days)}`;

function tipText(a, label, base) {
  const lines = [label];
  lines.push(`${t("gantt.early")} ${a.early_start} → ${a.early_finish}`);
  lines.push(`${t("stages.planned")} ${a.start} → ${a.finish}`);
  if (a.actual_start) lines.push(`${t("stages.actual")} ${a.actual_start} → ${a.actual_finish || "…"}`);
  if (base) {
    lines.push(`${t("gantt.baseline")} ${base.baseline_start} → ${base.baseline_finish}`);
    lines.push(`${t("gantt.variance")}: ${t("gantt.start")} ${signed(base.start_days)} · ${t("gantt.finishVar")} ${signed(base.finish_days)} ${t("stages.days")}`);
  }
  lines.push(`${num(a.percent)}% · ${a.actual_finish ? t("gantt.done") : a.critical ? t("gantt.critical") : `${t("gantt.float")} ${num(a.total_float)} ${t("stages.days")}`}`);
  return lines;
}

/** Put the tip at (x, y) client px, kept inside the window. */
function placeTip(tip, x, y) {
  tip.hidden = false;
  const { width, height } = tip.getBoundingClientRect();
  const left = Math.max(4, Math.min(x + 14, window.innerWidth - width - 4));
  const top = y + 16 + height > window.innerHeight - 4 ? Math.max(4, y - height - 10) : y + 16;
  Object.assign(tip.style, { left: `${left}px`, top: `${top}px` });
}

/** The chart's rows (labels) and tracks (svg) for `rows` at `today`, `width` px of track. */
function draw(rows, today, width, names, tip, variance = null) {
  const based = rows.filter((a) => variance?.has(a.id)).map((a) => variance.get(a.id));
  const starts = [...rows.map((a) => time(a.early_start)), ...based.map((v) => time(v.baseline_start))];
  const ends = [...rows.map((a) => time(a.early_finish)), ...based.map((v) => time(v.baseline_finish))];
  const t0 = Math.min(...starts, time(today)) - 30 * DAY;
  const t1 = Math.max(...ends, time(today)) + 30 * DAY;
  const x = (ms) => ((ms - t0) / (t1 - t0)) * width;
  const headings = rows.filter((a, i) => i === 0 || a.building !== rows[i - 1].building).length;
  const height = (rows.length + headings) * ROW;
  const chart = svg("svg", { width, height, class: "gantt-svg", role: "img", "aria-label": t("gantt.title") });
  // the axis (years, the slider's day) stays above the rows as they scroll
  const axis = svg("svg", { width, height: HEAD, class: "gantt-svg gantt-axis", "aria-hidden": "true" });
  const first = new Date(t0).getUTCFullYear() + 1;
  const last = new Date(t1).getUTCFullYear();
  const every = x(Date.UTC(2001, 0, 1)) - x(Date.UTC(2000, 0, 1)) < 36 ? 2 : 1; // years that fit
  for (let year = first; year <= last; year++) {
    const at = x(Date.UTC(year, 0, 1));
    chart.append(svg("line", { x1: at, x2: at, y1: 0, y2: height, class: "year" }));
    axis.append(svg("line", { x1: at, x2: at, y1: 0, y2: 16, class: "year" }));
    if ((year - first) % every === 0) axis.append(svg("text", { x: at + 3, y: 12, class: "axis" }, String(year)));
  }
  // a heading row before each building's rows
  const slot = [];
  rows.forEach((a, i) => {
    if (i === 0 || a.building !== rows[i - 1].building) slot.push({ heading: buildingName(a, names) });
    slot.push(a);
  });
  const place = new Map();
  slot.forEach((item, k) => item.id && place.set(item.id, k));
  const y = (i) => place.get(rows[i].id) * ROW + ROW / 2;
  const index = new Map(rows.map((a, i) => [a.id, i]));
  const links = svg("g", { class: "links" });
  rows.forEach((a, i) => {
    for (const p of a.predecessors) {
      const j = index.get(p.activity);
      if (j === undefined || rows[j].actual_finish) continue; // finished work constrains nothing
      const from = rows[j];
      const leave = x(time(p.type === "SS" || p.type === "SF" ? from.early_start : from.early_finish));
      const reach = x(time(p.type === "FF" || p.type === "SF" ? a.early_finish : a.early_start));
      const critical = a.critical && from.critical;
      links.append(svg("polyline", { points: `${leave},${y(j)} ${leave},${y(i)} ${reach},${y(i)}`, class: critical ? "link critical" : "link" }));
    }
  });
  chart.append(links);
  const bars = svg("g", { class: "bars" });
  const baselines = svg("g", { class: "baselines" });
  rows.forEach((a, i) => {
    const label = `${buildingName(a, names)} · ${labelOf(a)}`;
    const kind = kindOf(a);
    const x0 = x(time(a.early_start));
    const x1 = x(time(a.early_finish));
    const base = variance?.get(a.id);
    // with a baseline the current bar moves up and the baseline's runs under it
    const top = variance ? y(i) - 8 : y(i) - 6;
    const high = variance ? 10 : 12;
    const mid = top + high / 2;
    let under = null;
    if (base) {
      const b0 = x(time(base.baseline_start));
      const b1 = x(time(base.baseline_finish));
      under = svg("rect", { x: b0, y: y(i) + 4, width: Math.max(b1 - b0, 2), height: 5, rx: 1, class: "baseline" });
      under.dataset.activity = a.id;
      baselines.append(under);
    }
    const shape = a.milestone || a.early_start === a.early_finish
      ? svg("polygon", { points: `${x1},${mid - 6} ${x1 + 6},${mid} ${x1},${mid + 6} ${x1 - 6},${mid}`, class: `bar ${kind}` })
      : svg("rect", { x: x0, y: top, width: Math.max(x1 - x0, 2), height: high, rx: 2, class: `bar ${kind}` });
    shape.dataset.activity = a.id;
    const show = (event) => {
      tip.replaceChildren(...tipText(a, label, base).map((line, k) => el(k ? "div" : "strong", {}, line)));
      placeTip(tip, event.clientX, event.clientY);
    };
    for (const node of [shape, under].filter(Boolean)) {
      node.addEventListener("pointerenter", show);
      node.addEventListener("pointermove", show);
      node.addEventListener("pointerleave", () => (tip.hidden = true));
    }
    bars.append(shape);
  });
  chart.append(baselines, bars);
  const now = x(time(today));
  chart.append(svg("line", { x1: now, x2: now, y1: 0, y2: height, class: "today" }));
  axis.append(svg("line", { x1: now, x2: now, y1: 18, y2: HEAD, class: "today" }));
  const anchor = now > width - 90 ? "end" : "start";
  axis.append(svg("text", { x: anchor === "end" ? now - 4 : now + 4, y: HEAD - 3, class: "today-label", "text-anchor": anchor }, today));
  const labels = el("div", { className: "gantt-labels" });
  for (const item of slot) {
    if (item.heading) {
      labels.append(el("div", { className: "gantt-label gantt-heading", title: item.heading }, item.heading));
      continue;
    }
    const label = labelOf(item);
    const row = el("div", { className: `gantt-label ${kindOf(item)}`, title: `${buildingName(item, names)} · ${label}` }, label);
    row.dataset.activity = item.id;
    labels.append(row);
  }
  return { labels, chart, axis };
}

function legend(baseline) {
  const item = (kind, text) => el("li", {}, el("i", { className: `swatch ${kind}` }), text);
  const items = [item("critical", t("gantt.critical")), item("float", t("gantt.withFloat")), item("done", t("gantt.done")), item("today", t("gantt.today"))];
  if (baseline) items.push(item("baseline", `${t("gantt.baseline")} ${baseline}`));
  return el("ul", { className: "gantt-legend" }, ...items);
}

/** Open the Gantt chart of the schedule at `at` (`building`: its rows only), in #gantt. */
export async function openGantt({ at, building = null, names }) {
  const box = document.querySelector("#gantt");
  const tip = document.querySelector("#gantt-tip");
  const close = el("button", { type: "button", className: "close", title: t("card.close"), ariaLabel: t("card.close") }, "×");
  const done = () => {
    box.hidden = true;
    tip.hidden = true;
  };
  close.onclick = done;
  box.onkeydown = (event) => event.key === "Escape" && done();
  box.replaceChildren(close, el("h2", {}, t("gantt.title")), el("p", { className: "status" }, t("pipeline.loading")));
  box.hidden = false;
  const [answer, saved] = await Promise.all([
    getJson("/api/v1/construction/schedule", { params: { at } }),
    getJson("/api/v1/construction/schedule/baselines", { params: { at } }),
  ]);
  const buildings = [...new Set(answer.activities.map((a) => a.building).filter(Boolean))];
  const choose = el("select", { ariaLabel: t("gantt.building"), id: "gantt-building" }, el("option", { value: "" }, t("gantt.all")));
  for (const b of buildings) choose.append(el("option", { value: b, selected: b === building }, pick(names.get(b)) || b));
  const against = el("select", { ariaLabel: t("gantt.baseline"), id: "gantt-baseline" }, el("option", { value: "" }, t("gantt.noBaseline")));
  for (const b of saved.baselines) against.append(el("option", { value: b.name }, `${t("gantt.baseline")}: ${b.name}`));
  const query = () => `?at=${encodeURIComponent(at)}${against.value ? `&baseline=${encodeURIComponent(against.value)}` : ""}`;
  const files = (fmt) => el("a", { href: `/api/v1/construction/schedule/gantt.${fmt}${query()}`, target: "_blank", rel: "noopener" }, fmt.toUpperCase());
  const legendBox = el("span", { className: "gantt-legend-box" });
  const fileBox = el("span", { className: "files" });
  let variance = null;
  const summary = el("p", { className: "fact" });
  const scroll = el("div", { className: "gantt-scroll" });
  const header = el("div", { className: "gantt-axis-row" });
  const render = () => {
    const rows = ordered(answer.activities.filter((a) => !choose.value || a.building === choose.value));
    const critical = rows.filter((a) => a.critical).length;
    summary.textContent = `${t("gantt.asOf")} ${at} · ${num(rows.length)} ${t("gantt.activities")} · ${num(critical)} ${t("gantt.onPath")} · ${t("gantt.finish")} ${answer.finish || "…"}`;
    const labelWidth = box.clientWidth < 600 ? 118 : 220;
    const width = Math.max(scroll.clientWidth - labelWidth - 4, 160);
    const { labels, chart, axis } = draw(rows, at, width, names, tip, variance);
    legendBox.replaceChildren(legend(variance && against.value));
    fileBox.replaceChildren(files("png"), " ", files("svg"));
    labels.style.width = `${labelWidth}px`;
    const spacer = el("div", { className: "gantt-spacer" });
    spacer.style.width = `${labelWidth}px`;
    header.replaceChildren(spacer, axis);
    scroll.replaceChildren(labels, chart);
  };
  choose.onchange = render;
  against.onchange = async () => {
    const name = against.value;
    const report = name ? await getJson(`/api/v1/construction/schedule/baselines/${encodeURIComponent(name)}/variance`, { params: { at } }) : null;
    if (name !== against.value) return; // chosen again meanwhile
    variance = report && new Map(report.activities.map((v) => [v.subject, v]));
    box.dataset.baseline = name;
    render();
  };
  box.dataset.baseline = "";
  box.replaceChildren(close, el("h2", {}, t("gantt.title")), summary, el("div", { className: "gantt-tools" }, choose, against, legendBox, fileBox), header, scroll);
  box.dataset.at = at;
  render();
  close.focus();
}
