// On a phone the panel is a bottom sheet: "More" opens its mode section, "Less" folds it so
// the campus shows. (On a wide screen the button is hidden and the panel always open.)
import { t } from "./i18n.js";

export function setupSheet() {
  const panel = document.querySelector("#panel");
  const toggle = document.querySelector("#sheet-toggle");
  const show = (open) => {
    panel.classList.toggle("open", open);
    toggle.setAttribute("aria-expanded", String(open));
    toggle.textContent = t(open ? "sheet.less" : "sheet.more");
  };
  toggle.onclick = () => show(!panel.classList.contains("open"));
  return { labels: () => show(panel.classList.contains("open")) };
}
