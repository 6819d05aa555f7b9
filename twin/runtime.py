"""One running twin: its settings, the loaded campus, its history and what derives from them."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING

from assets.campus import Campus
from assets.dataset import load_campus
from assets.lookup import CampusLookup
from assets.scene import CampusScene, build_scene
from twin import reducers
from twin.auth import TokenStore
from twin.campus_versions import CampusVersions
from twin.derived import CAMPUS_VERSIONS_KEPT, Derived
from twin.eventlog import EventStore, open_store
from twin.genesis import ensure_genesis
from twin.leasing.availability_cache import AvailabilityCache
from twin.projection import Projection
from twin.scene import SceneFile, build_scene_file
from twin.settings import Settings
from twin.tiles import SceneTileset, build_scene_tileset

if TYPE_CHECKING:
    from twin.facilities.services import FacilityServices

CATCH_UP_INTERVAL_S = 0.1
"""How stale a read may be before the projection asks the log for newer events, s."""


class Twin:
    """The composition of a twin instance, shared by the API and the CLI."""

    def __init__(
        self,
        settings: Settings,
        campus: Campus | None = None,
        versions_kept: int = CAMPUS_VERSIONS_KEPT,
    ):
        """``versions_kept``: campus versions kept in memory with what derives from them."""
        self.settings = settings
        self.base_campus = campus if campus is not None else load_campus(settings.data_dir)
        """The dataset as loaded, before any import recorded in the log."""
        self.versions = CampusVersions(self.base_campus, versions_kept)
        self._caught_up_at = 0.0

    @property
    def campus(self) -> Campus:
        """The campus as built now (the dataset with every import effective by now)."""
        return self.campus_at(None)

    def campus_at(self, at: datetime | None) -> Campus:
        """The campus as built at ``at`` (None: now): geometry has versions over time."""
        return self.versions.at(self.fresh(), at or datetime.now(UTC))

    def derived(self, at: datetime | None = None) -> Derived:
        """The campus version standing at ``at`` (None: now) with what derives from it, each
        built once per version (:mod:`twin.derived`)."""
        return self.versions.derived_at(self.fresh(), at or datetime.now(UTC))

    def derived_of(self, campus: Campus) -> Derived:
        """What derives from ``campus`` (a version from :meth:`campus_at`)."""
        return self.versions.derived_of(campus)

    def scene(self, at: datetime | None = None) -> SceneFile:
        """The GLB of the campus as built at ``at`` (None: now), built once per version."""
        return self.derived(at).get(_scene_file)

    def tileset(self, at: datetime | None = None) -> SceneTileset:
        """The 3D Tiles tileset of the campus as built at ``at`` (None: now), once per version."""
        return self.derived(at).get(_tileset)

    def scene_parts(self, at: datetime | None = None) -> CampusScene:
        """The mesh parts of the campus as built at ``at`` (None: now), built once per version
        and shared by its GLB, its tileset and rendered pictures (about 15 MB for the Flying
        Fish)."""
        return self.derived(at).get(_scene_parts)

    @cached_property
    def store(self) -> EventStore:
        """The event log (migrated to the latest schema; genesis loaded if it was empty)."""
        store = open_store(self.settings.database_url, self.settings.database_read_url)
        ensure_genesis(store, self.base_campus)
        return store

    @property
    def lookup(self) -> CampusLookup:
        """What is where on the campus as built now (spatial index, built once per version)."""
        return self.derived().get(_lookup)

    @cached_property
    def tokens(self) -> TokenStore:
        """The API tokens, kept in the same database as the log."""
        return TokenStore(self.store.engine)

    @cached_property
    def projection(self) -> Projection:
        """The one projection of the log: every stream but the high-volume metric readings
        (:data:`reducers.UNPROJECTED_PREFIXES`), at any instant."""
        projection = Projection(reducers.apply, reducers.UNPROJECTED_PREFIXES)
        projection.catch_up(self.store)
        return projection

    @cached_property
    def facilities(self) -> FacilityServices:
        """The facility services (topology, state, ingestion) on this twin's projection."""
        from twin.facilities.services import FacilityServices

        return FacilityServices.of_twin(self)

    @cached_property
    def availability_answers(self) -> AvailabilityCache:
        """Recent availability answers, each reused only while it provably still holds."""
        return AvailabilityCache()

    def fresh(self) -> Projection:
        """The projection, caught up with what any process wrote (at most every 0.1 s)."""
        projection = self.projection
        now = time.monotonic()
        if now - self._caught_up_at >= CATCH_UP_INTERVAL_S:
            projection.catch_up(self.store)
            self._caught_up_at = now
        return projection

    def state_at(self, at: datetime, prefix: str = "") -> dict[str, dict]:
        """Every stream's state at ``at``."""
        return self.fresh().all_at(at, prefix)

    def close(self) -> None:
        if "store" in self.__dict__:
            self.store.close()


def _scene_parts(derived: Derived) -> CampusScene:
    return build_scene(derived.campus)


def _scene_file(derived: Derived) -> SceneFile:
    return build_scene_file(derived.campus, derived.get(_scene_parts))


def _tileset(derived: Derived) -> SceneTileset:
    return build_scene_tileset(derived.campus, scene=derived.get(_scene_parts))


def _lookup(derived: Derived) -> CampusLookup:
    return CampusLookup(derived.campus)
