"""RFC 9457 problem+json errors: one handler maps every error to a clear, trace-free body."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Iterator, Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from api.middleware.request_id import HEADER, SCOPE_KEY, request_id
from api.timeparam import PATTERN_FORMATS
from assets.events import DomainError, ErrorKind
from twin.commands import PreconditionFailed
from twin.eventlog import IdempotencyConflict, UnstorableText, VersionConflict

PROBLEM = "application/problem+json"
log = logging.getLogger("twin.api")

STATUS_OF_KIND: dict[ErrorKind, int] = {
    "invalid": 422,
    "refused": 422,
    "not_found": 404,
    "conflict": 409,
    "precondition": 412,
}
"""The one place where a refusal's kind becomes an HTTP status."""
KIND_OF: dict[type[Exception], ErrorKind] = {
    VersionConflict: "conflict",
    IdempotencyConflict: "conflict",
    UnstorableText: "invalid",  # the log's own guard: the edge should have said so
    PreconditionFailed: "precondition",
}
"""Kinds of the write path's errors, which are not :class:`DomainError` (they carry no kind)."""


def refusal(exc: Exception) -> tuple[ErrorKind, dict[str, Any]]:
    """The kind of a refused request and the facts that name what is wrong."""
    if isinstance(exc, DomainError):
        return exc.kind, exc.details
    kind = next(KIND_OF[c] for c in type(exc).__mro__ if c in KIND_OF)
    if isinstance(exc, PreconditionFailed):
        return kind, {"stream": exc.stream, "version": exc.actual}
    return kind, {}


def problem_body(status: int, detail: str, **extra: Any) -> dict[str, Any]:
    """An RFC 9457 body: the status's title, a detail for a person, the request id."""
    return {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "request_id": request_id.get(),
    } | extra


def problem_bytes(status: int, detail: str) -> bytes:
    """A problem+json body as bytes, for middleware that answers before the app."""
    return json.dumps(problem_body(status, detail)).encode()


def problem(status: int, detail: str, **extra: Any) -> JSONResponse:
    """A problem+json response with the status's title and a detail for a person."""
    return JSONResponse(
        problem_body(status, detail, **extra), status_code=status, media_type=PROBLEM
    )


PROBLEM_SCHEMA_REF = {"$ref": "#/components/schemas/Problem"}
"""The Problem schema of the OpenAPI documents (added by :mod:`api.openapi`)."""
DESCRIPTIONS = {
    400: "A parameter is invalid or unknown",
    401: "No or a bad bearer token",
    403: "The token's role does not allow this",
    404: "No such resource",
    409: "Refused by the current state, or changed by someone else meanwhile",
    412: "If-Match names a version the resource is no longer at",
    422: "Invalid request, naming the fields",
    503: "Not ready",
}


def problem_responses(
    *statuses: int, described: Mapping[int, str] | None = None
) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for the problem+json errors an endpoint may answer.

    Parameters
    ----------
    statuses : the statuses described by :data:`DESCRIPTIONS`.
    described : more statuses, each with what it means at this endpoint.
    """
    texts = {s: DESCRIPTIONS[s] for s in statuses} | dict(described or {})
    return {
        s: {"description": text, "content": {PROBLEM: {"schema": PROBLEM_SCHEMA_REF}}}
        for s, text in sorted(texts.items())
    }


def _message(error: Any) -> str:
    """A validation message a person can act on (patterns are named by the value, not quoted)."""
    if error.get("type") in ("literal_error", "enum"):
        return f"{error.get('input')!r} is not offered: {error['msg']}"
    if error.get("type") == "string_pattern_mismatch":
        expected = PATTERN_FORMATS.get(error.get("ctx", {}).get("pattern", ""))
        if expected is not None:  # a date: say what one looks like (2031-02-30 does not exist)
            return f"{error.get('input')!r} is not {expected}"
        return f"{error.get('input')!r} does not have the documented format (see the parameter's description)"
    return str(error["msg"])


def _printable(text: str) -> str:
    """``text`` with lone surrogates (which no UTF-8 answer can carry) written as ``\\udXXX``."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def allowed_methods(request: Request) -> list[str]:
    """Every method the most specific routes of the application serve at the request's path
    (asked of the routes themselves, so routers included from several modules all count).

    Most specific: the routes whose templates hold the most literal characters, so that
    ``/alarms/{alarm_id:path}`` (ids with slashes) does not add its GET to the methods of
    ``/alarms/{alarm_id:path}/acknowledge``."""
    leaves = list(_leaves(request.app.router.routes))
    serving = {
        m: [r for r in leaves if r.matches({**request.scope, "method": m})[0] == Match.FULL]
        for m in METHODS
    }
    best = max((_literal(r) for found in serving.values() for r in found), default=0)
    return [m for m, found in serving.items() if any(_literal(r) == best for r in found)]


def _leaves(routes: Iterable[Any]) -> Iterator[Any]:
    """The routes themselves, inside the routers the application includes."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        yield from _leaves(inner.routes) if inner is not None else (route,)


def _literal(route: Any) -> int:
    """How many literal characters a route's path template holds (parameters left out)."""
    return len(re.sub(r"\{[^}]*\}", "", getattr(route, "path", "")))


def install(app: FastAPI) -> None:
    """Register the problem+json handlers on ``app``."""

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        response = problem(exc.status_code, str(exc.detail))
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        if exc.status_code == 405:  # one path may be served by routes in several routers
            allowed = allowed_methods(request)
            response.headers["Allow"] = ", ".join(allowed)
            response.body = problem(
                405, f"{request.method} is not allowed here; use {', '.join(allowed)}"
            ).body
            response.headers["content-length"] = str(len(response.body))
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {
                "field": _printable(".".join(str(p) for p in e["loc"])),
                "message": _printable(_message(e)),
            }
            for e in exc.errors()
        ]
        summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        return problem(422, f"invalid request: {summary}", errors=errors)

    @app.exception_handler(DomainError)
    async def refused(request: Request, exc: Exception) -> JSONResponse:
        kind, details = refusal(exc)
        return problem(STATUS_OF_KIND[kind], str(exc), **details)

    for error in KIND_OF:
        app.add_exception_handler(error, refused)

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        rid = request.scope.get(SCOPE_KEY, request_id.get())  # runs outside the id middleware
        response = problem(500, "internal error: the request was not completed", request_id=rid)
        response.headers[HEADER] = rid
        # The server closes the connection after a crash: say so, so that a keep-alive client
        # opens a new one for its next request instead of finding this one reset.
        response.headers["connection"] = "close"
        return response
