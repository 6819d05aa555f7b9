"""Query parameters under ``/api/v1``: one the route does not declare is refused, never ignored.

A misspelt filter (``floor_min`` for ``min_level``) would otherwise answer 200 with everything,
and a parameter given twice would silently keep only its last value. The accepted names are read
from each route's own declaration (its dependant, the same one FastAPI validates with and the
OpenAPI document lists), so every endpoint, present and future, is checked without code of its
own. ``/ogc`` checks its parameters by hand (``api/ogc/params.py``, also 400).
"""

from __future__ import annotations

import typing
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from fastapi import HTTPException, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from pydantic import BaseModel

PREFIX = "/api/v1"
"""The paths checked: the twin's own API (``/ogc`` checks itself; the viewer's files take none)."""


@dataclass(frozen=True)
class Accepted:
    """The query parameters of one route: their names, and those that may be repeated."""

    names: tuple[str, ...]
    repeatable: frozenset[str]

    def refusal(self, params: Sequence[tuple[str, str]], path: str) -> str | None:
        """Why ``params`` are refused (naming the first unknown or repeated one), else None."""
        seen: set[str] = set()
        for key, _ in params:
            if key not in self.names:
                takes = ", ".join(self.names) if self.names else "no query parameters"
                return f"unknown query parameter {key!r}: {path} takes {takes}"
            if key in seen and key not in self.repeatable:
                return f"query parameter {key!r} is given more than once"
            seen.add(key)
        return None


def _query_fields(dependant: Dependant) -> Iterator[tuple[str, object]]:
    """(name, annotation) of every query parameter of ``dependant`` and its dependencies."""
    for field in dependant.query_params:
        annotation = field.field_info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):  # a query model
            for name, inner in annotation.model_fields.items():
                yield inner.alias or name, inner.annotation
        else:
            yield field.alias, annotation
    for sub in dependant.dependencies:
        yield from _query_fields(sub)


def _is_sequence(annotation: object) -> bool:
    """Whether a parameter of this type takes a list (``?k=a&k=b``), through Optional/Union."""
    origin = typing.get_origin(annotation)
    if origin in (list, tuple, set, frozenset, Sequence):
        return True
    return any(_is_sequence(arg) for arg in typing.get_args(annotation) if arg is not type(None))


def accepted(route: APIRoute) -> Accepted:
    """The query parameters ``route`` declares (computed once per route)."""
    entry = _ACCEPTED.get(id(route))
    if entry is not None and entry[0] is route:
        return entry[1]
    fields = dict(_query_fields(route.dependant))
    repeatable = frozenset(name for name, ann in fields.items() if _is_sequence(ann))
    known = Accepted(tuple(fields), repeatable)
    _ACCEPTED[id(route)] = (route, known)  # routes compare by value, so they key by identity
    return known


_ACCEPTED: dict[int, tuple[APIRoute, Accepted]] = {}


async def refuse_unknown_query(request: Request) -> None:
    """FastAPI dependency of the whole application: a 400 problem naming a query parameter the
    route under ``/api/v1`` does not declare (listing those it does), or a single-valued one
    given twice. Async and cheap: no parameters, nothing to check."""
    if not request.scope.get("query_string"):
        return
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or not route.path.startswith(PREFIX):
        return
    why = accepted(route).refusal(request.query_params.multi_items(), route.path)
    if why is not None:
        raise HTTPException(400, why)
