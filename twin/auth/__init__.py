"""Who is asking: bearer tokens with a role, stored hashed (see :mod:`twin.auth.tokens`)."""

from twin.auth.tokens import ROLES, Principal, TokenError, TokenInfo, TokenStore

__all__ = ["ROLES", "Principal", "TokenError", "TokenInfo", "TokenStore"]
