// The view (mode, date, camera, selection, language) and its mirror in the URL, so that a
// copied link restores the same view. Never holds anything secret.
export const MODES = ["visitor", "leasing", "construction", "facilities"];
export const SCENES = ["glb", "tiles"]; // one GLB, or the 3D Tiles tileset (large campuses)
export const FIRST_DAY = "2019-01-01";
export const LAST_DAY = "2029-12-31"; // past today the slider plays the forecast to the end of the programme

const listeners = new Set();

export const view = {
  mode: "visitor",
  at: clampDay(campusToday()),
  lang: navigator.language && navigator.language.toLowerCase().startsWith("zh") ? "zh" : "en",
  selected: null,
  camera: null, // [x, y, z, targetX, targetY, targetZ] in scene metres
  scene: "glb", // how the campus is loaded: read once at start
  tour: null, // the guided tour's step as in the URL (`?tour=3`), null when not touring
};

/** Today in campus time (UTC+8), ISO date. */
export function campusToday() {
  return new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
}

export function clampDay(day) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day || "")) return campusToday() > LAST_DAY ? LAST_DAY : campusToday();
  return day < FIRST_DAY ? FIRST_DAY : day > LAST_DAY ? LAST_DAY : day;
}

/** Read the view from the page's URL (unknown or malformed values keep the defaults). */
export function readUrl() {
  const q = new URLSearchParams(location.search);
  if (MODES.includes(q.get("mode"))) view.mode = q.get("mode");
  if (q.get("at")) view.at = clampDay(q.get("at"));
  if (["zh", "en"].includes(q.get("lang"))) view.lang = q.get("lang");
  if (q.get("sel")) view.selected = q.get("sel");
  if (SCENES.includes(q.get("scene"))) view.scene = q.get("scene");
  if (q.get("tour")) view.tour = q.get("tour").slice(0, 64);
  const cam = (q.get("cam") || "").split(",").map(Number);
  if (cam.length === 6 && cam.every(Number.isFinite)) view.camera = cam;
}

let pending = 0;
/** Change the view; listeners hear which keys changed; the URL follows (throttled). */
export function update(changes) {
  const changed = Object.keys(changes).filter((k) => JSON.stringify(view[k]) !== JSON.stringify(changes[k]));
  if (!changed.length) return;
  for (const k of changed) view[k] = changes[k];
  for (const listener of listeners) listener(changed);
  if (!pending) pending = setTimeout(writeUrl, 150);
}

export function onChange(listener) {
  listeners.add(listener);
}

/** The URL of the current view. */
export function viewUrl() {
  const q = new URLSearchParams();
  q.set("mode", view.mode);
  q.set("at", view.at);
  q.set("lang", view.lang);
  if (view.selected) q.set("sel", view.selected);
  if (view.camera) q.set("cam", view.camera.map((v) => Math.round(v)).join(","));
  if (view.scene !== SCENES[0]) q.set("scene", view.scene);
  if (view.tour) q.set("tour", view.tour);
  return `${location.pathname}?${q}`;
}

function writeUrl() {
  pending = 0;
  history.replaceState(null, "", viewUrl());
}

/** Days since FIRST_DAY <-> ISO day (UTC arithmetic: no time zone surprises). */
export function dayIndex(day) {
  return Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${FIRST_DAY}T00:00:00Z`)) / 86400e3);
}

export function dayAt(index) {
  return new Date(Date.parse(`${FIRST_DAY}T00:00:00Z`) + index * 86400e3).toISOString().slice(0, 10);
}
