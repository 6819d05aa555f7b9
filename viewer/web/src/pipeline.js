// Leasing mode with a leasing token: the deal pipeline as a list per stage (GET …/prospects).
// Choosing a prospect lights the spaces that fit it (…/prospects/{id}/matches, by its ready-by
// day) and lists its proposals (GET …/proposals: adjacent units that together fit the area it
// asks for); the chosen proposal's units are lit together in their own colour.
import { getJson, leasingToken } from "./api.js";
import { both, num, t } from "./i18n.js";
import { el } from "./panel.js";

export const STAGES = ["enquiry", "tour", "proposal", "hold", "signed", "lost"];
export const PROPOSAL_COLOR = "#c62828";
/** Proposals asked for a prospect: from its area up to this much more. */
export const AREA_STRETCH = 1.2;
const PROPOSALS_SHOWN = 5;

/** An empty choice: no prospect, nothing lit. */
export function noChoice() {
  return { prospect: null, matches: null, proposals: [], proposal: -1 };
}

/** The units of the chosen proposal (empty when none). */
export function proposalIds(choice) {
  return choice.proposals[choice.proposal]?.units.map((u) => u.id) || [];
}

export function proposalLegend() {
  return { ...both("pipeline.legend"), color: PROPOSAL_COLOR };
}

/** What a prospect asks for, in a line: area or racks, and the ready-by day. */
function asked(req) {
  const size = req.kind === "office" ? `${num(req.area_m2)} m²` : `${num(req.racks)} ${t("pipeline.racks")}`;
  return `${size} · ${t("pipeline.readyBy")} ${req.ready_by}`;
}

/** Fetch what lights a prospect: its matching spaces and its proposals (offices). */
async function lights(caps, at, p) {
  const found = await getJson(`${caps.prospects}/${p.id}/matches`, { auth: true, params: { at, limit: 500 } });
  const req = p.requirement;
  let proposals = [];
  if (req.kind === "office" && caps.proposals) {
    const params = {
      at,
      min_area_m2: req.area_m2,
      max_area_m2: Math.round(req.area_m2 * AREA_STRETCH),
      ready_by: req.ready_by,
      limit: PROPOSALS_SHOWN,
    };
    proposals = (await getJson(caps.proposals, { auth: true, params })).items;
  }
  return { prospect: p.id, matches: found.ready_by.ids, proposals, proposal: proposals.length ? 0 : -1 };
}

function proposalList(choice, onChoice) {
  const list = el("ol", { className: "proposal-list" });
  choice.proposals.forEach((p, i) => {
    const label = `${p.unit_count} ${t("pipeline.units")} · ${num(Math.round(p.area_m2))} m² · ${p.floors.map((f) => f.split("/").slice(-2).join(" ")).join(" + ")}`;
    const button = el("button", { type: "button", ariaPressed: String(i === choice.proposal) }, label);
    button.dataset.proposal = String(i + 1);
    button.onclick = () => onChoice({ ...choice, proposal: i });
    list.append(el("li", {}, button));
  });
  if (!choice.proposals.length) list.append(el("li", { className: "lead" }, t("pipeline.noProposal")));
  return list;
}

/**
 * The pipeline section: [] without a token or a prospects endpoint. `choice` is kept by the
 * caller between renders; `onChoice(choice)` stores it and repaints.
 */
export function pipelineBody({ caps, at, choice, onChoice }) {
  if (!caps.prospects || !leasingToken()) return [];
  const status = el("p", { className: "status", id: "pipeline-status" }, t("pipeline.loading"));
  const board = el("div", { className: "pipeline", id: "pipeline" });
  const choose = async (p) => {
    status.classList.remove("error");
    status.textContent = t("pipeline.loading");
    try {
      onChoice(await lights(caps, at, p));
    } catch (error) {
      status.textContent = error.message;
      status.classList.add("error");
    }
  };
  getJson(caps.prospects, { auth: true, params: { at } })
    .then(({ items }) => {
      status.textContent = `${num(items.length)} ${t("pipeline.prospects")}`;
      if (choice.prospect) status.textContent += ` · ${num(choice.matches?.length || 0)} ${t("pipeline.matching")}`;
      for (const stage of STAGES) {
        const here = items.filter((p) => p.stage === stage);
        const list = el("ul", { className: "stage-list" });
        for (const p of here) {
          const chosen = p.id === choice.prospect;
          const button = el(
            "button",
            { type: "button", ariaPressed: String(chosen) },
            el("span", { className: "name" }, p.company),
            el("span", { className: "stage" }, asked(p.requirement)),
          );
          button.dataset.prospect = p.id;
          button.onclick = () => (chosen ? onChoice(noChoice()) : choose(p));
          list.append(el("li", {}, button, chosen ? proposalList(choice, onChoice) : null));
        }
        board.append(el("section", { className: "column" }, el("h3", {}, `${t(`pipeline.${stage}`)} · ${here.length}`), list));
      }
    })
    .catch((error) => {
      status.textContent = error.status === 401 || error.status === 403 ? t("pipeline.noRole") : error.message;
      status.classList.add("error");
    });
  return [el("h2", {}, t("pipeline.title")), status, board];
}
