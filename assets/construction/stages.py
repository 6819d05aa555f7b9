"""Construction stages: their order, names, the rules that chain them, and a typed view of a
stage as the history records it.

A building passes through ``design`` → ``foundation`` → ``structure`` (its completion is
topping out, 结构封顶) → ``envelope_mep`` → ``acceptance`` (竣工验收) → ``fit_out`` (装修) →
``in_use`` (投用). A facility work package (a power feed, the data centre's equipment) passes
through the subset :data:`WORKS_STAGES`. Dates are campus-local calendar dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

State = dict[str, Any]

STAGES = ("design", "foundation", "structure", "envelope_mep", "acceptance", "fit_out", "in_use")
"""Building stages in order; completing ``structure`` is topping out (结构封顶)."""
WORKS_STAGES = ("design", "envelope_mep", "acceptance", "in_use")
"""Stages of a facility work package: design, installation, acceptance, in service."""
STAGE_NAMES = {
    "design": ("设计", "Design"),
    "foundation": ("基础", "Foundation"),
    "structure": ("主体结构", "Structure"),
    "envelope_mep": ("幕墙与机电", "Envelope and MEP"),
    "acceptance": ("竣工验收", "Completion acceptance"),
    "fit_out": ("装修", "Fit-out"),
    "in_use": ("投用", "In use"),
}
"""Stage id -> (Chinese, English) name, for buildings."""
WORKS_STAGE_NAMES = {
    **STAGE_NAMES,
    "envelope_mep": ("安装", "Installation"),
    "in_use": ("投运", "In service"),
}
"""Stage id -> (Chinese, English) name, for facility work packages."""

Need = Literal["started", "completed"]


@dataclass(frozen=True)
class Requirement:
    """Before a stage may start, ``stage`` must have ``need``-ed; ``rule`` names the rule."""

    stage: str
    need: Need
    rule: str


def start_requirements(stage: str, order: tuple[str, ...], known: set[str]) -> list[Requirement]:
    """What must have happened before ``stage`` may start.

    Parameters
    ----------
    stage : str
        The stage to start.
    order : tuple of str
        The entity's stages in order (:data:`STAGES` or :data:`WORKS_STAGES`).
    known : set of str
        Stages the entity's history mentions (planned or begun); earlier stages it never
        mentions do not apply to it (the service centre has no recorded design stage).

    Notes
    -----
    Completion acceptance needs topping out (``structure`` completed, always for a building)
    and every earlier stage completed; fit-out needs topping out; use needs acceptance.
    Other stages may overlap their predecessor but not start before it (start to start).
    """
    index = order.index(stage)
    earlier = [s for s in order[:index] if s in known or s == "structure"]
    if stage == "acceptance":
        out = [Requirement("structure", "completed", "acceptance-after-topping-out")]
        out += [
            Requirement(s, "completed", "acceptance-after-works")
            for s in earlier
            if s != "structure"
        ]
        return [r for r in out if r.stage in order]
    if stage == "fit_out":
        return [Requirement("structure", "completed", "fit-out-after-topping-out")]
    if stage == "in_use":
        return [Requirement("acceptance", "completed", "use-after-acceptance")]
    previous = [s for s in earlier if s in known]
    return [Requirement(previous[-1], "started", "stage-order")] if previous else []


def complete_requirements(stage: str, order: tuple[str, ...], known: set[str]) -> list[Requirement]:
    """What must have completed before ``stage`` may complete: its predecessor (finish to
    finish), plus the start requirements that ask for a completion."""
    out = [r for r in start_requirements(stage, order, known) if r.need == "completed"]
    if stage in ("design", "foundation", "structure", "envelope_mep"):
        previous = [s for s in order[: order.index(stage)] if s in known]
        if previous:
            out.append(Requirement(previous[-1], "completed", "stage-order"))
    elif stage == "in_use" and "fit_out" in known and "fit_out" in order:
        out.append(Requirement("fit_out", "completed", "stage-order"))
    return out


LinkKind = Literal["FS", "SS", "FF"]


@dataclass(frozen=True)
class PlanLink:
    """In a stage plan, ``stage`` precedes the one holding this link: ``kind`` finish to start
    (``FS``), start to start (``SS``) or finish to finish (``FF``); ``rule`` names the rule."""

    stage: str
    kind: LinkKind
    rule: str


def plan_links(stage: str, order: tuple[str, ...], known: set[str]) -> list[PlanLink]:
    """The stages ``stage`` waits for in a plan: the links of the schedule network.

    The rules that allow a start (:func:`start_requirements`: ``completed`` is finish to
    start, ``started`` start to start) and a completion (:func:`complete_requirements`:
    finish to finish), and one rule of planning alone: fit-out is planned after completion
    acceptance (``fit-out-after-acceptance``; work may still start once topped out). Only
    stages the history mentions (``known``) are linked.
    """
    out: list[PlanLink] = []
    for req in start_requirements(stage, order, known):
        out.append(PlanLink(req.stage, "FS" if req.need == "completed" else "SS", req.rule))
    if stage == "fit_out" and "acceptance" in order:
        out.append(PlanLink("acceptance", "FS", "fit-out-after-acceptance"))
    out += [PlanLink(r.stage, "FF", r.rule) for r in complete_requirements(stage, order, known)]
    seen: set[tuple[str, str]] = set()
    unique = []
    for link in out:
        implied = link.kind == "FF" and (link.stage, "FS") in seen  # FS implies FF
        if link.stage in known and (link.stage, link.kind) not in seen and not implied:
            seen.add((link.stage, link.kind))
            unique.append(link)
    return unique


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


@dataclass(frozen=True)
class StageRecord:
    """One stage of one building or work package as the history records it (dates local)."""

    stage: str
    planned_start: date | None = None
    planned_end: date | None = None
    baseline_start: date | None = None
    baseline_end: date | None = None
    actual_start: date | None = None
    actual_end: date | None = None
    percent: float = 0.0
    """Percent complete, 0-100."""
    progress_on: date | None = None
    """Date of the latest percent (a report, the start or the completion)."""

    @property
    def known(self) -> bool:
        return self.planned_start is not None or self.actual_start is not None

    @property
    def started(self) -> bool:
        return self.actual_start is not None

    @property
    def completed(self) -> bool:
        return self.actual_end is not None

    @property
    def planned_days(self) -> int | None:
        """Planned duration, days (end minus start)."""
        if self.planned_start is None or self.planned_end is None:
            return None
        return (self.planned_end - self.planned_start).days


def stage_record(state: State, stage: str) -> StageRecord:
    """The typed view of ``stage`` in a stream's state (empty when never mentioned)."""
    s = state.get("stages", {}).get(stage, {})
    planned_start, planned_end = _day(s.get("planned_start")), _day(s.get("planned_end"))
    return StageRecord(
        stage=stage,
        planned_start=planned_start,
        planned_end=planned_end,
        baseline_start=_day(s.get("baseline_start")) or planned_start,
        baseline_end=_day(s.get("baseline_end")) or planned_end,
        actual_start=_day(s.get("actual_start")),
        actual_end=_day(s.get("actual_end")),
        percent=float(s.get("percent", 0)),
        progress_on=_day(s.get("progress_on")) or _day(s.get("actual_start")),
    )


def known_stages(state: State) -> set[str]:
    """Stages the history of a stream mentions (planned or begun)."""
    return {k for k, v in state.get("stages", {}).items() if v}


def current_stage(state: State) -> tuple[str, str]:
    """A building's latest stage begun and whether it is ``planned``, ``in_progress`` or
    ``completed``; ``("design", "planned")`` before anything has started."""
    stages = state.get("stages", {})
    for stage in reversed(STAGES):
        s = stages.get(stage, {})
        if "actual_end" in s:
            return stage, "completed"
        if "actual_start" in s:
            return stage, "in_progress"
    return "design", "planned"
