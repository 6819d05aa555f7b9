"""Evidence in the running twin: files checked by their content, stored by hash, attached and
removed through :func:`twin.commands.run_command`, listed as known at any instant."""

from __future__ import annotations

import hashlib
import io
import warnings
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PIL import Image

from assets.construction.activities import ScheduleError
from assets.construction.catalogue import entities
from assets.construction.catalogue import entity as find_entity
from assets.construction.evidence import (
    IMAGES,
    Attachment,
    decide_attach,
    decide_remove,
    sniff,
    stream_of,
)
from assets.events import DomainEvent
from twin.commands import run_command
from twin.construction.evidence_storage import (
    EvidenceStorage,
    LocalEvidenceStorage,
    S3EvidenceStorage,
)
from twin.construction.schedule import activities_at
from twin.eventlog import RecordedEvent
from twin.runtime import Twin

THUMBNAIL_PX = 320
"""Longest side of an image's thumbnail, pixels."""


class UnsupportedEvidence(ValueError):
    """A file that is not, by its content, a JPEG, PNG, WebP image or a PDF document."""


def storage(twin: Twin) -> EvidenceStorage:
    """Where this twin keeps evidence files: its S3 bucket when one is set, else its folder."""
    settings = twin.settings
    if settings.evidence_s3_bucket:
        return S3EvidenceStorage(settings.evidence_s3_bucket, settings.evidence_s3_endpoint)
    return LocalEvidenceStorage(Path(settings.evidence_dir))


EXTENSIONS = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}
EXTENSIONS |= {".webp": "image/webp", ".pdf": "application/pdf"}
UNDECLARED = ("", "application/octet-stream")
"""Declared types that claim nothing (the content alone decides)."""


def media_type_of(data: bytes, filename: str | None = None, declared: str | None = None) -> str:
    """The media type ``data`` is, by its first bytes; an image must also decode (Pillow). A
    ``filename`` extension or ``declared`` type that claims another kind is refused too (a
    PNG named .pdf is a mistake or a disguise).

    Raises
    ------
    UnsupportedEvidence
        Naming what the content looks like, and the name or type that disagrees with it.
    """
    kind = sniff(data[:16])
    if kind is None:
        start = data[:64].lstrip().lower()
        looks = "markup (HTML or SVG)" if start.startswith(b"<") else "not a known kind"
        raise UnsupportedEvidence(
            f"the file's content is {looks}: evidence must be a JPEG, PNG or WebP photo or a "
            "PDF document (told by the content, not the name or the declared type)"
        )
    if kind in IMAGES:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                with Image.open(io.BytesIO(data)) as image:
                    image.verify()
        except Exception as bad:
            raise UnsupportedEvidence(
                f"the file starts as {kind} but does not decode: {bad}"
            ) from None
    suffix = Path(filename or "").suffix.lower()
    if suffix and EXTENSIONS.get(suffix) != kind:
        raise UnsupportedEvidence(f"the file is named {filename!r} but its content is {kind}")
    if (declared or "").split(";")[0].strip().lower() not in (*UNDECLARED, kind):
        raise UnsupportedEvidence(f"the file is declared {declared!r} but its content is {kind}")
    return kind


def attach(
    twin: Twin,
    entity_id: str,
    data: bytes,
    what: Attachment,
    *,
    actor: str,
    declared: str | None = None,
    now: datetime | None = None,
) -> tuple[dict[str, Any], bool]:
    """Check, store and attach ``data`` (``what`` names the target; its hash, type and size
    are worked out here, ``declared`` is the type the upload claimed); the attachment and whether it is new (False: already attached).

    Everything is checked before the file is stored: a refusal stores and records nothing.

    Raises
    ------
    UnsupportedEvidence, ConstructionError, ScheduleError
    """
    moment = now or datetime.now(UTC)
    target = find_entity(twin.campus, entity_id)
    planned_by = _activity_entity(twin, what.activity, moment)
    what = replace(
        what,
        media_type=media_type_of(data, what.filename, declared),
        bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    stream = stream_of(target.id)

    def decision(states: Mapping[str, dict], at: datetime) -> list[DomainEvent]:
        return decide_attach(target, what, planned_by, states[stream], at, actor)

    decision({stream: twin.fresh().latest(stream)[0]}, moment)  # refuses before storing
    storage(twin).put(data)
    recorded = run_command(
        twin.store, twin.projection, [stream], decision, actor=actor, retries=3, now=moment
    )
    return twin.fresh().latest(stream)[0]["items"][what.id_on(target.id)], bool(recorded)


def remove(
    twin: Twin, entity_id: str, ident: str, reason: str, *, actor: str
) -> list[RecordedEvent]:
    """Remove attachment ``ident`` of a building (the stored file stays)."""
    stream = stream_of(find_entity(twin.campus, entity_id).id)
    return run_command(
        twin.store,
        twin.projection,
        [stream],
        lambda states, at: decide_remove(entity_id, ident, reason, states[stream], at),
        actor=actor,
    )


def listed(
    twin: Twin,
    at: datetime,
    building: str | None = None,
    stage: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> list[dict[str, Any]]:
    """Attachments present at ``at`` (as known then), newest ``taken_at`` first, optionally of
    one building and stage, taken between ``start`` and ``end``."""
    chosen = [find_entity(twin.campus, building)] if building else entities(twin.campus)
    projection = twin.fresh()
    out = []
    for e in chosen:
        for item in projection.stream_at(stream_of(e.id), at).get("items", {}).values():
            taken = datetime.fromisoformat(item["taken_at"])
            if item["removed_at"] or (stage and item["stage"] != stage):
                continue
            if (start and taken < start) or (end and taken > end):
                continue
            out.append(item)
    return sorted(out, key=lambda i: (datetime.fromisoformat(i["taken_at"]), i["id"]), reverse=True)


def attached_type(twin: Twin, sha256: str) -> str | None:
    """The media type of a file attached now, else None (a removed one is not served)."""
    kinds = {i["sha256"]: i["media_type"] for i in listed(twin, datetime.now(UTC))}
    return kinds.get(sha256)


def attached_file(twin: Twin, sha256: str) -> tuple[bytes, str] | None:
    """The content and media type of a file attached now, else None."""
    kind = attached_type(twin, sha256)
    data = None if kind is None else storage(twin).get(sha256)
    return None if data is None or kind is None else (data, kind)


def thumbnail(twin: Twin, sha256: str) -> bytes | None:
    """A JPEG of at most :data:`THUMBNAIL_PX` pixels a side of an attached image (kept in
    memory by hash: content-addressed, it never goes stale), or None."""
    if sha256 in _THUMBNAILS and attached_type(twin, sha256):
        return _THUMBNAILS[sha256]
    found = attached_file(twin, sha256)
    if found is None or found[1] not in IMAGES:
        return None
    with Image.open(io.BytesIO(found[0])) as image:
        image.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX))
        out = io.BytesIO()
        image.convert("RGB").save(out, "JPEG", quality=80)
    if len(_THUMBNAILS) >= 512:
        _THUMBNAILS.clear()
    _THUMBNAILS[sha256] = out.getvalue()
    return _THUMBNAILS[sha256]


_THUMBNAILS: dict[str, bytes] = {}


def _activity_entity(twin: Twin, activity: str | None, at: datetime) -> str | None:
    if activity is None:
        return None
    acts = activities_at(twin, at)
    if activity not in acts:
        error = ScheduleError("schedule", activity, "known-activity", "no such activity")
        error.kind = "not_found"
        raise error
    return acts[activity].entity
