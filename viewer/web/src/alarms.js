// The facilities mode's alarms: the active ones (unacknowledged or acknowledged, not shelved nor
// cleared) with severity and age, most severe first; a click flies to the facility's building.
// Read with the tab's token (it needs the operations role) and kept live from the facilities
// event stream, read with fetch so the token goes in a header (EventSource cannot send one).
import { leasingToken } from "./api.js";
import { el } from "./panel.js";
import { num, pick, t } from "./i18n.js";

const RANK = { critical: 0, major: 1, warning: 2, info: 3 };
const RETRY_MS = 5000;

/** Age of an alarm for a person: minutes under two hours, hours after. */
export function ageText(seconds) {
  const minutes = Math.floor(seconds / 60);
  return minutes < 120 ? `${num(minutes)} ${t("alarms.min")}` : `${num(Math.floor(minutes / 60))} ${t("alarms.h")}`;
}

export class AlarmList {
  /** `url`: the alarms endpoint (null: not served); `stream`: the facilities event stream. */
  constructor(url, stream, onFacility) {
    this.url = url;
    this.stream = stream;
    this.onFacility = onFacility;
    this.alarms = null; // null: not read (no token, refused or not served)
    this.reason = "alarms.token";
    this.node = el("section", { className: "alarms", id: "alarms" });
    this.node.setAttribute("aria-live", "polite");
    this.abort = null;
    this.reloading = 0;
  }

  /** Read the list and follow the stream while the facilities mode is shown. */
  start() {
    if (this.abort && this.alarms === null && this.headers()) this.reload(); // a token given since
    if (this.abort || !this.url) return this.render();
    this.abort = new AbortController();
    this.reload();
    if (this.stream) this.follow(this.abort.signal);
    this.ticker = setInterval(() => this.render(), 30_000); // ages move on
  }

  stop() {
    this.abort?.abort();
    this.abort = null;
    clearInterval(this.ticker);
  }

  headers() {
    const token = leasingToken();
    return token ? { Authorization: `Bearer ${token}` } : null;
  }

  async reload() {
    const headers = this.headers();
    if (!headers) return this.fail("alarms.token");
    const url = new URL(this.url, location.origin);
    for (const s of ["active", "acknowledged"]) url.searchParams.append("state", s);
    try {
      const response = await fetch(url, { headers: { ...headers, Accept: "application/json" } });
      if (!response.ok) return this.fail(response.status === 401 || response.status === 403 ? "alarms.token" : "alarms.offline");
      const body = await response.json();
      this.alarms = body.alarms;
      this.readAt = Date.now();
    } catch {
      return this.fail("alarms.offline");
    }
    this.render();
  }

  fail(reason) {
    this.alarms = null;
    this.reason = reason;
    this.render();
  }

  /** Reload (debounced) on every `alarm` event of the stream; reconnect when it ends. */
  async follow(signal) {
    while (!signal.aborted) {
      const headers = this.headers();
      try {
        if (headers) {
          const response = await fetch(`${this.stream}?max_seconds=3600`, { headers: { ...headers, Accept: "text/event-stream" }, signal });
          if (response.ok) await this.read(response.body.getReader(), signal);
        }
      } catch {
        // the server stopped or the mode changed: retry below unless aborted
      }
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }

  async read(reader, signal) {
    const decoder = new TextDecoder();
    let buffer = "";
    while (!signal.aborted) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      const lines = buffer.split("\n");
      buffer = lines.pop();
      if (lines.some((line) => line.trim() === "event: alarm")) {
        clearTimeout(this.reloading);
        this.reloading = setTimeout(() => this.reload(), 200);
      }
    }
  }

  render() {
    const title = el("h2", {}, t("alarms.title"));
    if (!this.url) return this.node.replaceChildren();
    if (this.alarms === null) return this.node.replaceChildren(title, el("p", { className: "fact" }, t(this.reason)));
    const shown = [...this.alarms].sort((a, b) => (RANK[a.severity] ?? 9) - (RANK[b.severity] ?? 9) || b.age_s - a.age_s);
    const list = el("ul", { className: "stage-list alarm-list" });
    const waited = (Date.now() - (this.readAt || Date.now())) / 1000;
    for (const a of shown) {
      const marks = (a.state === "acknowledged" ? " ✓" : "") + (a.escalation ? ` ▲${a.escalation}` : "");
      const notes = [a.message, a.state === "acknowledged" && t("alarms.acknowledged"), a.escalation && `${t("alarms.escalated")} ${a.escalation}`];
      const button = el(
        "button",
        { type: "button", className: `alarm ${a.severity}`, title: notes.filter(Boolean).join(" · ") },
        el("span", { className: "name" }, el("b", { className: "severity" }, t(`alarms.${a.severity}`)), " ", pick(a.facility_name) || a.facility, marks),
        el("span", { className: "stage" }, ageText(a.age_s + waited)),
      );
      button.dataset.alarm = a.id;
      button.onclick = () => a.building && this.onFacility(a.building);
      list.append(el("li", {}, button));
    }
    const empty = el("p", { className: "fact" }, t("alarms.none"));
    this.node.replaceChildren(title, shown.length ? list : empty);
  }
}
