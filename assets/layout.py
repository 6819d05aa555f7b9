"""The schematic layout of the Flying Fish campus: where things stand and how big they are.

The sources publish areas and floor space (F3, F4, F5, F7, S2), not footprints: positions,
storeys and aspect ratios here are invented (schematic) and sized so every published total
holds. Positions of fish buildings and plots are in the fish frame (metres before FISH_SCALE,
x along the spine towards the nose); :mod:`assets.generate` turns this into the dataset files.
"""

from __future__ import annotations

ORIGIN_LONLAT = (121.8935, 30.9105)
"""Schematic campus origin, west of Dishui Lake (S4: lake centre about 121.929 E, 30.909 N)."""
FISH_ANGLE = 12.0
"""The fish swims east-north-east, towards the lake (degrees counter-clockwise from east)."""
FISH_SCALE = 1.45
FISH_AT = (-600.0, -120.0)
"""Where the fish's peduncle lies, in metres from the origin."""

PARK_AREA, CORE_AREA = 6_950_000.0, 3_200_000.0  # F3, S3
FISH_GFA, HEAD_GFA = 750_000.0, 400_000.0  # F4, F5
OFFICE_GFA, DC_GFA, DC_LAND = 20_000.0, 65_073.84, 18_991.0  # F7, S2, S2
STOREY_M = 4.2
SCHEMATIC = "schematic"

FISH_PARCEL_NAMES = {
    "head": ("鱼头", "Fish head"),
    "body": ("鱼身", "Fish body"),
    "tail": ("鱼尾", "Fish tail"),
    "fin_dorsal": ("背鳍", "Dorsal fin"),
    "fin_pelvic": ("腹鳍", "Pelvic fin"),
}
PLOTS = {  # id: (zh, en, centre in the fish frame, area m², aspect, facts)
    "d0101": ("D0101地块", "Plot D0101", (120.0, -300.0), DC_LAND, 1.45, ["S2"]),
    "office-plot": (
        "综合办公楼地块",
        "Office building plot",
        (1180.0, 230.0),
        9_000.0,
        1.3,
        ["F7"],
    ),
    "service-plot": ("服务中心地块", "Service centre plot", (60.0, 260.0), 6_000.0, 1.4, ["F8"]),
}



# fmt: off
FISH_BUILDINGS: list[
    tuple[str, str, str, str, tuple[float, float], float, int, float, float, str]
] = [
    (
        "fish-head-t1",
        "鱼头1号塔楼",
        "Fish head tower 1",
        "fish-head",
        (905, 62),
        120_000,
        50,
        1.5,
        0,
        "office",
    ),
    (
        "fish-head-t2",
        "鱼头2号塔楼",
        "Fish head tower 2",
        "fish-head",
        (905, -62),
        120_000,
        50,
        1.5,
        0,
        "office",
    ),
    (
        "fish-head-t3",
        "鱼头3号楼",
        "Fish head block 3",
        "fish-head",
        (780, 130),
        40_000,
        10,
        1.6,
        0,
        "office",
    ),
    (
        "fish-head-t4",
        "鱼头4号楼",
        "Fish head block 4",
        "fish-head",
        (780, -130),
        40_000,
        10,
        1.6,
        0,
        "office",
    ),
    (
        "fish-head-t5",
        "鱼头5号楼",
        "Fish head block 5",
        "fish-head",
        (1035, 45),
        40_000,
        10,
        1.3,
        0,
        "office",
    ),
    (
        "fish-head-t6",
        "鱼头6号楼",
        "Fish head block 6",
        "fish-head",
        (1035, -45),
        40_000,
        10,
        1.3,
        0,
        "office",
    ),
]
for _i, (_x, _y) in enumerate(
    [
        (230, 90),
        (230, -90),
        (370, 120),
        (370, -120),
        (510, 120),
        (510, -120),
        (640, 90),
        (640, -90),
    ],
    start=1,
):
    FISH_BUILDINGS.append(
        (
            f"fish-body-b{_i}",
            f"鱼身{_i}号楼",
            f"Fish body block {_i}",
            "fish-body",
            (_x, _y),
            32_500,
            8,
            1.6,
            0,
            "mixed",
        )
    )
for _i, (_x, _y) in enumerate([(-70, 42), (-70, -42), (-150, 88), (-150, -88)], start=1):
    FISH_BUILDINGS.append(
        (
            f"fish-tail-b{_i}",
            f"鱼尾{_i}号楼",
            f"Fish tail block {_i}",
            "fish-tail",
            (_x, _y),
            22_500,
            8,
            1.5,
            0,
            "mixed",
        )
    )

OFFICE_LAYOUT = {"depth_m": 12.0, "bay_width_m": 16.0}
# fmt: on
