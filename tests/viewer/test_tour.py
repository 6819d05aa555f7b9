"""The guided tour's data file: the embedded one is valid and covers the story; a bad file is
refused naming the step and field."""

import json
import shutil

import pytest

from assets.dataset import EMBEDDED, load_campus
from viewer.tour import TOUR_FILE, TourError, load_tour, public_steps

STORY = ["park", "fish", "fish-head", "data-centre", "office-building", "service-centre"]


@pytest.fixture(scope="module")
def campus():
    return load_campus()


def test_the_embedded_tour_tells_the_story_in_order(campus):
    steps = public_steps(load_tour(), campus)
    assert [s["id"] for s in steps] == STORY
    assert [s["number"] for s in steps] == list(range(1, len(STORY) + 1))
    for s in steps:
        assert s["title"]["zh"] and s["title"]["en"] and s["text"]["zh"] and s["text"]["en"]
        assert all(c["source"] and c["href"] == f"/facts/{c['id']}" for c in s["sources"])
    history = {s["id"]: s["at"] for s in steps if s["at"]}
    assert history["park"] == "2023-10-27"  # the unveiling (F1)


def test_no_step_says_next_year(campus):
    for s in load_tour().steps:
        for words in (s.text.zh, s.title.zh):
            assert not any(w in words for w in ("明年", "今年", "去年")), s.id
        assert "next year" not in s.text.en.lower() and "this year" not in s.text.en.lower()


def test_each_step_flies_to_a_feature_of_the_campus(campus):
    for s in load_tour().steps:
        known = (
            s.feature in campus.zones
            or s.feature in campus.parcels
            or s.feature in campus.buildings
        )
        assert known, s.feature


def _broken(tmp_path, edit):
    shutil.copy(EMBEDDED / "facts.json", tmp_path / "facts.json")
    raw = json.loads((EMBEDDED / TOUR_FILE).read_text(encoding="utf-8"))
    edit(raw)
    (tmp_path / TOUR_FILE).write_text(json.dumps(raw), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("edit", "step", "field"),
    [
        (lambda t: t["steps"][2]["text"].pop("zh"), "step 3 (fish-head)", "text.zh"),
        (lambda t: t["steps"][0].update(at="2023-13-40"), "step 1 (park)", "at"),
        (
            lambda t: t["steps"][4].update(facts=["F4", "F99"]),
            "step 5 (office-building)",
            "facts.1",
        ),
        (lambda t: t["steps"][1].update(camera="x"), "step 2 (fish)", "camera"),
        (lambda t: t["steps"][3].update(facts=[]), "step 4 (data-centre)", "facts"),
        (lambda t: t["steps"][5].update(id="park"), "step 6 (park)", "id"),
    ],
)
def test_a_bad_tour_is_refused_naming_step_and_field(tmp_path, edit, step, field):
    with pytest.raises(TourError) as caught:
        load_tour(_broken(tmp_path, edit))
    assert (caught.value.step, caught.value.field) == (step, field)
    assert step in str(caught.value) and TOUR_FILE in str(caught.value)


def test_a_tour_that_is_not_json_is_refused(tmp_path):
    (tmp_path / TOUR_FILE).write_text("{steps: [", encoding="utf-8")
    with pytest.raises(TourError, match="not valid JSON"):
        load_tour(tmp_path)
