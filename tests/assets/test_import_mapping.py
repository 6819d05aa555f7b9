"""The attribute mapping file: a small TOML file, checked before anything is read with it."""

from pathlib import Path

import pytest

from assets.errors import DatasetError
from assets.imports.mapping import TARGETS, load_mapping, own_names, parse_mapping

SURVEYOR_MAPPING = """
[layers]
footprints = "building"
trees = "ignore"

[kind]
field = "TYPE"
values = { BLDG = "building", PLOT = "parcel" }
default = "ignore"

[fields]
id = "CODE"

[fields.building]
storeys = "FLOORS"
height_m = "HEIGHT"
"name.en" = "NAME"

[defaults]
provenance = "surveyed"

[defaults.building]
use = "office"
facts = ["F7"]
"""


def test_a_mapping_file_reads_into_layers_kinds_fields_and_defaults(tmp_path: Path):
    path = tmp_path / "survey.toml"
    path.write_text(SURVEYOR_MAPPING, encoding="utf-8")
    mapping = parse_mapping(load_mapping(path), "survey.geojson")
    assert mapping.layers == {"footprints": "building", "trees": "ignore"}
    assert mapping.kind is not None and mapping.kind.values["PLOT"] == "parcel"
    assert mapping.mapped_fields("building") == {
        "id": "CODE",
        "storeys": "FLOORS",
        "height_m": "HEIGHT",
        "name.en": "NAME",
    }
    assert mapping.mapped_fields("parcel") == {"id": "CODE"}
    assert mapping.constants("building") == {
        "provenance": "surveyed",
        "use": "office",
        "facts": ["F7"],
    }
    assert mapping.constants("floor") == {}  # floors have no provenance field


def test_without_a_mapping_our_own_export_names_are_read():
    assert parse_mapping(None, "campus.geojson").mapped_fields("building") == {}
    building = own_names("building")
    assert building["name.en"] == "name" and building["name.zh"] == "name_zh"
    assert building["storeys"] == "storeys" and building["height_m"] == "height_m"
    assert "kind" not in own_names("zone")  # a zone's kind is its feature kind
    assert "name.en" not in own_names("unit")  # our export writes the unit's id as its name
    assert set(own_names("floor")) == set(TARGETS["floor"])


@pytest.mark.parametrize(
    ("raw", "entity", "says"),
    [
        ({"layer": {"a": "building"}}, "mapping layer", "unknown key"),
        ({"layers": {"footprints": "tower"}}, "mapping layers.footprints", "'building'"),
        ({"kind": {"field": "T", "values": {"X": "tower"}}}, "mapping kind.values.X", "'unit'"),
        ({"kind": {"values": {"X": "building"}}}, "mapping kind", "give field"),
        ({"kind": {"field": "T", "colour": "red"}}, "mapping kind.colour", "unknown key"),
        ({"fields": {"building": {"hieght_m": "H"}}}, "mapping fields.building.hieght_m", "ours"),
        ({"fields": {"tower": {"storeys": "F"}}}, "mapping fields.tower", "'tower' is not a kind"),
        ({"fields": {"colour": "C"}}, "mapping fields.colour", "not one of our fields"),
        ({"fields": {"floor": {"storeys": "F"}}}, "mapping fields.floor.storeys", "our fields"),
        ({"fields": {"storeys": 3}}, "mapping fields.storeys", "the source's field name"),
        ({"defaults": {"building": {"use": True}}}, "mapping defaults.building.use", "give text"),
        ({"defaults": {"parcel": {"storeys": 3}}}, "mapping defaults.parcel.storeys", "ours"),
    ],
)
def test_a_wrong_mapping_is_refused_naming_the_key(raw, entity, says):
    with pytest.raises(DatasetError) as caught:
        parse_mapping(raw, "survey.geojson")
    error = caught.value
    assert (error.file, error.entity, error.rule) == ("survey.geojson", entity, "mapping")
    assert says in error.detail


def test_a_mapping_file_that_is_not_toml_is_refused(tmp_path: Path):
    path = tmp_path / "bad.toml"
    path.write_text("[fields.building\nstoreys = FLOORS", encoding="utf-8")
    with pytest.raises(DatasetError, match="not valid TOML") as caught:
        load_mapping(path)
    assert caught.value.file == "bad.toml" and caught.value.rule == "mapping"
    with pytest.raises(DatasetError, match="no file"):
        load_mapping(tmp_path / "missing.toml")


def test_a_mapping_file_with_a_wrong_key_is_refused_with_its_own_name(tmp_path: Path):
    path = tmp_path / "survey.toml"
    path.write_text('[fields.building]\nfloors = "FLOORS"\n', encoding="utf-8")
    with pytest.raises(DatasetError, match="'floors' is not one of our fields") as caught:
        load_mapping(path)
    assert caught.value.file == "survey.toml"
