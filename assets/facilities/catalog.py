"""Building the catalogue of :mod:`assets.facilities.topology` from the campus dataset.

Deterministic: the same dataset always gives the same ids, names and power graph.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from assets.campus import Campus
from assets.facilities.topology import FacilityNode, Topology

RACKS_PER_ROW = 25
HALLS_PER_FLOOR = 2
TWO_N_SHARE = 3 / 4
"""Share of the hall floors (from the bottom) whose halls are fed from both feeds (2N)."""
LINK_GBPS = 100.0
CORE_GBPS = 400.0
OFFICE_SYSTEMS = (
    ("power", "供配电", "Power distribution"),
    ("hvac", "暖通空调", "HVAC"),
    ("lifts", "电梯", "Lifts"),
    ("fire-safety", "消防", "Fire safety"),
    ("network", "楼宇网络", "Building network"),
)


def _dc_nodes(
    campus: Campus, dc: str, building: str, quota: int
) -> tuple[list[FacilityNode], dict[str, list[str]]]:
    feeds = sorted(
        f.id
        for f in campus.facilities.values()
        if f.kind == "power_feed" and f.building == building
    )
    floors = campus.floors(building)
    plant, hall_floors = floors[0], floors[1:]
    nodes: list[FacilityNode] = []
    supplies: dict[str, list[str]] = {}
    sides = [(feed, feed.removeprefix("feed-")) for feed in feeds]
    for feed, side in sides:
        sub, ups = f"{dc}/sub-{side}", f"{dc}/ups-{side}"
        up = side.upper()
        nodes.append(
            FacilityNode(
                sub, "substation", f"{up}路变电所", f"Substation {up}", dc, building, plant.id
            )
        )
        nodes.append(
            FacilityNode(ups, "ups", f"{up}路UPS系统", f"UPS system {up}", dc, building, plant.id)
        )
        supplies[feed] = [sub]
        supplies[sub] = [ups]
        supplies[ups] = []
    if not hall_floors or quota <= 0:
        return nodes, supplies
    halls_n = len(hall_floors) * HALLS_PER_FLOOR
    per_hall = math.ceil(quota / halls_n)
    two_n_floors = math.ceil(len(hall_floors) * TWO_N_SHARE)
    left = quota
    for f_index, floor in enumerate(hall_floors):
        hall_sides = sides if f_index < two_n_floors else sides[:1]
        for h in range(HALLS_PER_FLOOR):
            k = f_index * HALLS_PER_FLOOR + h + 1
            hall, racks = f"{dc}/hall-{k}", min(per_hall, left)
            left -= racks
            nodes.append(
                FacilityNode(
                    hall,
                    "hall",
                    f"{k}号机房",
                    f"Data hall {k}",
                    dc,
                    building,
                    floor.id,
                    f"{building}/H{k}",
                    racks,
                )
            )
            rows = []
            for r in range(math.ceil(racks / RACKS_PER_ROW)):
                row = f"{hall}/row-{r + 1:02d}"
                n = min(RACKS_PER_ROW, racks - r * RACKS_PER_ROW)
                rows.append(row)
                nodes.append(
                    FacilityNode(
                        row,
                        "rack_row",
                        f"{k}号机房第{r + 1}列",
                        f"Hall {k} row {r + 1}",
                        hall,
                        building,
                        floor.id,
                        f"{building}/H{k}/R{r + 1:02d}",
                        n,
                    )
                )
            for _, side in hall_sides:
                pdu, up = f"{hall}/pdu-{side}", side.upper()
                nodes.append(
                    FacilityNode(
                        pdu,
                        "pdu",
                        f"{k}号机房{up}路配电",
                        f"Hall {k} PDU {up}",
                        hall,
                        building,
                        floor.id,
                    )
                )
                supplies[f"{dc}/ups-{side}"].append(pdu)
                supplies[pdu] = rows
    return nodes, supplies


def _shared_nodes(
    campus: Campus, dc: str, building: str
) -> tuple[list[FacilityNode], dict[str, list[str]]]:
    sides = sorted(
        f.id.removeprefix("feed-")
        for f in campus.facilities.values()
        if f.kind == "power_feed" and f.building == building
    )
    nodes: list[FacilityNode] = []
    supplies: dict[str, list[str]] = {}
    for i, side in enumerate(sides, start=1):
        nodes.append(
            FacilityNode(
                f"cooling-{i}", "cooling", f"{i}号冷站", f"Chiller plant {i}", None, building
            )
        )
        supplies[f"{dc}/sub-{side}"] = [f"cooling-{i}"]
    nodes.append(
        FacilityNode(
            "net-core",
            "network_core",
            "核心网络",
            "Core network",
            None,
            building,
            capacity=CORE_GBPS,
        )
    )
    for side in sides:
        supplies[f"{dc}/ups-{side}"] = ["net-core"]
    for i in (1, 2):
        nodes.append(
            FacilityNode(
                f"net-intl-{i}",
                "network_link",
                f"国际互联网专用通道{i}",
                f"International link {i}",
                None,
                building,
                capacity=LINK_GBPS,
                facts=("F6", "F13"),
            )
        )
    return nodes, supplies


def _merge(into: dict[str, list[str]], more: Mapping[str, list[str]]) -> None:
    for supplier, consumers in more.items():
        into.setdefault(supplier, []).extend(consumers)


def build_topology(campus: Campus) -> Topology:
    """The catalogue of ``campus``'s facilities and its power graph (pure, deterministic)."""
    nodes: list[FacilityNode] = []
    supplies: dict[str, list[str]] = {}
    for f in campus.facilities.values():
        nodes.append(
            FacilityNode(
                f.id,
                f.kind,
                f.name.zh,
                f.name.en,
                None,
                f.building,
                racks=f.rack_quota or 0,
                provenance=f.provenance,
                facts=tuple(f.facts),
            )
        )
    for f in campus.facilities.values():
        if f.kind == "data_centre" and f.building in campus.buildings:
            for made in (
                _dc_nodes(campus, f.id, f.building, f.rack_quota or 0),
                _shared_nodes(campus, f.id, f.building),
            ):
                nodes += made[0]
                _merge(supplies, made[1])
    if "office-building" in campus.buildings:
        nodes += [
            FacilityNode(
                f"office/{s}",
                "building_system",
                f"综合办公楼{zh}",
                f"Office building {en}",
                None,
                "office-building",
                capacity=10.0,
                facts=("F7",),
            )
            for s, zh, en in OFFICE_SYSTEMS
        ]
    return Topology({n.id: n for n in nodes}, {k: tuple(v) for k, v in supplies.items()})
