"""Times in answers: ISO 8601 with an offset, campus time unless the request used another."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from api.timeparam import answer_time, parse_at, request_zone

MOMENT = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)


def test_answers_are_in_campus_time_by_default() -> None:
    assert answer_time(MOMENT) == "2026-01-05T10:00:00+08:00"
    assert answer_time("2026-01-05T02:00:00+00:00") == "2026-01-05T10:00:00+08:00"  # as logged
    assert answer_time("2026-01-05T02:00:00") == "2026-01-05T10:00:00+08:00"  # naive: UTC
    assert parse_at(None).utcoffset() == timedelta(hours=8)  # "now" is campus time too


def test_answers_keep_the_offset_the_request_used() -> None:
    assert answer_time(MOMENT, parse_at("2026-01-05T00:00Z").tzinfo) == "2026-01-05T02:00:00+00:00"
    assert answer_time(MOMENT, request_zone(None, "2026-01-05T00:00Z")) == (
        "2026-01-05T02:00:00+00:00"
    )
    assert answer_time(MOMENT, request_zone("2026-01-05T09:00-05:00", "2026-01-05")) == (
        "2026-01-04T21:00:00-05:00"
    )


def test_a_request_without_offset_is_answered_in_campus_time() -> None:
    for values in [(), (None,), ("2026-01-05",), ("2026-01-05T10:00",)]:
        assert answer_time(MOMENT, request_zone(*values)) == "2026-01-05T10:00:00+08:00"
