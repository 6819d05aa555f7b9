"""A broken dataset is refused with one message naming the file, the entity and the rule."""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from assets.dataset import load_campus
from assets.errors import DatasetError

Edit = Callable[[dict[str, Any]], None]


def _edit(folder: Path, name: str, change: Edit) -> None:
    path = folder / name
    content = json.loads(path.read_text(encoding="utf-8"))
    change(content)
    path.write_text(json.dumps(content), encoding="utf-8")


def _building(content: dict[str, Any], building_id: str) -> dict[str, Any]:
    return next(b for b in content["buildings"] if b["id"] == building_id)


def _bowtie(content: dict[str, Any]) -> None:
    ring = _building(content, "office-building")["footprint"]
    ring[0], ring[1] = ring[1], ring[0]


def _overlap(content: dict[str, Any]) -> None:
    _building(content, "fish-head-t2")["footprint"] = _building(content, "fish-head-t1")[
        "footprint"
    ]


def _duplicate(content: dict[str, Any]) -> None:
    _building(content, "fish-body-b2")["id"] = "fish-body-b1"


def _unknown_parcel(content: dict[str, Any]) -> None:
    _building(content, "service-centre")["parcel"] = "no-such-plot"


def _off_total(content: dict[str, Any]) -> None:
    _building(content, "fish-head-t1")["storeys"] = 40


def _outside(content: dict[str, Any]) -> None:
    ring = _building(content, "office-building")["footprint"]
    _building(content, "office-building")["footprint"] = [[x + 500, y] for x, y in ring]


def _unknown_fact(content: dict[str, Any]) -> None:
    _building(content, "data-centre")["facts"] = ["F99"]


def _bad_id(content: dict[str, Any]) -> None:
    _building(content, "data-centre")["id"] = "Data Centre!"


# (file edited, edit, entity named, rule named, words of the message); the file named is the
# edited one except where the broken total is claimed in site.json.
CASES = [
    ("buildings.json", _bowtie, "office-building", "valid-polygon", "Self-intersection"),
    ("buildings.json", _overlap, "fish-head-t2", "overlap", "overlaps fish-head-t1"),
    ("buildings.json", _duplicate, "fish-body-b1", "unique-id", "already used"),
    ("buildings.json", _unknown_parcel, "service-centre", "unknown-id", "no-such-plot"),
    ("buildings.json", _off_total, "fish", "published-total", "F4 publishes 750,000"),
    ("buildings.json", _outside, "office-building", "containment", "inside parcel office-plot"),
    ("buildings.json", _unknown_fact, "data-centre", "unknown-id", "fact 'F99'"),
    ("buildings.json", _bad_id, "Data Centre!", "schema", "pattern"),
]


@pytest.mark.parametrize(
    ("file", "change", "entity", "rule", "detail"),
    CASES,
    ids=[c[3] + "-" + c[1].__name__.strip("_") for c in CASES],
)
def test_broken_dataset_is_refused_naming_file_entity_and_rule(
    dataset_copy, file, change, entity, rule, detail
):
    _edit(dataset_copy, file, change)
    with pytest.raises(DatasetError) as caught:
        load_campus(dataset_copy)
    error = caught.value
    named = "site.json" if rule == "published-total" else file
    assert (error.file, error.entity, error.rule) == (named, entity, rule)
    assert detail in str(error)
    assert str(error).startswith(f"{named}: {entity}: ")


def test_zone_area_off_its_fact_is_refused(dataset_copy):
    def shrink(content: dict[str, Any]) -> None:
        park = next(z for z in content["zones"] if z["id"] == "park")
        park["claims"][0]["value"] = 8_000_000

    _edit(dataset_copy, "site.json", shrink)
    with pytest.raises(DatasetError, match=r"site.json: park: area_m2 is 6,9\d\d,\d{3} but F3/S3"):
        load_campus(dataset_copy)


def test_missing_or_malformed_files_are_refused(dataset_copy, tmp_path):
    (dataset_copy / "facts.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(DatasetError, match=r"facts.json: \(file\): not valid JSON"):
        load_campus(dataset_copy)
    with pytest.raises(DatasetError, match="not a dataset directory"):
        load_campus(tmp_path / "nowhere")
