"""Authentication and roles: ``Authorization: Bearer <token>`` made with ``twin token create``.

No header: the anonymous public. A malformed header or a bad or revoked token: 401, on every
endpoint (public ones too, before any work: see :mod:`api.middleware.limits`). A token of the
wrong role: 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from starlette.concurrency import run_in_threadpool

from api.deps import TwinDep
from twin.auth import Principal
from twin.auth.tokens import PUBLIC
from twin.runtime import Twin

CHALLENGE = {"WWW-Authenticate": 'Bearer realm="flying-fish-twin"'}


class BadCredentials(Exception):
    """An ``Authorization`` header that is malformed or names an unknown or revoked token."""


async def verified(twin: Twin, header: str) -> Principal:
    """The principal of an ``Authorization`` header's bearer token; :class:`BadCredentials` if
    the header is malformed or the token unknown or revoked.

    Async, so that it can run before any endpoint (in the rate limiter). A token is looked up
    in the database on every request (a revoked one fails at once): in place on SQLite, a local
    read of well under a millisecond that costs several times more when handed to a thread (the
    GIL changes hands around each SQLite call while the event loop runs); in a worker thread on
    a database server, whose round trip must not hold up the event loop.
    """
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise BadCredentials("the Authorization header must be 'Bearer <token>'")
    tokens = twin.tokens
    if tokens.engine.dialect.name == "sqlite":
        found = tokens.verify(token.strip())
    else:
        found = await run_in_threadpool(tokens.verify, token.strip())
    if found is None:
        raise BadCredentials("the bearer token is unknown or revoked")
    return found


PRINCIPAL_STATE = "principal"
"""Key of the request state where the rate limiter leaves the principal it verified."""


async def principal(request: Request, twin: TwinDep) -> Principal:
    """Who is asking; the anonymous public when no token is sent.

    The rate limiter (:mod:`api.middleware.limits`) has usually verified the token already
    (every request with an ``Authorization`` header is checked there, public endpoints too);
    otherwise it is verified here.
    """
    known = getattr(request.state, PRINCIPAL_STATE, None)
    if isinstance(known, Principal):
        return known
    header = request.headers.get("authorization")
    if header is None:
        return PUBLIC
    try:
        return await verified(twin, header)
    except BadCredentials as bad:
        raise HTTPException(401, str(bad), headers=CHALLENGE) from None


WhoDep = Annotated[Principal, Depends(principal)]
"""An endpoint parameter ``who: WhoDep`` receives who is asking (:func:`principal`)."""


def require(*roles: str) -> Callable[..., Principal]:
    """A dependency admitting only tokens with one of ``roles`` (admin is always admitted)."""
    needed = " or ".join(roles) if roles else "admin"

    def check(who: WhoDep) -> Principal:
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
