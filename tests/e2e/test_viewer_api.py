"""The viewer's endpoints over a real `twin serve`: the page and three.js, colours by mode and
date, construction progress for ghosts, points of interest, feature cards, capabilities and the
server-side picture."""

from __future__ import annotations

import io

import httpx
import numpy as np
import pytest
from matplotlib.image import imread

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def http(live_twin):
    with httpx.Client(base_url=live_twin.url, timeout=120) as client:
        yield client


def test_the_viewer_page_is_served_at_root_with_three_from_node_modules(http) -> None:
    page = http.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '"three": "/vendor/three/build/three.module.js"' in page.text
    assert "cdn" not in page.text.lower()
    three = http.get("/vendor/three/build/three.module.js")
    assert three.status_code == 200 and "javascript" in three.headers["content-type"]
    assert http.get("/src/main.js").status_code == 200


def test_colours_come_by_mode_with_a_legend(http) -> None:
    body = http.get("/api/v1/scene/colors", params={"mode": "visitor"}).json()
    assert body["mode"] == "visitor" and "visitor" in body["modes"]
    assert body["colors"]["fish-head"] == body["fish_color"]
    assert {"en", "zh", "color"} <= set(body["legend"][0])
    assert body["defaults"]["unit"].startswith("#")


def test_an_unknown_mode_is_a_problem_listing_the_modes(http) -> None:
    answer = http.get("/api/v1/scene/colors", params={"mode": "x-ray"})
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith(PROBLEM)
    problem = answer.json()
    assert "'x-ray' is not offered" in problem["detail"]
    assert all(m in problem["detail"] for m in ("visitor", "leasing", "construction", "facilities"))


def test_construction_colours_follow_the_date(http) -> None:
    def fish_head_on(day: str) -> str:
        params = {"mode": "construction", "at": day}
        return http.get("/api/v1/scene/colors", params=params).json()["colors"]["fish-head-t1"]

    assert fish_head_on("2023-01-01") != fish_head_on("2024-09-12")


@pytest.mark.parametrize(
    ("day", "begun", "rise", "percent"),
    [
        ("2020-01-01", False, (0.0, 0.0), (0, 0)),
        ("2023-01-01", True, (0.05, 0.95), (10, 60)),
        ("2024-09-12", True, (1.0, 1.0), (50, 95)),
    ],
)
def test_the_fish_head_rises_with_its_structure(http, day, begun, rise, percent) -> None:
    tower = http.get("/api/v1/scene/progress", params={"at": day}).json()["buildings"][
        "fish-head-t1"
    ]
    assert tower["begun"] is begun
    assert rise[0] <= tower["rise"] <= rise[1]
    assert percent[0] <= tower["percent"] <= percent[1]


def test_past_today_the_forecast_raises_the_buildings_storey_by_storey(http) -> None:
    """#20: the slider past today plays the rest of the programme: a fish-body block not
    begun today rises on its forecast structure dates (as the forecast known today has them),
    while `rise` stays what stands today."""
    from datetime import UTC, datetime, timedelta

    from assets.clock import local_date

    today = local_date(datetime.now(UTC))
    card = http.get("/api/v1/construction/buildings/fish-body-b1").json()
    structure = next(s for s in card["stages"] if s["stage"] == "structure")
    start, end = (
        datetime.fromisoformat(structure[k]).date() for k in ("forecast_start", "forecast_end")
    )

    def block(day) -> dict:
        answer = http.get("/api/v1/scene/progress", params={"at": day.isoformat()})
        return answer.json()["buildings"]["fish-body-b1"]

    assert block(today)["forecast_rise"] is None  # up to today: what stands, no forecast
    rises = [block(max(start, today) + timedelta(days=n))["forecast_rise"] for n in (1, 120, 300)]
    assert 0 < rises[0] < rises[1] < rises[2] < 1, rises
    assert block(end + timedelta(days=1))["forecast_rise"] == 1
    assert block(end + timedelta(days=1))["rise"] == block(today)["rise"]
    head = http.get("/api/v1/scene/progress", params={"at": (end + timedelta(days=1)).isoformat()})
    assert head.json()["buildings"]["fish-head-t1"]["forecast_rise"] == 1  # topped out already


def test_points_of_interest_carry_their_facts_in_both_languages(http) -> None:
    body = http.get("/api/v1/pois").json()
    pois = {p["id"]: p for p in body["pois"]}
    assert set(pois) == {"fish-head", "data-centre", "office-building", "service-centre"}
    assert (
        "F5" in pois["fish-head"]["facts"] and "400,000" in pois["fish-head"]["description"]["en"]
    )
    assert "一楼观全港" in pois["office-building"]["description"]["zh"]
    assert pois["office-building"]["position"][1] > 84  # above the roof
    assert {"id": "enterprises", "value": 100, "facts": ["F2"]} in body["targets"]
    assert {o["kind"] for o in body["outlines"]} == {"park", "core", "complex"}
    assert body["names"]["office-building"]["zh"].startswith("综合办公楼")


def test_a_unit_card_is_public_physical_facts(http) -> None:
    card = http.get("/api/v1/scene/features/office-building/L12/U03").json()
    assert card["kind"] == "unit" and card["building"] == "office-building"
    assert card["floor"] == "office-building/L12" and card["level"] == 12
    assert 50 < card["area_m2"] < 500 and card["ready"]
    assert not {"tenant", "rent", "lease"} & set(card)
    missing = http.get("/api/v1/scene/features/office-building/L99/U01")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith(PROBLEM)


def test_capabilities_name_the_optional_endpoints(http) -> None:
    caps = http.get("/api/v1/viewer").json()
    assert {"visitor", "construction"} <= set(caps["modes"])
    assert caps["availability"] == "/api/v1/leasing/availability"
    assert caps["stacking_plan"] == "/api/v1/leasing/buildings/{building}/stacking-plan"
    assert caps["facilities_stream"] == "/api/v1/facilities/stream"
    assert caps["prospects"] == "/api/v1/leasing/prospects"  # the pipeline (leasing role)
    assert caps["proposals"] == "/api/v1/leasing/proposals"
    assert caps["occupancy"] == "/api/v1/leasing/occupancy"


def test_the_server_renders_a_picture_of_a_mode(http) -> None:
    params = {"mode": "construction", "at": "2023-01-01", "width": 480, "height": 300}
    answer = http.get("/api/v1/render.png", params=params)
    assert answer.status_code == 200 and answer.headers["content-type"] == "image/png"
    image = np.asarray(imread(io.BytesIO(answer.content), format="png"))
    assert image.shape[:2] == (300, 480)
    assert len(np.unique(image.reshape(-1, image.shape[2]), axis=0)) > 100
    assert http.get("/api/v1/render.png", params={"mode": "x-ray"}).status_code == 422


def test_percent_complete_never_falls_as_time_passes(http) -> None:
    days = [
        "2021-01-01",
        "2022-06-30",
        "2023-01-01",
        "2023-06-30",
        "2024-06-30",
        "2024-09-12",
        "2026-01-01",
    ]
    series = [
        http.get("/api/v1/scene/progress", params={"at": d}).json()["buildings"] for d in days
    ]
    for building in ("office-building", "data-centre", "fish-head-t1", "service-centre"):
        percents = [s[building]["percent"] for s in series]
        assert percents == sorted(percents), (building, percents)
        assert percents[0] == 0 < percents[-1] <= 100, (building, percents)  # it does rise
    at_article = series[days.index("2024-09-12")]
    assert at_article["service-centre"]["percent"] == 100  # F8: operating by 2024-09
    assert 80 < at_article["office-building"]["percent"] < 100  # F7: accepted, fitting out
