"""Authentication and roles: ``Authorization: Bearer <token>`` made with ``twin token create``.

No header: the anonymous public. A bad or revoked token: 401. A token of the wrong role: 403.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Depends, HTTPException, Request
from starlette.concurrency import run_in_threadpool

from api.deps import get_twin
from twin.auth import Principal
from twin.auth.tokens import PUBLIC
from twin.runtime import Twin

CHALLENGE = {"WWW-Authenticate": 'Bearer realm="flying-fish-twin"'}


async def principal(request: Request, twin: Twin = Depends(get_twin)) -> Principal:
    """Who is asking; the anonymous public when no token is sent.

    Async, so anonymous requests need no worker thread. A token is looked up in the database
    on every request (a revoked one fails at once): in place on SQLite, a local read of well
    under a millisecond that costs several times more when handed to a thread (the GIL changes
    hands around each SQLite call while the event loop runs); in a worker thread on a database
    server, whose round trip must not hold up the event loop.
    """
    header = request.headers.get("authorization")
    if header is None:
        return PUBLIC
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise HTTPException(
            401, "the Authorization header must be 'Bearer <token>'", headers=CHALLENGE
        )
    tokens = twin.tokens
    if tokens.engine.dialect.name == "sqlite":
        found = tokens.verify(token.strip())
    else:
        found = await run_in_threadpool(tokens.verify, token.strip())
    if found is None:
        raise HTTPException(401, "the bearer token is unknown or revoked", headers=CHALLENGE)
    return found


def require(*roles: str) -> Callable[..., Principal]:
    """A dependency admitting only tokens with one of ``roles`` (admin is always admitted)."""
    needed = " or ".join(roles) if roles else "admin"

    def check(who: Principal = Depends(principal)) -> Principal:
        if who.role == "public":
            raise HTTPException(
                401, f"this needs a bearer token with the role {needed}", headers=CHALLENGE
            )
        if not who.may(*roles):
            raise HTTPException(
                403, f"this needs the role {needed}; the token {who.name!r} has the role {who.role}"
            )
        return who

    return check
