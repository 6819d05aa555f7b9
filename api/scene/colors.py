"""Feature colours by viewer mode, for the browser client (geometry stays in the cached GLB)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Depends, Query
from fastapi.responses import JSONResponse

from api.deps import TwinDep
from api.problems import problem, problem_responses
from api.scene.models import LegendEntry, SceneColors
from api.strict_query import api_router
from api.timeparam import answer_time, at_param
from viewer import modes as colors
from viewer.modes import Mode
from viewer.palette import DEFAULT_COLORS, FISH_COLOR

router = api_router("/api/v1", ["viewer"])

MODE_DESCRIPTION = "How to colour the campus: visitor, leasing, construction or facilities."


def unknown_mode(mode: str) -> JSONResponse:
    """422 problem+json naming the modes this server knows."""
    known = colors.modes()
    return problem(422, f"unknown mode {mode!r}: use one of {', '.join(known)}", modes=known)


@router.get(
    "/scene/colors",
    operation_id="getSceneColors",
    summary="Colours of the scene's features in one mode, at any time",
    response_model=SceneColors,
    responses=problem_responses(described={422: "Unknown mode or bad at="}),
)
def scene_colors(
    twin: TwinDep,
    mode: Annotated[Mode, Query(description=MODE_DESCRIPTION)] = "visitor",
    at: datetime = Depends(at_param),
) -> SceneColors | JSONResponse:
    """Colour per feature id (the GLB's `feature_ids`) and the legend that explains them.
    Public colours only: the same for every caller."""
    if mode not in colors.modes():
        return unknown_mode(mode)
    result = colors.coloring(twin, mode, at)
    return SceneColors(
        mode=mode,
        at=answer_time(at, at.tzinfo),
        colors=result.colors,
        legend=[LegendEntry(en=en, zh=zh, color=c) for en, zh, c in result.legend],
        defaults=DEFAULT_COLORS,
        fish_color=FISH_COLOR,
        modes=colors.modes(),
    )
