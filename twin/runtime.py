"""One running twin: its settings, the loaded campus and what is derived from it."""

from __future__ import annotations

import threading
from functools import cached_property

from assets.campus import Campus
from assets.dataset import load_campus
from twin.scene import SceneFile, build_scene_file
from twin.settings import Settings


class Twin:
    """The composition of a twin instance, shared by the API and the CLI."""

    def __init__(self, settings: Settings, campus: Campus | None = None):
        self.settings = settings
        self.campus = campus if campus is not None else load_campus(settings.data_dir)
        self._scene_lock = threading.Lock()

    @cached_property
    def _scene(self) -> SceneFile:
        return build_scene_file(self.campus)

    def scene(self) -> SceneFile:
        """The campus GLB, built on first use (thread-safe) and cached."""
        with self._scene_lock:
            return self._scene
