"""Pictures (charts and plans) served as PNG or SVG by one route each: the format is the
extension of the path (``gantt.png``, ``gantt.svg``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Response

from viewer.chart_style import ChartFormat

MEDIA: dict[str, str] = {"png": "image/png", "svg": "image/svg+xml"}
PictureFormat = Annotated[
    ChartFormat,
    Path(description="The path's extension: `png` (raster) or `svg` (vector, for print)"),
]


def picture_responses(what: str) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI 200 response of a picture route: ``what``, as PNG or SVG."""
    return {200: {"content": {m: {} for m in MEDIA.values()}, "description": what}}


def picture(data: bytes, fmt: ChartFormat, cache_control: str) -> Response:
    """A rendered picture with the media type of ``fmt``."""
    return Response(data, media_type=MEDIA[fmt], headers={"Cache-Control": cache_control})
