// Where a visitor's facts come from: each source's name and date as a link (the fact id, for
// staff, is the link's title), in the current language.
import { t } from "./i18n.js";

/** The date a source was published, as a visitor reads it ("12 Sep 2024" / "2024年9月12日"). */
export function sourceDate(iso, lang) {
  if (!iso) return "";
  const [y, m, d] = iso.split("-").map(Number);
  if (lang === "zh") return `${y}年${m}月${d}日`;
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
}

/** Links to the sources of a text: "Source: Shanghai Municipal People's Government, 12 Sep 2024". */
export function sourceLinks(sources, lang) {
  const seen = new Map(); // label -> its link: one link a source, titled with every fact id
  const links = [];
  for (const s of sources || []) {
    const label = [s.source, sourceDate(s.date, lang)].filter(Boolean).join(", ");
    if (seen.has(label)) {
      seen.get(label).title += `, ${s.id}`;
      continue;
    }
    // the fact's page in the visitor's language: the source, its date, the quote and its translation
    const href = `${s.href}?lang=${lang === "zh" ? "zh" : "en"}`;
    const a = Object.assign(document.createElement("a"), { href, target: "_blank", rel: "noopener", title: s.id, textContent: label });
    a.dataset.fact = s.id;
    seen.set(label, a);
    links.push(links.length ? ", " : "", a);
  }
  if (!links.length) return null;
  const p = Object.assign(document.createElement("p"), { className: "sources" });
  p.append(`${t("sources")}: `, ...links);
  return p;
}
