// Documents a prospect takes away, from a unit's or a floor's card: its brochure (PDF, public,
// in the viewer's language) and its floor plan (SVG; with a saved token, the staff version).
import { el } from "./panel.js";
import { leasingToken } from "./api.js";
import { t } from "./i18n.js";

const BUILDINGS = "/api/v1/leasing/buildings";

/** The paths of a unit's or floor's documents (`b/L12/U03`, `b/L12`), or null for others. */
export function documentPaths(id, kind, lang) {
  if (kind !== "unit" && kind !== "floor") return null;
  const [building, floor, unit] = id.split("/");
  const level = Number((floor || "").replace(/^L/, ""));
  if (!building || !Number.isInteger(level)) return null;
  const base = `${BUILDINGS}/${encodeURIComponent(building)}/floors/${level}`;
  const brochure = kind === "unit" ? `${base}/units/${encodeURIComponent(unit)}/brochure.pdf` : `${base}/brochure.pdf`;
  return { brochure: `${brochure}?lang=${lang}`, plan: `${base}/plan.svg` };
}

/** Open `path` in a new tab, with the saved token when there is one (a link cannot send it). */
async function openWithToken(event, path) {
  const token = leasingToken();
  if (!token) return; // the plain link: the public version
  event.preventDefault();
  const tab = window.open("", "_blank");
  const response = await fetch(path, { headers: { Authorization: `Bearer ${token}` } });
  const url = URL.createObjectURL(await response.blob());
  if (tab) tab.location = url;
  else window.location.assign(url);
}

/** The card's links to the brochure and the floor plan, or null. */
export function documentLinks(id, kind, lang) {
  const paths = documentPaths(id, kind, lang);
  if (!paths) return null;
  const brochure = el("a", { href: paths.brochure, target: "_blank", rel: "noopener", id: "doc-brochure" }, t("docs.brochure"));
  const plan = el("a", { href: paths.plan, target: "_blank", rel: "noopener", id: "doc-plan" }, t("docs.floorPlan"));
  plan.onclick = (event) => openWithToken(event, paths.plan);
  return el("p", { className: "documents" }, brochure, " · ", plan);
}
