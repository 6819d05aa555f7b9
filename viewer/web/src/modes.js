// The mode section of the side panel, and the live facility feed of the facilities mode.
import { AlarmList } from "./alarms.js";
import { leasingToken } from "./api.js";
import { kpiBody } from "./deal.js";
import { heatGrid } from "./heat.js";
import { leasingBody } from "./leasing.js";
import { openMetricChart } from "./metric-chart.js";
import { pipelineBody, proposalIds } from "./pipeline.js";
import { closeStacking, openStacking, stackingBody, stackingShown } from "./stacking.js";
import { constructionBody, el, facilitiesBody, showModes, visitorBody } from "./panel.js";
import { openGantt } from "./gantt.js";
import { scurveSection } from "./scurve.js";
import { t } from "./i18n.js";
import { update, view } from "./state.js";
import { overdueSection } from "./work-orders.js";

/** Fill the panel for the current mode. `ctx`: {app, select(id), paint(), refresh()}. */
export function renderPanel(ctx) {
  const { app, select } = ctx;
  showModes(view.mode, app.caps.modes, (mode) => update({ mode }));
  const live = liveFacilities(ctx);
  // simulated telemetry (a twin in simulation mode) is never shown as if measured
  document.querySelector("#sim-banner").hidden = !(view.mode === "facilities" && app.caps.telemetry === "simulated");
  const body = document.querySelector("#mode-body");
  followStacking(ctx, Boolean(app.caps.stacking_plan && leasingToken()));
  if (view.mode === "visitor") {
    const end = Date.parse(`${view.at}T23:59:59.999+08:00`);
    const report = app.reports.filter((e) => Date.parse(e.effective_at) <= end).at(-1);
    const campus = { ...app.campus, milestone_names: app.milestones, report_facts: report?.data.facts || [] };
    body.replaceChildren(...visitorBody(app.extras, campus, (poi) => select(poi.feature)));
  } else if (view.mode === "leasing") {
    const buildings = [...app.names].filter(([id]) => app.model.kinds[id] === "building");
    const places = ["zones", "parcels"].flatMap((key) => (app.campus?.[key] || []).map((p) => [key.slice(0, -1), p.id, p.name]));
    const onMatches = (ids) => {
      app.matches = ids;
      ctx.paint();
    };
    const availability = app.caps.availability;
    const onChoice = (choice) => {
      app.choice = choice;
      ctx.paint();
      renderPanel(ctx);
      ctx.frame(proposalIds(choice));
    };
    const chosen = stackingShown()?.building || (view.selected || "").split("/")[0];
    body.replaceChildren(
      ...leasingBody({ filters: app.filters, buildings, places, at: view.at, availability, onMatches }),
      ...stackingBody({ caps: app.caps, at: view.at, buildings, chosen, onOpen: (id) => showStacking(ctx, id) }),
      ...kpiBody({ caps: app.caps, at: view.at }),
      ...pipelineBody({ caps: app.caps, at: view.at, choice: app.choice, onChoice }),
    );
  } else if (view.mode === "construction") {
    const gantt = el("button", { type: "button", id: "gantt-open", className: "primary" }, t("gantt.open"));
    const building = view.selected && app.model.kinds[view.selected.split("/")[0]] === "building" ? view.selected.split("/")[0] : null;
    gantt.onclick = () => openGantt({ at: view.at, building, names: app.names });
    const [lead, ...rest] = constructionBody(app.progress, app.names, select);
    body.replaceChildren(gantt, lead, scurveSection({ at: view.at, building, buildings: Object.keys(app.progress?.buildings || {}), names: app.names }), ...rest);
  } else {
    const chart = (id) => openMetricChart(id, view.at);
    const onFacility = (f) => {
      if (f.building) select(f.building);
      chart(f.id);
    };
    const heat = app.heat ? heatGrid(app.heat, chart) : [];
    const alarms = (app.alarms ||= new AlarmList(app.caps.alarms, app.caps.facilities_stream, select));
    const facilities = facilitiesBody(live, app.extras.facilities, app.campus?.state?.facilities, onFacility);
    body.replaceChildren(...facilities.slice(0, 2), ...overdueSection(app.overdue || [], select), ...facilities.slice(2), ...heat);
    body.insertBefore(alarms.node, body.querySelector("h2")); // alarms first: what to act on
    alarms.start();
  }
}

/** Open `building`'s stacking plan at the day shown; a space in it is selected in 3D. */
export function showStacking({ app, select }, building) {
  openStacking(building, { template: app.caps.stacking_plan, at: view.at, onSpace: select, onClose: closeStacking });
}

/** The open stacking plan follows the day shown; it closes outside the leasing mode or without
 * a token (the panel offers it again). */
function followStacking(ctx, offered) {
  const shown = stackingShown();
  if (!shown) return;
  if (view.mode !== "leasing" || !offered) closeStacking();
  else if (shown.at !== view.at) showStacking(ctx, shown.building);
}

/** While the facilities mode is shown, recolour on each event of the server's stream. */
function liveFacilities({ app, refresh }) {
  const url = app.caps.facilities_stream;
  if (view.mode !== "facilities") app.alarms?.stop();
  if (view.mode !== "facilities" || !url) {
    app.live?.close();
    app.live = null;
    return false;
  }
  if (!app.live) {
    app.live = new EventSource(url);
    let timer = 0;
    const recolour = () => {
      clearTimeout(timer);
      timer = setTimeout(() => view.mode === "facilities" && refresh(), 300);
    };
    for (const type of ["status", "alert", "message"]) app.live.addEventListener(type, recolour); // named SSE events
  }
  return true;
}
