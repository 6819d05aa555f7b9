"""api.problems: domain errors carry a kind, and one table turns each kind into a status."""

from __future__ import annotations

import re
from pathlib import Path
from typing import get_args

import pytest

import api.app  # noqa: F401  (imports every router, so every error class is defined)
from api.problems import KIND_OF, STATUS_OF_KIND, refusal
from assets.construction.errors import ConstructionError
from assets.events import DomainError, ErrorKind
from occupancy.errors import BookingConflict, Clash, LeasingInvalid, LeasingNotFound
from twin.commands import PreconditionFailed
from twin.eventlog import VersionConflict

ROOT = Path(__file__).resolve().parents[2]


def _subclasses(cls: type) -> list[type]:
    return [cls, *(s for c in cls.__subclasses__() for s in _subclasses(c))]


def test_every_kind_has_one_status():
    assert set(STATUS_OF_KIND) == set(get_args(ErrorKind))
    kinds = {c.kind for c in _subclasses(DomainError)} | set(KIND_OF.values())
    assert kinds <= set(STATUS_OF_KIND)


@pytest.mark.parametrize(
    ("error", "status", "details"),
    [
        (DomainError("bad"), 422, {}),
        (ConstructionError("x", "structure", "known-entity", "no such building"), 404, None),
        (ConstructionError("x", "structure", "stage-order", "foundation first"), 422, None),
        (
            LeasingInvalid("end", "before start"),
            422,
            {"errors": [{"field": "end", "message": "before start"}]},
        ),
        (LeasingNotFound("no hold H-1"), 404, {}),
        (BookingConflict([Clash("u1", "H-1", "hold", "2025-01-01", "2026-01-01")]), 409, None),
        (VersionConflict("unit:u1", 1, 2), 409, {}),
        (PreconditionFailed("building:x", 1, 3), 412, {"stream": "building:x", "version": 3}),
    ],
)
def test_each_refusal_answers_the_status_of_its_kind(error, status, details):
    kind, found = refusal(error)
    assert STATUS_OF_KIND[kind] == status
    if details is not None:
        assert found == details


def test_domain_packages_name_no_http_status():
    words = re.compile(r"\bHTTP [1-5]\d\d\b|\bstatus(_code)?\s*=\s*[1-5]\d\d\b")
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for package in ("geometry", "assets", "occupancy")
        for path in (ROOT / package).rglob("*.py")
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if words.search(line)
    ]
    assert found == []
