"""One feature's edit as the import batch it is, merged and validated without a database."""

from __future__ import annotations

import pytest
from shapely.geometry import box

from assets.campus import Campus
from assets.errors import DatasetError
from assets.imports.edits import Edit, EditRefused, edit_batch, feature_record
from assets.imports.merge import merge
from geometry.crs import GEOGRAPHIC, PROJECTED, to_lonlat

FLOOR = "fish-body-b1/L02"


def _core_square(campus: Campus, side: float = 10.0) -> box:
    floor = next(f for f in campus.floors("fish-body-b1") if f.id == FLOOR)
    assert floor.core is not None
    p = floor.core.representative_point()
    return box(p.x - side / 2, p.y - side / 2, p.x + side / 2, p.y + side / 2)


def _unit(campus: Campus, code: str, shape=None, operation="create") -> Edit:
    ident = f"{FLOOR}/{code}"
    geometry = to_lonlat(shape if shape is not None else _core_square(campus))
    record = feature_record("unit", ident, {}, geometry, GEOGRAPHIC, "test")
    return Edit("unit", operation, ident, record)


def test_a_new_unit_draws_its_building_keeping_every_other_unit(campus: Campus) -> None:
    batch, prune = edit_batch(campus, _unit(campus, "U99"), "test")
    after = merge(campus, batch, prune=prune)
    before_units = {u.id: u.polygon for u in campus.units("fish-body-b1")}
    after_units = {u.id: u.polygon for u in after.units("fish-body-b1")}
    assert set(after_units) == set(before_units) | {f"{FLOOR}/U99"}
    assert all(after_units[k].equals_exact(p, 1e-6) for k, p in before_units.items())
    assert after_units[f"{FLOOR}/U99"].area == pytest.approx(100.0, abs=0.1)
    assert after.gfa_m2("fish-body-b1") == pytest.approx(campus.gfa_m2("fish-body-b1"))
    assert after.buildings["fish-body-b1"].provenance == "surveyed"
    assert not prune


def test_a_unit_outside_its_plate_breaks_the_containment_rule(campus: Campus) -> None:
    far = _core_square(campus)
    edit = _unit(
        campus, "U98", box(*(v + d for v, d in zip(far.bounds, (900, 0, 900, 0), strict=True)))
    )
    batch, prune = edit_batch(campus, edit, "test")
    with pytest.raises(DatasetError) as refused:
        merge(campus, batch, prune=prune)
    assert (refused.value.entity, refused.value.rule) == (f"{FLOOR}/U98", "containment")


@pytest.mark.parametrize(
    ("edit", "kind", "rule"),
    [
        (Edit("unit", "delete", f"{FLOOR}/U77"), "not_found", "unknown-id"),
        (Edit("unit", "delete", "fish-body-b1/L77/U01"), "not_found", "unknown-id"),
        (Edit("building", "delete", "no-such-building"), "not_found", "unknown-id"),
        (Edit("floor", "create", FLOOR), "conflict", "unique-id"),
    ],
)
def test_what_is_missing_or_exists_is_refused_before_any_merge(
    campus: Campus, edit: Edit, kind: str, rule: str
) -> None:
    if edit.operation == "create":
        plate = next(f.plate for f in campus.floors("fish-body-b1") if f.id == FLOOR)
        edit = Edit(
            "floor", "create", FLOOR, feature_record("floor", FLOOR, {}, plate, PROJECTED, "t")
        )
    with pytest.raises(EditRefused) as refused:
        edit_batch(campus, edit, "test")
    assert (refused.value.kind, refused.value.rule, refused.value.entity) == (kind, rule, edit.id)


def test_deleting_a_building_prunes_it_and_the_fish_falls_short(campus: Campus) -> None:
    batch, prune = edit_batch(campus, Edit("building", "delete", "fish-tail-b4"), "test")
    assert prune and {r.id for r in batch.records} == set(campus.buildings) - {"fish-tail-b4"}
    with pytest.raises(DatasetError) as refused:
        merge(campus, batch, prune=True)
    assert (refused.value.entity, refused.value.rule) == ("fish", "published-total")
    assert "750,000" in refused.value.detail


def test_a_feature_of_another_kind_or_id_is_refused(campus: Campus) -> None:
    square = to_lonlat(_core_square(campus))
    with pytest.raises(EditRefused, match="rule: kind"):
        feature_record("unit", f"{FLOOR}/U99", {"kind": "floor"}, square, GEOGRAPHIC, "t")
    with pytest.raises(EditRefused) as refused:
        feature_record("unit", f"{FLOOR}/U99", {"level": 3}, square, GEOGRAPHIC, "t")
    assert refused.value.rule == "schema" and "level" in str(refused.value)
    assert refused.value.entity == f"{FLOOR}/U99"
