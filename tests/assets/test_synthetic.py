"""The synthetic campus of ``twin synth``: valid at any size, deterministic, honest."""

from __future__ import annotations

from pathlib import Path

import pytest

from assets.campus import Campus
from assets.dataset import load_campus
from assets.models import Building, Facility, Parcel, Zone
from assets.synthetic import (
    MAX_BUILDINGS,
    SyntheticCampus,
    buildings_for_units,
    synthesize,
)
from occupancy.spaces import build_catalog


def written(synthetic: SyntheticCampus, folder: Path) -> Campus:
    """Write the files as ``twin synth`` does and load them back (every invariant checked)."""
    folder.mkdir()
    for name, text in synthetic.texts().items():
        (folder / name).write_text(text, encoding="utf-8")
    return load_campus(folder)


@pytest.mark.parametrize("n", [1, 2, 7, 50])
def test_a_campus_of_any_size_loads_with_every_invariant(tmp_path, n):
    synthetic = synthesize(n, seed=3)
    campus = written(synthetic, tmp_path / "campus")
    offices = [b for b in campus.buildings.values() if b.use in ("office", "mixed")]
    assert len(offices) == n
    assert {b.use for b in campus.buildings.values()} <= {"office", "mixed", "data_centre"}
    assert len(campus.units()) == synthetic.units
    assert all(campus.units(b.id) for b in offices)  # every office building is leasable


def test_ids_are_unique_across_entities_floors_units_and_racks(tmp_path):
    campus = written(synthesize(30, seed=1), tmp_path / "campus")
    entities = [*campus.zones, *campus.parcels, *campus.buildings, *campus.facilities]
    assert len(entities) == len(set(entities))
    floors = [f.id for f in campus.all_floors()]
    assert len(floors) == len(set(floors))
    spaces = build_catalog(campus).spaces
    units = [u.id for u in campus.units()]
    assert len(units) == len(set(units))
    assert len(spaces) == len(units) + sum(1 for s in spaces.values() if s.kind == "rack")


def test_floors_hold_about_twenty_units_and_storeys_vary(tmp_path):
    campus = written(synthesize(200, seed=2), tmp_path / "campus")
    per_floor = [
        len(campus.units(b)) // campus.buildings[b].storeys
        for b, building in campus.buildings.items()
        if building.layout is not None
    ]
    assert min(per_floor) >= 18 and max(per_floor) <= 22
    assert 19 <= sum(per_floor) / len(per_floor) <= 21.5
    storeys = {b.storeys for b in campus.buildings.values() if b.use != "data_centre"}
    assert len(storeys) > 10


def test_racks_and_power_feeds_exist_for_the_data_centre(tmp_path):
    campus = written(synthesize(5, seed=1), tmp_path / "campus")
    spaces = build_catalog(campus)
    racks = [s for s in spaces.spaces.values() if s.kind == "rack"]
    assert len(racks) == 3000
    assert spaces.design_two_n and len(spaces.design_two_n) < len(racks)  # 2N and N halls
    feeds = {f.id for f in campus.facilities.values() if f.kind == "power_feed"}
    assert len(feeds) == 2 and all(r.feeds for r in racks)


def test_a_synthetic_campus_cites_no_fact_and_says_it_is_synthetic():
    synthetic = synthesize(4, seed=9)
    assert synthetic.facts.facts == []
    site, buildings = synthetic.site, synthetic.buildings.buildings
    entities: list[Zone | Parcel | Building | Facility] = [
        *site.zones,
        *site.parcels,
        *buildings,
        *synthetic.facilities.facilities,
    ]
    assert site.origin.provenance == "schematic"
    assert {e.provenance for e in entities} == {"schematic"}
    assert not any(e.facts for e in entities)
    assert not any(getattr(e, "claims", []) for e in entities)
    park = next(z for z in site.zones if z.kind == "park")
    assert "Synthetic" in park.name.en and "4 buildings, seed 9" in park.name.en


def test_unit_count_grows_with_the_number_of_buildings():
    counts = [synthesize(n, seed=1).units for n in (1, 10, 100, 1000)]
    assert counts == sorted(counts) and len(set(counts)) == 4
    assert 150 * 1000 < counts[-1] < 350 * 1000  # about 250 units a building


def test_a_smaller_campus_is_a_prefix_of_a_larger_one_of_the_same_seed():
    small = synthesize(5, seed=4).buildings.buildings
    large = synthesize(9, seed=4).buildings.buildings
    for a, b in zip(small[:5], large[:5], strict=True):
        assert (a.id, a.use, a.storeys, a.layout) == (b.id, b.use, b.storeys, b.layout)


def test_same_seed_same_bytes_another_seed_another_campus():
    first, again, other = (synthesize(40, seed=s).texts() for s in (7, 7, 8))
    assert first == again
    assert first["buildings.json"] != other["buildings.json"]


@pytest.mark.parametrize("units", [1, 250, 20_000])
def test_buildings_for_units_gives_the_fewest_buildings_with_that_many_units(units):
    n = buildings_for_units(units, seed=1)
    assert synthesize(n, seed=1).units >= units
    assert n == 1 or synthesize(n - 1, seed=1).units < units


@pytest.mark.parametrize("bad", [0, -3, MAX_BUILDINGS + 1, 2.5, True, "10"])
def test_a_bad_number_of_buildings_is_refused_clearly(bad):
    with pytest.raises(ValueError, match=r"buildings must be a whole number from 1 to 50,000"):
        synthesize(bad, seed=1)


@pytest.mark.parametrize("bad", [0, -1])
def test_a_bad_number_of_units_is_refused_clearly(bad):
    with pytest.raises(ValueError, match=r"units must be a whole number from 1"):
        buildings_for_units(bad)
