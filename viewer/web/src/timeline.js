// The time slider (2019-01-01 .. 2029-12-31, one step a day) and 4D playback; past today it
// plays the forecast (forecast ghosts rise storey by storey).
import { t } from "./i18n.js";
import { FIRST_DAY, LAST_DAY, dayAt, dayIndex } from "./state.js";

const PLAY_DAYS_PER_SECOND = 240; // the eleven years play in about 17 s
const STEP_MS = 250; // at most four dates a second go to the server
const MAX_STEP_DAYS = 60; // a slow machine plays slower rather than skipping whole seasons

export class Timeline {
  constructor(onDay) {
    this.onDay = onDay;
    this.input = document.querySelector("#time");
    this.output = document.querySelector("#date");
    this.play = document.querySelector("#play");
    this.input.min = 0;
    this.input.max = dayIndex(LAST_DAY);
    this.timer = 0;
    this.drawTicks();
    let debounce = 0;
    this.input.addEventListener("input", () => {
      this.stop();
      this.output.textContent = dayAt(Number(this.input.value));
      this.input.setAttribute("aria-valuetext", dayAt(Number(this.input.value)));
      clearTimeout(debounce);
      debounce = setTimeout(() => this.onDay(dayAt(Number(this.input.value))), 120);
    });
    this.play.addEventListener("click", () => (this.timer ? this.stop() : this.start()));
  }

  drawTicks() {
    const ticks = document.querySelector("#ticks");
    const last = dayIndex(LAST_DAY);
    for (let year = Number(FIRST_DAY.slice(0, 4)); year <= Number(LAST_DAY.slice(0, 4)); year++) {
      const span = document.createElement("span");
      span.textContent = year;
      span.style.left = `${(dayIndex(`${year}-01-01`) / last) * 100}%`;
      ticks.append(span);
    }
  }

  show(day) {
    this.input.value = dayIndex(day);
    this.output.textContent = day;
    this.input.setAttribute("aria-valuetext", day); // read as a date, not a day number
  }

  start() {
    let index = Number(this.input.value);
    if (index >= Number(this.input.max)) index = 0;
    let last = performance.now();
    this.play.textContent = "❚❚";
    this.labels();
    const step = async () => {
      const now = performance.now();
      const days = Math.min(Math.round(((now - last) / 1000) * PLAY_DAYS_PER_SECOND), MAX_STEP_DAYS);
      index = Math.min(index + days, Number(this.input.max));
      last = now;
      this.show(dayAt(index));
      await this.onDay(dayAt(index));
      if (!this.timer) return;
      if (index >= Number(this.input.max)) this.stop();
      else this.timer = setTimeout(step, STEP_MS);
    };
    this.timer = setTimeout(step, 0);
  }

  stop() {
    clearTimeout(this.timer);
    this.timer = 0;
    this.play.textContent = "▶";
    this.labels();
  }

  labels() {
    const key = this.timer ? "pause" : "play";
    this.play.title = t(key);
    this.play.setAttribute("aria-label", t(key));
  }
}
