"""How far each building stands at an instant: the viewer's ghosts and 4D construction playback.

A thin reading of the construction view (:mod:`twin.construction`): a building where nothing
after design has begun is drawn as a ghost of its planned volume; from its foundation on, it
rises storey by storey with its structure (the construction colourer's ``built_share``); its
percent complete weighs the work stages by their days (:func:`work_done`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from assets.construction.forecast import StageSchedule, current_percent
from assets.construction.stages import STAGES
from twin.construction import view
from twin.construction.colours import built_share
from twin.runtime import Twin

WORK_STAGES = ("foundation", "structure", "envelope_mep", "acceptance", "fit_out")
"""Stages that are construction work (design is before it, use after it)."""
UNKNOWN_STAGE_DAYS = 180.0
"""Weight of a work stage still to come that no plan mentions yet, days."""
UNFINISHED_CAP = 0.95
"""A running stage counts at most this share done by schedule, however late it is."""


@dataclass(frozen=True)
class BuildingProgress:
    """One building's construction at an instant.

    Attributes
    ----------
    stage, status : the latest stage begun and ``planned``, ``in_progress`` or ``completed``.
    percent : construction done, 0..100: foundation to fit-out, each stage weighted by its
        planned days, counted as reported, else as the elapsed share of its plan (see
        :func:`work_done`).
    begun : whether work after design has started (if not, the building is a ghost).
    rise : share of the storeys standing, 0..1.
    late : any open stage behind plan.
    ready : when the building entered use, else the planned start of use, ISO date, if known.
    """

    stage: str
    status: str
    percent: float
    begun: bool
    rise: float
    late: bool
    ready: str | None


def buildings_progress(twin: Twin, at: datetime) -> dict[str, BuildingProgress]:
    """The progress of every building of the campus at ``at`` (work packages left out)."""
    v = view(twin, at)
    out = {}
    for entity in v.entities:
        if entity.kind == "building":
            out[entity.id] = _progress(v.schedules[entity.id], v.today, entity.stages)
    return out


def _progress(
    schedules: list[StageSchedule], today: date, stages: tuple[str, ...]
) -> BuildingProgress:
    stage, status, _ = current_percent(schedules)
    begun = any(s.status != "planned" and s.stage != "design" for s in schedules)
    return BuildingProgress(
        stage=stage,
        status=status,
        percent=round(100 * work_done(schedules, today, stages), 1),
        begun=begun,
        rise=round(built_share(schedules, today), 3) if begun else 0.0,
        late=any(s.late for s in schedules),
        ready=_ready(schedules),
    )


def work_done(
    schedules: list[StageSchedule], today: date, stages: tuple[str, ...] = WORK_STAGES
) -> float:
    """Share of the construction work done on ``today``, 0..1.

    Each work stage of ``stages`` weighs its planned days, else the days it took (or has taken
    so far); one the history does not mention yet weighs :data:`UNKNOWN_STAGE_DAYS` if it comes
    after the latest stage begun (earlier ones were skipped). A completed stage is done, a
    running one counts its reported percent, else the elapsed share of its plan (at most
    :data:`UNFINISHED_CAP`; half without a plan), one not begun nothing.
    """
    known = {s.stage: s for s in schedules if s.stage in WORK_STAGES}
    begun = [STAGES.index(s.stage) for s in schedules if s.record.actual_start is not None]
    latest = max(begun, default=-1)
    total = done = 0.0
    for stage in stages:
        if stage not in WORK_STAGES:
            continue
        if stage in known:
            weight = float(max(_stage_days(known[stage], today), 1))
            total, done = total + weight, done + weight * _share(known[stage], today)
        elif STAGES.index(stage) > latest:
            total += UNKNOWN_STAGE_DAYS
    return done / total if total else 0.0


def _share(s: StageSchedule, today: date) -> float:
    r = s.record
    if r.completed:
        return 1.0
    if r.actual_start is None:
        return 0.0
    if r.percent > 0:
        return r.percent / 100
    if r.planned_days:
        return min(max((today - r.actual_start).days / r.planned_days, 0.0), UNFINISHED_CAP)
    return 0.5


def _stage_days(s: StageSchedule, today: date) -> int:
    """A stage's length for weighting: as planned, else as it went (or has gone so far)."""
    r = s.record
    if r.planned_days:
        return r.planned_days
    if r.actual_start is not None:
        return ((r.actual_end or today) - r.actual_start).days
    return 0


def _ready(schedules: list[StageSchedule]) -> str | None:
    """Start of use: actual, else as planned (ISO date)."""
    use = next((s for s in schedules if s.stage == "in_use"), None)
    if use is None:
        return None
    day = use.record.actual_start or use.record.planned_start
    return day.isoformat() if day else None
