"""Query parameters of the items endpoints: parsed by hand so every bad value is a 400.

OGC API - Features asks for 400 on an invalid or unknown parameter (FastAPI's own
validation would answer 422), so the parameters are declared once here, for both the
OpenAPI document and the checks.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from fastapi import HTTPException, Request
from starlette.datastructures import QueryParams

from api.ogc.catalog import BBox
from api.ogc.specs import CRS84
from api.schemas import MAX_OFFSET
from api.timeparam import DAY_PATTERN, TIME_PATTERN, parse_at
from assets.history import CAMPUS_TZ

DEFAULT_LIMIT = 10
MAX_LIMIT = 10_000
OPEN = ("", "..")
_INSTANT = rf"(?:{DAY_PATTERN})(?:{TIME_PATTERN})?"
DATETIME_PATTERN = rf"^(?:|\.\.|{_INSTANT}|(?:{_INSTANT}|\.\.)?/(?:{_INSTANT}|\.\.)?)$"
"""Exactly the values ``datetime`` accepts: an instant, a date, or an interval."""
"""How an open end of a datetime interval is written."""

BBOX = {
    "name": "bbox",
    "in": "query",
    "required": False,
    "style": "form",
    "explode": False,
    "description": (
        f"Only features meeting this box: min lon, min lat, max lon, max lat ({CRS84}), "
        "or six numbers with min and max heights (ignored). Values beyond the globe are "
        "clamped to it; a box whose minimum lies above its maximum meets nothing."
    ),
    "schema": {
        "type": "array",
        "oneOf": [{"minItems": 4, "maxItems": 4}, {"minItems": 6, "maxItems": 6}],
        "items": {"type": "number"},
    },
}
LIMIT = {
    "name": "limit",
    "in": "query",
    "required": False,
    "style": "form",
    "explode": False,
    "description": "How many features a page holds.",
    "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
}
OFFSET = {
    "name": "offset",
    "in": "query",
    "required": False,
    "description": "How many matching features to skip (the `next` link sets it).",
    "schema": {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET, "default": 0},
}
DATETIME = {
    "name": "datetime",
    "in": "query",
    "required": False,
    "style": "form",
    "explode": False,
    "description": (
        "The instant the answer describes (RFC 3339, e.g. 2024-09-12T10:00:00+08:00, or a "
        "date: the end of that campus day), or an interval `start/end` (`..` for open): its "
        "end is used. Buildings carry their stage and facilities their status at that "
        "instant. Default: now."
    ),
    "schema": {"type": "string", "pattern": DATETIME_PATTERN},
}
FORMAT = {
    "name": "f",
    "in": "query",
    "required": False,
    "description": "Output format: GeoJSON only.",
    "schema": {"type": "string", "enum": ["json", "geojson"]},
}
ITEMS_PARAMETERS = [BBOX, LIMIT, OFFSET, DATETIME, FORMAT]
ITEM_PARAMETERS = [DATETIME, FORMAT]
JSON_FORMAT = {
    **FORMAT,
    "description": "Output format: JSON only.",
    "schema": {"type": "string", "enum": ["json"]},
}
METADATA_DATETIME = {
    **DATETIME,
    "description": (
        "The instant whose campus the document describes (as for items: RFC 3339, a date or an "
        "interval, its end used; default now). Collections' extents follow imports of geometry; "
        "the landing page, conformance and API definition are the same at every instant. "
        "Accepted everywhere so that a client may add it to every request (GDAL: "
        "`OAPIF:<url>/ogc?datetime=...`)."
    ),
}
METADATA_PARAMETERS = [METADATA_DATETIME, JSON_FORMAT]
"""Query parameters of the metadata documents (landing page, conformance, collections)."""


def bad(detail: str) -> HTTPException:
    """A 400 Bad Request naming what is wrong."""
    return HTTPException(400, detail)


@dataclass(frozen=True)
class ItemsQuery:
    """A checked items request."""

    bbox: BBox | None
    limit: int
    offset: int
    at: datetime


def check_known(params: QueryParams, declared: Iterable[dict[str, Any]]) -> None:
    """Raise 400 for a parameter the endpoint does not declare, or one given twice."""
    names = [p["name"] for p in declared]
    for key in params:
        if key not in names:
            raise bad(f"unknown query parameter {key!r}; this endpoint takes {', '.join(names)}")
        if len(params.getlist(key)) > 1:
            raise bad(f"query parameter {key!r} is given more than once")
    f = params.get("f")
    if f is not None and f not in ("json", "geojson"):
        raise bad(f"f={f!r} is not offered: this API answers in GeoJSON (f=json)")


async def metadata_query(request: Request) -> datetime:
    """Dependency of the metadata documents: the instant of ``datetime`` (default now) once
    only ``datetime`` and ``f=json`` are given; anything else is a 400."""
    params = request.query_params
    check_known(params, METADATA_PARAMETERS)
    if params.get("f", "json") != "json":
        raise bad(f"f={params['f']!r} is not offered: this document is JSON (f=json)")
    return parse_datetime(params.get("datetime"))


EMPTY_BOX: BBox = (0.0, 91.0, 0.0, 91.0)
"""A box beyond the pole: it meets no feature."""


def parse_bbox(value: str | None) -> BBox | None:
    """A CRS84 box from ``minlon,minlat,maxlon,maxlat`` (or six numbers with heights)."""
    if value is None:
        return None
    try:
        numbers = [float(v) for v in value.split(",")]
    except ValueError:
        raise bad(f"bbox={value!r} must be 4 or 6 comma-separated numbers") from None
    if len(numbers) not in (4, 6) or not all(math.isfinite(n) for n in numbers):
        raise bad(f"bbox={value!r} must be 4 or 6 comma-separated finite numbers")
    half = len(numbers) // 2
    (minx, miny), (maxx, maxy) = numbers[:2], numbers[half : half + 2]
    if minx > maxx or miny > maxy:
        return EMPTY_BOX
    return max(minx, -180.0), max(miny, -90.0), min(maxx, 180.0), min(maxy, 90.0)


def parse_int(params: QueryParams, spec: dict[str, Any]) -> int:
    """An integer parameter within its declared minimum and maximum."""
    name, schema = spec["name"], spec["schema"]
    raw = params.get(name)
    if raw is None:
        return int(schema["default"])
    try:
        value = int(raw)
    except ValueError:
        raise bad(f"{name}={raw!r} is not an integer") from None
    low, high = schema.get("minimum"), schema.get("maximum")
    if (low is not None and value < low) or (high is not None and value > high):
        span = f"{low}..{high}" if high is not None else f"{low} or more"
        raise bad(f"{name}={value} is out of range: use {span}")
    return value


def _instant(text: str, whole: str, start: bool = False) -> datetime:
    """One instant; a date alone means the end of that campus day (its start for ``start``)."""
    try:
        if start and len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time.min, CAMPUS_TZ)
        return parse_at(text)
    except (HTTPException, ValueError):
        raise bad(
            f"datetime={whole!r} is not an RFC 3339 instant (2024-09-12T10:00:00+08:00), "
            "a date (2024-09-12) or an interval (2019-01-01/2024-09-12, ../2024-09-12)"
        ) from None


def parse_datetime(value: str | None) -> datetime:
    """The instant to answer for: the instant given, else the end of an interval (whatever its
    start), else now.

    An interval open at its end (``2020-01-01/..``) answers for now, or for its start when
    that is still to come.
    """
    if value is None or value.strip() in OPEN:
        return parse_at(None)
    text = value.strip()
    if "/" not in text:
        return _instant(text, value)
    parts = text.split("/")
    if len(parts) != 2:
        raise bad(f"datetime={value!r}: an interval is start/end")
    start, end = (p.strip() for p in parts)
    start_at = None if start in OPEN else _instant(start, value, start=True)
    end_at = parse_at(None) if end in OPEN else _instant(end, value)
    if start_at is not None and end in OPEN:
        return max(start_at, end_at)
    return end_at


def items_query(params: QueryParams) -> ItemsQuery:
    """Check every parameter of an items request; 400 for the first problem found."""
    check_known(params, ITEMS_PARAMETERS)
    return ItemsQuery(
        bbox=parse_bbox(params.get("bbox")),
        limit=parse_int(params, LIMIT),
        offset=parse_int(params, OFFSET),
        at=parse_datetime(params.get("datetime")),
    )
