"""Backups of the log and the measurements store: a directory, written incrementally.

A backup (format 3) is a directory holding ``manifest.json`` and gzip segments
(:mod:`twin.eventlog.backup_files`):

- ``events/AAAAAAAAAAAA-BBBBBBBBBBBB-gN.jsonl.gz``: the events with seq in (after, through],
  at most :data:`CHUNK_EVENTS` a chunk. A later backup writes the new events as new chunks
  and keeps the others while each still holds what it held (count, last seq and when that
  one was recorded: the log is append-only; ``twin db check --quarantine`` is what deletes);
- ``days/YYYY-MM-DD-gN.jsonl.gz``: a UTC day of the measurements store, its raw readings and
  rollups, and ``days/YYYY-MM-DD-gN.keys.jsonl.gz`` the idempotency keys of its readings;
  written again only when the day changed (:mod:`twin.eventlog.measurements.days`);
- ``series-gN.jsonl.gz``: the dictionary of series.

``N`` is the backup's generation: a segment written again gets a new name, the manifest is
renamed into place last and then the segments it no longer names are deleted, so the
directory holds a complete backup at every instant. Everything is read in one transaction
(repeatable read on PostgreSQL): a consistent snapshot, taken while writers carry on.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, func, select

from twin.eventlog.backup_files import (
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    SUFFIX,
    Segment,
    SegmentWriter,
    read_manifest,
    remove_unlisted,
    write_manifest,
    write_segment,
)
from twin.eventlog.backup_lines import encode
from twin.eventlog.errors import BackupRefused, RestoreRefused
from twin.eventlog.measurements import days
from twin.eventlog.measurements.retention import raw_from_us
from twin.eventlog.schema import events

if TYPE_CHECKING:
    from twin.eventlog.store import EventStore

CHUNK_EVENTS = 100_000
"""Most events in one chunk."""
Progress = Callable[[str, int, int], None]
"""Told what is being written, how many steps are done and how many there are."""
_OURS = re.compile(
    r"events|days|(events/|days/|series-).*-g\d+(\.keys)?\.jsonl\.gz|manifest\.json\.partial"
)
"""The paths of a backup's directory (those a run cut short leaves too)."""
_GENERATION = re.compile(r"-g(\d+)(?:\.keys)?\.jsonl\.gz$")


@dataclass(frozen=True)
class BackupReport:
    """What a backup wrote: sizes of the whole backup and of what this run copied."""

    path: Path
    generation: int
    incremental: bool
    events: int
    events_written: int
    chunks_written: int
    days: int
    days_written: int
    bytes_written: int


def backup(
    store: EventStore, dest: str | Path, *, full: bool = False, progress: Progress | None = None
) -> BackupReport:
    """Back up ``store`` into the directory ``dest``: incrementally onto the backup it holds
    (only what changed since is written), or whole (``full``, or a new directory)."""
    root = Path(dest)
    previous, last = _previous(root, full)
    root.mkdir(parents=True, exist_ok=True)
    generation = max(last, _last_generation_named(root)) + 1
    snapshot = store.engine
    if store.dialect == "postgresql":
        snapshot = snapshot.execution_options(isolation_level="REPEATABLE READ")
    run = _Run(root, generation, progress)
    with snapshot.begin() as conn:
        head = conn.execute(select(func.max(events.c.seq))).scalar() or 0
        chunks = run.events(conn, head, previous.get("events", {}).get("chunks", []))
        stored = previous.get("measurements", {})
        measurements = run.measurements(conn, stored.get("days", []), stored.get("series"))
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "generation": generation,
        "created_at": datetime.now(UTC).isoformat(),
        "compression": "gzip",
        "events": {"count": sum(c["rows"] for c in chunks), "head": head, "chunks": chunks},
        "measurements": measurements,
    }
    write_manifest(root, manifest)
    remove_unlisted(root, set(_files(manifest)))
    return BackupReport(
        root,
        generation,
        bool(previous),
        manifest["events"]["count"],
        run.events_written,
        run.chunks_written,
        len(measurements["days"]),
        run.days_written,
        run.bytes_written + (root / MANIFEST).stat().st_size,
    )


def _previous(root: Path, full: bool) -> tuple[dict[str, Any], int]:
    """The manifest to build on ({} for a full backup) and the generation of the one there
    (0: none), refusing a target that is not a backup."""
    if root.exists() and not root.is_dir():
        raise BackupRefused(f"cannot back up to {root}: it is a file; a backup is a directory")
    if not root.exists() or not any(root.iterdir()):
        return {}, 0
    if not (root / MANIFEST).exists():
        if all(_OURS.fullmatch(p.relative_to(root).as_posix()) for p in root.rglob("*")):
            return {}, 0  # the first backup there was cut short: start again
        raise BackupRefused(
            f"cannot back up to {root}: the directory holds other files and no {MANIFEST}; "
            "give a new or empty directory, or an earlier backup"
        )
    try:
        manifest = read_manifest(root)
    except RestoreRefused as exc:
        if full:
            return {}, 0
        raise BackupRefused(f"{exc}: back up with --full to write a new one there") from exc
    return {} if full else manifest, int(manifest.get("generation", 0))


def _last_generation_named(root: Path) -> int:
    """The highest generation named in ``root``'s files (those of a backup cut short too)."""
    found = [int(m.group(1)) for p in root.rglob("*" + SUFFIX) if (m := _GENERATION.search(p.name))]
    return max(found, default=0)


def _files(manifest: dict[str, Any]) -> list[str]:
    """Every segment file a manifest names."""
    stored = manifest["measurements"]
    found = [c["file"] for c in manifest["events"]["chunks"]]
    found += [stored["series"]["file"]] if stored.get("series") else []
    for day in stored["days"]:
        found += [day["values"]["file"]] + ([day["keys"]["file"]] if day.get("keys") else [])
    return found


def segments_of(manifest: dict[str, Any]) -> list[Segment]:
    """Every segment of a manifest, in the order a restore reads them."""
    stored = manifest["measurements"]
    found = [Segment.of(stored["series"])] if stored.get("series") else []
    found += [Segment.of(c) for c in manifest["events"]["chunks"]]
    for day in stored["days"]:
        found += [Segment.of(day["values"])] + ([Segment.of(day["keys"])] if day["keys"] else [])
    return found


class _Run:
    """One backup run: writes the segments that changed, keeps the others, counts."""

    def __init__(self, root: Path, generation: int, progress: Progress | None) -> None:
        self.root, self.generation = root, generation
        self._progress = progress or (lambda what, done, total: None)
        self.events_written = self.chunks_written = self.days_written = self.bytes_written = 0

    def _written(self, segment: Segment) -> Segment:
        self.bytes_written += segment.bytes
        return segment

    # -- events ------------------------------------------------------------------------------

    def events(self, conn: Connection, head: int, stored: list[dict[str, Any]]) -> list[dict]:
        """The chunks of events up to ``head``: those unchanged kept, the others written."""
        kept: list[dict[str, Any]] = []
        ranges: list[tuple[int, int]] = []
        covered = 0
        for chunk in stored:
            if chunk["after"] != covered or chunk["through"] > head:
                break
            same = _chunk_state(conn, chunk["after"], chunk["through"]) == _state_of(chunk)
            if same and Segment.of(chunk).present(self.root):
                kept.append(chunk)
            else:
                ranges.append((chunk["after"], chunk["through"]))
            covered = chunk["through"]
        if head > covered:
            ranges.append((covered, head))
        for number, (after, through) in enumerate(ranges):
            self._progress(f"events {after + 1:,}–{through:,}", number, len(ranges))
            kept.extend(self._write_events(conn, after, through))
        return sorted(kept, key=lambda c: c["after"])

    def _write_events(self, conn: Connection, after: int, through: int) -> list[dict[str, Any]]:
        query = (
            select(events)
            .where(events.c.seq > after, events.c.seq <= through)
            .order_by(events.c.seq)
        )
        written: list[dict[str, Any]] = []
        rows: list[dict[str, Any]] = []
        start = after
        for row in conn.execution_options(yield_per=5000).execute(query):
            rows.append(row._asdict())
            if len(rows) == CHUNK_EVENTS:
                written.append(self._chunk(start, rows[-1]["seq"], rows))
                start, rows = rows[-1]["seq"], []
        if rows or start < through:
            written.append(self._chunk(start, through, rows))
        return written

    def _chunk(self, after: int, through: int, rows: list[dict[str, Any]]) -> dict[str, Any]:
        name = f"events/{after + 1:012d}-{through:012d}-g{self.generation}{SUFFIX}"
        segment = self._written(write_segment(self.root, name, rows))
        self.events_written += len(rows)
        self.chunks_written += 1
        last = rows[-1] if rows else None
        state = {
            "count": len(rows),
            "last": last["seq"] if last else None,
            "last_recorded_at": last["recorded_at"].isoformat() if last else None,
        }
        return {"after": after, "through": through, **state, **segment.as_entry()}

    # -- measurements ------------------------------------------------------------------------

    def measurements(
        self, conn: Connection, stored: list[dict[str, Any]], series: dict[str, Any] | None
    ) -> dict[str, Any]:
        """The days of the store (changed ones written) and the dictionary of series."""
        before = {entry["day"]: entry for entry in stored}
        entries: dict[date, dict[str, Any]] = {}
        changed: list[date] = []
        for day, state in days.states(conn).items():
            entry = before.get(day.isoformat())
            if entry is not None and _unchanged(entry, state, self.root):
                entries[day] = entry
            else:
                changed.append(day)
                entries[day] = {"day": day.isoformat(), **state.as_entry()}
        steps = len(changed) + 1
        for number, day in enumerate(changed):
            self._progress(f"readings of {day.isoformat()}", number, steps)
            name = f"days/{day.isoformat()}-g{self.generation}{SUFFIX}"
            values = self._written(write_segment(self.root, name, days.day_rows(conn, day)))
            entries[day] |= {"values": values.as_entry(), "keys": None}
        self._progress("idempotency keys", len(changed), steps)
        writers: dict[date, SegmentWriter] = {}
        for day, record in days.key_rows(conn, set(changed)):
            if day not in writers:
                name = f"days/{day.isoformat()}-g{self.generation}.keys{SUFFIX}"
                writers[day] = SegmentWriter(self.root, name)
            writers[day].write(record)
        for day, writer in writers.items():
            entries[day]["keys"] = self._written(writer.close()).as_entry()
        self.days_written = len(changed)
        self._progress("done", steps, steps)
        return {
            "series": self._series(conn, series),
            "raw_from": raw_from_us(conn) or None,
            "keys_from": days.keys_from(conn),
            "days": [entries[day] for day in sorted(entries)],
        }

    def _series(self, conn: Connection, stored: dict[str, Any] | None) -> dict[str, Any]:
        rows = days.series_rows(conn)
        content = hashlib.sha256(b"".join(encode(row) for row in rows)).hexdigest()
        if stored and stored["content"] == content and Segment.of(stored).present(self.root):
            return stored
        name = f"series-g{self.generation}{SUFFIX}"
        return {
            "content": content,
            **self._written(write_segment(self.root, name, rows)).as_entry(),
        }


def _chunk_state(conn: Connection, after: int, through: int) -> dict[str, Any]:
    """What the log holds in (after, through]: count, last seq, when that one was recorded."""
    count, last = conn.execute(
        select(func.count(), func.max(events.c.seq)).where(
            events.c.seq > after, events.c.seq <= through
        )
    ).one()
    recorded = None
    if last is not None:
        at = conn.execute(select(events.c.recorded_at).where(events.c.seq == last)).scalar_one()
        recorded = at.isoformat()
    return {"count": count, "last": last, "last_recorded_at": recorded}


def _state_of(chunk: dict[str, Any]) -> dict[str, Any]:
    return {k: chunk[k] for k in ("count", "last", "last_recorded_at")}


def _unchanged(entry: dict[str, Any], state: days.DayState, root: Path) -> bool:
    """Whether a day's segments still hold what the store holds of it."""
    if {k: entry[k] for k in ("n", "total", "raw")} != state.as_entry():
        return False
    files = [entry["values"]] + ([entry["keys"]] if entry["keys"] else [])
    return all(Segment.of(f).present(root) for f in files)
