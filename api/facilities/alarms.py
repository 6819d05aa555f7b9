"""Alarms people act on: the list with filters, one alarm, and the operators' steps
(acknowledge, shelve, unshelve). The state is derived once from the alert stream
(:mod:`assets.facilities.alarms`); every answer reads it."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Query
from starlette.concurrency import run_in_threadpool
from starlette.convertors import PathConvertor, register_url_convertor

from api.auth import require
from api.facilities.alarm_schemas import AcknowledgeIn, AlarmList, AlarmOut, ShelveIn
from api.facilities.routes import services
from api.problems import problem_responses
from api.schemas import LocalisedName
from api.strict_query import api_router
from api.timeparam import answer_time, at_param
from assets.facilities import alarms as lifecycle
from assets.facilities.topology import Topology
from twin.auth import Principal
from twin.facilities import alarms
from twin.facilities.services import FacilityServices

router = api_router("/api/v1/facilities", ["facilities"])
STEPS = ("acknowledge", "shelve", "unshelve")


class AlarmIdConvertor(PathConvertor):
    """An alarm id in a path: it holds slashes (``hall-power:dc/hall-7@…``), but never ends in
    a step's name, so ``/alarms/{id}/acknowledge`` is the step's route alone (a GET there is
    a 405, not a search for an alarm called ``…/acknowledge``)."""

    regex = rf"(?!.*/(?:{'|'.join(STEPS)})$).+"


register_url_convertor("alarm_id", AlarmIdConvertor())
READ = problem_responses(401, 400, described={403: "Not the operations role"})
ONE = problem_responses(401, described={403: "Not the operations role", 404: "No such alarm"})
STEP = problem_responses(
    401,
    422,
    described={
        403: "Not the operations role",
        404: "No such alarm",
        409: "The alarm's state does not allow this step (cleared, already acknowledged, not "
        "shelved), or another operator's step came first",
    },
)
Many = Annotated[list[str] | None, Query(max_length=50)]
ALARM_ID = "A stable alarm id (see listFacilityAlarms), e.g. feed-down:feed-a@20261204T060000Z"
Operator = Depends(require("operations"))


def alarm_out(
    alarm: dict[str, Any], at: datetime, zone: tzinfo | None, topology: Topology
) -> AlarmOut:
    """One alarm as answered: its facility's names and building, its times in ``zone``, its
    age at ``at``."""

    def when(value: str | None) -> str | None:
        return answer_time(value, zone) if value else None

    steps = {}
    for name in ("acknowledged", "shelved"):
        step = alarm.get(name)
        if step:
            steps[name] = {**step, **{k: when(step.get(k)) for k in ("at", "until") if k in step}}
    facts = {k: v for k, v in alarm.items() if k in AlarmOut.model_fields and k not in steps}
    times = {k: when(alarm.get(k)) for k in ("raised_at", "escalated_at", "cleared_at")}
    node = topology.facilities.get(alarm["facility"])
    place = {
        "facility_name": LocalisedName(
            zh=node.name_zh if node else alarm["facility"],
            en=node.name_en if node else alarm["facility"],
        ),
        "building": node.building if node else None,
    }
    return AlarmOut(**(facts | times | steps | place), age_s=lifecycle.age_s(alarm, at))


@router.get(
    "/alarms",
    operation_id="listFacilityAlarms",
    summary="Alarms at any instant (active, acknowledged, shelved, cleared), filtered",
    response_model=AlarmList,
    responses=READ,
)
def list_alarms(
    state: Annotated[
        list[lifecycle.AlarmState] | None,
        Query(max_length=50, description="Only alarms in these states"),
    ] = None,
    severity: Annotated[
        list[lifecycle.Severity] | None,
        Query(max_length=50, description="Only alarms of these severities"),
    ] = None,
    facility: Annotated[
        Many, Query(description="Only alarms of these facilities (an unknown one: 404)")
    ] = None,
    at: datetime = Depends(at_param),
    _: Principal = Operator,
    svc: FacilityServices = Depends(services),
) -> AlarmList:
    """Every alarm raised by ``at`` in the state it had then, the newest raised first. An alarm
    is one occurrence of an alert (see listFacilityAlerts): raised by a rule, acknowledged,
    shelved until an instant, escalated while unacknowledged, cleared when its condition ends.
    Filters repeat (``state=active&state=shelved``); a state or severity not offered is a 422,
    an unknown facility a 404."""
    unknown = sorted(set(facility or ()) - set(svc.topology.facilities))
    if unknown:
        raise HTTPException(404, f"no facility {', '.join(map(repr, unknown))}")
    states: set[str] | None = set(state) if state else None
    severities: set[str] | None = set(severity) if severity else None
    facilities = set(facility) if facility else None
    found = alarms.listed(svc.state, at, states, severities, facilities)
    counts = {s: sum(a["state"] == s for a in found) for s in lifecycle.STATES}
    return AlarmList(
        at=answer_time(at, at.tzinfo),
        alarms=[alarm_out(a, at, at.tzinfo, svc.topology) for a in found],
        counts=counts,
    )


@router.get(
    "/alarms/{alarm_id:alarm_id}",
    operation_id="getFacilityAlarm",
    summary="One alarm, in the state it had at any instant",
    response_model=AlarmOut,
    responses=ONE,
)
def get_alarm(
    alarm_id: str,
    at: datetime = Depends(at_param),
    _: Principal = Operator,
    svc: FacilityServices = Depends(services),
) -> AlarmOut:
    """The alarm ``alarm_id`` with who acknowledged or shelved it, when, and why."""
    found = lifecycle.find(svc.fresh().alarms(at), alarm_id)
    return alarm_out(found, at, at.tzinfo, svc.topology)


async def _after(svc: FacilityServices, alarm_id: str, step: Any) -> AlarmOut:
    event = await run_in_threadpool(step)
    now = event.effective_at
    return alarm_out(lifecycle.find(svc.state.alarms(), alarm_id), now, None, svc.topology)


@router.post(
    "/alarms/{alarm_id:path}/acknowledge",
    operation_id="acknowledgeFacilityAlarm",
    summary="Acknowledge an alarm: someone has taken it on",
    response_model=AlarmOut,
    responses=STEP,
)
async def acknowledge(
    alarm_id: str,
    body: AcknowledgeIn,
    who: Principal = Operator,
    svc: FacilityServices = Depends(services),
) -> AlarmOut:
    """Records who acknowledged the alarm, when, and the comment; an acknowledged alarm no
    longer escalates. A cleared or already acknowledged alarm is refused (409)."""
    return await _after(
        svc, alarm_id, lambda: alarms.acknowledge(svc.state, alarm_id, who.name, body.comment)
    )


@router.post(
    "/alarms/{alarm_id:path}/shelve",
    operation_id="shelveFacilityAlarm",
    summary="Shelve an alarm until an instant (it unshelves by itself then)",
    response_model=AlarmOut,
    responses=STEP,
)
async def shelve(
    alarm_id: str,
    body: ShelveIn,
    who: Principal = Operator,
    svc: FacilityServices = Depends(services),
) -> AlarmOut:
    """Hides the alarm from the active list until ``until`` (at most 7 days ahead; a shelved
    alarm may be shelved again to a new time). A cleared alarm is refused (409), an ``until``
    not in the future or too far 422."""
    return await _after(
        svc,
        alarm_id,
        lambda: alarms.shelve(svc.state, alarm_id, who.name, body.until, body.comment),
    )


@router.post(
    "/alarms/{alarm_id:path}/unshelve",
    operation_id="unshelveFacilityAlarm",
    summary="Show a shelved alarm again",
    response_model=AlarmOut,
    responses=STEP,
)
async def unshelve(
    alarm_id: str, who: Principal = Operator, svc: FacilityServices = Depends(services)
) -> AlarmOut:
    """Ends the alarm's shelf now; an alarm that is not shelved is refused (409)."""
    return await _after(svc, alarm_id, lambda: alarms.unshelve(svc.state, alarm_id, who.name))
