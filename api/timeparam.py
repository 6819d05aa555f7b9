"""The ``at=`` query parameter every read accepts, and how answers write times.

The rule for times in answers (:func:`answer_time`, the one place they are written): ISO 8601
with an explicit offset, in the zone the request used. A request whose ``at=`` (or range bound)
carries an offset (``Z``, ``+00:00``, ``+08:00``...) gets its times in that offset; otherwise
(no ``at=``, a date, a datetime without offset) in campus time, UTC+8 (``+08:00``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, tzinfo
from typing import Annotated

from fastapi import HTTPException, Query

from assets.history import CAMPUS_TZ

DAY_PATTERN = (
    r"(?:19|20)\d\d-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)"
    r"|02-(?:0[1-9]|1\d|2[0-8]))|(?:19|20)(?:0[48]|[2468][048]|[13579][26])-02-29|2000-02-29"
)
TIME_PATTERN = (
    r"T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,6})?)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)?"
)
AT_PATTERN = rf"^(?:{DAY_PATTERN})(?:{TIME_PATTERN})?$"
"""Exactly the dates (1900-2099) and datetimes that ``at=`` accepts, as the OpenAPI pattern."""
DAY_ONLY_PATTERN = rf"^(?:{DAY_PATTERN})$"
"""Exactly the dates (1900-2099) a day parameter accepts."""
AT_FORMAT = (
    "a real date YYYY-MM-DD (1900-2099, e.g. 2024-09-12) or an ISO 8601 date-time "
    "YYYY-MM-DDTHH:MM[:SS[.ffffff]][Z|±HH:MM] (e.g. 2024-09-12T10:00+08:00)"
)
PATTERN_FORMATS = {
    AT_PATTERN: AT_FORMAT,
    DAY_ONLY_PATTERN: "a real date YYYY-MM-DD (1900-2099, e.g. 2024-09-12)",
}
"""The format a person reads for each date pattern, named when a value does not match it."""
CLAMPED = "Twin-Clamped"
"""Response header naming each parameter whose value was moved into its range, and the value
used, e.g. ``from=2000-01-01`` (comma-separated; absent when nothing was moved)."""
AT_DESCRIPTION = (
    "The instant to answer for: an ISO date (the end of that day, campus time UTC+8) or an "
    "ISO datetime (campus time UTC+8 when it has no offset). Default: now. Times in the answer "
    "use the offset given here (campus time, +08:00, without one)."
)


def parse_at(value: str | None) -> datetime:
    """An aware instant from an ``at=`` value (see :data:`AT_DESCRIPTION`), in the zone the
    value gave (campus time without one), which answers keep (see :func:`answer_time`).

    Raises
    ------
    HTTPException
        422 naming the value when it is neither an ISO date nor an ISO datetime.
    """
    if value is None or value == "":
        return datetime.now(CAMPUS_TZ)
    text = value.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return datetime.combine(day, time.max, CAMPUS_TZ)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise HTTPException(
            422,
            f"at={value!r} is not an ISO date (2024-09-12) or datetime (2024-09-12T10:00+08:00)",
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=CAMPUS_TZ)


async def at_param(
    at: Annotated[
        str | None, Query(description=AT_DESCRIPTION, pattern=AT_PATTERN, examples=["2024-09-12"])
    ] = None,
) -> datetime:
    """FastAPI dependency: the ``at=`` instant (async: pure parsing, so FastAPI need not hand
    it to a worker thread)."""
    return parse_at(at)


def request_zone(*values: str | None) -> tzinfo:
    """The zone answers use for a request whose time parameters are ``values`` (``at=``, or
    ``end`` then ``start``): that of the first one given, else campus time."""
    for value in values:
        if value:
            return parse_at(value).tzinfo or CAMPUS_TZ
    return CAMPUS_TZ


def answer_time(moment: datetime | str, zone: tzinfo | None = None) -> str:
    """``moment`` (aware, or ISO text as the log stores it; naive means UTC) as ISO 8601 in
    ``zone`` with its offset: campus time ``+08:00`` unless the request chose another zone (pass
    the ``tzinfo`` of the parsed ``at=``, or :func:`request_zone`)."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone or CAMPUS_TZ).isoformat()
