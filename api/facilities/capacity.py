"""The data centre's efficiency (PUE) and power capacity: live, over time, and where racks
fit. Figures from :mod:`twin.facilities.capacity`; both need a staff token (operations or
leasing: they are made of power readings, which the public does not see)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Annotated, Literal

from fastapi import Depends, HTTPException, Query
from starlette.concurrency import run_in_threadpool

from api.auth import require
from api.deps import TwinDep
from api.facilities.capacity_schemas import (
    CapacityList,
    CapacityOut,
    DataCentrePue,
    FitOut,
    HallFitOut,
    HallPue,
    Provenance,
    PueOut,
    PuePoint,
    PueSeries,
    RatioOut,
    RowFitOut,
)
from api.facilities.routes import Instant, instant
from api.problems import problem_responses
from api.strict_query import api_router
from api.timeparam import answer_time, at_param, request_zone
from assets.facilities.capacity import DESIGN_PROVENANCE, RACK_DESIGN_KW
from assets.facilities.efficiency import DESIGN_PUE, DESIGN_PUE_PROVENANCE, Efficiency, Ratio
from twin.auth import Principal
from twin.facilities import capacity as figures

router = api_router("/api/v1/facilities", ["facilities"])
STAFF = require("operations", "leasing")
REFUSALS = problem_responses(
    401,
    described={
        403: "Neither the operations nor the leasing role",
        422: "A bad parameter, naming it",
    },
)
STEP_PATTERN = r"^[1-9][0-9]{0,5}(s|min|h|d)$"
STEP_UNITS = {"s": 1, "min": 60, "h": 3600, "d": 86400}
DESIGN_PUE_OUT = Provenance(
    value=DESIGN_PUE,
    provenance=DESIGN_PUE_PROVENANCE,
    source="assets/facilities/kinds.py: the pue metric's alarm limit",
)


def _ratio(r: Ratio) -> RatioOut:
    return RatioOut(
        value=None if r.value is None else round(r.value, 4),
        total_kw=round(r.total_kw, 3),
        it_kw=round(r.it_kw, 3),
        readings=len(r.used),
        missing=list(r.missing),
    )


def _dc(e: Efficiency) -> DataCentrePue:
    halls = [HallPue(hall=h, partial_pue=_ratio(r)) for h, r in e.halls.items()]
    return DataCentrePue(data_centre=e.data_centre, pue=_ratio(e.pue), halls=halls)


def step_of(value: str) -> timedelta:
    """A ``step=`` value (``15min``, ``1h``, ``900s``, ``1d``) as a duration."""
    found = re.fullmatch(STEP_PATTERN, value)
    if found is None:  # the Query pattern refuses it first
        raise HTTPException(422, f"step={value!r} is not a duration like 15min, 1h or 900s")
    return timedelta(seconds=int(value[: found.start(1)]) * STEP_UNITS[found.group(1)])


@router.get(
    "/pue",
    operation_id="getPowerUsageEffectiveness",
    summary="PUE of the data centre, live and over time, with partial PUE per hall",
    response_model=PueOut,
    responses=REFUSALS,
)
async def pue(
    twin: TwinDep,
    at: datetime = Depends(at_param),
    start: Instant = None,
    end: Instant = None,
    step: Annotated[
        str,
        Query(
            pattern=STEP_PATTERN,
            description="Between the series' instants: 15min, 1h, 900s, 1d",
            examples=["1h"],
        ),
    ] = "1h",
    _: Principal = Depends(STAFF),
) -> PueOut:
    """PUE (the external feeds' load over the rack rows' load) at `at` from the latest
    readings by then, each hall's partial PUE (its PDUs' input over its rows' load) and the
    design target (schematic). With `start` or `end` (default: a day before `end`, and now),
    also the PUE every `step` over the range (at most 1000 instants). WUE is not computed:
    the catalogue has no water metric."""
    live = await run_in_threadpool(figures.efficiency_at, twin, at)
    out = PueOut(
        at=answer_time(at, at.tzinfo),
        design_pue=DESIGN_PUE_OUT,
        data_centres=[_dc(e) for e in live],
    )
    if start is None and end is None:
        return out
    until = instant(end, datetime.now(UTC))
    since = instant(start, until - timedelta(days=1), start_of_day=True)
    if since > until:
        raise HTTPException(422, f"start={start!r} is after end={end!r}")
    width = step_of(step)
    if int((until - since) / width) + 1 > figures.MAX_STEPS:
        raise HTTPException(
            422, f"step={step!r} gives more than {figures.MAX_STEPS} instants from start to end"
        )
    found = await run_in_threadpool(figures.efficiency_series, twin, since, until, width)
    zone = request_zone(end, start)
    series: dict[str, list[PuePoint]] = {}
    for when, effs in found:
        for e in effs:
            series.setdefault(e.data_centre, []).append(
                PuePoint(
                    at=answer_time(when, zone),
                    pue=None if e.pue.value is None else round(e.pue.value, 4),
                    total_kw=round(e.pue.total_kw, 3),
                    it_kw=round(e.pue.it_kw, 3),
                )
            )
    return out.model_copy(
        update={
            "start": answer_time(since, zone),
            "end": answer_time(until, zone),
            "step_s": width.total_seconds(),
            "series": [PueSeries(data_centre=k, points=v) for k, v in series.items()],
        }
    )


@router.get(
    "/capacity",
    operation_id="getPowerCapacity",
    summary="Power capacity per feed, UPS, hall and rack row, and where racks fit",
    response_model=CapacityList,
    responses=REFUSALS,
)
async def capacity(
    twin: TwinDep,
    at: datetime = Depends(at_param),
    kind: Annotated[
        Literal["power_feed", "substation", "ups", "pdu", "hall", "rack_row"] | None,
        Query(description="Only facilities of this kind"),
    ] = None,
    racks: Annotated[
        int | None,
        Query(ge=1, le=100_000, description="Where do this many racks fit? (per hall)"),
    ] = None,
    kw_per_rack: Annotated[
        float | None,
        Query(ge=0.1, le=200, description="Power of each rack asked for, kW (default: design)"),
    ] = None,
    redundancy: Annotated[
        Literal["2N", "N"] | None,
        Query(description="Only rows with this power redundancy now (default: any)"),
    ] = None,
    _: Principal = Depends(STAFF),
) -> CapacityList:
    """Design, allocated (racks taken by leases and holds at the rack design power), drawn
    (latest reading) and headroom (design − max(allocated, drawn)), in kW, of every external
    feed, substation, UPS, PDU, hall and rack row at `at`. With `racks`, each hall's room for
    that many racks of `kw_per_rack` at `redundancy`: per row, the racks the leasing search
    finds free, as far as its headroom takes them (the rule the leasing search applies to
    `kw_per_rack` too). Design figures are schematic (see `rack_design_kw`, `design_pue`)."""
    if racks is None and (kw_per_rack is not None or redundancy is not None):
        asked = "kw_per_rack" if kw_per_rack is not None else "redundancy"
        raise HTTPException(422, f"{asked} needs racks= (how many racks to fit)")
    kw = kw_per_rack or RACK_DESIGN_KW
    if racks is None:
        found, answer = await run_in_threadpool(figures.capacity_at, twin, at), None
    else:
        found, answer = await run_in_threadpool(figures.fit_at, twin, at, racks, kw, redundancy)
    out = [
        CapacityOut(
            facility=c.facility,
            kind=c.kind,
            parent=c.parent,
            space=c.space,
            floor=c.floor,
            level=c.level,
            racks=c.racks,
            racks_allocated=c.racks_allocated,
            design_kw=round(c.design_kw, 3),
            allocated_kw=round(c.allocated_kw, 3),
            drawn_kw=None if c.drawn_kw is None else round(c.drawn_kw, 3),
            headroom_kw=round(c.headroom_kw, 3),
            load_share=None if c.load_share is None else round(c.load_share, 4),
        )
        for c in found
        if kind is None or c.kind == kind
    ]
    fit = None
    if answer is not None:
        halls = [
            HallFitOut(
                hall=h.hall,
                space=h.space,
                level=h.level,
                placeable=h.placeable,
                fits=h.fits,
                rows=[RowFitOut(**vars(r)) for r in h.rows],
            )
            for h in answer.halls
        ]
        fit = FitOut(
            racks=answer.racks,
            kw_per_rack=answer.kw_per_rack,
            redundancy=answer.level,
            total_kw=answer.racks * answer.kw_per_rack,
            fits=[h.hall for h in answer.halls if h.fits],
            halls=halls,
        )
    return CapacityList(
        at=answer_time(at, at.tzinfo),
        rack_design_kw=Provenance(
            value=RACK_DESIGN_KW,
            provenance=DESIGN_PROVENANCE,
            source="assets/facilities/capacity.py: 25 racks × 8 kW per rack row",
        ),
        design_pue=DESIGN_PUE_OUT,
        facilities=out,
        fit=fit,
    )
