"""GDAL's OGC API - Features driver (OAPIF, through pyogrio) reads the campus from `twin serve`."""

from collections import Counter

import pyogrio
import pytest

from api.ogc.specs import COLLECTIONS
from assets.dataset import load_campus
from assets.features import campus_features


@pytest.fixture(scope="module")
def source(live_twin):
    return f"OAPIF:{live_twin.url}/ogc"


@pytest.fixture(scope="module")
def kinds():
    return Counter(f.kind for f in campus_features(load_campus()))


def test_gdal_lists_every_collection_as_a_layer(source):
    layers = dict(pyogrio.list_layers(source))
    assert list(layers) == [spec.id for spec in COLLECTIONS]
    assert layers["facilities"] == "Point" and layers["units"] == "Polygon"


@pytest.mark.parametrize("spec", COLLECTIONS, ids=lambda spec: spec.id)
def test_gdal_reads_every_feature_with_its_attributes(source, kinds, spec):
    frame = pyogrio.read_dataframe(source, layer=spec.id)
    assert len(frame) == sum(kinds[k] for k in spec.kinds)
    assert frame.crs.equals("OGC:CRS84")  # the collection's storageCrs (Part 2)
    assert set(spec.all_properties) <= set(frame.columns)
    assert frame["id"].is_unique and frame.geometry.notna().all()
    lon, lat = frame.geometry.union_all().centroid.coords[0]
    assert 121.8 < lon < 122.0 and 30.8 < lat < 31.0


def test_gdal_reads_buildings_with_floor_space_and_units_by_id(source, kinds):
    buildings = pyogrio.read_dataframe(source, layer="buildings")
    assert len(buildings) == 21 and (buildings["gfa_m2"] > 0).all()
    assert buildings["gfa_m2"].sum() > 750_000  # the fish alone has 750,000 m²
    units = pyogrio.read_dataframe(source, layer="units")
    assert len(units) == kinds["unit"] and "fish-head-t1/L12/U03" in set(units["id"])


def test_gdal_passes_a_bbox_and_a_datetime_to_the_server(source, kinds):
    buildings = pyogrio.read_dataframe(source, layer="buildings").set_index("id")
    box = tuple(buildings.geometry["fish-head-t1"].bounds)
    some = pyogrio.read_dataframe(source, layer="units", bbox=box)
    assert 0 < len(some) < kinds["unit"] and "fish-head-t1/L12/U03" in set(some["id"])
    assert set(some["building"]) < set(buildings.index)  # only what is near the tower
    then = pyogrio.read_dataframe(f"{source}?datetime=2023-01-01", layer="buildings")
    stages = dict(zip(then["id"], then["stage"], strict=True))
    assert stages["fish-head-t1"] == "structure"
