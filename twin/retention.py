"""Retention of raw readings on a timer: what ``twin serve`` runs, once at start and then
every ``settings.retention_interval_s`` (see :meth:`twin.eventlog.EventStore.apply_retention`)."""

from __future__ import annotations

import logging
import threading

from twin.eventlog import EventStore, Retention
from twin.settings import Settings

log = logging.getLogger("twin.retention")


def apply_retention(store: EventStore, settings: Settings) -> Retention:
    """One pass with the settings' days: raw readings and reading keys dropped, rollups kept."""
    done = store.apply_retention(settings.readings_raw_days, settings.reading_keys_days)
    log.info(
        "retention: %d raw readings and %d keys dropped; raw readings kept since %s",
        done.readings_dropped,
        done.keys_dropped,
        done.raw_from.isoformat(),
    )
    return done


class RetentionTimer:
    """Runs :func:`apply_retention` at once and then every interval, in a daemon thread."""

    def __init__(self, store: EventStore, settings: Settings) -> None:
        self._store, self._settings = store, settings
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="twin-retention", daemon=True)

    def start(self) -> RetentionTimer:
        if self._settings.retention_interval_s > 0:
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                apply_retention(self._store, self._settings)
            except Exception:  # the next pass tries again; serving goes on
                log.exception("retention pass failed")
            self._stop.wait(self._settings.retention_interval_s)
