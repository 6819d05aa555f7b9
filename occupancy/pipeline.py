"""The deal pipeline: prospects on their own streams ``prospect:<id>``.

A prospect is a company that is not a tenant yet, with a contact and a requirement (kind of
space, area or racks, the day it must be ready by, the rent it can pay). It moves through
:data:`STAGES` (enquiry → tour → proposal → hold → signed), forward only (a stage may be
skipped), or is lost with a reason. Each step is an event naming who took it; its effective
time is when. On signing, the prospect becomes the tenant of the same id.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from assets.events import DomainEvent
from assets.history import Reducer, State, local_day
from occupancy.errors import LeasingInvalid, LeasingNotFound, LeasingRefused

PROSPECT_PREFIX = "prospect:"
STAGES = ("enquiry", "tour", "proposal", "hold", "signed")
Stage = Literal["enquiry", "tour", "proposal", "hold", "signed"]
OPEN_STAGES = frozenset(STAGES[:-1])
PROSPECT_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


def prospect_stream(prospect_id: str) -> str:
    return f"{PROSPECT_PREFIX}{prospect_id}"


@dataclass(frozen=True)
class Requirement:
    """What a prospect asks for: ``area_m2`` of offices or ``racks`` racks, ready by a day,
    at a face rent of at most ``budget`` (元/㎡/天 for offices, 元 per rack per month)."""

    kind: Literal["office", "rack"]
    area_m2: float | None
    racks: int | None
    ready_by: date
    budget: float | None

    def to_data(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "area_m2": self.area_m2,
            "racks": self.racks,
            "ready_by": self.ready_by.isoformat(),
            "budget": self.budget,
        }


@dataclass(frozen=True)
class StageEntry:
    """A step of a prospect: the stage entered, when (ISO instant) and by whom."""

    stage: str
    at: datetime
    by: str
    note: str | None = None


@dataclass(frozen=True)
class Prospect:
    id: str
    company: str
    contact: Mapping[str, str | None]
    requirement: Requirement
    stage: str
    """One of :data:`STAGES`, or ``lost``."""
    history: tuple[StageEntry, ...]
    lost_reason: str | None
    hold: str | None
    lease: str | None
    provenance: str

    @property
    def enquired(self) -> datetime:
        return self.history[0].at


def prospect_of(state: State) -> Prospect | None:
    """The prospect a ``prospect:<id>`` state describes (None: not registered)."""
    if "prospect" not in state:
        return None
    req = state["requirement"]
    return Prospect(
        id=state["prospect"],
        company=state["company"],
        contact=dict(state["contact"]),
        requirement=Requirement(
            kind=req["kind"],
            area_m2=req.get("area_m2"),
            racks=req.get("racks"),
            ready_by=date.fromisoformat(req["ready_by"]),
            budget=req.get("budget"),
        ),
        stage=state["stage"],
        history=tuple(
            StageEntry(h["stage"], datetime.fromisoformat(h["at"]), h["by"], h.get("note"))
            for h in state["history"]
        ),
        lost_reason=state.get("lost_reason"),
        hold=state.get("hold"),
        lease=state.get("lease"),
        provenance=state.get("provenance", "recorded"),
    )


# -- decisions ---------------------------------------------------------------------------------


def register(
    state: State,
    tenant_state: State,
    prospect_id: str,
    company: str,
    contact: Mapping[str, str | None],
    requirement: Requirement,
    *,
    by: str,
    now: datetime,
    provenance: str = "recorded",
) -> list[DomainEvent]:
    """A new prospect at its enquiry. Its id is the tenant id it will take on signing."""
    if not PROSPECT_ID.match(prospect_id):
        raise LeasingInvalid("id", "use 1-64 lower-case letters, digits and hyphens")
    if requirement.kind == "office" and not requirement.area_m2:
        raise LeasingInvalid("requirement.area_m2", "an office requirement names its area")
    if requirement.kind == "rack" and not requirement.racks:
        raise LeasingInvalid("requirement.racks", "a rack requirement names how many racks")
    if "prospect" in state:
        raise LeasingRefused(f"prospect {prospect_id!r} is already registered")
    if "name" in tenant_state:
        raise LeasingRefused(f"{prospect_id!r} is already a tenant")
    data = {
        "prospect": prospect_id,
        "company": company,
        "contact": dict(contact),
        "requirement": requirement.to_data(),
        "by": by,
        "provenance": provenance,
    }
    return [DomainEvent(prospect_stream(prospect_id), "ProspectRegistered", now, data)]


def _open(prospect_id: str, found: Prospect | None) -> Prospect:
    if found is None:
        raise LeasingNotFound(f"no prospect {prospect_id!r}")
    if found.stage not in OPEN_STAGES:
        raise LeasingRefused(f"prospect {prospect_id} is {found.stage}: its deal is closed")
    return found


def advance(
    prospect_id: str,
    found: Prospect | None,
    stage: str,
    *,
    by: str,
    now: datetime,
    note: str | None = None,
    hold: str | None = None,
) -> list[DomainEvent]:
    """Move a prospect on to ``stage`` (tour, proposal or hold): forward only."""
    p = _open(prospect_id, found)
    if stage not in ("tour", "proposal", "hold"):
        raise LeasingInvalid("stage", "advance to tour, proposal or hold (sign to sign)")
    if STAGES.index(stage) <= STAGES.index(p.stage):
        raise LeasingRefused(f"prospect {prospect_id} is at {p.stage}: stages only move forward")
    data = {"stage": stage, "by": by, "note": note, "hold": hold}
    return [DomainEvent(prospect_stream(prospect_id), "ProspectAdvanced", now, data)]


def lose(
    prospect_id: str, found: Prospect | None, reason: str, *, by: str, now: datetime
) -> list[DomainEvent]:
    """Close a prospect's deal as lost, saying why."""
    _open(prospect_id, found)
    if not reason.strip():
        raise LeasingInvalid("reason", "say why the deal was lost")
    data = {"reason": reason.strip(), "by": by}
    return [DomainEvent(prospect_stream(prospect_id), "ProspectLost", now, data)]


def signed(
    prospect_id: str, found: Prospect | None, lease: str, *, by: str, now: datetime
) -> list[DomainEvent]:
    """The prospect signed ``lease``: it is a tenant now (of the same id)."""
    _open(prospect_id, found)
    data = {"lease": lease, "tenant": prospect_id, "by": by}
    return [DomainEvent(prospect_stream(prospect_id), "ProspectSigned", now, data)]


# -- reducers of ``prospect:<id>`` ---------------------------------------------------------------


def _step(state: State, stage: str, data: Mapping[str, Any], at: datetime) -> State:
    entry = {
        "stage": stage,
        "at": at.isoformat(),
        "by": data.get("by", ""),
        "note": data.get("note"),
    }
    return {**state, "stage": stage, "history": [*state.get("history", []), entry]}


def prospect_registered(state: State, data: Mapping[str, Any], at: datetime) -> State:
    base = {
        "prospect": data["prospect"],
        "company": data["company"],
        "contact": dict(data["contact"]),
        "requirement": dict(data["requirement"]),
        "provenance": data.get("provenance", "recorded"),
    }
    return _step(base, "enquiry", data, at)


def prospect_advanced(state: State, data: Mapping[str, Any], at: datetime) -> State:
    out = _step(state, data["stage"], data, at)
    return {**out, "hold": data["hold"]} if data.get("hold") else out


def prospect_lost(state: State, data: Mapping[str, Any], at: datetime) -> State:
    return {**_step(state, "lost", data, at), "lost_reason": data["reason"]}


def prospect_signed(state: State, data: Mapping[str, Any], at: datetime) -> State:
    return {**_step(state, "signed", data, at), "lease": data["lease"]}


REDUCERS: dict[str, Reducer] = {
    "ProspectRegistered": prospect_registered,
    "ProspectAdvanced": prospect_advanced,
    "ProspectLost": prospect_lost,
    "ProspectSigned": prospect_signed,
}


# -- the funnel ----------------------------------------------------------------------------------


def asked_area(p: Prospect) -> float:
    """The area a prospect asks for, m² (a rack requirement: 0; its racks are counted apart)."""
    return p.requirement.area_m2 or 0.0


@dataclass(frozen=True)
class FunnelStage:
    """Prospects of the period that reached ``stage`` (or went past it)."""

    stage: str
    reached: int
    area_m2: float
    racks: int
    now_at: int
    """Of them, how many are at this stage now."""
    conversion: float | None
    """reached / reached at the stage before (None for the first, or nothing before)."""
    median_days: float | None
    """Median days from entering this stage to entering the next one reached."""


@dataclass(frozen=True)
class Funnel:
    start: date
    end: date
    prospects: int
    lost: int
    lost_reasons: Mapping[str, int]
    stages: tuple[FunnelStage, ...]


def _rank(p: Prospect) -> int:
    """The furthest stage a prospect reached (index into :data:`STAGES`)."""
    return max(STAGES.index(h.stage) for h in p.history if h.stage in STAGES)


def _days_in(p: Prospect, stage: str) -> float | None:
    forward = [h for h in p.history if h.stage in STAGES]
    for here, after in itertools.pairwise(forward):
        if here.stage == stage:
            return (after.at - here.at).total_seconds() / 86400
    return None


def funnel(prospects: Iterable[Prospect], start: date, end: date) -> Funnel:
    """The funnel of the prospects whose enquiry came in ``[start, end]`` (campus days)."""
    cohort = [p for p in prospects if start <= date.fromisoformat(local_day(p.enquired)) <= end]
    lost = [p for p in cohort if p.stage == "lost"]
    reasons: dict[str, int] = {}
    for p in lost:
        reasons[p.lost_reason or ""] = reasons.get(p.lost_reason or "", 0) + 1
    stages = []
    before: int | None = None
    for k, stage in enumerate(STAGES):
        reached = [p for p in cohort if _rank(p) >= k]
        days = [d for p in reached if (d := _days_in(p, stage)) is not None]
        stages.append(
            FunnelStage(
                stage=stage,
                reached=len(reached),
                area_m2=sum(asked_area(p) for p in reached),
                racks=sum(p.requirement.racks or 0 for p in reached),
                now_at=sum(1 for p in reached if p.stage == stage),
                conversion=len(reached) / before if before else None,
                median_days=statistics.median(days) if days else None,
            )
        )
        before = len(reached)
    return Funnel(start, end, len(cohort), len(lost), reasons, tuple(stages))
