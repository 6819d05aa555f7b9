// The guided tour: steps from /api/v1/tour (a data file the twin team edits), each a camera
// flight to a feature, a text in both languages with its sources, and for history a day on
// the time slider. Next/previous, autoplay, and `?tour=N` in the URL keeps the step.
import * as THREE from "three";
import { getOptional } from "./api.js";
import { flyTo, reducedMotion } from "./fly.js";
import { pick, t } from "./i18n.js";
import { sourceLinks } from "./sources.js";
import { update, view } from "./state.js";

const AUTOPLAY_MS = 9000; // time to read a step before the next one
const $ = (selector) => document.querySelector(selector);

export class GuidedTour {
  /** `ctx`: {app, setDay(day)}. */
  constructor(ctx) {
    this.ctx = ctx;
    this.steps = [];
    this.index = -1; // the step shown (0-based), -1 when closed or not found
    this.timer = 0;
    this.flying = false;
    this.box = $("#tour");
    $("#tour-start").onclick = () => this.go(this.index >= 0 ? this.index + 1 : 1);
    $("#tour-prev").onclick = () => this.go(this.index); // 1-based: the one before
    $("#tour-next").onclick = () => this.go(this.index + 2);
    $("#tour-auto").onclick = () => (this.timer ? this.stopAutoplay() : this.autoplay());
    $("#tour-close").onclick = () => this.close();
    this.box.addEventListener("keydown", (event) => {
      if (event.target.closest("a")) return;
      if (event.key === "ArrowRight") this.go(this.index + 2);
      else if (event.key === "ArrowLeft" && this.index > 0) this.go(this.index);
      else if (event.key === "Escape") this.close();
      else return;
      event.preventDefault();
    });
  }

  async load() {
    this.steps = (await getOptional("/api/v1/tour", {}, { steps: [] })).steps;
    $("#tour-start").hidden = !this.steps.length; // a server without a tour
    if (view.tour) await this.go(view.tour, { focus: false });
  }

  /** Show step `number` (1-based, or a step id); anything else says the step is not found. */
  async go(number, { focus = true } = {}) {
    const text = String(number).trim();
    const at = /^\d+$/.test(text) ? Number(text) - 1 : this.steps.findIndex((s) => s.id === text);
    this.box.hidden = false;
    $("#tour-start").setAttribute("aria-expanded", "true");
    if (!(at >= 0 && at < this.steps.length)) {
      this.stopAutoplay();
      this.index = -1;
      this.missing = text;
      update({ tour: text });
      this.render();
      return;
    }
    this.index = at;
    this.missing = null;
    const step = this.steps[at];
    update({ tour: String(at + 1) });
    this.render();
    if (focus) $("#tour-title").focus();
    this.flying = true;
    const waits = [];
    if (step.at && step.at !== view.at) waits.push(this.ctx.setDay(step.at));
    const box = this.extent(step.feature);
    // on a narrow screen the tour's sheet hides the lower part of the view: frame it smaller
    const fill = innerWidth <= 900 ? step.fill * 0.8 : step.fill;
    if (box) waits.push(flyTo(this.ctx.app.stage, box, { fill }));
    await Promise.all(waits);
    if (this.index === at) update({ camera: this.ctx.app.stage.cameraState() });
    this.flying = false;
  }

  /** A feature's box: from the model, or a zone's outline (drawn over the ground, not a mesh). */
  extent(feature) {
    const own = this.ctx.app.model.extentOf(feature);
    if (own) return own;
    const outline = this.ctx.app.extras.outlines.find((o) => o.id === feature);
    if (!outline) return null;
    const box = new THREE.Box3();
    for (const [x, z] of outline.ring) box.expandByPoint(new THREE.Vector3(x, 0, z)).expandByPoint(new THREE.Vector3(x, 60, z));
    return box;
  }

  render() {
    const total = this.steps.length;
    const step = this.steps[this.index];
    $("#tour-count").textContent = step ? `${t("tour.step")} ${this.index + 1} / ${total}` : t("tour.title");
    $("#tour-title").textContent = step ? pick(step.title) : t("tour.notFound");
    const text = $("#tour-text");
    text.textContent = step ? pick(step.text) : `${t("tour.notFoundHint")} “${this.missing}”. ${t("tour.has")} 1–${total}.`;
    if (step) text.removeAttribute("role");
    else text.setAttribute("role", "alert");
    $("#tour-sources").replaceChildren(...(step ? [sourceLinks(step.sources, view.lang)].filter(Boolean) : []));
    this.box.dataset.step = step ? String(this.index + 1) : "";
    this.box.dataset.missing = step ? "" : "true";
    $("#tour-prev").disabled = !step || this.index === 0;
    $("#tour-next").disabled = step ? this.index === total - 1 : !total;
    const auto = $("#tour-auto");
    auto.disabled = reducedMotion() || !step;
    auto.title = reducedMotion() ? t("tour.reduced") : "";
    auto.setAttribute("aria-pressed", String(Boolean(this.timer)));
    auto.textContent = this.timer ? t("tour.pause") : t("tour.autoplay");
  }

  autoplay() {
    if (reducedMotion()) return;
    const tick = () => {
      if (this.index >= this.steps.length - 1) return this.stopAutoplay();
      this.go(this.index + 2, { focus: false });
      this.timer = setTimeout(tick, AUTOPLAY_MS);
    };
    this.timer = setTimeout(tick, AUTOPLAY_MS);
    this.render();
  }

  stopAutoplay() {
    clearTimeout(this.timer);
    this.timer = 0;
    if (this.steps.length) this.render();
  }

  close() {
    this.stopAutoplay();
    this.index = -1;
    this.box.hidden = true;
    $("#tour-start").setAttribute("aria-expanded", "false");
    update({ tour: null });
    $("#tour-start").focus();
  }

  /** What tests read: the step on screen (1-based), how many, not found, flying, autoplay. */
  get state() {
    return { step: this.index + 1, total: this.steps.length, missing: this.missing || null, flying: this.flying, autoplay: Boolean(this.timer) };
  }
}
