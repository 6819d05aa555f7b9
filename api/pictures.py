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


SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'; sandbox"
"""An SVG chart's own Content-Security-Policy: matplotlib styles each shape inline (``style``
attributes and a ``<style>`` block), which the pages' policy (``style-src 'self'``) refuses,
leaving every shape black; the chart may style itself, and runs no script nor loads anything."""


def picture(data: bytes, fmt: ChartFormat, cache_control: str) -> Response:
    """A rendered picture with the media type of ``fmt`` (an SVG with :data:`SVG_POLICY`)."""
    headers = {"Cache-Control": cache_control}
    if fmt == "svg":
        headers["Content-Security-Policy"] = SVG_POLICY
    return Response(data, media_type=MEDIA[fmt], headers=headers)
