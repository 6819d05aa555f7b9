"""The OpenAPI document: every operation documents its errors as RFC 9457 problem+json."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from api.problems import PROBLEM, PROBLEM_SCHEMA_REF

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "An RFC 9457 problem: what went wrong, for a person; never a stack trace.",
    "properties": {
        "type": {"type": "string", "example": "about:blank"},
        "title": {"type": "string", "example": "Unprocessable Entity"},
        "status": {"type": "integer", "example": 422},
        "detail": {
            "type": "string",
            "example": "invalid request: query.limit: Input should be less than or equal to 1000",
        },
        "request_id": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
    "required": ["type", "title", "status", "detail"],
}
_PROBLEM_CONTENT = {PROBLEM: {"schema": PROBLEM_SCHEMA_REF}}


def _with_problems(spec: dict[str, Any]) -> dict[str, Any]:
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = PROBLEM_SCHEMA
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    for path in spec.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            if "422" in responses:
                responses["422"] = {"description": "Invalid request", "content": _PROBLEM_CONTENT}
            for status, response in responses.items():
                if status.startswith(("4", "5")) and "content" not in response:
                    response["content"] = _PROBLEM_CONTENT
            responses.setdefault(
                "default", {"description": "An error (problem+json)", "content": _PROBLEM_CONTENT}
            )
    return spec


def install(app: FastAPI) -> None:
    """Make ``app.openapi()`` return the document with problem+json errors (built once)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            spec = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
                tags=app.openapi_tags,
            )
            app.openapi_schema = _with_problems(spec)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
