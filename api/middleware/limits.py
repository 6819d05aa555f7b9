"""Limits: request bodies (413) and request rates by client and by token (429 Retry-After),
with bearer tokens verified before any work (401)."""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.auth import CHALLENGE, PRINCIPAL_STATE, BadCredentials, verified
from api.problems import problem_bytes
from assets.json_depth import MAX_JSON_DEPTH, json_too_deep
from twin.runtime import Twin

CHALLENGE_VALUE = CHALLENGE["WWW-Authenticate"].encode()


@dataclass
class _Bucket:
    tokens: float
    stamp: float


class BodyLimitMiddleware:
    """Refuses request bodies over ``max_bytes`` (413) or nesting deeper than
    :data:`~assets.json_depth.MAX_JSON_DEPTH` (422), before the endpoint runs.

    A body (at most ``max_bytes``) is read whole here and handed on in one message, so every
    endpoint, whether FastAPI parses its body or it reads the bytes itself, sees only bodies
    within both limits; no JSON parser ever recurses deeper than the limit.

    ``uploads`` maps the paths of file uploads (POST, multipart) to their own, larger limit:
    only those routes accept bodies that large, their bodies are not JSON, and only from a
    verified bearer token (401 before any byte is read: the public cannot make the server
    hold a large body).
    """

    def __init__(self, app: ASGIApp, max_bytes: int, uploads: Mapping[str, int] | None = None):
        self.app, self.max_bytes, self.uploads = app, max_bytes, dict(uploads or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope["headers"]) if scope["type"] == "http" else {}
        declared = headers.get(b"content-length")
        if declared in (None, b"0") and b"transfer-encoding" not in headers:
            await self.app(scope, receive, send)  # no body: nothing to read (most requests)
            return
        upload = scope.get("method") == "POST" and scope.get("path") in self.uploads
        limit = self.uploads[scope["path"]] if upload else self.max_bytes
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _refuse(
                send,
                413,
                f"request body of {int(declared):,} bytes is over the limit of {limit:,} bytes",
            )
            return
        if upload and PRINCIPAL_STATE not in scope.get("state", {}):
            await _refuse(
                send,
                401,
                "an upload needs a bearer token",
                [(b"www-authenticate", CHALLENGE_VALUE)],
            )
            return
        body = await self._body(receive, limit)
        if body is None:
            await _refuse(send, 413, f"request body is over the limit of {limit:,} bytes")
            return
        if not upload and json_too_deep(body):
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

    async def _body(self, receive: Receive, limit: int) -> bytes | None:
        """The whole body, or None once it grows over the limit (the rest is left unread)."""
        chunks: list[bytes] = []
        seen = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return b"".join(chunks)
            chunk = message.get("body", b"")
            seen += len(chunk)
            if seen > limit:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)


class RateLimitMiddleware:
    """A token bucket per client address (``rate`` a second, bursts of ``burst``) and one per
    valid bearer token (``token_rate``, ``token_burst``); 0 turns a limit off.

    Every request with an ``Authorization`` header has its token verified here, before any
    endpoint runs: a malformed header or an unknown or revoked token is a 401 (charged to the
    client's bucket, so guessing tokens is limited too); a valid token is charged to its own
    bucket and left in the request state for :func:`api.auth.principal`. Probes (/health,
    /ready, /metrics) are cheap but limited like any request. The client is the connecting
    peer, or what X-Forwarded-For says when the peer is a trusted proxy (uvicorn's
    ``ProxyHeadersMiddleware`` in :mod:`api.app`, ``TWIN_TRUSTED_PROXIES``).
    """

    def __init__(
        self, app: ASGIApp, twin: Twin, rate: float, burst: int, token_rate: float, token_burst: int
    ):
        self.app, self.twin = app, twin
        self.clients = _Buckets(rate, burst, "clients without a token")
        self.tokens = _Buckets(token_rate, token_burst, "each bearer token")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("unknown", 0))[0]
        header = dict(scope["headers"]).get(b"authorization")
        if header is None:
            if await self.clients.admit(client, send):
                await self.app(scope, receive, send)
            return
        try:
            who = await verified(self.twin, header.decode("latin-1"))
        except BadCredentials as bad:
            if await self.clients.admit(client, send):
                await _refuse(send, 401, str(bad), [(b"www-authenticate", CHALLENGE_VALUE)])
            return
        if await self.tokens.admit(who.name, send):
            scope.setdefault("state", {})[PRINCIPAL_STATE] = who
            await self.app(scope, receive, send)


class _Buckets:
    """Token buckets by key, per process: several instances behind a load balancer each allow
    the rate (say so when sizing it)."""

    def __init__(self, rate: float, burst: int, who: str):
        self.rate, self.burst, self.who = rate, burst, who
        self._buckets: dict[str, _Bucket] = {}

    async def admit(self, key: str, send: Send) -> bool:
        """Take one request from ``key``'s bucket; or answer 429 and return False."""
        if self.rate <= 0:
            return True
        now = time.monotonic()
        bucket = self._buckets.setdefault(key, _Bucket(float(self.burst), now))
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.stamp) * self.rate)
        bucket.stamp = now
        if bucket.tokens < 1:
            wait = math.ceil((1 - bucket.tokens) / self.rate)
            await _refuse(
                send,
                429,
                f"too many requests: {self.who} may make {self.rate:g} a second; retry in {wait} s",
                [(b"retry-after", str(wait).encode())],
            )
            return False
        bucket.tokens -= 1
        if len(self._buckets) > 100_000:  # forget idle clients
            self._buckets = {k: b for k, b in self._buckets.items() if now - b.stamp < 60}
        return True


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
