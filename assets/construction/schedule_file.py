"""Schedule files in and out through MPXJ (Microsoft Project .mpp and MSPDI .xml, Primavera
P6 .xer and P6 XML): read into :class:`~assets.construction.activities.Activity`, written as
MSPDI XML.

MPXJ runs on Java through JPype. The JVM starts on the first read or write (about 2 s) and
stays for the process, so nothing here is imported by the API at start-up.

Conventions: an activity's id is P6's Activity ID, else the task's ``Text2`` (which the
twin's export writes), else ``uid-<Unique ID>``. It plans a stage when the mapping file
names its id, or its ``Text1`` or its id reads ``<building or work package>/<stage>``.
Summary tasks and the project summary are left out. Dates are taken as campus-local.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from assets.construction.activities import LINK_TYPES, Activity, Link, ScheduleError

CODE = re.compile(r"^\s*([a-z0-9][a-z0-9-]*)/([a-z_]+)\s*$")
"""``<entity>/<stage>``, e.g. ``fish-head-t1/structure``."""


def mpxj_package() -> Any:
    """The ``org.mpxj`` Java package, starting the JVM on first use."""
    import jpype
    import mpxj  # noqa: F401  (puts MPXJ's jars on the class path)

    if not jpype.isJVMStarted():
        jpype.startJVM(convertStrings=True)
    return jpype.JPackage("org").mpxj


def _date(value: Any) -> date | None:
    return (
        None
        if value is None
        else date(value.getYear(), value.getMonthValue(), value.getDayOfMonth())
    )


def _days(duration: Any, properties: Any, org: Any) -> float:
    if duration is None:
        return 0.0
    return float(duration.convertUnits(org.TimeUnit.DAYS, properties).getDuration())


def _key(task: Any) -> str:
    return str(task.getActivityID() or task.getText(2) or f"uid-{task.getUniqueID()}")


def _code(key: str, task: Any, mapping: Mapping[str, str]) -> tuple[str | None, str | None]:
    for text in (mapping.get(key), task.getText(1), key):
        m = CODE.match(str(text)) if text else None
        if m:
            return m.group(1), m.group(2)
    return None, None


def read_schedule(path: Path, mapping: Mapping[str, str] | None = None) -> list[Activity]:
    """The activities of the schedule file at ``path`` (any format MPXJ reads).

    Raises
    ------
    ScheduleError
        ``readable`` when MPXJ cannot read it, ``dates`` for an activity without dates.
    """
    org = mpxj_package()
    try:
        project = org.reader.UniversalProjectReader().read(str(path))
    except Exception as e:  # a Java exception: the file is not a schedule MPXJ knows
        raise ScheduleError(
            path.name, None, "readable", f"not a schedule MPXJ reads: {e}"
        ) from None
    if project is None:
        raise ScheduleError(path.name, None, "readable", "not a schedule MPXJ reads")
    props = project.getProjectProperties()
    tasks = [t for t in project.getTasks() if t.getUniqueID() and not t.getSummary()]
    keys = {int(t.getUniqueID()): _key(t) for t in tasks}
    out = []
    for t in tasks:
        key = keys[int(t.getUniqueID())]
        start, finish = _date(t.getStart()), _date(t.getFinish())
        if start is None or finish is None:
            raise ScheduleError(path.name, key, "dates", "an activity needs a start and a finish")
        entity, stage = _code(key, t, mapping or {})
        links = tuple(
            Link(
                keys[int(r.getPredecessorTask().getUniqueID())],
                _link_type(r),
                _days(r.getLag(), props, org),
            )
            for r in t.getPredecessors()
            if int(r.getPredecessorTask().getUniqueID()) in keys
        )
        out.append(
            Activity(
                id=key,
                name=str(t.getName() or key),
                start=start,
                finish=finish,
                duration_days=_days(t.getDuration(), props, org),
                percent=float(t.getPercentageComplete() or 0.0),
                actual_start=_date(t.getActualStart()),
                actual_finish=_date(t.getActualFinish()),
                milestone=bool(t.getMilestone()),
                entity=entity,
                stage=stage,
                predecessors=links,
                not_before=_not_before(t, org),
            )
        )
    return out


def _not_before(task: Any, org: Any) -> date | None:
    """The task's "start no earlier than" date (MSPDI constraint type 4), if it has one."""
    snet = org.ConstraintType.START_NO_EARLIER_THAN
    return _date(task.getConstraintDate()) if task.getConstraintType() == snet else None


def _link_type(relation: Any) -> Any:
    name = str(relation.getType().toString())
    return name if name in LINK_TYPES else "FS"


def java_datetime(day: date, end: bool) -> Any:
    import java.time

    moment = datetime.combine(day, time(17) if end else time(8))
    return java.time.LocalDateTime.of(moment.year, moment.month, moment.day, moment.hour, 0)


RELATION = {"FS": "FINISH_START", "SS": "START_START", "FF": "FINISH_FINISH", "SF": "START_FINISH"}


def add_links(org: Any, acts: Iterable[Activity], tasks: Mapping[str, Any]) -> None:
    """Add each activity's predecessor links (type, lag in days) to its MPXJ task."""
    for a in acts:
        for link in a.predecessors:
            tasks[a.id].addPredecessor(
                org.Relation.Builder()
                .predecessorTask(tasks[link.activity])
                .type(getattr(org.RelationType, RELATION[link.type]))
                .lag(org.Duration.getInstance(link.lag_days, org.TimeUnit.DAYS))
            )


def write_mspdi(acts: Iterable[Activity], path: Path, title: str = "Flying Fish schedule") -> None:
    """Write ``acts`` as MSPDI XML (Microsoft Project's XML, which MPXJ reads back): the
    activity id in ``Text2``, its ``entity/stage`` code in ``Text1``."""
    org = mpxj_package()
    project = org.ProjectFile()
    project.getProjectProperties().setName(title)
    tasks = {}
    acts = list(acts)
    for a in acts:
        t = project.addTask()
        t.setName(a.name)
        t.setText(2, a.id)
        if a.code:
            t.setText(1, a.code)
        t.setStart(java_datetime(a.start, False))
        t.setFinish(java_datetime(a.finish, True))
        t.setDuration(org.Duration.getInstance(a.duration_days, org.TimeUnit.DAYS))
        t.setPercentageComplete(a.percent)
        t.setMilestone(a.milestone)
        if a.not_before:
            t.setConstraintType(org.ConstraintType.START_NO_EARLIER_THAN)
            t.setConstraintDate(java_datetime(a.not_before, False))
        if a.actual_start:
            t.setActualStart(java_datetime(a.actual_start, False))
        if a.actual_finish:
            t.setActualFinish(java_datetime(a.actual_finish, True))
        tasks[a.id] = t
    add_links(org, acts, tasks)
    org.writer.UniversalProjectWriter(org.writer.FileFormat.MSPDI).write(project, str(path))
