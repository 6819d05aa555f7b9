// Construction evidence on a building's card: site photos (thumbnails with their dates) and
// documents attached to its stages, newest first, from /api/v1/construction/evidence. Staff
// only (the tab's token): the public sees none. A click opens the file.
import { getJson, leasingToken } from "./api.js";
import { t } from "./i18n.js";
import { el } from "./panel.js";

const PATH = "/api/v1/construction/evidence";

/** A file the API serves to the tab's token, as an object URL. */
async function blobUrl(path) {
  const response = await fetch(path, { headers: { Authorization: `Bearer ${leasingToken()}` } });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return URL.createObjectURL(await response.blob());
}

const day = (iso) => iso.slice(0, 10);
const captionOf = (item, lang) => (lang === "zh" ? item.caption_zh || item.caption_en : item.caption_en || item.caption_zh) || "";

async function open(item) {
  const url = await blobUrl(item.url);
  if (item.media_type === "application/pdf") {
    const link = el("a", { href: url, download: item.filename || `${item.sha256.slice(0, 12)}.pdf` });
    link.click();
  } else window.open(url, "_blank", "noopener");
}

function thumb(item, lang) {
  const stage = item.stage ? t(`stage.${item.stage}`) : item.activity;
  const label = `${day(item.taken_at)} · ${stage}${captionOf(item, lang) ? ` · ${captionOf(item, lang)}` : ""}`;
  const picture = el("img", { alt: label, width: 96, height: 72, loading: "lazy" });
  const button = el("button", { type: "button", className: "evidence-thumb", title: label }, picture, el("span", {}, day(item.taken_at)));
  button.dataset.sha256 = item.sha256;
  button.onclick = () => open(item);
  blobUrl(item.thumbnail_url).then((url) => (picture.src = url), () => picture.remove());
  return button;
}

function row(item, lang) {
  const stage = item.stage ? t(`stage.${item.stage}`) : item.activity;
  const kind = item.media_type === "application/pdf" ? t("evidence.document") : t("evidence.photo");
  const button = el(
    "button",
    { type: "button", title: item.filename || item.sha256 },
    el("span", { className: "name" }, `${day(item.taken_at)} · ${kind} · ${stage}`),
    el("span", { className: "stage" }, captionOf(item, lang)),
  );
  button.onclick = () => open(item);
  return el("li", {}, button);
}

/** The evidence section of `building`'s card at `at`, or null without a staff token. */
export async function evidenceSection(building, at, lang) {
  if (!leasingToken()) return null;
  let items;
  try {
    items = (await getJson(PATH, { auth: true, params: { building, at } })).items;
  } catch {
    return null; // a token without access, or no such building: no section
  }
  const title = el("h2", {}, t("evidence.title"), " ", el("span", { className: "count-badge" }, String(items.length)));
  if (!items.length) return el("div", { className: "evidence" }, title, el("p", { className: "fact" }, t("evidence.none")));
  const photos = items.filter((i) => i.thumbnail_url).slice(0, 6);
  const strip = el("div", { className: "evidence-strip" }, ...photos.map((i) => thumb(i, lang)));
  const list = el("ul", { className: "stage-list evidence-list", ariaLabel: t("evidence.list") }, ...items.map((i) => row(i, lang)));
  return el("div", { className: "evidence" }, title, strip, list);
}
