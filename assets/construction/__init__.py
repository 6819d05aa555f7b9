"""Construction of the campus: stages of every building and facility work package, the rules
that chain them, planned against actual, forecasts, GFA by state and milestones.

Pure: no database, no web framework. Commands are decided by
:func:`~assets.construction.commands.decide`; the history is folded by :data:`REDUCERS`.
"""

from assets.construction.catalogue import WORK_PACKAGES, Entity, WorkPackage, entities, entity
from assets.construction.commands import (
    Command,
    CompleteStage,
    ReportProgress,
    RescheduleStage,
    StartStage,
    decide,
)
from assets.construction.errors import ConstructionError
from assets.construction.reducers import REDUCERS
from assets.construction.stages import (
    STAGE_NAMES,
    STAGES,
    WORKS_STAGES,
    current_stage,
    stage_record,
)

__all__ = [
    "REDUCERS",
    "STAGES",
    "STAGE_NAMES",
    "WORKS_STAGES",
    "WORK_PACKAGES",
    "Command",
    "CompleteStage",
    "ConstructionError",
    "Entity",
    "ReportProgress",
    "RescheduleStage",
    "StartStage",
    "WorkPackage",
    "current_stage",
    "decide",
    "entities",
    "entity",
    "stage_record",
]
