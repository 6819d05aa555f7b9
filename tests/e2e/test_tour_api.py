"""The guided tour, the facts it cites and the words a visitor reads, over a real `twin serve`."""

from __future__ import annotations

import httpx
import pytest

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def http(live_twin):
    with httpx.Client(base_url=live_twin.url, timeout=120) as client:
        yield client


def test_the_tour_has_its_six_steps_in_both_languages(http) -> None:
    steps = http.get("/api/v1/tour").json()["steps"]
    assert [s["id"] for s in steps] == [
        "park",
        "fish",
        "fish-head",
        "data-centre",
        "office-building",
        "service-centre",
    ]
    assert all(s["text"]["zh"] and s["text"]["en"] and s["sources"] for s in steps)
    head = http.get("/api/v1/tour/3").json()
    assert head == http.get("/api/v1/tour/fish-head").json() == steps[2]
    assert head["at"] == "2024-09-12" and head["feature"] == "fish-head"


@pytest.mark.parametrize("step", ["0", "7", "lobby"])
def test_an_unknown_step_is_a_problem_naming_the_steps(http, step) -> None:
    answer = http.get(f"/api/v1/tour/{step}")
    assert answer.status_code == 404 and answer.headers["content-type"].startswith(PROBLEM)
    assert repr(step) in answer.json()["detail"] and "1-6" in answer.json()["detail"]


def test_the_tour_refuses_unknown_query_parameters(http) -> None:
    answer = http.get("/api/v1/tour", params={"step": "3"})
    assert answer.status_code == 400 and "'step'" in answer.json()["detail"]


def test_a_fact_gives_its_source_date_and_dated_text(http) -> None:
    f7 = http.get("/api/v1/facts/F7").json()
    assert f7["source"] == "Shanghai Municipal People's Government" and f7["date"] == "2024-09-12"
    assert "明年" in f7["zh"]  # the original wording is kept for staff
    assert f7["visitor"]["zh"].startswith("截至2024年9月") and "明年" not in f7["visitor"]["zh"]
    assert f7["as_of"] == {"en": "As of September 2024", "zh": "截至2024年9月"}
    assert http.get("/api/v1/facts/F99").status_code == 404


def test_points_of_interest_are_dated_for_visitors(http) -> None:
    for poi in http.get("/api/v1/pois").json()["pois"]:
        assert poi["description"]["en"].startswith("As of September 2024"), poi["id"]
        assert "明年" not in poi["description"]["zh"] and "今年" not in poi["description"]["zh"]
        assert poi["sources"][0]["date"] == "2024-09-12"


def test_the_fish_head_card_gives_land_and_floor_space(http) -> None:
    card = http.get("/api/v1/scene/features/fish-head").json()
    assert card["area_basis"] == "land" and round(card["area_m2"]) == 239_036
    assert card["gfa_m2"] == pytest.approx(400_000, rel=0.005)
    assert card["sources"][0]["source"] == "Shanghai Municipal People's Government"
    unit = http.get("/api/v1/scene/features/office-building/L12/U03").json()
    assert unit["area_basis"] == "floor"
    building = http.get("/api/v1/scene/features/office-building").json()
    assert building["gfa_m2"] == pytest.approx(20_000, rel=0.01) and "area_m2" not in {
        k for k, v in building.items() if v is not None
    }
