"""Limits: request bodies (413) and the anonymous public's request rate (429 Retry-After).

The rate limit is a token bucket per client address, per process: several instances behind a
load balancer each allow the rate (say so when sizing it). Token holders are not limited here.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.middleware.json_depth import MAX_JSON_DEPTH, too_deep
from api.problems import problem_bytes

UNLIMITED_PATHS = frozenset({"/health", "/ready", "/metrics"})
"""Probes of load balancers and monitoring are never rate-limited."""


@dataclass
class _Bucket:
    tokens: float
    stamp: float


class BodyLimitMiddleware:
    """Refuses request bodies over ``max_bytes`` (413) or nesting deeper than
    :data:`~api.middleware.json_depth.MAX_JSON_DEPTH` (422), before the endpoint runs.

    A body (at most ``max_bytes``) is read whole here and handed on in one message, so every
    endpoint, whether FastAPI parses its body or it reads the bytes itself, sees only bodies
    within both limits; no JSON parser ever recurses deeper than the limit.
    """

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope["headers"]) if scope["type"] == "http" else {}
        declared = headers.get(b"content-length")
        if declared in (None, b"0") and b"transfer-encoding" not in headers:
            await self.app(scope, receive, send)  # no body: nothing to read (most requests)
            return
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await _refuse(
                send,
                413,
                f"request body of {int(declared):,} bytes is over the limit of {self.max_bytes:,} bytes",
            )
            return
        body = await self._body(receive)
        if body is None:
            await _refuse(send, 413, f"request body is over the limit of {self.max_bytes:,} bytes")
            return
        if too_deep(body):
            await _refuse(
                send,
                422,
                f"the request body nests arrays or objects deeper than the limit of "
                f"{MAX_JSON_DEPTH} levels",
            )
            return
        delivered = False

        async def replayed() -> Message:
            nonlocal delivered
            if delivered:
                return await receive()  # after the body: the disconnect, when it comes
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replayed, send)

    async def _body(self, receive: Receive) -> bytes | None:
        """The whole body, or None once it grows over the limit (the rest is left unread)."""
        chunks: list[bytes] = []
        seen = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return b"".join(chunks)
            chunk = message.get("body", b"")
            seen += len(chunk)
            if seen > self.max_bytes:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)


class AnonymousRateLimitMiddleware:
    """At most ``rate`` requests a second (bursts of ``burst``) per anonymous client."""

    def __init__(self, app: ASGIApp, rate: float, burst: int):
        self.app, self.rate, self.burst = app, rate, burst
        self._buckets: dict[str, _Bucket] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or self.rate <= 0
            or scope["path"] in UNLIMITED_PATHS
            or b"authorization" in dict(scope["headers"])
        ):
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("unknown", 0))[0]
        now = time.monotonic()
        bucket = self._buckets.setdefault(client, _Bucket(float(self.burst), now))
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.stamp) * self.rate)
        bucket.stamp = now
        if bucket.tokens < 1:
            wait = math.ceil((1 - bucket.tokens) / self.rate)
            await _refuse(
                send,
                429,
                f"too many requests: anonymous clients may make {self.rate:g} a second; retry in {wait} s",
                [(b"retry-after", str(wait).encode())],
            )
            return
        bucket.tokens -= 1
        if len(self._buckets) > 100_000:  # forget idle clients
            self._buckets = {k: b for k, b in self._buckets.items() if now - b.stamp < 60}
        await self.app(scope, receive, send)


async def _refuse(
    send: Send, status: int, detail: str, headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    body = problem_bytes(status, detail)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/problem+json"),
                (b"content-length", str(len(body)).encode()),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
