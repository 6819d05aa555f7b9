"""A request id for every request: taken from ``X-Request-ID`` or made, echoed in the
response, put in problem+json bodies, and logged as one JSON line per request."""

from __future__ import annotations

import contextvars
import json
import logging
import re
import time
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADER = "x-request-id"
_HEADER = HEADER.encode()
SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,100}$")
request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
SCOPE_KEY = "twin.request_id"
"""Where the id is kept in the ASGI scope too, for the outermost error handler: it answers a
crash after this middleware has returned, when the context variable is reset."""
log = logging.getLogger("twin.access")


class RequestIdMiddleware:
    """Tags each HTTP request with an id and logs it as JSON (method, path, status, ms)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw = b""
        for name, value in scope["headers"]:  # the last one wins, as in a dict of them
            if name == _HEADER:
                raw = value
        given = raw.decode("latin-1")
        rid = given if SAFE_ID.match(given) else uuid.uuid4().hex
        token = request_id.set(rid)
        scope[SCOPE_KEY] = rid
        started = time.perf_counter()
        status = 500

        async def tagged(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (_HEADER, rid.encode())]
            await send(message)

        try:
            await self.app(scope, receive, tagged)
        finally:
            if log.isEnabledFor(logging.INFO):  # built only when it goes somewhere
                log.info(
                    json.dumps(
                        {
                            "request_id": rid,
                            "method": scope["method"],
                            "path": scope["path"],
                            "status": status,
                            "ms": round((time.perf_counter() - started) * 1000, 2),
                        }
                    )
                )
            request_id.reset(token)
