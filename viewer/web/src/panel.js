// The side panel: mode tabs, the legend and what each mode tells (targets, places, summaries).
import { both, getLang, num, pick, stageText, t } from "./i18n.js";
import { sourceLinks } from "./sources.js";

const $ = (selector) => document.querySelector(selector);

/** Make an element: el("p", {className: "x"}, "text", child, ...). */
export function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

/** Mode tabs: the current one selected, those this server cannot colour disabled. */
export function showModes(mode, served, onMode) {
  for (const button of document.querySelectorAll("#modes button")) {
    button.setAttribute("aria-selected", String(button.dataset.mode === mode));
    button.disabled = !served.includes(button.dataset.mode);
    button.title = button.disabled ? t("mode.unavailable") : "";
    button.onclick = () => onMode(button.dataset.mode);
    button.tabIndex = button.dataset.mode === mode ? 0 : -1; // one tab stop; arrows move between tabs
  }
  document.querySelector("#modes").onkeydown = (event) => {
    const tabs = [...document.querySelectorAll("#modes button:not(:disabled)")];
    const at = tabs.indexOf(document.activeElement);
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
    if (at < 0 || !step) return;
    event.preventDefault();
    const next = tabs[(at + step + tabs.length) % tabs.length];
    next.focus();
    onMode(next.dataset.mode);
  };
}

export function showLegend(entries, extra = []) {
  $("#legend").replaceChildren(
    ...[...entries, ...extra].map((e) => el("li", {}, el("i", { style: `background:${e.color}` }), pick(e))),
  );
}

function meter(label, value, target, sources, plus = false) {
  const share = target ? Math.min(value / target, 1) : 0;
  return el(
    "div",
    { className: "meter" },
    el("div", { className: "label" }, el("span", {}, label), el("strong", {}, `${num(value)}${plus ? "+" : ""} / ${num(target)}`)),
    el("div", { className: "bar" }, el("i", { style: `width:${(share * 100).toFixed(1)}%` })),
    sources,
  );
}

/** Visitor: the park's progress to its 2025 targets (F2) and the places to see. */
export function visitorBody({ pois, targets, citations = {} }, campus, onPoi) {
  const state = campus?.state || {};
  const target = targets.find((x) => x.id === "enterprises");
  const parts = [el("p", { className: "lead" }, t("visitor.lead")), el("h2", {}, t("visitor.targets"))];
  if (state.enterprises) {
    const plus = /more than/i.test(state.enterprises_qualifier || "");
    const cited = [...(target?.facts || []), ...(campus.report_facts || [])];
    // visitors see each source's name and date as a link (the fact id is its title, for staff)
    const sources = sourceLinks(cited.map((id) => citations[id] || { id, source: id, href: `/facts/${id}` }), getLang());
    parts.push(meter(t("visitor.enterprises"), state.enterprises, target?.value || 100, sources, plus));
  } else {
    parts.push(el("p", { className: "lead" }, t("visitor.none")));
  }
  const milestone = (state.milestones || []).at(-1);
  if (milestone) parts.push(el("p", { className: "fact" }, `${t("visitor.milestone")}: ${milestoneName(milestone, campus)}`));
  parts.push(el("h2", {}, t("visitor.places")));
  const list = el("ul", { className: "poi-list" });
  for (const poi of pois) {
    const button = el("button", { type: "button" }, el("strong", {}, pick(poi.name)), el("span", {}, pick(poi.description)));
    button.dataset.poi = poi.id;
    button.onclick = () => onPoi(poi);
    list.append(el("li", {}, button));
  }
  parts.push(list);
  return parts;
}

function milestoneName(milestone, campus) {
  const named = campus?.milestone_names?.[milestone];
  return named ? pick(named) : milestone.replaceAll("-", " ");
}

/** Construction: buildings begun and late, then each building's stage and percent done. */
export function constructionBody(progress, names, onBuilding) {
  const entries = Object.entries(progress?.buildings || {});
  const begun = entries.filter(([, p]) => p.begun).length;
  // late counts work not begun that should have (a late start), not only work under way
  const late = entries.filter(([, p]) => p.late).length;
  const stat = (label, value) => el("div", { className: "meter" }, el("div", { className: "label" }, el("span", {}, label), el("strong", {}, value)));
  const list = el("ul", { className: "stage-list" });
  for (const [id, p] of entries) {
    let state = p.begun ? t(`stage.${p.stage}`) : t("construction.ghost");
    if (p.begun) state = stageText(p.stage, p.stage_percent, p.percent_basis);
    if (p.late) state += ` · ${t("stage.late")}`;
    const button = el(
      "button",
      { type: "button", className: p.late ? "late" : "" },
      el("span", { className: "name" }, pick(names.get(id)) || id),
      el("span", { className: "stage" }, state),
    );
    button.onclick = () => onBuilding(id);
    list.append(el("li", {}, button));
  }
  return [
    el("p", { className: "lead" }, t("construction.lead")),
    el("h2", {}, t("construction.summary")),
    stat(t("construction.begun"), `${begun} / ${entries.length}`),
    stat(t("construction.late"), String(late)),
    el("h2", {}, t("construction.buildings")),
    list,
  ];
}

/** Facilities: each one's status at this date (from the campus state), live when streamed; a
click flies to its building and opens its metric history. */
export function facilitiesBody(live, facilities, states, onFacility) {
  const status = new Map((states || []).map((f) => [f.id, f]));
  const list = el("ul", { className: "stage-list" });
  for (const f of facilities) {
    const s = status.get(f.id);
    const shown = s?.effective_status || s?.status; // own report combined with its power
    const label = shown ? t(`facility.${shown}`) : "";
    const button = el("button", { type: "button", className: ["fault", "offline", "no_power", "lost_redundancy", "degraded"].includes(shown) ? "late" : "" },
      el("span", { className: "name" }, pick(f.name)), el("span", { className: "stage" }, label));
    button.dataset.facility = f.id;
    button.onclick = () => onFacility(f);
    list.append(el("li", {}, button));
  }
  return [
    el("p", { className: "lead" }, t("facilities.lead")),
    el("p", { className: "fact" }, live ? `● ${t("facilities.live")}` : t("facilities.offline")),
    el("h2", {}, t("facilities.list")),
    list,
  ];
}

/** Legend entry for ghosts (buildings not begun at this date). */
export function ghostEntry(hex, key = "construction.ghost") {
  return { ...both(key), color: hex };
}
