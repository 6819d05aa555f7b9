"""Generates the embedded Flying Fish dataset (``assets/data/flying-fish``) from the facts.

The sources publish areas and floor space, not footprints, so the layout here is schematic:
the fish is drawn by :mod:`geometry.fish`, buildings are rectangles sized so that every
published total (F3, F4, F5, F7, S2) holds exactly. Run ``python -m assets.generate`` after
changing a parameter; a test checks that the committed files equal this output.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from shapely import affinity, union_all
from shapely.geometry import Polygon

from assets.layout import (
    CORE_AREA,
    DC_GFA,
    FISH_ANGLE,
    FISH_AT,
    FISH_BUILDINGS,
    FISH_GFA,
    FISH_PARCEL_NAMES,
    FISH_SCALE,
    HEAD_GFA,
    OFFICE_GFA,
    OFFICE_LAYOUT,
    ORIGIN_LONLAT,
    PARK_AREA,
    PLOTS,
    SCHEMATIC,
    STOREY_M,
)
from geometry.crs import lonlat_to_utm
from geometry.fish import FishShape, fish_parcels, place_point
from geometry.shapes import rectangle_of_area, rounded, scale_to_area

DATA_DIR = Path(__file__).parent / "data" / "flying-fish"


def _ring(polygon: Polygon, origin: tuple[float, float]) -> list[list[float]]:
    moved = rounded(affinity.translate(polygon, origin[0], origin[1]))
    return [[x, y] for x, y in list(moved.exterior.coords)[:-1]]


def _claim(quantity: str, value: float, tolerance: float, *facts: str) -> dict[str, Any]:
    return {"quantity": quantity, "value": value, "tolerance": tolerance, "facts": list(facts)}


def _name(zh: str, en: str) -> dict[str, str]:
    return {"zh": zh, "en": en}


def _zones(fish: Polygon, o: tuple[float, float]) -> list[dict[str, Any]]:
    park = affinity.rotate(
        Polygon(
            [(-1800, -900), (-200, -1150), (1750, -1000), (1900, 650), (500, 1150), (-1500, 1000)]
        ),
        FISH_ANGLE,
        origin=(0, 0),
    )
    core = affinity.rotate(
        Polygon(
            [
                (-1350, -330),
                (-950, -640),
                (1200, -600),
                (1480, 0),
                (1200, 610),
                (-950, 650),
                (-1350, 330),
            ]
        ),
        FISH_ANGLE,
        origin=(0, 0),
    )
    return [
        {
            "id": "park",
            "kind": "park",
            "name": _name("国际数据经济产业园", "International Data Economy Industrial Park"),
            "parent": None,
            "polygon": _ring(scale_to_area(park, PARK_AREA), o),
            "claims": [_claim("area_m2", PARK_AREA, 0.005, "F3", "S3")],
            "provenance": SCHEMATIC,
            "facts": ["F1", "F3", "S3", "S4"],
        },
        {
            "id": "core",
            "kind": "core",
            "name": _name("核心区", "Core area"),
            "parent": "park",
            "polygon": _ring(scale_to_area(core, CORE_AREA), o),
            "claims": [_claim("area_m2", CORE_AREA, 0.005, "F3", "S3")],
            "provenance": SCHEMATIC,
            "facts": ["F3", "S3"],
        },
        {
            "id": "fish",
            "kind": "complex",
            "name": _name("信息飞鱼特色园区", "Information Flying Fish"),
            "parent": "core",
            "polygon": _ring(fish, o),
            "claims": [_claim("gfa_m2", FISH_GFA, 0.005, "F4")],
            "provenance": SCHEMATIC,
            "facts": ["F4", "S1"],
        },
    ]


def _in_map(fish_point: tuple[float, float]) -> tuple[float, float]:
    return place_point(fish_point, FISH_AT, FISH_ANGLE, FISH_SCALE)


def _fish_polygons() -> dict[str, Polygon]:
    return fish_parcels(FishShape(), FISH_AT, FISH_ANGLE, FISH_SCALE)


def _parcels(fish_parts: dict[str, Polygon], o: tuple[float, float]) -> list[dict[str, Any]]:
    parcels = []
    for role, polygon in fish_parts.items():
        zh, en = FISH_PARCEL_NAMES[role]
        claims = [_claim("gfa_m2", HEAD_GFA, 0.005, "F5")] if role == "head" else []
        parcels.append(
            {
                "id": "fish-" + role.replace("_", "-"),
                "name": _name(zh, en),
                "zone": "fish",
                "role": role.split("_")[0],
                "polygon": _ring(polygon, o),
                "claims": claims,
                "provenance": SCHEMATIC,
                "facts": ["F4", "F5"] if role == "head" else ["F4"],
            }
        )
    for pid, (zh, en, centre, area, aspect, facts) in PLOTS.items():
        claims = [_claim("area_m2", area, 0.001, *facts)] if pid == "d0101" else []
        parcels.append(
            {
                "id": pid,
                "name": _name(zh, en),
                "zone": "core",
                "role": "plot",
                "polygon": _ring(rectangle_of_area(_in_map(centre), area, aspect, FISH_ANGLE), o),
                "claims": claims,
                "provenance": SCHEMATIC,
                "facts": facts,
            }
        )
    return parcels


# Buildings of the fish, in the fish frame (m before FISH_SCALE): (id, zh, en, parcel,
# centre, GFA m², storeys, aspect, angle offset °, use)


def _building(
    bid: str,
    zh: str,
    en: str,
    parcel: str,
    footprint: Polygon,
    storeys: int,
    use: str,
    o: tuple[float, float],
    facts: list[str],
    **extra: Any,
) -> dict[str, Any]:
    return {
        "id": bid,
        "name": _name(zh, en),
        "parcel": parcel,
        "use": use,
        "footprint": _ring(footprint, o),
        "storeys": storeys,
        "storey_height_m": extra.pop("storey_height_m", STOREY_M),
        "layout": extra.pop("layout", OFFICE_LAYOUT),
        "claims": extra.pop("claims", []),
        "provenance": SCHEMATIC,
        "facts": facts,
    }


def _buildings(o: tuple[float, float]) -> list[dict[str, Any]]:
    out = []
    for bid, zh, en, parcel, centre, gfa, storeys, aspect, turn, use in FISH_BUILDINGS:
        at = _in_map(centre)
        footprint = rectangle_of_area(at, gfa / storeys, aspect, FISH_ANGLE + turn)
        out.append(
            _building(
                bid,
                zh,
                en,
                parcel,
                footprint,
                storeys,
                use,
                o,
                ["F5"] if parcel == "fish-head" else ["F4"],
            )
        )
    plots = {pid: _in_map(spec[2]) for pid, spec in PLOTS.items()}
    out.append(
        _building(
            "office-building",
            "综合办公楼“一楼观全港”",
            'Office building "Yi Lou Guan Quan Gang"',
            "office-plot",
            rectangle_of_area(plots["office-plot"], OFFICE_GFA / 20, 1.6, FISH_ANGLE),
            20,
            "office",
            o,
            ["F7"],
            claims=[_claim("gfa_m2", OFFICE_GFA, 0.02, "F7")],
        )
    )
    out.append(
        _building(
            "data-centre",
            "信息飞鱼配套数据中心",
            "Flying Fish data centre",
            "d0101",
            rectangle_of_area(plots["d0101"], DC_GFA / 5, 1.6, FISH_ANGLE),
            5,
            "data_centre",
            o,
            ["F6", "S2"],
            storey_height_m=6.0,
            layout=None,
            claims=[_claim("gfa_m2", DC_GFA, 0.001, "S2")],
        )
    )
    out.append(
        _building(
            "service-centre",
            "数据跨境服务中心大楼",
            "Cross-border data service centre building",
            "service-plot",
            rectangle_of_area(plots["service-plot"], 1_600, 1.5, FISH_ANGLE),
            3,
            "service",
            o,
            ["F8"],
        )
    )
    return out


def _facilities(o: tuple[float, float]) -> list[dict[str, Any]]:
    return [
        {
            "id": "dc",
            "name": _name("配套数据中心", "Supporting data centre"),
            "kind": "data_centre",
            "building": "data-centre",
            "rack_quota": 3000,
            "description": _name(
                "园区配套数据中心,约3000个机架的能耗指标,提供对外连接、机房和算力。",
                "The park's data centre: an energy quota for about 3,000 racks, external connectivity, machine rooms and compute.",
            ),
            "provenance": "published",
            "facts": ["F6", "S2"],
        },
        {
            "id": "feed-a",
            "name": _name("外部供电A路", "External power feed A"),
            "kind": "power_feed",
            "building": "data-centre",
            "provenance": "published",
            "facts": ["F6"],
        },
        {
            "id": "feed-b",
            "name": _name("外部供电B路", "External power feed B"),
            "kind": "power_feed",
            "building": "data-centre",
            "provenance": "published",
            "facts": ["F6"],
        },
        {
            "id": "cross-border-centre",
            "name": _name(
                "全国首个基层数据跨境服务中心", "Grassroots cross-border data service centre"
            ),
            "kind": "service_centre",
            "building": "service-centre",
            "description": _name(
                "全国首个基层数据跨境服务中心,已揭牌运营。",
                "The country's first grassroots cross-border data service centre, unveiled and operating.",
            ),
            "provenance": "published",
            "facts": ["F8"],
        },
    ]


def generate() -> dict[str, dict[str, Any]]:
    """The dataset files' contents, keyed by file name."""
    ox, oy = lonlat_to_utm(*ORIGIN_LONLAT)
    o = (round(ox, 2), round(oy, 2))
    parts = _fish_polygons()
    fish = union_all(list(parts.values()), grid_size=0.01)
    site = {
        "crs": "EPSG:32651",
        "origin": {
            "lon": ORIGIN_LONLAT[0],
            "lat": ORIGIN_LONLAT[1],
            "provenance": SCHEMATIC,
            "facts": ["S4"],
        },
        "zones": _zones(fish, o),
        "parcels": _parcels(parts, o),
    }
    return {
        "site.json": site,
        "buildings.json": {"crs": "EPSG:32651", "buildings": _buildings(o)},
        "facilities.json": {"crs": "EPSG:32651", "facilities": _facilities(o)},
    }


def dumps(content: dict[str, Any]) -> str:
    """The canonical text of one dataset file."""
    return json.dumps(content, ensure_ascii=False, indent=1) + "\n"


def main() -> None:
    for name, content in generate().items():
        (DATA_DIR / name).write_text(dumps(content), encoding="utf-8")


if __name__ == "__main__":
    main()
