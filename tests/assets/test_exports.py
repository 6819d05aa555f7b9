"""The campus leaves the system as RFC 7946 GeoJSON, a GeoPackage and a GLB."""

import json

import pyogrio
import pytest
import shapely
from shapely.geometry import shape

from assets.features import KINDS, campus_features
from assets.scene import build_scene
from geometry.geojson import feature_collection
from geometry.gltf import build_glb, read_extras, read_feature_ids
from geometry.gpkg import write_gpkg


@pytest.fixture(scope="module")
def geojson(campus):
    return feature_collection(campus_features(campus))


def test_geojson_features_carry_id_kind_name_and_building_figures(geojson, campus):
    features = {f["id"]: f for f in geojson["features"]}
    assert len(features) == len(geojson["features"])
    assert {f["properties"]["kind"] for f in features.values()} == set(KINDS)
    tower = features["fish-head-t1"]["properties"]
    assert tower["kind"] == "building" and tower["storeys"] == 50 and tower["height_m"] == 210.0
    assert tower["gfa_m2"] == pytest.approx(120_000, rel=0.001)
    assert tower["name"] and tower["name_zh"]
    assert features["fish-head-t1/L12/U03"]["properties"]["kind"] == "unit"
    json.dumps(geojson)  # serialisable as is


def test_geojson_is_lonlat_with_counter_clockwise_exteriors(geojson):
    for f in geojson["features"]:
        geometry = shape(f["geometry"])
        lon, lat = geometry.representative_point().coords[0]
        assert 121.85 < lon < 121.95 and 30.88 < lat < 30.94, f["id"]  # west of Dishui Lake (S4)
        if geometry.geom_type == "Polygon":
            assert geometry.exterior.is_ccw, f["id"]


def test_geojson_kinds_can_be_chosen_and_unknown_kinds_are_refused(campus):
    assert {f.kind for f in campus_features(campus, ["building"])} == {"building"}
    with pytest.raises(ValueError, match="unknown feature kind"):
        campus_features(campus, ["tower"])


def test_geopackage_has_one_layer_per_kind_in_wgs84(campus, tmp_path):
    path = tmp_path / "campus.gpkg"
    layers = write_gpkg(campus_features(campus), path)
    assert set(layers) == set(KINDS)
    listed = {name for name, _ in pyogrio.list_layers(path)}
    assert listed == set(KINDS)
    buildings = pyogrio.read_dataframe(path, layer="building")
    assert len(buildings) == len(campus.buildings)
    assert buildings.crs.to_epsg() == 4326
    assert buildings.set_index("id").loc["office-building", "gfa_m2"] == pytest.approx(
        20_000, rel=0.02
    )
    park = pyogrio.read_dataframe(path, layer="park")
    area = park.to_crs(32651).geometry.iloc[0].area
    assert area == pytest.approx(campus.zone_polygons["park"].area, rel=1e-6)


def test_glb_has_few_draw_calls_ids_and_origin(campus):
    scene = build_scene(campus)
    glb = build_glb(scene.parts, scene.feature_ids, extras={"origin": campus.frame.describe()})
    ids = read_feature_ids(glb)
    assert ids == scene.feature_ids and len(ids) == len(set(ids))
    assert len(campus.buildings) + 1 == len({p.group for p in scene.parts}) <= 100
    assert len(glb) < 5_000_000
    origin = read_extras(glb)["origin"]
    assert origin["crs"] == "EPSG:32651" and origin["lon"] == pytest.approx(campus.origin.lon)
    assert shapely.Point(origin["x"], origin["y"]).within(campus.zone_polygons["park"])
