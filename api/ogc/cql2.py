"""OGC API - Features Part 3: CQL2 filters, parsed by pygeofilter, evaluated on a collection.

A filter is parsed once (cql2-text or cql2-json) into pygeofilter's AST, then evaluated by a
subclass of pygeofilter's GeoPandas evaluator over a :class:`pandas.DataFrame` of the
collection's public properties and a column of shapely geometries (CRS84): every operator is a
vectorised column operation (no per-feature Python), the result a boolean mask.

What the queryables mean:

- the published properties of the collection (:mod:`api.ogc.specs`) and ``id``;
- ``geometry``: the feature's geometry, for ``S_INTERSECTS``, ``S_WITHIN`` and the other
  spatial functions; literals are in ``filter-crs`` (default CRS84), in its axis order;
- ``datetime``: the instant the answer describes (the request's ``datetime``, default now),
  the same for every feature. Temporal predicates and comparisons on it (``datetime >=
  TIMESTAMP('2024-01-01T00:00:00Z')``) so keep all features or none: they ask whether the
  campus is read at such an instant. pygeofilter reads ``T_INTERSECTS`` and ``T_OVERLAPS`` as
  one operator; both are answered as "intersects".

A comparison with a null value is false (and so is its ``NOT``), never an error.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time
from typing import Any

import numpy as np
import pandas as pd
import shapely
from lark.exceptions import LarkError
from pygeofilter import ast, values
from pygeofilter.backends.evaluator import handle
from pygeofilter.backends.geopandas.evaluate import GeoPandasEvaluator
from pygeofilter.parsers.cql2_json import parse as parse_json
from pygeofilter.parsers.cql2_text import parse as parse_text
from pygeofilter.util import like_pattern_to_re
from shapely.geometry.base import BaseGeometry

from api.ogc.crs import transform_shape
from api.ogc.specs import CRS84

TEXT, JSON_LANG = "cql2-text", "cql2-json"
LANGUAGES = (TEXT, JSON_LANG, "cql-text")
"""``filter-lang`` values; ``cql-text`` (the draft's name, which GDAL's OAPIF driver sends)
is read as cql2-text."""
GEOMETRY, INSTANT = "geometry", "datetime"


class FilterError(ValueError):
    """A filter that cannot be read or evaluated; the message says why (a 400)."""


def parse(text: str, lang: str) -> ast.Node:
    """The AST of ``text`` in ``lang`` (one of :data:`LANGUAGES`); FilterError if malformed."""
    try:
        if lang == JSON_LANG:
            return parse_json(text)
        return parse_text(text)
    except (LarkError, ValueError, KeyError, TypeError, AttributeError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise FilterError(f"filter is not valid {lang}: {first}") from None


Interval = tuple[datetime, datetime]
_EARLIEST = datetime.min.replace(tzinfo=UTC)
_LATEST = datetime.max.replace(tzinfo=UTC)


def _instant(value: Any, end: bool = False) -> datetime:
    if value is None:
        return _LATEST if end else _EARLIEST
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime.combine(value, time.max if end else time.min, UTC)
    raise FilterError(f"{value!r} is not a time")


def _interval(value: Any) -> Interval:
    if isinstance(value, tuple):
        return _instant(value[0]), _instant(value[1], end=True)
    if isinstance(value, date) and not isinstance(value, datetime):
        return _instant(value), _instant(value, end=True)
    moment = _instant(value)
    return moment, moment


def _allen(op: ast.TemporalComparisonOp, a: Interval, b: Interval) -> bool:
    """CQL2's temporal relation ``op`` between intervals ``a`` and ``b`` (instants: a == a)."""
    (a1, a2), (b1, b2) = a, b
    relations = {
        "AFTER": a1 > b2,
        "BEFORE": a2 < b1,
        "TCONTAINS": a1 < b1 and a2 > b2,
        "DISJOINT": a1 > b2 or a2 < b1,
        "DURING": a1 > b1 and a2 < b2,
        "TEQUALS": a1 == b1 and a2 == b2,
        "ENDEDBY": a1 < b1 and a2 == b2,
        "ENDS": a1 > b1 and a2 == b2,
        "TOVERLAPS": not (a1 > b2 or a2 < b1),  # pygeofilter's T_INTERSECTS
        "MEETS": a2 == b1,
        "METBY": a1 == b2,
        "OVERLAPPEDBY": b1 < a1 < b2 < a2,
        "BEGINS": a1 == b1 and a2 < b2,
        "BEGUNBY": a1 == b1 and a2 > b2,
    }
    if op.name not in relations:
        raise FilterError(f"the temporal operator {op.value} is not supported")
    return relations[op.name]


_CONVERSE = {
    "INTERSECTS": "intersects",
    "DISJOINT": "disjoint",
    "EQUALS": "equals",
    "TOUCHES": "touches",
    "OVERLAPS": "overlaps",
    "CROSSES": "crosses",
    "WITHIN": "contains",
    "CONTAINS": "within",
}


class _Evaluator(GeoPandasEvaluator):
    """pygeofilter's GeoPandas evaluator for one frame: unknown properties and functions are
    errors, geometries are shapely arrays, literals come from ``filter_crs``, and ``datetime``
    is the instant answered for."""

    def __init__(self, frame: pd.DataFrame, shapes: np.ndarray, at: datetime, filter_crs: str):
        super().__init__(frame)
        self.shapes, self.at, self.filter_crs = shapes, at, filter_crs
        self.types: Mapping[str, str] = frame.attrs.get("types", {})

    @handle(ast.Attribute)
    def attribute(self, node: ast.Attribute) -> Any:
        if node.name == GEOMETRY:
            return self.shapes
        if node.name == INSTANT:
            return self.at
        if node.name not in self.df.columns:
            known = ", ".join([*self.df.columns, GEOMETRY, INSTANT])
            raise FilterError(
                f"unknown property {node.name!r} in filter; the queryables are {known}"
            )
        return self.df[node.name]

    @handle(ast.Comparison, subclasses=True)
    def comparison(self, node: ast.Comparison, lhs: Any, rhs: Any) -> Any:
        for column, value in ((lhs, rhs), (rhs, lhs)):
            if isinstance(column, pd.Series) and not isinstance(value, pd.Series):
                _check_comparable(column, self.types.get(str(column.name), "string"), value)
        return super().comparison(node, lhs, rhs)

    @handle(ast.Function)
    def function(self, node: ast.Function, *arguments: Any) -> Any:
        numbers = all(isinstance(a, (int, float)) and not isinstance(a, bool) for a in arguments)
        if node.name.lower() == "bbox" and numbers and len(arguments) in (4, 6):
            # CQL2's BBOX(...) literal, which pygeofilter's text parser reads as a function
            half = len(arguments) // 2
            corners = (*arguments[:2], *arguments[half : half + 2])
            return self._literal(shapely.box(*corners))
        raise FilterError(f"unknown function {node.name!r} in filter")

    @handle(ast.Like)
    def like(self, node: ast.Like, lhs: Any) -> Any:
        if not isinstance(lhs, pd.Series):
            raise FilterError("LIKE compares a property with a pattern")
        # CQL2's wildcards are always % and _ (pygeofilter's text parser says "." for _)
        regex = like_pattern_to_re(node.pattern, node.nocase, "%", "_", "\\")
        if not (pd.api.types.is_string_dtype(lhs) or lhs.dtype == object):
            raise FilterError(f"LIKE needs a text property; {lhs.name!r} is not text")
        matched = lhs.map(lambda v: isinstance(v, str) and regex.match(v) is not None)
        return ~matched if node.not_ else matched

    @handle(ast.TemporalPredicate, subclasses=True)
    def temporal(self, node: ast.TemporalPredicate, lhs: Any, rhs: Any) -> Any:
        if isinstance(lhs, pd.Series) or isinstance(rhs, pd.Series):
            raise FilterError(f"temporal predicates apply to {INSTANT!r} and time literals")
        return np.bool_(_allen(node.op, _interval(lhs), _interval(rhs)))

    @handle(ast.SpatialComparisonPredicate, subclasses=True)
    def spatial_operation(self, node: ast.SpatialComparisonPredicate, lhs: Any, rhs: Any) -> Any:
        name = node.op.name
        if isinstance(lhs, np.ndarray) and isinstance(rhs, BaseGeometry):
            return pd.Series(_spatial(name, lhs, rhs), index=self.df.index)
        if isinstance(rhs, np.ndarray) and isinstance(lhs, BaseGeometry):
            return pd.Series(_spatial(_CONVERSE[name].upper(), rhs, lhs), index=self.df.index)
        raise FilterError(f"S_{name} compares {GEOMETRY!r} with a geometry literal")

    @handle(ast.BBox)
    def bbox(self, node: ast.BBox, lhs: Any) -> Any:
        box = self._literal(shapely.box(node.minx, node.miny, node.maxx, node.maxy))
        return pd.Series(shapely.intersects(lhs, box), index=self.df.index)

    def _literal(self, geometry: BaseGeometry) -> BaseGeometry:
        return transform_shape(geometry, self.filter_crs, CRS84)

    @handle(values.Geometry)
    def geometry(self, node: values.Geometry) -> BaseGeometry:
        try:
            return self._literal(shapely.geometry.shape(node.geometry))
        except (ValueError, TypeError, AttributeError, shapely.errors.ShapelyError) as exc:
            raise FilterError(f"invalid geometry in filter: {exc}") from None

    @handle(type(None))
    def open_end(self, node: None) -> None:
        """An interval's open end (``..``)."""
        return None

    @handle(values.Envelope)
    def envelope(self, node: values.Envelope) -> BaseGeometry:
        return self._literal(shapely.box(node.x1, node.y1, node.x2, node.y2))


def _check_comparable(column: pd.Series, json_type: str, value: Any) -> None:
    """FilterError when a literal cannot be compared with a property of ``json_type`` (text
    with a number)."""
    numeric = json_type in ("number", "integer")
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if numeric != is_number and (numeric or isinstance(value, (int, float, str))):
        kind = "a number" if numeric else "text"
        raise FilterError(f"{column.name!r} is {kind}: compare it with {kind}, not {value!r}")


def _spatial(name: str, shapes: np.ndarray, other: BaseGeometry) -> np.ndarray:
    """The shapely predicate ``name`` (INTERSECTS, WITHIN...) of each shape against ``other``."""
    function = {"EQUALS": shapely.equals}.get(name) or getattr(shapely, name.lower())
    return np.asarray(function(shapes, other), dtype=bool)


def evaluate(
    node: ast.Node,
    frame: pd.DataFrame,
    shapes: np.ndarray,
    at: datetime,
    filter_crs: str = CRS84,
) -> np.ndarray:
    """The boolean mask of the rows of ``frame`` (and ``shapes``) meeting ``node``."""
    try:
        result = _Evaluator(frame, shapes, at, filter_crs).evaluate(node)
    except FilterError:
        raise
    except NotImplementedError as exc:
        raise FilterError(f"filter uses what is not supported: {_short(exc)}") from None
    except (TypeError, ValueError, AttributeError, KeyError) as exc:
        raise FilterError(f"filter cannot be evaluated: {_short(exc)}") from None
    if isinstance(result, pd.Series):
        return result.fillna(False).to_numpy(dtype=bool)
    if isinstance(result, (bool, np.bool_)):
        return np.full(len(frame), bool(result))
    raise FilterError("filter is not a condition (it gives no true or false)")


def _short(exc: Exception) -> str:
    return re.sub(r"\s+", " ", str(exc))[:200] or type(exc).__name__


def read_filter(text: str, lang: str | None) -> ast.Node:
    """The AST of a ``filter`` query parameter; cql2-json may be given as JSON text."""
    lang = lang or TEXT
    if lang == JSON_LANG:
        try:
            json.loads(text)
        except ValueError as exc:
            raise FilterError(f"filter is not valid JSON for cql2-json: {exc}") from None
    return parse(text, lang)


def property_frame(features: Sequence[dict[str, Any]], types: Mapping[str, str]) -> pd.DataFrame:
    """One row per GeoJSON feature: its ``id`` and the properties named in ``types`` (name ->
    JSON type; null when absent), the types kept in ``attrs["types"]`` for the checks."""
    columns = ["id", *types]
    rows = [[f["id"], *(f["properties"].get(n) for n in columns[1:])] for f in features]
    frame = pd.DataFrame(rows, columns=columns)
    frame.attrs["types"] = {"id": "string", **types}
    return frame
