// The Flying Fish viewer: loads the GLB once, colours it by mode and date from the API, and
// keeps the view in the URL. `window.twin` is the test hook (nothing secret in it).
import * as THREE from "three";
import { HttpError, getJson, getOptional } from "./api.js";
import { showCard } from "./card.js";
import { resolve } from "./colors.js";
import { Highlight, flyTo, framing } from "./fly.js";
import { applyLabels, pick, setLang, stageText, t } from "./i18n.js";
import { MATCH_COLOR, matchLegend, setupSettings } from "./leasing.js";
import { PROPOSAL_COLOR, noChoice, proposalIds, proposalLegend } from "./pipeline.js";
import { renderPanel, showStacking } from "./modes.js";
import { CampusModel, FORECAST_HEX, GHOST_HEX, LATE_GHOST_HEX } from "./model.js";
import { Overlay } from "./overlay.js";
import { ProposalOutline } from "./outline.js";
import { ghostEntry, showLegend } from "./panel.js";
import { Picker } from "./picking.js";
import { Search } from "./search.js";
import { Stage } from "./stage.js";
import { onChange, readUrl, update, view, viewUrl } from "./state.js";
import { Timeline } from "./timeline.js";
import { dispose, sceneAt } from "./versions.js";
import { overdueAt } from "./work-orders.js";
import { GuidedTour } from "./tour.js";
import { floorColours, heatLegend, loadHeat } from "./heat.js";
import { closeMetricChart, followDay } from "./metric-chart.js";
import { setupSheet } from "./sheet.js";

const $ = (selector) => document.querySelector(selector);
const app = { coloring: null, hex: [], progress: null, campus: null, matches: null, filters: {}, live: null, choice: noChoice() };
const panelContext = { app, select: (id) => select(id, { fly: true }), paint: () => paint(), refresh: () => refresh(), frame: (ids) => frame(ids) };

window.twin = {
  ready: false,
  /** Streamed tiles (?scene=tiles): the renderer's counts, load progress and features known. */
  get tiles() {
    const tiles = app.model?.root.userData.tiles;
    if (!tiles) return null;
    const painted = app.hex.length === app.model.ids.length; // every known feature has its colour
    return { ...tiles.stats, progress: tiles.loadProgress, features: app.model.ids.length, shown: tiles.visibleTiles.size, painted };
  },
  get mode() { return view.mode; },
  get at() { return view.at; },
  get lang() { return view.lang; },
  get selected() { return view.selected; },
  /** Leasing mode: the chosen prospect, the spaces lit for it and its chosen proposal's units. */
  get leasing() {
    const { prospect, matches } = app.choice;
    return { prospect, matches: matches || [], proposal: proposalIds(app.choice) };
  },
  /** The chosen proposal's outline as drawn: per loop its floor, vertex count and bounds. */
  get outline() { return app.outline?.state ?? []; },
  get camera() { return app.stage?.cameraState(); },
  /** Frames drawn since the page opened (bench/viewer.py: frames a second while orbiting). */
  get frames() { return app.stage?.frames ?? 0; },
  /** The drawing buffer's pixel ratio now, its full value at rest, and whether the camera moves. */
  pixelRatio: () => app.stage?.renderer.getPixelRatio() ?? null,
  get fullPixelRatio() { return app.stage?.fullRatio ?? null; },
  get interacting() { return app.stage?.interacting ?? false; },
  /** Put the camera at [x, y, z, target x, y, z] (as `camera` gives it) and draw. */
  setCamera: (state) => app.stage?.setCamera(state),
  /** The guided tour: {step (1-based, 0 when closed), total, missing, flying, autoplay}. */
  get tour() { return app.tour?.state ?? null; },
  /** The geometry version on screen (the scene's ETag) and whether a feature is in it. */
  get sceneVersion() { return app.sceneEtag; },
  has: (id) => Boolean(app.model?.index.has(id)),
  /** A building's storeys: {storeys, standing (today's), forecast (past today, by then)}. */
  storeys: (id) => app.model?.storeysOf(id) ?? null,
  /** A feature's box in the scene (metres east/up/south of the origin), or null. */
  extent: (id) => (({ min, max } = app.model?.extentOf(id) || {}) => (min ? { min: min.toArray(), max: max.toArray() } : null))(),
  /** The heat map's colours of the data centre's floors (facilities mode, staff token). */
  get heatFloors() { return view.mode === "facilities" && app.heat ? floorColours(app.heat) : null; },
  /** What the search box finds for `text` (a feature id or null). */
  find: (text) => app.search?.find(text) ?? null,
  select: (id) => select(id, { fly: true }),
  /** Where a click lands on a feature (client px), for tests driving the mouse. */
  screenPoint: (id) => app.picker?.screenPoint(id) ?? null,
  colorOf(id) {
    const i = app.model?.index.get(id);
    if (i === undefined || !app.hex.length) return null;
    if (!app.model.isGhost(id)) return app.hex[i];
    const late = app.progress?.buildings?.[String(id).split("/")[0]]?.late;
    return view.mode === "construction" && late ? LATE_GHOST_HEX : GHOST_HEX;
  },
};

async function start() {
  readUrl();
  setLang(view.lang);
  applyLabels();
  // everything the first frame needs is asked for before the WebGL context starts (creating
  // it and its drawing buffer blocks this thread for seconds on a software renderer): the
  // campus as built on the day shown (one GLB, or the tileset with ?scene=tiles), the points
  // of interest, the viewer's capabilities, the events and the colours of the first view
  const loading = sceneAt(view.scene, view.at).then(({ etag, root }) => {
    app.sceneEtag = etag;
    return new CampusModel(root);
  });
  const requests = Promise.all([
    loading,
    getJson("/api/v1/pois", { params: { at: view.at } }),
    getJson("/api/v1/viewer"),
    getOptional("/api/v1/events", { params: { stream: "campus", limit: 500 } }, { events: [] }),
  ]);
  const firstLoad = requests.then(([, , caps]) => load(view.mode, view.at, { caps, scene: false }));
  firstLoad.catch(() => {}); // (awaited by the first refresh; a failure shows there)
  const stage = (app.stage = new Stage($("#view")));
  stage.insetLeft = $("#panel").getBoundingClientRect().right;
  stage.resize();
  const [model, extras, caps, events] = await requests;
  Object.assign(app, { model, extras, caps, names: new Map(Object.entries(extras.names)) });
  const campusEvents = events.events || [];
  app.milestones = Object.fromEntries(
    campusEvents.filter((e) => e.type === "MilestoneReached").map((e) => [e.data.milestone, e.data.name]),
  );
  app.reports = campusEvents.filter((e) => e.type === "EnterprisesReported");
  stage.scene.add(model.root);
  stage.addSurroundings(model.origin);
  if (model.root.userData.tiles) {
    // streamed: look at the whole tileset until the ground (the root tile) is in
    stage.setCamera(view.camera || homeCamera());
    await streamInto(model);
  }
  app.overlay = new Overlay(stage, extras, (poi) => select(poi.feature, { fly: true }));
  app.search = new Search(model.ids, app.names, model.kinds);
  app.picker = new Picker(stage, model);
  app.picker.listen({ onClick: (id) => select(pickable(id)), onHover: hover });
  app.highlight = new Highlight(stage.scene);
  app.outline = new ProposalOutline(stage.scene); // the chosen proposal's, at its floors
  // the shaders of the first frame compile while the colours arrive, not inside that frame
  const compiled = stage.renderer.compileAsync(stage.scene, stage.camera);
  if (view.camera) stage.setCamera(view.camera);
  else stage.setCamera(homeCamera());
  stage.controls.addEventListener("end", () => update({ camera: stage.cameraState() }));
  app.timeline = new Timeline((day) => setDay(day));
  app.timeline.show(view.at);
  wireChrome();
  onChange(changed);
  await compiled;
  await refresh(firstLoad); // paints, marks and shows the selection of a shared link too
  $("#loading").hidden = true;
  app.tour = new GuidedTour({ app, setDay: (day) => (app.timeline.show(day), setDay(day)) });
  await app.tour.load(); // a link with ?tour=N opens at its step
}

/** What a click on `id` selects: in the construction mode a building, not its floor or unit. */
function pickable(id) {
  if (!id || view.mode !== "construction") return id;
  const building = String(id).split("/")[0];
  return app.model.kinds[building] === "building" ? building : id;
}

/** Looking north over the fish from the south-south-east (azimuth 160°, 34° down). */
function homeCamera() {
  const box = new THREE.Box3();
  for (const id of app.model.ids) if (app.model.kinds[id] === "parcel" && id.startsWith("fish-")) box.union(app.model.extentOf(id));
  for (const poi of app.extras.pois) box.union(app.model.extentOf(poi.feature) || new THREE.Box3()); // streamed: maybe not in yet
  if (box.isEmpty()) box.copy(app.model.root.userData.box || box.setFromObject(app.model.root)); // no fish, no points of interest: all of it
  const stage = app.stage;
  const [azimuth, elevation] = [THREE.MathUtils.degToRad(160), THREE.MathUtils.degToRad(34)];
  const direction = new THREE.Vector3(Math.sin(azimuth), Math.tan(elevation), -Math.cos(azimuth));
  stage.controls.target.copy(box.getCenter(new THREE.Vector3()));
  stage.camera.position.copy(stage.controls.target).add(direction);
  const { position, target } = framing(stage, box, 0.92);
  return [...position.toArray(), ...target.toArray()];
}

/** Stream the tiles of a tileset model: features join colours, picking and search as they load.
 * (tiles.js and its renderer load only for ?scene=tiles: the first view of the GLB does without.) */
async function streamInto(model) {
  const { streamTiles } = await import("./tiles.js");
  let repaint = null;
  return streamTiles(model.root, app.stage, {
    onLoad(scene) {
      const fresh = model.addTile(scene); // (not inside ?. : the search may not exist yet)
      app.search?.learn(fresh);
      if (app.model !== model || !app.coloring || repaint) return;
      repaint = setTimeout(() => {
        repaint = null;
        if (app.model === model) paint();
      }, 0);
    },
    onDispose: (scene) => model.removeTile(scene),
  });
}

function wireChrome() {
  $("#lang").onclick = () => update({ lang: view.lang === "zh" ? "en" : "zh" });
  $("#share").onclick = async () => {
    const url = new URL(viewUrl(), location.href).href;
    history.replaceState(null, "", url);
    try {
      await navigator.clipboard.writeText(url);
    } catch {
      /* the address bar holds the link as well */
    }
    $("#share").textContent = t("copied");
    setTimeout(() => ($("#share").textContent = t("share")), 1600);
  };
  $("#search").onsubmit = (event) => {
    event.preventDefault();
    const text = $("#search-input").value;
    const id = app.search.find(text);
    $("#search-status").textContent = id ? "" : `${t("search.none")} “${text}”`;
    if (id) select(id, { fly: true });
  };
  setupSettings(() => {
    if (view.selected) showSelection();
    renderPanel(panelContext); // the pipeline shows with a leasing token, hides without
  });
  app.sheet = setupSheet();
  labels();
}

function changed(keys) {
  if (keys.includes("lang")) {
    setLang(view.lang);
    applyLabels();
    labels();
    if (view.selected) showSelection();
    if (app.tour?.box.hidden === false) app.tour.render();
  }
  if (keys.includes("mode") || keys.includes("at")) {
    if (keys.includes("mode")) Object.assign(app, { matches: null, choice: noChoice() });
    if (keys.includes("mode") && view.mode !== "facilities") closeMetricChart();
    if (keys.includes("mode") && view.mode !== "construction") $("#gantt").hidden = $("#gantt-tip").hidden = true;
    else if (keys.includes("at")) followDay(view.at);
    refresh();
  } else if (keys.includes("lang")) {
    paint(); // the legend
    renderPanel(panelContext);
  }
}

function labels() {
  $("#lang").textContent = view.lang === "zh" ? "English" : "中文";
  $("#lang").lang = view.lang === "zh" ? "en" : "zh-CN"; // read in its own language
  app.sheet.labels();
  app.timeline.labels();
  app.search.fillOptions($("#search-options"));
  app.overlay.refresh(view.mode);
}

function setDay(day) {
  update({ at: day });
  return app.refreshing;
}

/** Fetch the colours, progress and state of (mode, at), then repaint (`loaded`: already asked). */
function refresh(loaded = null) {
  window.twin.ready = false;
  const token = (app.refreshToken = {});
  app.refreshing = (loaded || load(view.mode, view.at)).then(({ scene, ...data }) => {
    if (token !== app.refreshToken) return;
    if (scene) swapModel(new CampusModel(scene.root), scene.etag, scene.names);
    Object.assign(app, data);
    paint();
    renderPanel(panelContext);
    app.overlay.refresh(view.mode);
    if (view.selected) showSelection(); // its stage and ready date as of then
    app.stage.onFrame = () => {
      app.stage.onFrame = null;
      window.twin.ready = token === app.refreshToken;
    };
    app.stage.requestRender();
  });
  return app.refreshing;
}

/** The colours, progress and state of (mode, at), and the scene if it is not the one on screen
 * (`scene: false`: the first load, whose scene is loading already). */
async function load(mode, at, { caps = app.caps, scene: askScene = true } = {}) {
  const [coloring, progress, campus, scene, overdue, heat] = await Promise.all([
    getJson("/api/v1/scene/colors", { params: { mode: caps.modes.includes(mode) ? mode : "visitor", at } }),
    getJson("/api/v1/scene/progress", { params: { at } }),
    getJson("/api/v1/campus", { params: { at } }),
    askScene ? sceneAt(view.scene, at, app.sceneEtag) : null,
    mode === "facilities" ? overdueAt(at) : [],
    mode === "facilities" ? loadHeat(at) : null, // with a staff token: the rack-row heat map
  ]);
  // another geometry version may name other buildings: search follows the campus on screen
  if (scene) scene.names = (await getJson("/api/v1/pois", { params: { at } })).names;
  return { coloring, progress, campus, scene, overdue, heat };
}

/** Put the campus as built on another day on the stage (an import took effect in between). */
function swapModel(model, etag, names) {
  app.stage.scene.remove(app.model.root);
  dispose(app.model.root);
  app.stage.scene.add(model.root);
  app.names = new Map(Object.entries(names));
  Object.assign(app, { model, sceneEtag: etag, search: new Search(model.ids, app.names, model.kinds) });
  app.picker.model = model;
  if (model.root.userData.tiles) streamInto(model);
  app.search.fillOptions($("#search-options"));
  if (view.selected && !model.index.has(view.selected)) update({ selected: null });
}

function paint() {
  const coloring = { ...app.coloring, colors: { ...app.coloring.colors } };
  const proposal = proposalIds(app.choice);
  for (const id of [...(app.matches || []), ...(app.choice.matches || [])]) coloring.colors[id] = MATCH_COLOR;
  for (const id of proposal) coloring.colors[id] = PROPOSAL_COLOR;
  app.outline.show(app.choice.proposals[app.choice.proposal] || null, app.model);
  const heat = view.mode === "facilities" && app.heat; // the data centre's floors by hall load
  if (heat) Object.assign(coloring.colors, floorColours(app.heat));
  const { palette, hex } = resolve(app.model, coloring);
  app.hex = hex;
  app.model.paint(palette);
  app.model.setProgress(app.progress.buildings, { lateGhosts: view.mode === "construction" });
  app.stage.updateShadows();
  // the legend names only the colours on screen (ghosts hide what is not built)
  const drawn = new Set(app.model.ids.filter((id) => !app.model.isGhost(id)).map((id) => hex[app.model.index.get(id)].toLowerCase()));
  const ghosts = Object.values(app.progress.buildings).filter((p) => p.rise < 1);
  const lateGhosts = view.mode === "construction" && ghosts.some((p) => p.late);
  const forecast = Object.values(app.progress.buildings).some((p) => p.forecast_rise != null && p.forecast_rise > p.rise);
  const extra = [
    ...(forecast ? [ghostEntry(FORECAST_HEX, "construction.forecastGhost")] : []),
    ...(ghosts.length ? [ghostEntry(GHOST_HEX)] : []),
    ...(lateGhosts ? [ghostEntry(LATE_GHOST_HEX, "construction.lateGhost")] : []),
    ...(app.matches || app.choice.matches ? [matchLegend()] : []),
    ...(proposal.length ? [proposalLegend()] : []),
    ...(heat ? heatLegend() : []),
  ];
  showLegend((app.coloring.legend || []).filter((e) => drawn.has(e.color.toLowerCase())), extra);
  placeHighlight(view.selected);
  app.stage.requestRender();
}

async function select(id, { fly = false } = {}) {
  if (id && !app.model.index.has(id)) id = app.search.find(id);
  update({ selected: id || null });
  placeHighlight(id);
  await showSelection();
  if (id && fly) {
    const part = ["unit", "floor"].includes(app.model.kinds[id]);
    const box = app.model.extentOf(part ? id.split("/")[0] : id);
    // a unit is seen from its side of the building
    const facing = part && app.model.extentOf(id).getCenter(new THREE.Vector3()).sub(box.getCenter(new THREE.Vector3()));
    if (box) await flyTo(app.stage, box, { fill: part ? 0.45 : 0.4, facing });
    update({ camera: app.stage.cameraState() });
  }
  return id || null;
}

/** The box around every one of `ids` (null when none is on screen). */
function boxOf(ids) {
  const boxes = ids.map((id) => app.model.extentOf(id)).filter(Boolean);
  return boxes.length ? boxes.reduce((all, box) => all.union(box), new THREE.Box3()) : null;
}

/** Fly to the units `ids` (a proposal), seen from their side of their building. */
async function frame(ids) {
  const box = boxOf(ids);
  const building = box && app.model.extentOf(ids[0].split("/")[0]);
  if (!box || !building) return;
  const facing = box.getCenter(new THREE.Vector3()).sub(building.getCenter(new THREE.Vector3()));
  await flyTo(app.stage, box, { fill: 0.3, facing });
  update({ camera: app.stage.cameraState() });
}

function placeHighlight(id) {
  // the chosen proposal has its outline (outline.js), not a box: a box is the selection's
  app.highlight.show(id ? app.model.extentOf(id) : null);
  app.stage.requestRender();
}

function showSelection() {
  return showCard(view.selected, {
    at: view.at,
    mode: view.mode,
    names: app.names,
    stackingPlan: app.caps.stacking_plan,
    onClose: () => select(null),
    onBooked: () => refresh(), // the colours, the KPIs and the card as they now are
    onStacking: (building) => showStacking(panelContext, building),
  });
}

function hover(id, x, y) {
  const tip = $("#tooltip");
  if (!id) {
    tip.hidden = true;
    return;
  }
  const building = id.split("/")[0];
  const name = pick(app.names.get(id)) || pick(app.names.get(building)) || building;
  let text = id === building ? name : `${name} · ${id.split("/").slice(1).join(" ")}`;
  const p = app.progress?.buildings?.[building];
  if (p && view.mode === "construction") {
    text += ` · ${stageText(p.stage, p.stage_percent, p.percent_basis)}`;
    if (p.late) text += ` · ${t("stage.late")}`;
  }
  tip.textContent = text;
  Object.assign(tip.style, { left: `${x}px`, top: `${y}px` });
  tip.hidden = false;
}

start().catch((error) => {
  console.error(error);
  const loading = $("#loading");
  loading.textContent = error instanceof HttpError ? `${error.status}: ${error.message}` : String(error.message || error);
  loading.classList.add("error");
});
