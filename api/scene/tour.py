"""The visitors' guided tour (``tour.json`` of the dataset, validated when the app starts)
and the published facts its steps cite, as a visitor's source link opens them."""

from __future__ import annotations

from fastapi import HTTPException, Request
from pydantic import BaseModel, Field

from api.deps import TwinDep
from api.problems import problem_responses
from api.scene.models import Citation
from api.schemas import LocalisedName
from api.strict_query import api_router
from viewer.sources import as_of, source_of, visitor_text
from viewer.tour import Tour, public_steps

router = api_router("/api/v1", ["viewer"])


class TourStepOut(BaseModel):
    number: int = Field(ge=1, description="Position in the tour, from 1 (the viewer's ?tour=)")
    id: str = Field(examples=["fish-head"])
    feature: str = Field(description="Scene feature the camera flies to")
    fill: float = Field(description="Share of the view the feature fills, 0-1")
    at: str | None = Field(default=None, description="Day the time slider moves to (history)")
    title: LocalisedName
    text: LocalisedName
    sources: list[Citation]


class TourOut(BaseModel):
    steps: list[TourStepOut]


class FactOut(BaseModel):
    id: str
    en: str = Field(description="The fact as recorded (English)")
    zh: str = Field(description="The original wording (Chinese), if any")
    source: str
    date: str | None = None
    as_of: LocalisedName | None = Field(default=None, description="When it was true")
    visitor: LocalisedName = Field(description="Dated, relative years made absolute")


def _tour(request: Request) -> Tour:
    tour: Tour = request.app.state.tour
    return tour


@router.get("/tour", operation_id="getTour", summary="The visitors' guided tour")
def tour(request: Request, twin: TwinDep) -> TourOut:
    """The tour's steps in order: the feature each flies to, an optional day for the time
    slider, title and text (zh, en) and the sources of the facts told. Steps whose feature or
    facts the campus lacks (a synthetic campus) are left out."""
    return TourOut.model_validate({"steps": public_steps(_tour(request), twin.campus)})


@router.get(
    "/tour/{step}",
    operation_id="getTourStep",
    summary="One step of the tour, by number (from 1) or id",
    responses=problem_responses(described={404: "No such step"}),
)
def tour_step(step: str, request: Request, twin: TwinDep) -> TourStepOut:
    """Step ``step`` of the tour: its number (``3``) or its id (``fish-head``)."""
    steps = public_steps(_tour(request), twin.campus)
    found = next((s for s in steps if step in (str(s["number"]), s["id"])), None)
    if found is None:
        ids = ", ".join(s["id"] for s in steps)
        raise HTTPException(
            404, f"no tour step {step!r}: the tour has steps 1-{len(steps)} ({ids})"
        )
    return TourStepOut.model_validate(found)


@router.get(
    "/facts/{fact_id}",
    operation_id="getFact",
    summary="A published fact, its source and date",
    responses=problem_responses(described={404: "No such fact"}),
)
def fact(fact_id: str, twin: TwinDep) -> FactOut:
    """Fact ``fact_id`` (such as ``F5``) as recorded, with its original wording, its source's
    name and date, and the dated text a visitor reads."""
    found = twin.campus.facts.get(fact_id)
    if found is None:
        raise HTTPException(404, f"no fact {fact_id!r} in the campus")
    source = source_of(found)
    return FactOut(
        id=found.id,
        en=found.en,
        zh=found.zh,
        source=source.name,
        date=source.date,
        as_of=LocalisedName(**as_of(source.date)) if source.date else None,
        visitor=LocalisedName(**visitor_text(found)),
    )
