"""Backups as directories, written incrementally (format 3), on SQLite and PostgreSQL: the
twin restored from one answers as the twin it was taken of (the log, facility statuses,
alerts, metric histories raw and from rollups), after a full backup and after an incremental
one that added a late reading on an old day and a new day; only what changed is written;
a missing or corrupt segment refuses the restore and changes nothing; format 2 still restores.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from assets.dataset import load_campus
from assets.facilities.readings import check_reading
from twin.eventlog import (
    BackupRefused,
    EventStore,
    Measurement,
    RestoreRefused,
    backup,
    open_store,
    restore,
)
from twin.eventlog.check import Unreadable, quarantine
from twin.facilities import queries
from twin.facilities.services import FacilityServices
from twin.genesis import ensure_genesis

T0 = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)
HALL, METRIC = "dc/hall-1", "supply_temp_c"
FORMAT_2 = Path(__file__).with_name("data") / "backup-format2.jsonl.gz"


@pytest.fixture(scope="module")
def campus():
    return load_campus()


def _send(services: FacilityServices, raws: list[dict]) -> None:
    now = datetime.now(UTC)
    services.ingest.record([check_reading(services.topology, r, now) for r in raws], "probe")


def _reading(minutes: float, value: float, key: str) -> Measurement:
    return Measurement(HALL, METRIC, T0 + timedelta(minutes=minutes), value, "°C", key)


def _fill(store: EventStore, campus) -> None:
    """Genesis, statuses raising alerts, three hours of readings, an ancient reading past
    raw retention (only its rollups kept)."""
    ensure_genesis(store, campus)
    services = FacilityServices.open(store, campus)
    at = T0.isoformat()
    _send(services, [{"facility": "feed-a", "status": "fault", "observed_at": at}])
    store.record_readings([], [_reading(i / 3, 15 + i % 17, f"k{i}") for i in range(540)], "p")
    store.record_readings([], [_reading(-60 * 24 * 200, 3.0, "ancient")], "probe")
    store.apply_retention(raw_days=90, key_days=7, now=T0 + timedelta(days=30))


def _filled(database_factory: Callable[[], str], campus) -> EventStore:
    """A new database, filled by :func:`_fill` (a context manager: closed after)."""
    store = open_store(database_factory())
    _fill(store, campus)
    return store


def _answers(store: EventStore, campus) -> tuple[object, ...]:
    services = FacilityServices.open(store, campus)
    end = T0 + timedelta(days=5)
    history = [
        queries.metric_history(services, HALL, METRIC, start, end, points)
        for start, points in ((T0, 50), (T0 - timedelta(days=300), 20), (T0, 100_000))
    ]
    return (
        store.read(limit=None),
        store.readings.recorded(),  # raw values and their keys
        store.readings.raw_from(),
        [
            store.readings.rollups(HALL, METRIC, w, T0 - timedelta(days=300), end)
            for w in (60, 3600, 86400)
        ],
        history,
        queries.facility_views(services, end, metrics=True),
        queries.alerts_at(services, end, 100),
    )


def _restored(database_factory: Callable[[], str], source: Path, campus) -> tuple[object, ...]:
    with open_store(database_factory()) as target:
        assert restore(target, source) == target.count()
        return _answers(target, campus)


def _files(root: Path) -> dict[str, int]:
    """Every segment of a backup -> its inode (a file written again gets a new one)."""
    return {p.relative_to(root).as_posix(): p.stat().st_ino for p in root.rglob("*.jsonl.gz")}


def test_an_incremental_backup_writes_what_changed_and_restores_the_same_answers(
    database_factory: Callable[[], str], tmp_path: Path, campus
) -> None:
    root = tmp_path / "backup"
    with _filled(database_factory, campus) as source:
        first = backup(source, root)
        assert not first.incremental and first.events_written == source.count()
        assert first.days == first.days_written == 2  # the ancient day and T0's
        assert _restored(database_factory, root, campus) == _answers(source, campus)
        before = _files(root)
        unchanged = backup(source, root)
        assert unchanged.incremental and unchanged.generation == 2
        assert (unchanged.events_written, unchanged.days_written) == (0, 0)
        assert _files(root) == before and unchanged.bytes_written < 20_000  # the manifest
        late = _reading(-30, 4.0, "late")  # on T0's day, already backed up
        new_day = _reading(60 * 24 * 3, 30.0, "new-day")
        too_old = _reading(-60 * 24 * 200 + 1, 4.0, "too-old")  # the ancient day: refused
        assert source.record_readings([], [late, new_day, too_old], "probe").expired == {
            "too-old"
        }
        _send(
            FacilityServices.open(source, campus),
            [
                {
                    "facility": "feed-a",
                    "status": "operational",
                    "observed_at": new_day.observed_at.isoformat(),
                }
            ],
        )
        second = backup(source, root)
        assert second.incremental and second.events_written >= 1 and second.chunks_written == 1
        assert (second.days, second.days_written) == (3, 2)
        after = _files(root)
        kept = {f for f in before if f in after and after[f] == before[f]}
        assert any(f.startswith("events/") for f in kept)  # the old chunk is not rewritten
        assert any("2025-06-19" in f for f in kept)  # nor the day left alone
        assert not any(f.startswith("days/2026-01-05") for f in kept)  # the late reading's is
        assert _restored(database_factory, root, campus) == _answers(source, campus)


def test_pruned_keys_dropped_days_and_quarantined_events_are_followed(
    database_factory: Callable[[], str], tmp_path: Path, campus
) -> None:
    root = tmp_path / "backup"
    with _filled(database_factory, campus) as source:
        backup(source, root)
        source.apply_retention(raw_days=1, key_days=1, now=datetime.now(UTC) + timedelta(days=3))
        victim = source.read(limit=None)[3]
        gone = Unreadable(victim.seq, victim.version, victim.stream, "a test", "{}")
        assert quarantine(source.engine, [gone]) == 1
        again = backup(source, root)
        assert again.chunks_written == 1 and again.events_written == source.count()
        assert again.days_written == 1  # T0's raw readings dropped; the ancient day unchanged
        answers = _answers(source, campus)
        assert all(r.key is None for r in answers[1])  # every key pruned
        # its key pruned and its raw value dropped: refused as expired (the horizon came back)
        retry = [_reading(-60 * 24 * 200 + 5, 1.0, "ancient")]
        with open_store(database_factory()) as target:
            restore(target, root)
            assert _answers(target, campus) == answers
            assert target.record_readings([], retry, "probe").expired == {"ancient"}
        assert source.record_readings([], retry, "probe").expired == {"ancient"}


def test_a_missing_or_corrupt_segment_refuses_the_restore_naming_it(
    database_factory: Callable[[], str], tmp_path: Path, campus
) -> None:
    with _filled(database_factory, campus) as source:
        root = backup(source, tmp_path / "backup").path
    manifest = json.loads((root / "manifest.json").read_text())
    day = root / manifest["measurements"]["days"][-1]["values"]["file"]
    chunk = root / manifest["events"]["chunks"][0]["file"]
    original = day.read_bytes()
    lines = gzip.decompress(original).splitlines(keepends=True)
    day.write_bytes(gzip.compress(b"".join(lines[:-1])))  # a row lost: valid gzip, other digest
    with open_store(database_factory()) as target:
        with pytest.raises(RestoreRefused, match=f"{day} is corrupt"):
            restore(target, root)
        day.write_bytes(original)
        chunk.unlink()
        with pytest.raises(RestoreRefused, match=f"{chunk} is missing"):
            restore(target, root)
        assert target.count() == 0 and target.readings.count() == 0
        assert target.readings.rollups(HALL, METRIC, 86400, T0 - timedelta(days=300), T0) == []
    with _filled(database_factory, campus) as source:  # the next backup writes it again
        assert backup(source, root).chunks_written == 1


def test_a_format_2_backup_still_restores(database_factory: Callable[[], str], tmp_path: Path):
    """The file was written by ``twin backup`` before format 3 (3 events, 120 raw readings,
    their rollups and keys, a retention horizon)."""
    with open_store(database_factory()) as old:
        assert restore(old, FORMAT_2) == 3
        assert old.readings.count() == 120 and old.readings.raw_from() is not None
        answers = old.read(limit=None), old.readings.recorded(), old.readings.latest_all()
        backup(old, tmp_path / "backup")
    with open_store(database_factory()) as target:
        restore(target, tmp_path / "backup")
        assert (
            target.read(limit=None),
            target.readings.recorded(),
            target.readings.latest_all(),
        ) == answers


def test_a_target_that_is_not_a_backup_is_refused(store: EventStore, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(BackupRefused, match="it is a file"):
        backup(store, tmp_path / "file")
    (tmp_path / "other" / "notes").mkdir(parents=True)
    with pytest.raises(BackupRefused, match="holds other files and no manifest"):
        backup(store, tmp_path / "other")
    assert [p.name for p in (tmp_path / "other").iterdir()] == ["notes"]
    cut = tmp_path / "cut" / "events" / "000000000001-000000000009-g1.jsonl.gz"
    cut.parent.mkdir(parents=True)
    cut.write_bytes(b"a first backup cut short")  # and no manifest yet
    assert backup(store, tmp_path / "cut").generation == 2 and not cut.exists()
