"""OWSLib's OGC API - Features client for tests, with headers of its own.

OWSLib keeps one module-wide header dict: a token or an ``If-Match`` set on one client would
ride on every later one (another server's token is a 401 there). Make every client here.
"""

from __future__ import annotations

from typing import Any

from owslib.ogcapi.features import Features


def features_client(url: str, token: str | None = None, **options: Any) -> Features:
    """An OWSLib client of the OGC API at ``url``, with only ``token`` (if any) as header."""
    client = Features(url, **options)
    client.headers.pop("Authorization", None)
    client.headers.pop("If-Match", None)
    if token is not None:
        client.headers["Authorization"] = f"Bearer {token}"
    return client
