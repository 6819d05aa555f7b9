"""The refusal of a construction command: names the building, the stage and the rule."""

from __future__ import annotations

from typing import Any

from assets.events import DomainError, ErrorKind

NOT_FOUND_RULES = ("known-entity", "known-stage", "known-parcel")
"""Rules that refuse a name rather than a change: the thing named does not exist."""


class ConstructionError(DomainError):
    """A construction command the campus refuses.

    The message reads ``<entity>, stage <stage>: <why> (rule: <rule>)``; the parts are kept
    as attributes and in :attr:`details` (extra members of a problem+json body).
    :attr:`kind` tells a refusal of an unknown building, stage or parcel (``not_found``)
    from the refusal of a change (``refused``).
    """

    def __init__(
        self, entity: str, stage: str | None, rule: str, message: str, subject: str = "building"
    ):
        self.entity, self.stage, self.rule, self.subject = entity, stage, rule, subject
        self.kind: ErrorKind = "not_found" if rule in NOT_FOUND_RULES else "refused"
        where = f"{entity}, stage {stage}" if stage else entity
        super().__init__(f"{where}: {message} (rule: {rule})")

    @property
    def details(self) -> dict[str, Any]:
        """``building`` (or ``parcel``), ``stage`` and ``rule`` for the problem+json body."""
        return {self.subject: self.entity, "stage": self.stage, "rule": self.rule}
