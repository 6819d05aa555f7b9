"""One running twin: its settings, the loaded campus, its history and what derives from them."""

from __future__ import annotations

import threading
import time
import weakref
from datetime import UTC, datetime
from functools import cached_property

from assets.campus import Campus
from assets.dataset import load_campus
from assets.lookup import CampusLookup
from assets.scene import CampusScene, build_scene
from twin import reducers
from twin.auth import TokenStore
from twin.campus_versions import CampusVersions
from twin.eventlog import EventStore, open_store
from twin.genesis import ensure_genesis
from twin.projection import Projection
from twin.scene import SceneFile, build_scene_file
from twin.settings import Settings
from twin.tiles import SceneTileset, build_scene_tileset

CATCH_UP_INTERVAL_S = 0.1
"""How stale a read may be before the projection asks the log for newer events, s."""


class Twin:
    """The composition of a twin instance, shared by the API and the CLI."""

    def __init__(self, settings: Settings, campus: Campus | None = None):
        self.settings = settings
        self.base_campus = campus if campus is not None else load_campus(settings.data_dir)
        """The dataset as loaded, before any import recorded in the log."""
        self.versions = CampusVersions(self.base_campus)
        self._lock = threading.Lock()
        self._scenes: weakref.WeakKeyDictionary[Campus, SceneFile] = weakref.WeakKeyDictionary()
        self._tilesets: weakref.WeakKeyDictionary[Campus, SceneTileset] = (
            weakref.WeakKeyDictionary()
        )
        self._lookups: weakref.WeakKeyDictionary[Campus, CampusLookup] = weakref.WeakKeyDictionary()
        self._parts: weakref.WeakKeyDictionary[Campus, CampusScene] = weakref.WeakKeyDictionary()
        self._caught_up_at = 0.0

    @property
    def campus(self) -> Campus:
        """The campus as built now (the dataset with every import effective by now)."""
        return self.campus_at(None)

    def campus_at(self, at: datetime | None) -> Campus:
        """The campus as built at ``at`` (None: now): geometry has versions over time."""
        return self.versions.at(self.fresh(), at or datetime.now(UTC))

    def scene(self, at: datetime | None = None) -> SceneFile:
        """The GLB of the campus as built at ``at`` (None: now), built once per version."""
        campus = self.campus_at(at)
        with self._lock:
            found = self._scenes.get(campus)
            if found is None:
                found = self._scenes[campus] = build_scene_file(campus, self._scene_parts(campus))
            return found

    def tileset(self, at: datetime | None = None) -> SceneTileset:
        """The 3D Tiles tileset of the campus as built at ``at`` (None: now), once per version."""
        campus = self.campus_at(at)
        with self._lock:
            found = self._tilesets.get(campus)
            if found is None:
                parts = self._scene_parts(campus)
                found = self._tilesets[campus] = build_scene_tileset(campus, scene=parts)
            return found

    def scene_parts(self, at: datetime | None = None) -> CampusScene:
        """The mesh parts of the campus as built at ``at`` (None: now), built once per version
        and shared by its GLB, its tileset and rendered pictures (about 15 MB for the Flying
        Fish)."""
        campus = self.campus_at(at)
        with self._lock:
            return self._scene_parts(campus)

    def _scene_parts(self, campus: Campus) -> CampusScene:
        """:meth:`scene_parts` of ``campus``; call with the lock held."""
        found = self._parts.get(campus)
        if found is None:
            found = self._parts[campus] = build_scene(campus)
        return found

    @cached_property
    def store(self) -> EventStore:
        """The event log (migrated to the latest schema; genesis loaded if it was empty)."""
        store = open_store(self.settings.database_url)
        ensure_genesis(store, self.base_campus)
        return store

    @property
    def lookup(self) -> CampusLookup:
        """What is where on the campus as built now (spatial index, built once per version)."""
        campus = self.campus
        with self._lock:
            found = self._lookups.get(campus)
            if found is None:
                found = self._lookups[campus] = CampusLookup(campus)
            return found

    @cached_property
    def tokens(self) -> TokenStore:
        """The API tokens, kept in the same database as the log."""
        return TokenStore(self.store.engine)

    @cached_property
    def projection(self) -> Projection:
        projection = Projection(reducers.apply, reducers.UNPROJECTED_PREFIXES)
        projection.catch_up(self.store)
        return projection

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
