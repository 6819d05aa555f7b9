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
from pygeofilter import ast
from shapely.geometry.base import BaseGeometry
from starlette.datastructures import QueryParams

from api.ogc.catalog import BBox
from api.ogc.cql2 import LANGUAGES, FilterError, read_filter
from api.ogc.crs import URIS, box_in_crs84, check_crs
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
        "or six numbers with min and max heights (ignored); in another CRS with `bbox-crs`, "
        "in that CRS's axis order. Values beyond the globe are "
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
CRS = {
    "name": "crs",
    "in": "query",
    "required": False,
    "style": "form",
    "explode": False,
    "description": (
        "The CRS of the coordinates in the answer (OGC API - Features Part 2), in its axis "
        "order: CRS84 (lon, lat; the default), EPSG:4326 and EPSG:4490 (CGCS2000) lat, lon, "
        "EPSG:4550 (CGCS2000 Gauss-Kruger CM 123E) northing, easting, EPSG:32651 easting, "
        "northing. The `Content-Crs` header names it."
    ),
    "schema": {"type": "string", "format": "uri", "enum": URIS, "default": CRS84},
}
BBOX_CRS = {
    **CRS,
    "name": "bbox-crs",
    "description": "The CRS of `bbox`, whose numbers follow its axis order (default CRS84).",
}
FILTER = {
    "name": "filter",
    "in": "query",
    "required": False,
    "description": (
        "A CQL2 filter (OGC API - Features Part 3) on the collection's queryables "
        "(`/queryables`): comparisons, LIKE, IN, BETWEEN, IS NULL, AND/OR/NOT, S_INTERSECTS, "
        "S_WITHIN and the other spatial functions on `geometry`, temporal predicates on "
        "`datetime` (the instant answered for). Example: `level = 12 AND area_m2 >= 500`."
    ),
    "schema": {"type": "string"},
}
FILTER_LANG = {
    "name": "filter-lang",
    "in": "query",
    "required": False,
    "description": "The language of `filter`: cql2-text (default) or cql2-json (`cql-text`, "
    "the draft's name that GDAL sends, is read as cql2-text).",
    "schema": {"type": "string", "enum": list(LANGUAGES), "default": "cql2-text"},
}
FILTER_CRS = {
    **CRS,
    "name": "filter-crs",
    "description": "The CRS of the geometry literals in `filter`, in its axis order "
    "(default CRS84).",
}
ITEMS_PARAMETERS = [
    BBOX,
    LIMIT,
    OFFSET,
    DATETIME,
    FORMAT,
    CRS,
    BBOX_CRS,
    FILTER,
    FILTER_LANG,
    FILTER_CRS,
]
ITEM_PARAMETERS = [DATETIME, FORMAT, CRS]
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
    crs: str = CRS84
    """The CRS URI of the answer's coordinates."""
    region: BaseGeometry | None = None
    """A ``bbox`` given in another ``bbox-crs``, as a CRS84 region (``bbox`` is then None)."""
    filter: ast.Node | None = None
    filter_crs: str = CRS84


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
    bbox_crs = parse_crs(params, "bbox-crs")
    bbox, region = parse_bbox(params.get("bbox")), None
    if bbox is not None and bbox_crs != CRS84:
        bbox, region = None, parse_box_in(params["bbox"], bbox_crs)
    lang = params.get("filter-lang")
    if lang is not None and lang not in LANGUAGES:
        raise bad(f"filter-lang={lang!r} is not offered; use one of {', '.join(LANGUAGES)}")
    text = params.get("filter")
    try:
        condition = None if text is None else read_filter(text, lang)
    except FilterError as exc:
        raise bad(str(exc)) from None
    return ItemsQuery(
        bbox=bbox,
        limit=parse_int(params, LIMIT),
        offset=parse_int(params, OFFSET),
        at=parse_datetime(params.get("datetime")),
        crs=parse_crs(params, "crs"),
        region=region,
        filter=condition,
        filter_crs=parse_crs(params, "filter-crs"),
    )


def parse_crs(params: QueryParams, name: str) -> str:
    """The offered CRS URI of parameter ``name`` (default CRS84); 400 naming an unknown one."""
    try:
        return check_crs(name, params.get(name))
    except ValueError as exc:
        raise bad(str(exc)) from None


def parse_box_in(value: str, crs: str) -> BaseGeometry:
    """The CRS84 region of a bbox in ``crs`` (its axis order); a reversed box meets nothing."""
    numbers = [float(v) for v in value.split(",")]  # checked by parse_bbox already
    half = len(numbers) // 2
    low, high = numbers[:2], numbers[half : half + 2]
    if low[0] > high[0] or low[1] > high[1]:
        return box_in_crs84((0.0, 91.0, 0.0, 91.0), CRS84)
    region = box_in_crs84((low[0], low[1], high[0], high[1]), crs)
    if not region.is_valid or not all(math.isfinite(v) for v in region.bounds):
        raise bad(f"bbox={value!r} lies outside the domain of bbox-crs={crs}")
    return region
