// A building's stages on its card (construction mode): for each stage the plan, the forecast
// and what happened, its percent and slip, read from /api/v1/construction/buildings/{id} (the
// construction forecast's one derivation; nothing is computed here).
import { getJson } from "./api.js";
import { num, t } from "./i18n.js";
import { el } from "./panel.js";

const span = (a, b) => `${a || "…"} → ${b || "…"}`;

function slipText(days) {
  if (days == null) return "";
  if (days === 0) return t("stages.onPlan");
  return `${days > 0 ? "+" : "−"}${num(Math.abs(days))} ${t("stages.days")}`;
}

function stageBlock(s) {
  const percent = s.percent_basis === "none" ? "" : `${num(s.percent)}%${s.percent_basis === "estimate" ? "*" : ""}`;
  const slip = slipText(s.slip_days);
  const head = el(
    "div",
    { className: "stage-head" },
    el("strong", {}, t(`stage.${s.stage}`)),
    el("span", { className: `stage-figures${s.late ? " late" : ""}` }, [percent, slip].filter(Boolean).join(" · ")),
  );
  const rows = [["stages.planned", span(s.planned_start, s.planned_end)]];
  if (s.actual_start) rows.push(["stages.actual", span(s.actual_start, s.actual_end)]);
  if (s.status !== "completed" && (s.forecast_start || s.forecast_end)) rows.push(["stages.forecast", span(s.forecast_start, s.forecast_end)]);
  const dl = el("dl", {}, ...rows.flatMap(([key, value]) => [el("dt", {}, t(key)), el("dd", {}, value)]));
  const li = el("li", { className: `stage-item ${s.status}${s.late ? " late" : ""}` }, head, dl);
  li.dataset.stage = s.stage;
  return li;
}

/** The stages section of `building`'s card at `at` (null when the API has none for it). */
export async function stagesSection(building, at) {
  let answer;
  try {
    answer = await getJson(`/api/v1/construction/buildings/${encodeURIComponent(building)}`, { params: { at } });
  } catch {
    return null;
  }
  if (!answer.stages?.length) return null;
  const estimated = answer.stages.some((s) => s.percent_basis === "estimate" && s.status === "in_progress");
  return el(
    "div",
    { className: "stages" },
    el("h2", {}, t("stages.title")),
    el("ol", { className: "stage-table", ariaLabel: t("stages.title") }, ...answer.stages.map(stageBlock)),
    ...(estimated ? [el("p", { className: "fact" }, `* ${t("card.estimate")}`)] : []),
  );
}
