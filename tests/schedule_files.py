"""Schedule files for tests, built with MPXJ's own writers (no downloaded samples): Primavera
P6 (XER, P6 XML) and MSPDI, from a list of activities."""

from __future__ import annotations

from pathlib import Path

from assets.construction.activities import Activity
from assets.construction.schedule_file import add_links, java_datetime, mpxj_package

FORMATS = {".xer": "XER", ".xml": "PMXML"}


def write_p6(acts: list[Activity], path: Path) -> Path:
    """``acts`` as a P6 file (``.xer`` or P6 XML ``.xml``): ids as Activity IDs; codes are
    not written (P6 keeps them elsewhere), so a mapping file maps them."""
    org = mpxj_package()
    project = org.ProjectFile()
    days = org.TimeUnit.DAYS
    tasks = {}
    for a in acts:
        t = project.addTask()
        t.setName(a.name)
        t.setActivityID(a.id)
        start, finish = java_datetime(a.start, False), java_datetime(a.finish, True)
        for setter in ("Start", "PlannedStart", "EarlyStart", "RemainingEarlyStart"):
            getattr(t, f"set{setter}")(start)
        for setter in ("Finish", "PlannedFinish", "EarlyFinish", "RemainingEarlyFinish"):
            getattr(t, f"set{setter}")(finish)
        t.setDuration(org.Duration.getInstance(a.duration_days, days))
        t.setPlannedDuration(org.Duration.getInstance(a.duration_days, days))
        remaining = a.duration_days * (100 - a.percent) / 100
        t.setRemainingDuration(org.Duration.getInstance(remaining, days))
        t.setPercentageComplete(a.percent)
        t.setMilestone(a.milestone)
        kind = "FINISH_MILESTONE" if a.milestone else "TASK_DEPENDENT"
        t.setActivityType(getattr(org.ActivityType, kind))
        if a.actual_start:
            t.setActualStart(java_datetime(a.actual_start, False))
        if a.actual_finish:
            t.setActualFinish(java_datetime(a.actual_finish, True))
        tasks[a.id] = t
    add_links(org, acts, tasks)
    fmt = getattr(org.writer.FileFormat, FORMATS[path.suffix])
    org.writer.UniversalProjectWriter(fmt).write(project, str(path))
    return path
