"""Site photos and documents attached to a building's stage or a schedule activity.

An attachment lives on the stream ``evidence:<entity>`` (one per building or work package):
``EvidenceAttached`` names the file by its SHA-256 (the content is stored elsewhere, by hash),
its media type and size (bytes), the ``stage`` and/or schedule ``activity``, ``taken_at`` (when
the photo was taken, ISO with offset), optional captions and who attached it;
``EvidenceRemoved`` takes it away again (the content stays where it is stored).

The attachment id is derived from the content and what it is attached to, so the same file
attached again to the same stage and activity is the same attachment (an idempotent retry),
while the same file on another stage is a second attachment of one stored file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from assets import growing_maps
from assets.clock import start_of
from assets.construction.catalogue import Entity
from assets.construction.errors import ConstructionError
from assets.events import DomainEvent

State = dict[str, Any]
MEDIA_TYPES = ("image/jpeg", "image/png", "image/webp", "application/pdf")
"""The kinds of evidence accepted, told by their content (:func:`sniff`), never by a name."""
IMAGES = MEDIA_TYPES[:3]
HISTORY_START = start_of(date(2019, 8, 20))
"""The campus's history begins: the Lingang Special Area established (assets/genesis.py)."""
CLOCK_SKEW = timedelta(minutes=5)
"""How far ahead of the server's clock a camera's ``taken_at`` may be."""


def stream_of(entity_id: str) -> str:
    """The evidence stream of a building or work package."""
    return f"evidence:{entity_id}"


def sniff(head: bytes) -> str | None:
    """The media type the first bytes of a file announce (JPEG, PNG, WebP, PDF), else None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return None


@dataclass(frozen=True)
class Attachment:
    """What is attached (the stored file) and to what; ``taken_at`` is aware."""

    sha256: str
    media_type: str
    bytes: int
    stage: str | None
    activity: str | None
    taken_at: datetime
    caption_zh: str | None = None
    caption_en: str | None = None
    filename: str | None = None

    def id_on(self, entity_id: str) -> str:
        """The attachment's id: the same content on the same target is the same attachment."""
        key = f"{self.sha256}|{entity_id}|{self.stage or ''}|{self.activity or ''}"
        return hashlib.sha256(key.encode()).hexdigest()[:16]


def decide_attach(
    entity: Entity,
    what: Attachment,
    activity_entity: str | None,
    state: State,
    now: datetime,
    actor: str,
) -> list[DomainEvent]:
    """``EvidenceAttached``, or nothing when the same attachment is already there.

    ``activity_entity`` is the building the named activity plans (None: none or no activity).

    Raises
    ------
    ConstructionError
        An unknown stage (not found), neither stage nor activity, an activity of another building,
        ``taken_at`` in the future or before the campus's history.
    """
    if what.stage is not None and what.stage not in entity.stages:
        raise ConstructionError(
            entity.id,
            what.stage,
            "known-stage",
            f"no such stage of a {entity.kind}: use one of {', '.join(entity.stages)}",
        )
    if what.stage is None and what.activity is None:
        raise ConstructionError(
            entity.id, None, "evidence-target", "name the stage or the schedule activity"
        )
    if activity_entity is not None and activity_entity != entity.id:
        raise ConstructionError(
            entity.id,
            what.stage,
            "activity-of-building",
            f"activity {what.activity!r} plans {activity_entity}, not {entity.id}",
        )
    if what.taken_at > now + CLOCK_SKEW:
        raise ConstructionError(
            entity.id,
            what.stage,
            "taken-not-future",
            f"taken_at {what.taken_at.isoformat()} is in the future",
        )
    if what.taken_at < HISTORY_START:
        raise ConstructionError(
            entity.id,
            what.stage,
            "taken-in-history",
            f"taken_at {what.taken_at.isoformat()} is before the campus's history begins "
            f"({HISTORY_START.date().isoformat()})",
        )
    ident = what.id_on(entity.id)
    if ident in state.get("items", {}) and not state["items"][ident].get("removed_at"):
        return []
    data = {
        "id": ident,
        "sha256": what.sha256,
        "media_type": what.media_type,
        "bytes": what.bytes,
        "building": entity.id,
        "stage": what.stage,
        "activity": what.activity,
        "taken_at": what.taken_at.isoformat(),
        "caption_zh": what.caption_zh,
        "caption_en": what.caption_en,
        "filename": what.filename,
        "by": actor,
    }
    return [DomainEvent(stream_of(entity.id), "EvidenceAttached", now, data)]


def decide_remove(entity_id: str, ident: str, reason: str, state: State, now: datetime):
    """``EvidenceRemoved`` for a present attachment.

    Raises
    ------
    ConstructionError
        No such attachment on that building (not found), or removed already (refused).
    """
    item = state.get("items", {}).get(ident)
    if item is None:
        error = ConstructionError(
            entity_id, None, "known-evidence", f"no attachment {ident!r} on {entity_id}"
        )
        error.kind = "not_found"
        raise error
    if item.get("removed_at"):
        raise ConstructionError(
            entity_id, item.get("stage"), "evidence-present", f"{ident} was removed already"
        )
    data = {"id": ident, "reason": reason}
    return [DomainEvent(stream_of(entity_id), "EvidenceRemoved", now, data)]


def evidence_attached(state: State, data: Mapping[str, Any], at: datetime) -> State:
    """An attachment under ``items[id]``, with ``attached_at`` (when it was recorded)."""
    item = {**data, "attached_at": at.isoformat(), "removed_at": None}
    return growing_maps.put(state, "items", data["id"], item)


def evidence_removed(state: State, data: Mapping[str, Any], at: datetime) -> State:
    """The attachment marked ``removed_at`` with the ``removal_reason``."""
    removed = {**state["items"][data["id"]], "removed_at": at.isoformat()}
    return growing_maps.put(
        state, "items", data["id"], removed | {"removal_reason": data["reason"]}
    )


REDUCERS = {"EvidenceAttached": evidence_attached, "EvidenceRemoved": evidence_removed}
"""Event type -> reducer, registered in :mod:`twin.reducers`."""
