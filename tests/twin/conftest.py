"""Fixtures of the twin package's tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from twin.eventlog import EventStore, open_store


@pytest.fixture
def store(database_url: str) -> Iterator[EventStore]:
    """An empty event log, migrated to head, on each database backend."""
    with open_store(database_url) as opened:
        yield opened
