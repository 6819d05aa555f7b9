"""One running twin: its settings, the loaded campus, its history and what derives from them."""

from __future__ import annotations

import threading
import time
from datetime import datetime
from functools import cached_property

from assets.campus import Campus
from assets.dataset import load_campus
from assets.lookup import CampusLookup
from twin import reducers
from twin.auth import TokenStore
from twin.eventlog import EventStore, open_store
from twin.genesis import ensure_genesis
from twin.projection import Projection
from twin.scene import SceneFile, build_scene_file
from twin.settings import Settings

CATCH_UP_INTERVAL_S = 0.1
"""How stale a read may be before the projection asks the log for newer events, s."""


class Twin:
    """The composition of a twin instance, shared by the API and the CLI."""

    def __init__(self, settings: Settings, campus: Campus | None = None):
        self.settings = settings
        self.campus = campus if campus is not None else load_campus(settings.data_dir)
        self._lock = threading.Lock()
        self._caught_up_at = 0.0

    @cached_property
    def _scene(self) -> SceneFile:
        return build_scene_file(self.campus)

    def scene(self) -> SceneFile:
        """The campus GLB, built on first use (thread-safe) and cached."""
        with self._lock:
            return self._scene

    @cached_property
    def store(self) -> EventStore:
        """The event log (migrated to the latest schema; genesis loaded if it was empty)."""
        store = open_store(self.settings.database_url)
        ensure_genesis(store, self.campus)
        return store

    @cached_property
    def lookup(self) -> CampusLookup:
        """What is where on the campus (spatial index, built on first use)."""
        return CampusLookup(self.campus)

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
