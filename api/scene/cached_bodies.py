"""Large immutable bodies named by an ETag (the GLB, 3D Tiles): 304 on a matching
``If-None-Match``, and gzip done once per ETag instead of on every request."""

from __future__ import annotations

import gzip
import threading
from collections import OrderedDict

from fastapi import Request, Response

CACHE_CONTROL = "public, max-age=0, must-revalidate"
MIN_GZIP_BYTES = 2048
"""Smaller bodies go as they are (as the app's gzip middleware does)."""
KEPT = 64
"""Compressed bodies kept, most recently used first (a campus version's GLB and its tiles)."""

_compressed: OrderedDict[str, bytes] = OrderedDict()
_lock = threading.Lock()


def gzipped(etag: str, body: bytes) -> bytes:
    """``body`` gzipped (level 6), computed once per ``etag`` while it stays in use."""
    with _lock:
        if etag in _compressed:
            _compressed.move_to_end(etag)
            return _compressed[etag]
    packed = gzip.compress(body, compresslevel=6, mtime=0)
    with _lock:
        _compressed[etag] = packed
        while len(_compressed) > KEPT:
            _compressed.popitem(last=False)
    return packed


def not_modified(request: Request, etag: str) -> bool:
    """Whether ``If-None-Match`` names ``etag`` (weak or strong) or is ``*``."""
    sent = [
        t.strip().removeprefix("W/") for t in request.headers.get("if-none-match", "").split(",")
    ]
    return "*" in sent or etag in sent


def cached_body(request: Request, body: bytes, etag: str, media_type: str) -> Response:
    """``body`` with its ETag (gzipped when the client accepts it), or a 304."""
    headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL, "Vary": "Accept-Encoding"}
    if not_modified(request, etag):
        return Response(status_code=304, headers=headers)
    if len(body) >= MIN_GZIP_BYTES and "gzip" in request.headers.get("accept-encoding", ""):
        headers["Content-Encoding"] = "gzip"
        body = gzipped(etag, body)
    return Response(body, media_type=media_type, headers=headers)
