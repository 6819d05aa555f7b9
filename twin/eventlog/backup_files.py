"""The files of a format 3 backup: gzip segments with their SHA-256, and the manifest.

A segment is JSON Lines (:func:`twin.eventlog.backup_lines.encode`), gzip-compressed with
no timestamp (the same rows give the same bytes), written, flushed to disk and hashed as it
is written. The manifest (``manifest.json``) is written last, beside the segments, and
renamed into place: a backup directory always holds one complete manifest, and the segments
it names.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

from twin.eventlog.backup_lines import encode, lines
from twin.eventlog.errors import RestoreRefused

FORMAT = "flying-fish-twin/backup"
FORMAT_VERSION = 3
MANIFEST = "manifest.json"
SUFFIX = ".jsonl.gz"
_READ = 1 << 20


@dataclass(frozen=True)
class Segment:
    """One file of a backup: its path in the backup, SHA-256 of its bytes, size, rows."""

    file: str
    sha256: str
    bytes: int
    rows: int

    @classmethod
    def of(cls, entry: dict[str, Any]) -> Segment:
        """The segment a manifest entry describes."""
        return cls(
            str(entry["file"]), str(entry["sha256"]), int(entry["bytes"]), int(entry["rows"])
        )

    def as_entry(self) -> dict[str, Any]:
        """The segment as a manifest entry."""
        return asdict(self)

    def present(self, root: Path) -> bool:
        """Whether its file is in ``root`` with its size (a cheap check, not its digest)."""
        path = root / self.file
        return path.is_file() and path.stat().st_size == self.bytes


class _Hashing:
    """A binary file that hashes and counts what is written to it."""

    def __init__(self, out: IO[bytes]) -> None:
        self._out = out
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        self.size += len(data)
        return self._out.write(data)

    def flush(self) -> None:
        self._out.flush()


class SegmentWriter:
    """Writes one segment ``file`` of ``root`` (made or replaced), a record at a time."""

    def __init__(self, root: Path, file: str) -> None:
        self.file = file
        path = root / file
        path.parent.mkdir(parents=True, exist_ok=True)
        self._raw = path.open("wb")
        self._hashing = _Hashing(self._raw)
        self._out = gzip.GzipFile(fileobj=self._hashing, mode="wb", compresslevel=6, mtime=0)
        self.rows = 0

    def write(self, record: dict[str, Any]) -> None:
        """Add one record (a line)."""
        self._out.write(encode(record))
        self.rows += 1

    def close(self) -> Segment:
        """Finish the file, flush it to disk; return what the manifest says of it."""
        self._out.close()
        self._raw.flush()
        os.fsync(self._raw.fileno())
        self._raw.close()
        return Segment(self.file, self._hashing.digest.hexdigest(), self._hashing.size, self.rows)


def write_segment(root: Path, file: str, records: Iterable[dict[str, Any]]) -> Segment:
    """Write ``records`` as the segment ``file`` of ``root`` (made or replaced)."""
    writer = SegmentWriter(root, file)
    for record in records:
        writer.write(record)
    return writer.close()


def verify(root: Path, segments: list[Segment], progress: Callable[[str, int, int], None]) -> None:
    """Refuse, naming the file, a segment that is missing or whose bytes are not its digest."""
    for number, segment in enumerate(segments):
        progress(f"checking {segment.file}", number, len(segments))
        path = root / segment.file
        if not path.is_file():
            raise RestoreRefused(f"{path} is missing: the backup is incomplete, nothing restored")
        digest = hashlib.sha256()
        with path.open("rb") as source:
            while block := source.read(_READ):
                digest.update(block)
        if digest.hexdigest() != segment.sha256:
            raise RestoreRefused(
                f"{path} is corrupt: its SHA-256 is {digest.hexdigest()}, the manifest says "
                f"{segment.sha256}; nothing restored"
            )


def read_segment(root: Path, segment: Segment) -> Iterator[tuple[str, dict[str, Any]]]:
    """The records of a segment, each with where it is (``file:line``), its row count checked."""
    path = root / segment.file
    rows = 0
    try:
        with gzip.open(path, "rb") as source:
            for number, record in lines(source, str(path)):
                rows += 1
                yield f"{path}:{number}", record
    except (OSError, EOFError) as exc:  # bad gzip data (the digest is checked first)
        raise RestoreRefused(f"{path} cannot be read ({exc}); nothing restored") from exc
    if rows != segment.rows:
        raise RestoreRefused(f"{path} holds {rows} rows, the manifest says {segment.rows}")


def read_manifest(root: Path) -> dict[str, Any]:
    """The manifest of the backup in ``root`` (its format checked)."""
    path = root / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RestoreRefused(f"{path} cannot be read as a backup manifest ({exc})") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise RestoreRefused(f"{path} is not a twin backup manifest (no {FORMAT!r} format)")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise RestoreRefused(f"{path}: backup format {manifest.get('format_version')} unknown")
    return manifest


def write_manifest(root: Path, manifest: dict[str, Any]) -> None:
    """Write the manifest beside its segments and rename it into place (durably)."""
    partial = root / (MANIFEST + ".partial")
    with partial.open("w", encoding="utf-8") as out:
        json.dump(manifest, out, indent=1, ensure_ascii=False)
        out.write("\n")
        out.flush()
        os.fsync(out.fileno())
    os.replace(partial, root / MANIFEST)


def remove_unlisted(root: Path, kept: set[str]) -> int:
    """Delete the segments of ``root`` the manifest no longer names; returns how many."""
    removed = 0
    for path in root.rglob("*" + SUFFIX):
        if path.relative_to(root).as_posix() not in kept:
            path.unlink()
            removed += 1
    return removed
