"""Recording an edit of one building, floor or unit: an import through the one write path.

:func:`apply_edit` checks the version the editor saw (HTTP ``If-Match``), lays the edit over the
campus as built at its effective date (:func:`assets.imports.edits.edit_batch`), plans it as an
import (every dataset rule, the leased-unit guard) and records it as dated geometry events
(:func:`twin.imports.service.record_import`). A refusal writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from assets.errors import DatasetError
from assets.imports.diff import CampusDiff
from assets.imports.edits import RULE_BOOKED, Edit, EditRefused, edit_batch
from assets.imports.reducers import geometry_stream
from twin.commands import PreconditionFailed
from twin.imports.service import plan_import, record_import
from twin.runtime import Twin


@dataclass(frozen=True)
class EditOutcome:
    """What an edit did: the changes, how many events, and its building's geometry version."""

    diff: CampusDiff
    events: int
    version: int


def geometry_version(twin: Twin, building_id: str, at: datetime | None = None) -> int:
    """The version of a building's geometry stream in effect at ``at`` (None: the latest):
    what a floor's or unit's ETag names too."""
    projection = twin.fresh()
    stream = geometry_stream("building", building_id)
    return projection.latest(stream)[1] if at is None else projection.version_at(stream, at)


def apply_edit(
    twin: Twin, edit: Edit, *, effective_at: datetime, if_version: int | None, actor: str
) -> EditOutcome:
    """Record ``edit`` effective from ``effective_at`` on behalf of ``actor``.

    Raises
    ------
    PreconditionFailed
        ``if_version`` is not the latest version of the building's geometry (412).
    EditRefused
        A rule refuses the edited campus, the feature is missing or exists already, or the
        edit removes a unit still leased or held; nothing is written.
    DomainError
        ``effective_at`` is before the latest geometry change recorded.
    VersionConflict
        Someone changed the same geometry meanwhile: nothing is written.
    """
    projection = twin.projection
    projection.catch_up(twin.store)
    stream = geometry_stream("building", edit.building)
    latest = projection.latest(stream)[1]
    if if_version is not None and if_version != latest:
        raise PreconditionFailed(stream, if_version, latest)
    source = f"{edit.operation} {edit.kind} {edit.id}"
    batch, prune = edit_batch(twin.campus_at(effective_at), edit, source)
    try:
        plan = plan_import(twin, batch, effective_at, prune=prune)
    except DatasetError as refused:
        raise EditRefused.of(refused) from None
    if plan.blocking:
        first = plan.blocking[0]
        raise EditRefused(
            first.unit,
            RULE_BOOKED,
            f"the {first.kind} {first.ref} takes it until {first.end}: terminate the lease "
            "or release the hold first",
        )
    planned = plan.versions.get(stream, latest)
    if if_version is not None and planned != if_version:  # written between the check and the plan
        raise PreconditionFailed(stream, if_version, planned)
    if plan.diff.is_empty or not _changes_its_kind(edit, plan.diff):
        return EditOutcome(plan.diff, 0, latest)
    written = record_import(twin, plan, actor)
    return EditOutcome(plan.diff, written, projection.latest(stream)[1])


def _changes_its_kind(edit: Edit, diff: CampusDiff) -> bool:
    """Whether the diff changes a floor or unit, for a floor or unit edit: one that gives a
    unit its own shape back would only draw its building's derived floors."""
    return edit.kind == "building" or any(c.kind in ("floor", "unit") for c in diff.changes)
