"""The deal pipeline (role ``leasing``): prospects from enquiry to signature, the spaces that
fit them, and the funnel."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import Depends, Path, Query, Response
from fastapi.responses import JSONResponse
from pydantic import AwareDatetime, BaseModel, Field, model_validator

from api.deps import TwinDep
from api.leasing.convert import confirmed, json_of, terms_in
from api.leasing.economics import Staff, problems
from api.leasing.schemas import Category, LocalisedNameIn, TermsIn, _In
from api.pictures import PictureFormat, picture, picture_responses
from api.schemas import IsoDate
from api.strict_query import api_router
from api.timeparam import DAY_ONLY_PATTERN, answer_time, at_param
from assets.text import SafeId, SafeName, SafeNote
from occupancy.availability import Availability
from occupancy.ledger import Terms
from occupancy.pipeline import STAGES, Funnel, Prospect, Requirement, funnel
from twin.leasing import pipeline
from viewer.leasing_charts import funnel_chart

router = api_router("/api/v1/leasing", ["leasing pipeline"])
ProspectId = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$", examples=["example-ai-co"])]
PREFIX = "/api/v1/leasing/prospects"


class ContactIn(_In):
    name: SafeName
    email: SafeId | None = Field(None, pattern=r"^[^@\s]+@[^@\s]+$", examples=["li@example.com"])
    phone: SafeId | None = Field(None, pattern=r"^\+?[0-9 ()-]{5,30}$")


class RequirementIn(_In):
    """Offices: `area_m2`; racks: `racks`. `budget` is the face rent it can pay (元/㎡/天 for
    offices, 元 per rack per month for racks)."""

    kind: Literal["office", "rack"]
    area_m2: float | None = Field(None, gt=0, le=500_000, examples=[600])
    racks: int | None = Field(None, ge=1, le=100_000)
    ready_by: IsoDate = Field(examples=["2026-06-01"])
    budget: float | None = Field(None, gt=0, le=100_000, examples=[3.2])

    @model_validator(mode="after")
    def _sized(self) -> RequirementIn:
        if self.kind == "office" and self.area_m2 is None:
            raise ValueError("area_m2: an office requirement names its area")
        if self.kind == "rack" and self.racks is None:
            raise ValueError("racks: a rack requirement names how many racks")
        return self


class ProspectIn(_In):
    id: str = Field(
        pattern=r"^[a-z0-9][a-z0-9-]{0,63}$",
        description="Also the tenant id it takes on signing",
        examples=["example-ai-co"],
    )
    company: SafeName = Field(examples=["Example AI Co. (sample)"])
    contact: ContactIn
    requirement: RequirementIn


class AdvanceIn(_In):
    stage: Literal["tour", "proposal", "hold"]
    note: SafeNote | None = None
    hold: SafeId | None = Field(None, description="The hold placed for it (stage hold)")


class LoseIn(_In):
    reason: SafeNote = Field(min_length=1, examples=["chose another park"])


class ProspectSignIn(_In):
    """Sign: the prospect becomes the tenant of its id, on its hold or on spaces and dates."""

    name: LocalisedNameIn
    category: Category
    head_enterprise: bool = False
    public: bool = False
    hold: SafeId | None = None
    spaces: list[SafeId] | None = Field(None, min_length=1, max_length=500)
    start: IsoDate | None = None
    end: IsoDate | None = None
    pre_lease: bool = False
    terms: TermsIn | None = Field(None, description="Required unless the hold carries a proposal")

    @model_validator(mode="after")
    def _hold_or_spaces(self) -> ProspectSignIn:
        direct = (self.spaces, self.start, self.end)
        if self.hold is None and any(v is None for v in direct):
            raise ValueError("spaces, start, end: required without a hold")
        if self.hold is not None and any(v is not None for v in direct):
            raise ValueError("spaces, start, end: come from the hold; leave them out")
        return self


class StepOut(BaseModel):
    stage: str
    at: AwareDatetime
    by: str = Field(description="Who took the step")
    note: str | None


class ProspectOut(BaseModel):
    id: str
    company: str
    contact: dict[str, str | None]
    requirement: dict[str, object]
    stage: str = Field(description=f"{', '.join(STAGES)} or lost")
    history: list[StepOut]
    lost_reason: str | None
    hold: str | None
    lease: str | None
    provenance: str


class ProspectList(BaseModel):
    at: str
    total: int
    items: list[ProspectOut]


def _out(p: Prospect) -> ProspectOut:
    return ProspectOut(
        id=p.id,
        company=p.company,
        contact=dict(p.contact),
        requirement=p.requirement.to_data(),
        stage=p.stage,
        history=[StepOut(stage=h.stage, at=h.at, by=h.by, note=h.note) for h in p.history],
        lost_reason=p.lost_reason,
        hold=p.hold,
        lease=p.lease,
        provenance=p.provenance,
    )


def _now_of(twin: TwinDep, prospect_id: str) -> ProspectOut:
    return _out(pipeline.prospect(twin, prospect_id, datetime.now().astimezone()))


@router.post(
    "/prospects",
    status_code=201,
    operation_id="registerProspect",
    summary="Record a prospect's enquiry",
    response_model=ProspectOut,
    responses=problems(401, 403, 409, 422),
)
def register_prospect(body: ProspectIn, who: Staff, twin: TwinDep) -> JSONResponse:
    """A company that is not a tenant yet, with its contact and requirement, at `enquiry`."""
    r = body.requirement
    requirement = Requirement(r.kind, r.area_m2, r.racks, r.ready_by, r.budget)
    pipeline.register(
        twin, body.id, body.company, body.contact.model_dump(), requirement, actor=who.actor
    )
    return json_of(_now_of(twin, body.id), 201, {"Location": f"{PREFIX}/{body.id}"})


@router.get(
    "/prospects",
    operation_id="listProspects",
    summary="Prospects and their stage at any time",
    responses=problems(401, 403, 422),
)
def list_prospects(
    who: Staff,
    twin: TwinDep,
    stage: Annotated[
        Literal["enquiry", "tour", "proposal", "hold", "signed", "lost"] | None,
        Query(description="Only those at this stage"),
    ] = None,
    at: datetime = Depends(at_param),
) -> ProspectList:
    """Every prospect recorded by `at`, oldest enquiry first: the board's columns by stage."""
    items = [_out(p) for p in pipeline.prospects_at(twin, at) if stage in (None, p.stage)]
    return ProspectList(at=answer_time(at, at.tzinfo), total=len(items), items=items)


@router.get(
    "/prospects/{prospect_id}",
    operation_id="getProspect",
    summary="One prospect, with every step",
    responses=problems(401, 403, 404),
)
def get_prospect(
    prospect_id: ProspectId, who: Staff, twin: TwinDep, at: datetime = Depends(at_param)
) -> ProspectOut:
    """A prospect as it stood at `at`: contact, requirement, stage and every step (who, when)."""
    return _out(pipeline.prospect(twin, prospect_id, at))


@router.post(
    "/prospects/{prospect_id}/advance",
    operation_id="advanceProspect",
    summary="Move a prospect on: tour, proposal or hold",
    responses=problems(401, 403, 404, 409, 422),
)
def advance_prospect(
    prospect_id: ProspectId, body: AdvanceIn, who: Staff, twin: TwinDep
) -> ProspectOut:
    """Forward only (a stage may be skipped); 409 for a closed deal or a step back."""
    pipeline.advance(twin, prospect_id, body.stage, actor=who.actor, note=body.note, hold=body.hold)
    return _now_of(twin, prospect_id)


@router.post(
    "/prospects/{prospect_id}/lose",
    operation_id="loseProspect",
    summary="Close a prospect's deal as lost, with the reason",
    responses=problems(401, 403, 404, 409, 422),
)
def lose_prospect(prospect_id: ProspectId, body: LoseIn, who: Staff, twin: TwinDep) -> ProspectOut:
    """The deal closes as `lost`, with its reason (counted in the funnel). 409 if closed."""
    pipeline.lose(twin, prospect_id, body.reason, actor=who.actor)
    return _now_of(twin, prospect_id)


@router.post(
    "/prospects/{prospect_id}/sign",
    status_code=201,
    operation_id="signProspect",
    summary="Sign: the prospect becomes a tenant and its lease is signed",
    response_model=ProspectOut,
    responses=problems(401, 403, 404, 409, 422),
)
def sign_prospect(
    prospect_id: ProspectId, body: ProspectSignIn, who: Staff, twin: TwinDep
) -> JSONResponse:
    """In one transaction: the tenant of the prospect's id is registered, the lease signed (on
    the hold, or on `spaces`, `start`, `end`), and the deal closes as signed."""
    terms = None
    if body.hold is None:
        assert body.spaces and body.start and body.end
        terms = Terms(tuple(body.spaces), prospect_id, body.start, body.end)
    lease_id = pipeline.sign(
        twin,
        prospect_id,
        name=(body.name.zh, body.name.en),
        category=body.category,
        head_enterprise=body.head_enterprise,
        public=body.public,
        hold_id=body.hold,
        terms=terms,
        money=terms_in(body.terms),
        pre_lease=body.pre_lease,
        actor=who.actor,
        confirmed=confirmed(body.terms),
    )
    headers = {"Location": f"/api/v1/leasing/leases/{lease_id}"}
    return json_of(_now_of(twin, prospect_id), 201, headers)


class MatchSet(BaseModel):
    on: date | None = Field(description="The day asked for (null: the day of `at`)")
    spaces: int
    area_m2: float
    blocks: int = Field(description="Contiguous blocks (offices) or halls (racks) among them")
    ids: list[str] = Field(description="The first `limit` spaces, largest block first")


class MatchesOut(BaseModel):
    at: str
    prospect: str
    now: MatchSet = Field(description="Free and ready at `at`")
    ready_by: MatchSet = Field(description="Free and ready (or planned to be) by its ready-by day")


def _set(found: Availability, on: date | None, limit: int) -> MatchSet:
    return MatchSet(
        on=on,
        spaces=len(found.matches),
        area_m2=round(found.total_area_m2, 2),
        blocks=found.blocks,
        ids=[m.space.id for m in found.matches[:limit]],
    )


@router.get(
    "/prospects/{prospect_id}/matches",
    operation_id="getProspectMatches",
    summary="Spaces that fit a prospect, now and by its ready-by day",
    responses=problems(401, 403, 404, 422),
)
def prospect_matches(
    prospect_id: ProspectId,
    who: Staff,
    twin: TwinDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    at: datetime = Depends(at_param),
) -> MatchesOut:
    """The availability search for its requirement: offices in a contiguous block of at least
    the area asked, racks in a hall with at least the racks asked."""
    p = pipeline.prospect(twin, prospect_id, at)
    now, ready = pipeline.matches(twin, p, at)
    return MatchesOut(
        at=answer_time(at, at.tzinfo),
        prospect=p.id,
        now=_set(now, None, limit),
        ready_by=_set(ready, p.requirement.ready_by, limit),
    )


class FunnelStageOut(BaseModel):
    stage: str
    reached: int = Field(description="Prospects that reached this stage or went past it")
    area_m2: float = Field(description="The office area they asked for, m²")
    racks: int = Field(description="The racks they asked for")
    now_at: int = Field(description="Of them, at this stage at `at`")
    conversion: float | None = Field(description="reached / reached at the stage before")
    median_days: float | None = Field(description="Median days from this stage to the next")


class FunnelOut(BaseModel):
    at: str
    start: date = Field(alias="from", serialization_alias="from")
    end: date = Field(alias="to", serialization_alias="to")
    prospects: int
    lost: int
    lost_reasons: dict[str, int]
    stages: list[FunnelStageOut]


FromDay = Annotated[
    str | None, Query(alias="from", pattern=DAY_ONLY_PATTERN, description="First enquiry day")
]
ToDay = Annotated[
    str | None, Query(alias="to", pattern=DAY_ONLY_PATTERN, description="Last enquiry day")
]


def _funnel(twin: TwinDep, at: datetime, start: str | None, end: str | None) -> Funnel:
    first = date.fromisoformat(start) if start else date(2019, 1, 1)
    last = date.fromisoformat(end) if end else date(2100, 12, 31)
    first, last = sorted((first, last))
    return funnel(pipeline.prospects_at(twin, at), first, last)


@router.get(
    "/pipeline/funnel",
    operation_id="getPipelineFunnel",
    summary="Funnel: count and area per stage, conversion, median days",
    response_model=FunnelOut,
    responses=problems(401, 403, 422),
)
def get_funnel(
    who: Staff,
    twin: TwinDep,
    start: FromDay = None,
    end: ToDay = None,
    at: datetime = Depends(at_param),
) -> JSONResponse:
    """Prospects whose enquiry came in `[from, to]` (campus days; default all), as they stood
    at `at`."""
    f = _funnel(twin, at, start, end)
    out = FunnelOut.model_validate(
        {
            "at": answer_time(at, at.tzinfo),
            "from": f.start,
            "to": f.end,
            "prospects": f.prospects,
            "lost": f.lost,
            "lost_reasons": dict(f.lost_reasons),
            "stages": [
                FunnelStageOut(
                    stage=s.stage,
                    reached=s.reached,
                    area_m2=round(s.area_m2, 2),
                    racks=s.racks,
                    now_at=s.now_at,
                    conversion=None if s.conversion is None else round(s.conversion, 4),
                    median_days=None if s.median_days is None else round(s.median_days, 2),
                )
                for s in f.stages
            ],
        }
    )
    return JSONResponse(out.model_dump(mode="json", by_alias=True))  # `from`, `to`


@router.get(
    "/pipeline/funnel.{fmt}",
    operation_id="getPipelineFunnelChart",
    summary="The funnel as a chart (PNG or SVG)",
    response_class=Response,
    responses={**picture_responses("The chart"), **problems(401, 403, 422)},
)
def funnel_picture(
    who: Staff,
    twin: TwinDep,
    fmt: PictureFormat,
    start: FromDay = None,
    end: ToDay = None,
    at: datetime = Depends(at_param),
) -> Response:
    """Bars of prospects reaching each stage, with area, conversion and median days."""
    return picture(funnel_chart(_funnel(twin, at, start, end), fmt), fmt, "no-cache")
