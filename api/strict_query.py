"""Query parameters under ``/api/v1``: one the route does not declare is refused, never ignored.

A misspelt filter (``floor_min`` for ``min_level``) would otherwise answer 200 with everything,
and a parameter given twice would silently keep only its last value. The accepted names are read
from each route's own declaration (its dependant, the same one FastAPI validates with and the
OpenAPI document lists), so every endpoint, present and future, is checked without code of its
own: every router of ``/api/v1`` is made by :func:`api_router`, whose routes are
:class:`StrictRoute` (``tests/api/test_strict_query.py`` tries every operation of the OpenAPI
document). ``/ogc`` checks its parameters by hand (``api/ogc/params.py``, also 400).
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Coroutine, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response
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
    """The query parameters ``route`` declares."""
    fields = dict(_query_fields(route.dependant))
    repeatable = frozenset(name for name, ann in fields.items() if _is_sequence(ann))
    return Accepted(tuple(fields), repeatable)


class StrictRoute(APIRoute):
    """A route of ``/api/v1`` whose handler first refuses (400) a query parameter the route
    does not declare, or a single-valued one given twice, naming it and listing those it takes.

    Checked in the handler itself, before the body is read or any dependency runs: as cheap
    as a request without parameters can be (an application-wide dependency cost every request
    of every path a round of dependency solving)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        known = accepted(self)
        path = self.path

        async def strict(request: Request) -> Response:
            if request.scope.get("query_string"):
                why = known.refusal(request.query_params.multi_items(), path)
                if why is not None:
                    raise HTTPException(400, why)
            return await handler(request)

        return strict


def api_router(prefix: str, tags: list[str]) -> APIRouter:
    """The router of one subject of ``/api/v1`` (``prefix`` starts with it): its routes are
    :class:`StrictRoute`. Every router under ``/api/v1`` is made here."""
    if not prefix.startswith(PREFIX):
        raise ValueError(f"{prefix!r} is not under {PREFIX}")
    return APIRouter(prefix=prefix, tags=list(tags), route_class=StrictRoute)
