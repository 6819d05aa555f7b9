"""Imports into a running twin: geometry versions over time, the leased-unit guard, refusals.

Batches are built as records here (each reader has its own tests under tests/assets); what is
tested is what an import does to the twin: on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from assets.errors import DatasetError
from assets.events import DomainError
from assets.imports.records import ImportBatch, ImportRecord
from twin.eventlog import VersionConflict
from twin.imports.service import plan_import, record_import
from twin.runtime import Twin
from twin.settings import Settings

EFFECTIVE = datetime(2025, 6, 1, tzinfo=UTC)
BEFORE, AFTER = EFFECTIVE - timedelta(days=1), EFFECTIVE + timedelta(days=1)


@pytest.fixture
def twin(database_url: str):
    t = Twin(Settings.from_env(db=database_url))
    yield t
    t.close()


def moved(twin: Twin, building: str, dx: float) -> ImportBatch:
    """A survey moving ``building``'s footprint ``dx`` metres east."""
    ring = [(round(x + dx, 2), y) for x, y in twin.base_campus.buildings[building].footprint]
    return ImportBatch("survey.geojson", (ImportRecord("building", building, {"footprint": ring}),))


def drawn(twin: Twin, building: str, drop: set[str]) -> ImportBatch:
    """The building's floors drawn explicitly with its units as they are, less ``drop``."""
    campus = twin.base_campus
    records = [
        ImportRecord("floor", f.id, {"polygon": list(f.plate.exterior.coords)[:-1]})
        for f in campus.floors(building)
    ]
    records += [
        ImportRecord("unit", u.id, {"polygon": list(u.polygon.exterior.coords)[:-1]})
        for u in campus.units(building)
        if u.id not in drop
    ]
    return ImportBatch("plans.gpkg", tuple(records))


def test_a_moved_footprint_is_a_new_version_from_its_effective_date(twin: Twin) -> None:
    original = twin.scene(BEFORE)
    plan = plan_import(twin, moved(twin, "service-centre", 2.0), EFFECTIVE)

    assert [(c.kind, c.id, c.fields) for c in plan.diff.changes if c.kind == "building"] == [
        ("building", "service-centre", ("geometry", "provenance"))
    ]
    assert len(plan.diff.ids("unit", "changed")) == 30  # units follow the footprint
    assert record_import(twin, plan, "import:test") == 1

    old, new = twin.campus_at(BEFORE), twin.campus_at(AFTER)
    x_old = old.footprints["service-centre"].bounds[0]
    assert new.footprints["service-centre"].bounds[0] == pytest.approx(x_old + 2.0, abs=0.011)
    assert new.buildings["service-centre"].provenance == "surveyed"
    assert [u.id for u in new.units("service-centre")] == [
        u.id for u in old.units("service-centre")
    ]
    assert twin.scene(BEFORE).etag == original.etag
    assert twin.scene(AFTER).etag != original.etag
    tiles_before, tiles_after = twin.tileset(BEFORE), twin.tileset(AFTER)
    assert tiles_before.etag != tiles_after.etag
    changed = {n for n, e in tiles_after.tile_etags.items() if tiles_before.tile_etags[n] != e}
    assert changed and len(changed) < len(tiles_after.tile_etags)  # only the moved building's
    assert twin.campus is new  # now is after the effective date: the current campus is new


def test_another_instance_sees_the_new_geometry(twin: Twin, database_url: str) -> None:
    record_import(twin, plan_import(twin, moved(twin, "service-centre", 1.5), EFFECTIVE), "t")
    other = Twin(Settings.from_env(db=database_url))
    try:
        assert (
            other.campus_at(AFTER).buildings["service-centre"]
            == twin.campus.buildings["service-centre"]
        )
        assert (
            other.campus_at(BEFORE).buildings["service-centre"]
            == twin.base_campus.buildings["service-centre"]
        )
    finally:
        other.close()


def test_a_dry_run_plan_writes_nothing(twin: Twin) -> None:
    head = twin.fresh().head
    plan = plan_import(twin, moved(twin, "service-centre", 2.0), EFFECTIVE)
    assert not plan.diff.is_empty
    assert twin.fresh().head == head
    assert twin.campus_at(AFTER) is twin.base_campus


def test_the_same_geometry_again_is_no_change(twin: Twin) -> None:
    plan = plan_import(twin, moved(twin, "service-centre", 0.0), EFFECTIVE)
    assert plan.diff.is_empty
    assert plan.versions == {}


def test_drawn_floors_replace_the_derived_units(twin: Twin) -> None:
    dropped = "fish-head-t3/L01/U01"
    plan = plan_import(twin, drawn(twin, "fish-head-t3", {dropped}), EFFECTIVE)
    assert plan.diff.ids("unit", "removed") == [dropped]
    assert plan.blocking == []
    record_import(twin, plan, "import:test")
    units = {u.id for u in twin.campus_at(AFTER).units("fish-head-t3")}
    assert len(units) == 159 and dropped not in units
    assert dropped in {u.id for u in twin.campus_at(BEFORE).units("fish-head-t3")}


def test_removing_a_booked_unit_is_refused_and_changes_nothing(twin: Twin) -> None:
    booked = [
        b for b in plan_import(twin, drawn(twin, "service-centre", set()), EFFECTIVE).bookings
    ]
    assert booked == []  # same units: nothing touched
    everything = {u.id for u in twin.base_campus.units("service-centre")}
    plan = plan_import(twin, drawn(twin, "service-centre", everything), EFFECTIVE)
    assert plan.blocking, "the genesis books service-centre units"
    head = twin.fresh().head
    with pytest.raises(DomainError, match="still booked") as refused:
        record_import(twin, plan, "import:test")
    assert plan.blocking[0].unit in str(refused.value)
    assert plan.blocking[0].ref in str(refused.value)
    assert twin.fresh().head == head


def test_an_invalid_result_names_the_file_the_entity_and_the_rule(twin: Twin) -> None:
    office = twin.base_campus.buildings["office-building"].footprint
    batch = ImportBatch(
        "survey.geojson", (ImportRecord("building", "service-centre", {"footprint": office}),)
    )
    with pytest.raises(DatasetError) as refused:
        plan_import(twin, batch, EFFECTIVE)
    assert refused.value.file == "survey.geojson"
    assert refused.value.entity == "service-centre"
    assert refused.value.rule == "containment"


def test_a_published_total_still_holds(twin: Twin) -> None:
    lower = ImportBatch(
        "survey.geojson", (ImportRecord("building", "fish-head-t1", {"storeys": 20}),)
    )
    with pytest.raises(DatasetError, match="750,000") as refused:
        plan_import(twin, lower, EFFECTIVE)
    assert (refused.value.entity, refused.value.rule) == ("fish", "published-total")


def test_geometry_history_is_written_forward(twin: Twin) -> None:
    record_import(twin, plan_import(twin, moved(twin, "service-centre", 1.0), EFFECTIVE), "t")
    with pytest.raises(DomainError, match="cannot take effect earlier"):
        plan_import(twin, moved(twin, "service-centre", 2.0), BEFORE)


def test_two_imports_planned_on_the_same_version_cannot_both_land(twin: Twin) -> None:
    first = plan_import(twin, moved(twin, "service-centre", 1.0), EFFECTIVE)
    second = plan_import(twin, moved(twin, "service-centre", 2.0), EFFECTIVE)
    record_import(twin, first, "import:a")
    head = twin.fresh().head
    with pytest.raises(VersionConflict):
        record_import(twin, second, "import:b")
    assert twin.fresh().head == head
    x = twin.campus_at(AFTER).footprints["service-centre"].bounds[0]
    assert x == pytest.approx(
        twin.base_campus.footprints["service-centre"].bounds[0] + 1.0, abs=0.011
    )
