"""Laying import records over the campus: fields kept, drawn floors, the rules, the diff."""

from __future__ import annotations

import pytest
from shapely import affinity
from shapely.geometry import box

from assets.campus import Campus
from assets.dataset import load_campus
from assets.errors import DatasetError
from assets.imports.diff import campus_diff
from assets.imports.merge import merge
from assets.imports.records import ImportBatch, ImportRecord

SOURCE = "survey.gpkg"


@pytest.fixture(scope="module")
def campus() -> Campus:
    return load_campus()


def batch(*records: ImportRecord) -> ImportBatch:
    return ImportBatch(SOURCE, records)


def ring(polygon) -> list[tuple[float, float]]:
    return [(round(x, 2), round(y, 2)) for x, y in polygon.exterior.coords[:-1]]


def refused(campus: Campus, b: ImportBatch) -> DatasetError:
    with pytest.raises(DatasetError) as caught:
        merge(campus, b)
    assert caught.value.file == SOURCE
    return caught.value


def fin_building(campus: Campus, storeys: int = 2) -> list[ImportRecord]:
    """A new 30 x 20 m building in the empty dorsal fin, two 15 x 20 m units per floor."""
    fin = campus.parcel_polygons["fish-fin-dorsal"]
    x, y = fin.representative_point().coords[0]
    x, y = round(x), round(y)
    plate = box(x, y, x + 30, y + 20)
    out = [ImportRecord("building", "fin-hub", {"footprint": ring(plate), "storeys": storeys})]
    for level in range(1, storeys + 1):
        floor = f"fin-hub/L{level:02d}"
        out.append(ImportRecord("floor", floor, {"polygon": ring(plate)}))
        for k, dx in enumerate((0, 15), start=1):
            unit = box(x + dx, y, x + dx + 15, y + 20)
            out.append(ImportRecord("unit", f"{floor}/A{k}", {"polygon": ring(unit)}))
    return out


def test_a_record_keeps_what_it_does_not_give(campus: Campus) -> None:
    after = merge(campus, batch(ImportRecord("building", "office-building", {"storeys": 20})))
    assert after.buildings["office-building"] == campus.buildings["office-building"]
    renamed = merge(
        campus, batch(ImportRecord("building", "office-building", {"name": {"en": "Tower A"}}))
    )
    name = renamed.buildings["office-building"].name
    assert (name.en, name.zh) == ("Tower A", campus.buildings["office-building"].name.zh)
    assert renamed.buildings["office-building"].provenance == "surveyed"


def test_a_new_building_stands_on_the_parcel_that_contains_it(campus: Campus) -> None:
    after = merge(campus, batch(*fin_building(campus)))
    hub = after.buildings["fin-hub"]
    assert (hub.parcel, hub.use, hub.storeys, hub.provenance) == (
        "fish-fin-dorsal",
        "office",
        2,
        "surveyed",
    )
    assert [u.id for u in after.units("fin-hub")] == [
        "fin-hub/L01/A1",
        "fin-hub/L01/A2",
        "fin-hub/L02/A1",
        "fin-hub/L02/A2",
    ]
    assert after.gfa_m2("fin-hub") == pytest.approx(1200.0)
    assert after.floors("fin-hub")[1].base_m == pytest.approx(4.0)


def test_units_without_their_floor_plates_are_refused(campus: Campus) -> None:
    units = [r for r in fin_building(campus) if r.kind != "floor"]
    assert refused(campus, batch(*units)).rule == "floor-plans"


def test_drawn_floors_must_be_every_storey(campus: Campus) -> None:
    records = fin_building(campus)
    records[0] = ImportRecord("building", "fin-hub", {**records[0].fields, "storeys": 3})
    error = refused(campus, batch(*records))
    assert (error.entity, error.rule) == ("fin-hub", "floor-plans")


def test_a_unit_outside_its_floor_plate_is_refused(campus: Campus) -> None:
    records = fin_building(campus)
    unit = records[2]
    shifted = affinity.translate(box(*_bounds(unit)), xoff=40)
    records[2] = ImportRecord("unit", unit.id, {"polygon": ring(shifted)})
    error = refused(campus, batch(*records))
    assert (error.entity, error.rule) == (unit.id, "containment")


def test_overlapping_units_are_refused(campus: Campus) -> None:
    records = fin_building(campus)
    first = records[2]
    records[3] = ImportRecord("unit", records[3].id, {"polygon": first.fields["polygon"]})
    assert refused(campus, batch(*records)).rule == "overlap"


def test_a_footprint_across_another_is_refused(campus: Campus) -> None:
    other = campus.buildings["fish-head-t2"].footprint
    error = refused(campus, batch(ImportRecord("building", "fish-head-t1", {"footprint": other})))
    assert error.rule == "overlap"


def test_a_field_of_the_wrong_type_names_the_record(campus: Campus) -> None:
    bad = ImportRecord("building", "office-building", {"storeys": "ten"}, "features[4]")
    error = refused(campus, batch(bad))
    assert (error.entity, error.rule) == ("office-building (features[4])", "schema")


def test_prune_removes_what_the_file_omits(campus: Campus) -> None:
    kept = [ImportRecord("building", b, {}) for b in campus.buildings if b != "service-centre"]
    # the service centre's facility still names it: the result is refused, naming the rule
    error = refused_prune(campus, batch(*kept))
    assert error.rule == "unknown-id" and "service-centre" in error.detail


def refused_prune(campus: Campus, b: ImportBatch) -> DatasetError:
    with pytest.raises(DatasetError) as caught:
        merge(campus, b, prune=True)
    return caught.value


def test_the_diff_names_every_change_with_its_deltas(campus: Campus) -> None:
    after = merge(campus, batch(*fin_building(campus)))
    diff = campus_diff(campus, after)
    assert diff.counts() == {
        "building": {"added": 1, "removed": 0, "changed": 0},
        "floor": {"added": 2, "removed": 0, "changed": 0},
        "unit": {"added": 4, "removed": 0, "changed": 0},
    }
    hub = next(c for c in diff.changes if c.id == "fin-hub")
    assert hub.area_delta_m2 == pytest.approx(600.0) and hub.gfa_delta_m2 == pytest.approx(1200.0)
    assert diff.gfa_after_m2 - diff.gfa_before_m2 == pytest.approx(1200.0)
    assert not diff.ids("parcel", "changed")  # the parcel's own polygon did not change
    assert campus_diff(after, after).is_empty
    back = campus_diff(after, campus)
    assert back.ids("building", "removed") == ["fin-hub"] and len(back.ids("unit", "removed")) == 4


def _bounds(record: ImportRecord) -> tuple[float, float, float, float]:
    xs = [p[0] for p in record.fields["polygon"]]
    ys = [p[1] for p in record.fields["polygon"]]
    return min(xs), min(ys), max(xs), max(ys)
