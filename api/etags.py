"""ETags of versioned resources (a stream's version) and ``If-Match`` on writes to them."""

from __future__ import annotations

from typing import Annotated

from fastapi import Header

IF_MATCH_PATTERN = r'^(W/)?"\d{1,12}"$'


def etag_of(version: int) -> str:
    """The ETag of a resource whose stream is at ``version``."""
    return f'"{version}"'


def if_match(
    value: Annotated[
        str | None,
        Header(
            alias="If-Match",
            pattern=IF_MATCH_PATTERN,
            examples=['"7"'],
            description="The ETag you read: the write is refused with 412 if the resource changed since",
        ),
    ] = None,
) -> int | None:
    """FastAPI dependency: the stream version an ``If-Match`` header names, if any."""
    if value is None:
        return None
    return int(value.removeprefix("W/").strip('"'))
