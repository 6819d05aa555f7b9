"""GeoJSON in, refused: each broken feature or file names the file, the feature and the rule."""

from __future__ import annotations

import json

import pytest
from geojson_survey import feature, lonlat, polygon, read, write

from assets.errors import DatasetError

SQUARE = [
    (394000.0, 3419000.0),
    (394010.0, 3419000.0),
    (394010.0, 3419010.0),
    (394000.0, 3419010.0),
]


@pytest.mark.parametrize(
    ("features", "mapping", "entity", "rule", "says"),
    [
        (
            [feature(polygon(SQUARE), kind="building", storeys=3)],
            None,
            "features[0]",
            "schema",
            "without an id",
        ),
        (
            [
                feature(
                    {
                        "type": "MultiPolygon",
                        "coordinates": [
                            [lonlat(SQUARE)],
                            [lonlat([(x + 20, y) for x, y in SQUARE])],
                        ],
                    },
                    "b1",
                    kind="building",
                )
            ],
            None,
            "b1 (features[0])",
            "geometry",
            "a MultiPolygon of 2 parts: give one Polygon",
        ),
        (
            [feature({"type": "Point", "coordinates": [121.9, 30.9]}, "b1", kind="building")],
            None,
            "b1 (features[0])",
            "geometry",
            "Point",
        ),
        (
            [feature(None, "b1", kind="building")],
            None,
            "b1 (features[0])",
            "geometry",
            "no geometry",
        ),
        (
            [
                feature(
                    {
                        "type": "Polygon",
                        "coordinates": [
                            lonlat(SQUARE),
                            lonlat([(x / 2 + 197002.5, y / 2 + 1709502.5) for x, y in SQUARE]),
                        ],
                    },
                    "b1",
                    kind="building",
                )
            ],
            None,
            "b1 (features[0])",
            "geometry",
            "1 hole",
        ),
        (
            [feature({"type": "Polygon", "coordinates": [[[0, 0], [1]]]}, "b1", kind="building")],
            None,
            "features[0]",
            "geometry",
            "not a GeoJSON geometry (type 'Polygon', malformed)",
        ),
        (
            [feature(polygon(SQUARE), "b1", kind="tower")],
            None,
            "features[0]",
            "kind",
            "unknown kind 'tower'",
        ),
        (
            [feature(polygon(SQUARE), "b1", kind="building", storeys="ten")],
            None,
            "b1 (features[0])",
            "schema",
            "storeys (field 'storeys') = 'ten': not a number",
        ),
        (
            [feature(polygon(SQUARE), "b1", kind="building", storeys=2.5)],
            None,
            "b1 (features[0])",
            "schema",
            "whole number",
        ),
        (
            [feature(polygon(SQUARE), "b1", kind="building", storeys=[3, 4])],
            None,
            "b1 (features[0])",
            "schema",
            "storeys (field 'storeys') = [3, 4]: not a number or text",
        ),
        (
            [feature(polygon(SQUARE), "b1", kind="building", use="hotel")],
            None,
            "b1 (features[0])",
            "schema",
            "not one of office",
        ),
        (
            [feature(polygon(SQUARE), "b1", kind="building", height_m=30)],
            None,
            "b1 (features[0])",
            "schema",
            "height_m without storeys",
        ),
        (
            [
                feature(
                    polygon(SQUARE),
                    "b1",
                    kind="building",
                    storeys=3,
                    height_m=30,
                    storey_height_m=4.0,
                )
            ],
            None,
            "b1 (features[0])",
            "schema",
            "not storeys x",
        ),
        (
            [
                feature(polygon(SQUARE), "b1", kind="building"),
                feature(polygon(SQUARE), "b1", kind="building"),
            ],
            None,
            "b1 (features[1])",
            "schema",
            "duplicate building id (first at features[0])",
        ),
        (
            [feature(polygon(SQUARE), "b1/F3", kind="floor")],
            None,
            "b1/F3 (features[0])",
            "schema",
            "missing: building, level",
        ),
        (
            [feature(polygon(SQUARE), "b1/L03", kind="floor", level=4)],
            None,
            "b1/L03 (features[0])",
            "schema",
            "id says level 3, field says 4",
        ),
        (
            [feature(polygon(SQUARE), "b1", kind="building", FLOORS=3)],
            '[fields.building]\nstoreys = "FLORS"',
            "features[0]",
            "mapping",
            "names field 'FLORS', which layer 'survey' lacks (fields: FLOORS, kind)",
        ),
        (
            [feature(polygon(SQUARE), "b1", TYPE="BLDG")],
            '[kind]\nfield = "TYPE"\nvalues = { PLOT = "parcel" }',
            "features[0]",
            "kind",
            "TYPE = 'BLDG' is not a kind",
        ),
        (
            [
                feature(
                    {"type": "Polygon", "coordinates": [[[*p] for p in [*SQUARE, SQUARE[0]]]]},
                    "b1",
                    kind="building",
                )
            ],
            None,
            "b1 (features[0])",
            "crs",
            "outside EPSG:4326: are the coordinates in another CRS",
        ),
        (
            [
                feature(
                    {
                        "type": "Polygon",
                        "coordinates": [
                            [[121.9, 30.9], [121.9, 30.9], [121.90000001, 30.9], [121.9, 30.9]]
                        ],
                    },
                    "b1",
                    kind="building",
                )
            ],
            None,
            "b1 (features[0])",
            "geometry",
            "fewer than 3 points",
        ),
    ],
)
def test_broken_features_are_refused_naming_the_feature_and_the_rule(
    tmp_path, features, mapping, entity, rule, says
):
    path = write(tmp_path, features)
    with pytest.raises(DatasetError) as caught:
        read(path, mapping)
    error = caught.value
    assert (error.file, error.entity, error.rule) == ("survey.geojson", entity, rule)
    assert says in error.detail


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("Tower \ud800", "lone surrogate (U+D800)"),
        ("Tower \x00", "NUL character (U+0000)"),
        ("T" * 100_000, "100000 characters long; at most 200"),
    ],
)
def test_text_no_database_could_give_back_is_refused(tmp_path, name, says):
    path = write(tmp_path, [])
    one = feature(polygon(SQUARE), "b1", kind="building", storeys=3, name=name)
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [one]}))  # \ud800 escaped
    with pytest.raises(DatasetError) as caught:
        read(path, None)
    assert caught.value.rule == "schema" and "name" in caught.value.detail
    assert says in caught.value.detail and len(caught.value.detail) < 300


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('{"type": "Feature", "geometry": null, "properties": {}}', "type: 'Feature'"),
        ("[1, 2]", "type: 'list'"),
        ('{"type": "FeatureCollection"', "not readable JSON"),
        ('{"type": "FeatureCollection", "features": {}}', "'features' is not a list"),
        ('{"type": "FeatureCollection", "features": [{"type": "Point"}]}', "not a GeoJSON Feature"),
    ],
)
def test_a_file_that_is_not_a_feature_collection_is_refused(tmp_path, text, says):
    path = tmp_path / "survey.geojson"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DatasetError, match="rule: format") as caught:
        read(path)
    assert says in caught.value.detail


@pytest.mark.parametrize(
    ("crs", "says"),
    [
        ({"type": "name", "properties": {"name": "EPSG:999999"}}, "unknown CRS 'EPSG:999999'"),
        ({"type": "link", "properties": {"href": "x.prj"}}, "is not {type: name"),
    ],
)
def test_an_unknown_crs_is_refused(tmp_path, crs, says):
    path = write(tmp_path, [feature(polygon(SQUARE), "b1", kind="building")], crs=crs)
    with pytest.raises(DatasetError, match="rule: crs") as caught:
        read(path)
    assert says in caught.value.detail
