"""Domain errors of the physical campus, each with a message meant for a person."""

from __future__ import annotations


class DatasetError(ValueError):
    """A dataset file breaks a rule: names the file, the entity and the rule.

    Attributes
    ----------
    file : the dataset file's name, e.g. ``buildings.json``.
    entity : the id of the offending entity (or its position when it has no valid id).
    rule : a short rule name, e.g. ``containment``, ``overlap``, ``published-total``.
    """

    def __init__(self, file: str, entity: str, rule: str, detail: str):
        self.file, self.entity, self.rule, self.detail = file, entity, rule, detail
        super().__init__(f"{file}: {entity}: {detail} (rule: {rule})")
