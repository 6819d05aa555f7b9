"""What derives from the campus, kept per campus version: bounded, never needed for a right
answer, and reads at an instant use the campus as built then (SQLite and PostgreSQL)."""

from __future__ import annotations

import gc
import weakref
from datetime import UTC, datetime, timedelta

import pytest
from shapely import box
from shapely.ops import unary_union

from assets.campus import Campus
from assets.imports.records import ImportBatch, ImportRecord
from occupancy.errors import LeasingNotFound
from twin.construction.queries import milestone_states
from twin.derived import BoundedCache
from twin.imports.service import plan_import, record_import
from twin.leasing.plans import building_stacking_plan
from twin.leasing.read import racks_on_two_n, spaces_of
from twin.runtime import Twin
from twin.settings import Settings

EFFECTIVE = datetime(2025, 6, 1, tzinfo=UTC)
BEFORE, AFTER = EFFECTIVE - timedelta(days=1), EFFECTIVE + timedelta(days=1)
NEW = "fish-head-t7"


def open_twin(database_url: str, kept: int) -> Twin:
    return Twin(Settings.from_env(db=database_url), versions_kept=kept)


def ring(polygon) -> list[tuple[float, float]]:
    return [(round(x, 2), round(y, 2)) for x, y in polygon.exterior.coords[:-1]]


def new_building(campus: Campus) -> ImportBatch:
    """A new two-storey 30 x 20 m building on free ground of the fish head, two units a floor."""
    parcel = campus.parcel_polygons["fish-head"]
    taken = unary_union([campus.footprints[b] for b in campus.buildings]).buffer(15)
    x, y = parcel.difference(taken).buffer(-20).representative_point().coords[0]
    x, y = round(x), round(y)
    plate = box(x, y, x + 30, y + 20)
    records = [ImportRecord("building", NEW, {"footprint": ring(plate), "storeys": 2})]
    for level in (1, 2):
        floor = f"{NEW}/L{level:02d}"
        records.append(ImportRecord("floor", floor, {"polygon": ring(plate)}))
        for k, dx in enumerate((0, 15), start=1):
            unit = box(x + dx, y, x + dx + 15, y + 20)
            records.append(ImportRecord("unit", f"{floor}/A{k}", {"polygon": ring(unit)}))
    return ImportBatch("survey.geojson", tuple(records))


def moved(twin: Twin, dx: float) -> ImportBatch:
    """A survey moving the service centre ``dx`` metres east of where the dataset has it."""
    footprint = twin.base_campus.buildings["service-centre"].footprint
    shifted = [(round(x + dx, 2), y) for x, y in footprint]
    records = (ImportRecord("building", "service-centre", {"footprint": shifted}),)
    return ImportBatch("survey.geojson", records)


@pytest.fixture
def twin(database_url: str):
    t = open_twin(database_url, kept=1)
    record_import(t, plan_import(t, new_building(t.base_campus), EFFECTIVE), "import:test")
    yield t
    t.close()


def test_the_cache_keeps_the_most_recently_used() -> None:
    cache: BoundedCache[str, int] = BoundedCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # a is now the most recent: b goes first
    assert cache.put("c", 3) == 3 and cache.get("b") is None
    assert cache.put("a", 9) == 1  # kept first wins
    assert len(cache) == 2
    with pytest.raises(ValueError, match="at least 1"):
        BoundedCache(0)


def test_reads_at_an_instant_use_the_campus_as_built_then(twin: Twin) -> None:
    before = {m.milestone.id: m.milestone.entities for m in milestone_states(twin, BEFORE)}
    after = {m.milestone.id: m.milestone.entities for m in milestone_states(twin, AFTER)}
    head = "fish-head-ready-for-acceptance"
    assert NEW not in before[head] and NEW in after[head]
    assert not any(s.startswith(f"{NEW}/") for s in spaces_of(twin, BEFORE).spaces)
    assert f"{NEW}/L01/A1" in spaces_of(twin, AFTER).spaces
    with pytest.raises(LeasingNotFound, match=NEW):
        building_stacking_plan(twin, NEW, BEFORE, staff=True)
    assert building_stacking_plan(twin, NEW, AFTER, staff=True).building == NEW
    racks = spaces_of(twin, BEFORE).design_two_n
    assert racks_on_two_n(twin, BEFORE) == racks_on_two_n(twin, AFTER) == racks


def test_answers_stay_right_with_one_version_kept(twin: Twin) -> None:
    """Two versions alternating through a cache of one: each read rebuilds, none is wrong."""
    first = {
        t: (len(spaces_of(twin, t).spaces), twin.campus_at(t).buildings.keys())
        for t in (BEFORE, AFTER)
    }
    assert first[BEFORE][0] + 4 == first[AFTER][0]
    for _ in range(3):
        for t in (BEFORE, AFTER, AFTER, BEFORE):
            derived = twin.derived(t)
            assert derived.campus is twin.campus_at(t)
            assert (len(spaces_of(twin, t).spaces), twin.campus_at(t).buildings.keys()) == first[t]
            assert len(twin.versions._cache) == 1


def test_old_campus_versions_are_collected(database_url: str) -> None:
    kept, imports = 2, 4
    twin = open_twin(database_url, kept)
    try:
        seen: list[weakref.ref[Campus]] = []
        for k in range(imports):
            effective = EFFECTIVE + timedelta(days=10 * k)
            plan = plan_import(twin, moved(twin, 0.5 * (k + 1)), effective)
            record_import(twin, plan, "import:test")
            campus = twin.campus_at(effective)
            spaces_of(twin, effective)  # something derived from it, kept with it
            seen.append(weakref.ref(campus))
            del campus, plan
        gc.collect()
        alive = [ref() for ref in seen if ref() is not None]
        assert len({id(c) for c in alive}) == kept  # the most recent ones
        assert alive[-1] is twin.campus_at(EFFECTIVE + timedelta(days=10 * (imports - 1)))
    finally:
        twin.close()
