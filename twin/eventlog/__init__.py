"""The twin's append-only event log (SQLite or PostgreSQL).

Facility metric readings are not events: they live in the measurements store
(:mod:`twin.eventlog.measurements`), written by ``EventStore.record_readings`` and read
through ``EventStore.readings``.

Every change to the campus is an event in one ``events`` table: a global ``seq``, a
``stream`` (the entity changed) and its ``version``, a ``type``, ``effective_at``,
``recorded_at``, the ``actor``, JSON ``data`` and an optional ``idempotency_key``.
An append names the stream version it was decided on; a taken version is refused with
:class:`VersionConflict`. State is a projection of the log (``read``, ``iter_all``).
"""

from twin.eventlog.backup import BackupReport, backup
from twin.eventlog.backup_restore import restore
from twin.eventlog.engine import make_engine, sqlite_url
from twin.eventlog.errors import (
    BackupRefused,
    EventLogError,
    IdempotencyConflict,
    RestoreRefused,
    UnstorableText,
    VersionConflict,
)
from twin.eventlog.idempotency import event_key
from twin.eventlog.measurements import (
    Measurement,
    RecordedReading,
    Retention,
    Skipped,
    Summary,
)
from twin.eventlog.migrate import current_revision, head_revision, upgrade
from twin.eventlog.models import NewEvent, RecordedEvent
from twin.eventlog.observations import Observation
from twin.eventlog.store import EventStore, open_store

__all__ = [
    "BackupRefused",
    "BackupReport",
    "EventLogError",
    "EventStore",
    "IdempotencyConflict",
    "Measurement",
    "NewEvent",
    "Observation",
    "RecordedEvent",
    "RecordedReading",
    "RestoreRefused",
    "Retention",
    "Skipped",
    "Summary",
    "UnstorableText",
    "VersionConflict",
    "backup",
    "current_revision",
    "event_key",
    "head_revision",
    "make_engine",
    "open_store",
    "restore",
    "sqlite_url",
    "upgrade",
]
