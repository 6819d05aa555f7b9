// Search by id or by name (Chinese or English): the best match is the exact id, then a name
// or id that starts with the text, then one that contains it; shorter ids win ties.
import { pick } from "./i18n.js";

export class Search {
  constructor(ids, names) {
    this.ids = ids;
    this.names = names; // Map id -> {zh, en}
    this.known = new Set(ids);
    for (const id of names.keys()) this.known.add(id);
  }

  /** Ids that became known after the start (streamed tiles); `ids` is shared with the model. */
  learn(ids) {
    for (const id of ids) this.known.add(id);
  }

  /** The feature id best matching `text`, or null. */
  find(text) {
    const q = text.trim().toLowerCase();
    if (!q) return null;
    if (this.known.has(text.trim())) return text.trim();
    let best = null, bestScore = Infinity;
    const consider = (id, haystack) => {
      const at = haystack.indexOf(q);
      if (at < 0) return;
      const score = (at === 0 ? 0 : 1000) + id.length;
      if (score < bestScore) [best, bestScore] = [id, score];
    };
    for (const [id, name] of this.names) {
      consider(id, (name.en || "").toLowerCase());
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
