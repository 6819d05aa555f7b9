// Search by id or by name (Chinese or English), with common variants: "data center" finds the
// data centre, "IDC" 数据中心, "办公楼" the office building. Buildings rank before units and
// floors, those before land parcels and zones; then the exact name or id, a name or id that
// starts with the text, one that contains it; shorter ids win ties.
import { pick } from "./i18n.js";

/** Words that mean the same to a visitor; the first of a group is how the campus names it. */
const VARIANTS = [
  ["data centre", "data center", "datacenter", "datacentre", "idc", "数据中心", "机房"],
  ["office building", "office", "办公楼", "综合办公楼", "写字楼"],
  ["service centre", "service center", "服务中心"],
  ["centre", "center", "中心"],
  ["fish head", "鱼头"],
];
const KIND_RANK = { building: 0, unit: 1, floor: 1, parcel: 2, zone: 3 };

/** The text and the variants it may mean (lower case; English "center" read as "centre"). */
export function variants(text) {
  const q = text.trim().toLowerCase().replace(/\s+/g, " ");
  const out = new Set([q, q.replace(/\bcenter\b/g, "centre")]);
  for (const group of VARIANTS) {
    for (const word of group) {
      if (!q.includes(word)) continue;
      for (const other of group) out.add(q.replace(word, other));
    }
  }
  return [...out].filter(Boolean);
}

export class Search {
  constructor(ids, names, kinds = {}) {
    this.ids = ids;
    this.names = names; // Map id -> {zh, en}
    this.kinds = kinds; // id -> "building" | "parcel" | ... (the model's, filled as tiles load)
    this.known = new Set(ids);
    for (const id of names.keys()) this.known.add(id);
  }

  /** Ids that became known after the start (streamed tiles); `ids` is shared with the model. */
  learn(ids) {
    for (const id of ids) this.known.add(id);
  }

  /** The feature id best matching `text`, or null. */
  find(text) {
    if (!text.trim()) return null;
    if (this.known.has(text.trim())) return text.trim();
    const queries = variants(text);
    let best = null, bestScore = Infinity;
    const consider = (id, haystack) => {
      for (const q of queries) {
        const at = haystack.indexOf(q);
        if (at < 0) continue;
        const kind = this.kinds[id] || (this.names.has(id) ? "parcel" : "unit");
        const place = haystack === q ? 0 : at === 0 ? 1000 : 2000;
        const score = (KIND_RANK[kind] ?? 2) * 10000 + place + id.length;
        if (score < bestScore) [best, bestScore] = [id, score];
      }
    };
    for (const [id, name] of this.names) {
      consider(id, (name.en || "").toLowerCase().replace(/\bcenter\b/g, "centre"));
      consider(id, name.zh || "");
    }
    if (best) return best;
    for (const id of this.ids) consider(id, id.toLowerCase());
    return best;
  }

  /** Suggestions for the search box's datalist: names in the current language. */
  fillOptions(datalist) {
    datalist.replaceChildren(
      ...[...this.names.entries()].map(([id, name]) => Object.assign(document.createElement("option"), { value: pick(name), label: id })),
    );
  }
}
