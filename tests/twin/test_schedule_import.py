"""Schedules in and out on a real log: P6 files (XER, P6 XML) and MSPDI built with MPXJ's
writers, imported through the write path (dry run, refusals naming file, activity and rule),
the fish's own schedule round-tripped through MSPDI, baselines and their variance."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from schedule_files import write_p6

from assets.clock import local_date
from assets.construction.activities import STREAM, Activity, Link, ScheduleError, activities
from assets.construction.schedule_file import read_schedule, write_mspdi
from assets.construction.stages import stage_record
from twin.construction.schedule import (
    activities_at,
    critical_at,
    import_schedule,
    plan_import,
    save_baseline,
    variance_at,
)
from twin.runtime import Twin
from twin.settings import Settings

TODAY = local_date(datetime.now(UTC))
ACTOR = "construction:alice"


def d(n: int) -> date:
    return TODAY + timedelta(days=n)


def programme(structure_finish: int = 300) -> list[Activity]:
    """Site works done; fish-body-b1's foundation a quarter done; its structure after it; a
    topping-out milestone; a crane on the structure's start plus 5 days."""
    return [
        Activity("SITE-01", "Site works", d(-40), d(-10), 30, 100, d(-40), d(-10)),
        Activity(
            "B1-FDN",
            "B1 foundation",
            d(-30),
            d(60),
            90,
            25,
            d(-30),
            predecessors=(Link("SITE-01", "FS", 0),),
        ),
        Activity(
            "B1-STR",
            "B1 structure",
            d(60),
            d(structure_finish),
            structure_finish - 60,
            predecessors=(Link("B1-FDN", "FS", 0),),
        ),
        Activity(
            "CRANE", "Tower crane", d(65), d(200), 135, predecessors=(Link("B1-STR", "SS", 5),)
        ),
        Activity(
            "MS-TOP",
            "B1 topped out",
            d(structure_finish),
            d(structure_finish),
            0,
            milestone=True,
            predecessors=(Link("B1-STR", "FF", 0),),
        ),
    ]


MAPPING = {"B1-FDN": "fish-body-b1/foundation", "B1-STR": "fish-body-b1/structure"}


@pytest.fixture
def twin(database_url):
    t = Twin(Settings.from_env(db=database_url))
    yield t
    t.close()


@pytest.mark.parametrize("suffix", [".xer", ".xml"])
def test_a_p6_schedule_imports_with_links_and_plans_its_stages(twin, tmp_path, suffix):
    # A structure long enough to end after every other stage of the campus.
    path = write_p6(programme(1300), tmp_path / f"p6{suffix}")
    incoming = read_schedule(path, MAPPING)
    assert sorted(a.id for a in incoming) == ["B1-FDN", "B1-STR", "CRANE", "MS-TOP", "SITE-01"]
    head = twin.store.head()
    plan = plan_import(twin, path.name, incoming, datetime.now(UTC))
    assert [(c.activity, c.kind) for c in plan.changes] == [(a.id, "added") for a in incoming]
    assert twin.store.head() == head  # the dry run wrote nothing
    recorded = import_schedule(twin, path.name, incoming, actor=ACTOR)
    assert {e.actor for e in recorded} == {ACTOR}
    state = twin.fresh().latest("building:fish-body-b1")[0]
    foundation = stage_record(state, "foundation")
    assert (foundation.actual_start, foundation.percent) == (d(-30), 25)
    assert (foundation.planned_start, foundation.planned_end) == (d(-30), d(60))
    assert stage_record(state, "structure").planned_end == d(1300)
    acts = activities_at(twin, datetime.now(UTC))
    assert acts["CRANE"].predecessors == (Link("B1-STR", "SS", 5.0),)
    assert acts["MS-TOP"].milestone and acts["SITE-01"].actual_finish == d(-10)
    timings = critical_at(twin, datetime.now(UTC))
    # One network with the campus's stages: B1's later stages wait for its structure (B1-STR
    # plans it), so the path runs on through them; the milestone has their 90 days of float.
    assert sorted(k for k, t in timings.items() if t.critical) == [
        "B1-FDN",
        "B1-STR",
        "fish-body-b1/acceptance",
        "fish-body-b1/envelope_mep",
    ]
    assert timings["MS-TOP"].total_float == 90
    assert Link("B1-STR", "SS") in acts["fish-body-b1/envelope_mep"].predecessors
    # Imported again unchanged: nothing to add or change.
    again = plan_import(twin, path.name, read_schedule(path, MAPPING), datetime.now(UTC))
    assert again.changes == [] and again.events == []


def test_refusals_name_the_file_the_activity_and_the_rule(twin, tmp_path):
    head = twin.store.head()
    bad_code = write_p6(programme(), tmp_path / "p6.xml")
    with pytest.raises(ScheduleError) as e:
        import_schedule(
            twin,
            bad_code.name,
            read_schedule(bad_code, {"B1-FDN": "fish-nose/foundation"}),
            actor=ACTOR,
        )
    assert (e.value.file, e.value.activity, e.value.rule) == ("p6.xml", "B1-FDN", "known-entity")
    # The structure cannot start before the foundation has: the stage rule refuses it.
    acts = programme()
    acts[2] = Activity("B1-STR", "B1 structure", d(-5), d(300), 305, 5, d(-5))
    early = write_p6(acts, tmp_path / "early.xer")
    with pytest.raises(ScheduleError) as e:
        import_schedule(
            twin,
            early.name,
            read_schedule(early, {"B1-STR": "fish-body-b1/structure"}),
            actor=ACTOR,
        )
    assert (e.value.file, e.value.activity, e.value.rule) == ("early.xer", "B1-STR", "stage-order")
    assert "early.xer, activity B1-STR" in str(e.value)
    assert twin.store.head() == head


def test_a_hand_made_mspdi_file_imports_by_text1_codes(twin, tmp_path):
    path = tmp_path / "hand.xml"
    path.write_text(HAND_MSPDI.format(start=d(30), finish=d(120)), encoding="utf-8")
    incoming = read_schedule(path)
    assert [(a.id, a.code) for a in incoming] == [
        ("uid-1", "fish-body-b2/foundation"),
        ("uid-2", None),
    ]
    assert incoming[1].predecessors == (Link("uid-1", "SS", 2.0),)
    import_schedule(twin, path.name, incoming, actor=ACTOR)
    state = twin.fresh().latest("building:fish-body-b2")[0]
    assert stage_record(state, "foundation").planned_end == d(120)


HAND_MSPDI = """<?xml version="1.0" encoding="UTF-8"?>
<Project xmlns="http://schemas.microsoft.com/project">
 <Name>hand</Name><MinutesPerDay>480</MinutesPerDay>
 <ExtendedAttributes>
  <ExtendedAttribute><FieldID>188743731</FieldID><FieldName>Text1</FieldName></ExtendedAttribute>
 </ExtendedAttributes>
 <Tasks>
  <Task><UID>1</UID><ID>1</ID><Name>B2 foundation</Name><Start>{start}T08:00:00</Start>
   <Finish>{finish}T17:00:00</Finish><Duration>PT720H0M0S</Duration>
   <ExtendedAttribute><FieldID>188743731</FieldID><Value>fish-body-b2/foundation</Value></ExtendedAttribute>
  </Task>
  <Task><UID>2</UID><ID>2</ID><Name>Piling rig</Name><Start>{start}T08:00:00</Start>
   <Finish>{finish}T17:00:00</Finish><Duration>PT720H0M0S</Duration>
   <PredecessorLink><PredecessorUID>1</PredecessorUID><Type>3</Type><LinkLag>9600</LinkLag>
    <LagFormat>7</LagFormat></PredecessorLink>
  </Task>
 </Tasks>
</Project>
"""


def test_the_fishs_own_schedule_round_trips_through_mspdi(twin, tmp_path):
    path = write_p6(programme(), tmp_path / "p6.xml")
    import_schedule(twin, path.name, read_schedule(path, MAPPING), actor=ACTOR)
    now = datetime.now(UTC)
    current = activities_at(twin, now)
    assert "fish-head-t1/structure" in current and "B1-FDN" in current
    out = tmp_path / "fish.xml"
    write_mspdi(current.values(), out)
    back = read_schedule(out)
    assert {a.id: a for a in back} == current
    imported = activities(twin.fresh().latest(STREAM)[0])  # the file's, not the stages'
    again = plan_import(twin, out.name, [a for a in back if a.id in imported], now)
    assert again.changes == [] and again.events == []


def test_baseline_variance_per_activity_and_per_building(twin, tmp_path):
    first = write_p6(programme(), tmp_path / "v1.xml")
    import_schedule(twin, first.name, read_schedule(first, MAPPING), actor=ACTOR)
    save_baseline(twin, "contract", actor=ACTOR)
    with pytest.raises(ScheduleError) as e:
        save_baseline(twin, "contract", actor=ACTOR)
    assert e.value.rule == "baseline-unique"
    second = write_p6(programme(structure_finish=330), tmp_path / "v2.xml")
    plan = plan_import(twin, second.name, read_schedule(second, MAPPING), datetime.now(UTC))
    assert {c.activity: c.fields for c in plan.changes} == {
        "B1-STR": ("finish", "duration_days"),
        "MS-TOP": ("start", "finish"),
    }
    import_schedule(twin, second.name, read_schedule(second, MAPPING), actor=ACTOR)
    per_activity, per_building = variance_at(twin, datetime.now(UTC), "contract")
    moved = {v.subject: (v.start_days, v.finish_days) for v in per_activity}
    assert moved["B1-STR"] == (0, 30) and moved["MS-TOP"] == (30, 30) and moved["B1-FDN"] == (0, 0)
    moved_buildings = {v.subject: (v.start_days, v.finish_days) for v in per_building}
    # The building spans all its stages (the network's): its acceptance, later, still ends it.
    assert moved_buildings["fish-body-b1"] == (0, 0)
    assert moved["fish-body-b1/acceptance"] == (0, 0) and moved["fish-head-t1/design"] == (0, 0)
    assert json.dumps(
        twin.fresh().latest(STREAM)[0]["baselines"]["contract"]["activities"]["B1-STR"]
    ) == json.dumps([d(60).isoformat(), d(300).isoformat()])
