"""Fixtures of the leasing model's tests: the embedded campus and its spaces (no database)."""

from __future__ import annotations

import pytest

from assets.campus import Campus
from assets.dataset import load_campus
from occupancy.spaces import SpaceCatalog, build_catalog


@pytest.fixture(scope="session")
def campus() -> Campus:
    return load_campus()


@pytest.fixture(scope="session")
def spaces(campus: Campus) -> SpaceCatalog:
    return build_catalog(campus)
