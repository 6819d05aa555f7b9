"""SensorThings query options: ``$filter`` (parsed by odata-query's OData grammar) evaluated over
columns, ``$orderby``, ``$top``, ``$skip``, ``$count``, ``$select`` and ``$expand``.

A collection is a :class:`Table`: named columns (numpy arrays, made on first use) and a way to
write row ``i`` as JSON. Filters run on whole columns, so paging through a Datastream's
readings never builds an object per reading it does not answer with. Times are POSIX seconds
in columns and OData ``DateTime`` literals are read as such.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
from fastapi import HTTPException
from odata_query import ast
from odata_query.exceptions import ODataException
from odata_query.grammar import ODataLexer, ODataParser
from sly.lex import LexError

DEFAULT_TOP = 100
MAX_TOP = 10_000
OPTIONS = ("$filter", "$orderby", "$top", "$skip", "$count", "$select", "$expand")
"""The query options a request may give; any other is a 400."""

_COMPARE: dict[type, Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
}
_TEXT: dict[str, Callable[[str, str], bool]] = {
    "startswith": str.startswith,
    "endswith": str.endswith,
    "contains": str.__contains__,
    "substringof": lambda needle, hay: needle in hay,
}


def bad(detail: str) -> HTTPException:
    """A 400 naming what was wrong with the request."""
    return HTTPException(400, detail)


@dataclass
class Table:
    """A collection: ``n`` rows, lazily built ``columns`` by property path, ``row(i)`` as JSON."""

    entity_set: str
    n: int
    columns: Mapping[str, Callable[[], np.ndarray]]
    row: Callable[[int], dict[str, Any]]
    default_order: tuple[tuple[str, bool], ...] = ()
    _made: dict[str, np.ndarray] = field(default_factory=dict)

    def column(self, name: str) -> np.ndarray:
        if name not in self.columns:
            known = ", ".join(sorted(self.columns))
            raise bad(f"{self.entity_set} have no property {name!r}: use one of {known}")
        if name not in self._made:
            self._made[name] = self.columns[name]()
        return self._made[name]


def rows_table(
    entity_set: str, rows: list[dict[str, Any]], times: frozenset[str] = frozenset()
) -> Table:
    """A table of a few rows given as flat dicts (``"properties/kind"`` keys for nested values;
    keys starting with ``_`` are columns only). Keys in ``times`` hold POSIX seconds."""
    names = {k for r in rows for k in r} | {"@iot.id"}

    def column(name: str) -> Callable[[], np.ndarray]:
        return lambda: np.array([r.get(name) for r in rows], dtype=object)

    return Table(entity_set, len(rows), {k: column(k) for k in names}, lambda i: rows[i])


def parse_filter(text: str) -> ast._Node:
    """The OData syntax tree of a ``$filter`` expression (400 when it is not one)."""
    try:
        tree: ast._Node = ODataParser().parse(ODataLexer().tokenize(text))
    except (ODataException, LexError, ValueError, IndexError, AttributeError) as exc:
        raise bad(f"$filter is not an OData expression: {exc}") from None
    if tree is None:
        raise bad("$filter is empty")
    return tree


def path_of(node: ast._Node) -> str:
    """``Thing/name`` for an attribute path, ``name`` for an identifier."""
    if isinstance(node, ast.Identifier):
        return "/".join((*node.namespace, node.name))
    if isinstance(node, ast.Attribute):
        return f"{path_of(node.owner)}/{node.attr}"
    raise bad(f"$filter: expected a property, found {type(node).__name__}")


def _literal(node: ast._Node) -> Any:
    if isinstance(node, ast.Integer | ast.Float):
        return float(node.val)
    if isinstance(node, ast.String):
        return node.val
    if isinstance(node, ast.Boolean):
        return node.val.lower() == "true"
    if isinstance(node, ast.Null):
        return None
    if isinstance(node, ast.DateTime | ast.Date):
        moment = datetime.fromisoformat(node.val.replace("Z", "+00:00"))
        return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()
    raise bad(f"$filter: {type(node).__name__} values are not supported")


def _value(table: Table, node: ast._Node) -> Any:
    if isinstance(node, ast.Identifier | ast.Attribute):
        return table.column(path_of(node))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_literal(node.operand)
    return _literal(node)


def _compare(op: Callable[[Any, Any], Any], left: Any, right: Any) -> np.ndarray:
    """Elementwise ``op``; a comparison a row cannot make (a missing value, text against a
    number) is false for that row, except that ``ne`` against a missing value is true."""
    if isinstance(left, np.ndarray) and left.dtype.kind == "f" and not isinstance(right, str):
        if right is None:
            return np.full(len(left), op is operator.ne)
        return np.asarray(op(left, right))

    def one(a: Any, b: Any) -> bool:
        if a is None or b is None:
            return bool(op(a, b)) if op in (operator.eq, operator.ne) else False
        try:
            return bool(op(a, b))
        except TypeError:
            return op is operator.ne

    return np.frompyfunc(one, 2, 1)(left, right).astype(bool)


def evaluate(table: Table, node: ast._Node) -> np.ndarray:
    """The rows of ``table`` that ``node`` holds for, as a boolean array."""
    if isinstance(node, ast.BoolOp):
        left, right = evaluate(table, node.left), evaluate(table, node.right)
        return left & right if isinstance(node.op, ast.And) else left | right
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return ~evaluate(table, node.operand)
    if isinstance(node, ast.Compare) and type(node.comparator) in _COMPARE:
        op = _COMPARE[type(node.comparator)]
        return _compare(op, _value(table, node.left), _value(table, node.right))
    if isinstance(node, ast.Call) and node.func.name in _TEXT and len(node.args) == 2:
        test = _TEXT[node.func.name]
        a, b = (_value(table, arg) for arg in node.args)

        def one(x: Any, y: Any) -> bool:
            return isinstance(x, str) and isinstance(y, str) and test(x, y)

        return np.frompyfunc(one, 2, 1)(a, b).astype(bool)
    if isinstance(node, ast.Identifier | ast.Attribute):
        return _compare(operator.eq, table.column(path_of(node)), True)
    raise bad(
        "$filter supports eq, ne, gt, ge, lt, le, and, or, not, startswith, endswith, "
        f"contains and substringof; not {type(node).__name__}"
    )


def time_bounds(node: ast._Node | None, name: str) -> tuple[float, float]:
    """POSIX-second bounds (inclusive) that hold every row ``node`` can select by the time
    property ``name``, from its conjunctions of comparisons with instants; ±inf where it says
    nothing. A superset (1 ms wider): the filter itself is still evaluated on what is read."""
    low, high = -math.inf, math.inf
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.And):
        left, right = time_bounds(node.left, name), time_bounds(node.right, name)
        return max(left[0], right[0]), min(left[1], right[1])
    if _compares_time(node, name):
        assert isinstance(node, ast.Compare)
        t, slack = _literal(node.right), 0.001
        if isinstance(node.comparator, ast.Gt | ast.GtE | ast.Eq):
            low = t - slack
        if isinstance(node.comparator, ast.Lt | ast.LtE | ast.Eq):
            high = t + slack
    return low, high


def time_only(node: ast._Node, name: str) -> bool:
    """Whether ``node`` is a conjunction of comparisons of the time property ``name`` with
    instants, so that :func:`time_bounds` says all it selects (up to its edges)."""
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.And):
        return time_only(node.left, name) and time_only(node.right, name)
    if not isinstance(node, ast.Compare):
        return False
    return _compares_time(node, name) and not isinstance(node.comparator, ast.NotEq)


def _compares_time(node: ast._Node | None, name: str) -> bool:
    """Whether ``node`` compares the time property ``name`` with an instant."""
    return (
        isinstance(node, ast.Compare)
        and isinstance(node.left, ast.Identifier)
        and not node.left.namespace
        and node.left.name == name
        and isinstance(node.right, ast.DateTime | ast.Date)
    )


def parse_orderby(text: str) -> list[tuple[str, bool]]:
    """``phenomenonTime desc, result`` -> [(path, descending)]."""
    out = []
    for part in text.split(","):
        words = part.split()
        if len(words) == 2:
            words[1] = words[1].lower()  # FROST's client writes ASC and DESC
        if not words or len(words) > 2 or (len(words) == 2 and words[1] not in ("asc", "desc")):
            raise bad(f"$orderby {part.strip()!r}: give a property and optionally asc or desc")
        out.append((words[0], len(words) == 2 and words[1] == "desc"))
    return out


def _sort_key(value: Any) -> tuple[int, Any]:
    if value is None:
        return (0, 0)
    return (1, value) if isinstance(value, int | float) else (2, str(value))


def order(table: Table, rows: np.ndarray, keys: list[tuple[str, bool]]) -> np.ndarray:
    """``rows`` sorted by ``keys`` (stable; missing values first in ascending order)."""
    for name, descending in reversed(keys):
        column = table.column(name)[rows]
        if column.dtype.kind == "f":
            by = np.argsort(-column if descending else column, kind="stable")
        else:
            keyed = sorted(range(len(rows)), key=lambda i: _sort_key(column[i]), reverse=descending)
            by = np.array(keyed, dtype=np.int64)
        rows = rows[by]
    return rows


def integer(name: str, text: str, low: int, high: int | None = None) -> int:
    """A whole-number option within its range, else a 400 naming it."""
    if not text.isdigit():
        raise bad(f"{name} must be a whole number, not {text!r}")
    value = int(text)
    if value < low or (high is not None and value > high):
        raise bad(f"{name} must be from {low} to {high}" if high else f"{name} must be >= {low}")
    return value


def split_top(text: str, sep: str = ",") -> list[str]:
    """``text`` split on ``sep`` outside parentheses and quotes."""
    parts, depth, quoted, start = [], 0, False, 0
    for i, c in enumerate(text):
        if c == "'":
            quoted = not quoted
        elif not quoted and c == "(":
            depth += 1
        elif not quoted and c == ")":
            depth -= 1
        elif not quoted and depth == 0 and c == sep:
            parts.append(text[start:i])
            start = i + 1
    if depth or quoted:
        raise bad(f"unbalanced parentheses or quotes in {text!r}")
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


@dataclass
class Options:
    """The query options of one collection (or of one ``$expand`` item)."""

    filter: ast._Node | None = None
    orderby: list[tuple[str, bool]] = field(default_factory=list)
    top: int = DEFAULT_TOP
    skip: int = 0
    count: bool = False
    select: list[str] | None = None
    expand: dict[str, Options] = field(default_factory=dict)


def parse_options(given: Mapping[str, str]) -> Options:
    """Options from ``{"$top": "10", ...}``; an unknown or malformed one is a 400."""
    for name in given:
        if name not in OPTIONS:
            raise bad(f"unknown query option {name!r}: use {', '.join(OPTIONS)}")
    out = Options()
    if given.get("$filter"):
        out.filter = parse_filter(given["$filter"])
    if given.get("$orderby"):
        out.orderby = parse_orderby(given["$orderby"])
    if "$top" in given:
        out.top = integer("$top", given["$top"], 0, MAX_TOP)
    if "$skip" in given:
        out.skip = integer("$skip", given["$skip"], 0)
    if "$count" in given:
        if given["$count"] not in ("true", "false"):
            raise bad("$count must be true or false")
        out.count = given["$count"] == "true"
    if given.get("$select"):
        out.select = [s.strip() for s in given["$select"].split(",") if s.strip()]
    if given.get("$expand"):
        out.expand = parse_expand(given["$expand"])
    return out


def parse_expand(text: str) -> dict[str, Options]:
    """``Datastreams($top=2;$expand=Observations),Locations`` (or ``Datastreams/Observations``)
    -> options per navigation property."""
    out: dict[str, Options] = {}
    for item in split_top(text):
        name, _, inner = item.partition("(")
        head, _, rest = name.strip().partition("/")
        if rest:  # Datastreams/Observations(...): Observations expanded inside Datastreams
            nested = parse_expand(rest + (f"({inner}" if inner else ""))
            out.setdefault(head, Options()).expand.update(nested)
            continue
        if inner and not inner.endswith(")"):
            raise bad(f"$expand item {item!r} is not name(options)")
        given: dict[str, str] = {}
        for option in split_top(inner[:-1], ";") if inner else []:
            key, eq, value = option.partition("=")
            if not eq:
                raise bad(f"$expand option {option!r} is not $name=value")
            given[key.strip()] = value.strip()
        out[head] = parse_options(given)
    return out
