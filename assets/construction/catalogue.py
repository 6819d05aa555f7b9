"""What is under construction: every building, and the facility work packages of the data
centre (its two external power feeds and its internal equipment, F6), each with a stream.

Buildings use the streams ``building:<id>``; work packages ``works:<id>``. Both share one
namespace of ids, so a command names ``fish-head-t1`` or ``feed-a`` alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from assets.campus import Campus
from assets.construction.errors import ConstructionError
from assets.construction.stages import STAGE_NAMES, STAGES, WORKS_STAGE_NAMES, WORKS_STAGES


@dataclass(frozen=True)
class WorkPackage:
    """Construction work on a facility that is not a building of its own."""

    id: str
    name_zh: str
    name_en: str
    facility: str
    """The facility (``facilities.json``) the work delivers."""
    building: str
    """The building the facility belongs to (its parcel is the package's parcel)."""
    facts: tuple[str, ...]


WORK_PACKAGES = (
    WorkPackage(
        "feed-a", "外部供电A路工程", "External power feed A works", "feed-a", "data-centre", ("F6",)
    ),
    WorkPackage(
        "feed-b", "外部供电B路工程", "External power feed B works", "feed-b", "data-centre", ("F6",)
    ),
    WorkPackage(
        "dc-equipment",
        "数据中心内部设施设备",
        "Data-centre internal facilities and equipment",
        "dc",
        "data-centre",
        ("F6",),
    ),
)
"""The data centre's work packages (F6: dual external feed and internal equipment)."""


@dataclass(frozen=True)
class Entity:
    """A building or a work package, as construction sees it."""

    id: str
    kind: Literal["building", "works"]
    name_zh: str
    name_en: str
    parcel: str
    gfa_m2: float
    """Gross floor area, m² (0 for a work package)."""
    stages: tuple[str, ...]

    @property
    def stream(self) -> str:
        return f"{'building' if self.kind == 'building' else 'works'}:{self.id}"

    def stage_name(self, stage: str) -> tuple[str, str]:
        """(Chinese, English) name of ``stage`` for this kind of entity."""
        names = STAGE_NAMES if self.kind == "building" else WORKS_STAGE_NAMES
        return names[stage]


def entities(campus: Campus) -> list[Entity]:
    """Every building (dataset order), each followed by the work packages on it."""
    out: list[Entity] = []
    for b in campus.buildings.values():
        out.append(
            Entity(
                b.id,
                "building",
                b.name.zh,
                b.name.en,
                b.parcel,
                round(campus.gfa_m2(b.id), 1),
                STAGES,
            )
        )
        out += [
            Entity(w.id, "works", w.name_zh, w.name_en, b.parcel, 0.0, WORKS_STAGES)
            for w in WORK_PACKAGES
            if w.building == b.id and w.id not in campus.buildings
        ]
    return out


def entity(campus: Campus, entity_id: str) -> Entity:
    """The building or work package ``entity_id``.

    Raises
    ------
    ConstructionError
        For an id that is neither (rule ``known-entity``), listing the work packages.
    """
    for e in entities(campus):
        if e.id == entity_id:
            return e
    packages = ", ".join(w.id for w in WORK_PACKAGES)
    raise ConstructionError(
        entity_id,
        None,
        "known-entity",
        f"no building or work package is called {entity_id!r} (buildings as in "
        f"/api/v1/campus, e.g. fish-head-t1; work packages: {packages})",
    )


def parcel_scope(campus: Campus, parcel: str | None) -> list[Entity]:
    """The entities of one parcel (all when None).

    Raises
    ------
    ConstructionError
        For an unknown parcel (rule ``known-parcel``).
    """
    if parcel is None or parcel == "":
        return entities(campus)
    if parcel not in campus.parcels:
        raise ConstructionError(
            parcel,
            None,
            "known-parcel",
            f"no parcel is called {parcel!r}: use one of {', '.join(campus.parcels)}",
            subject="parcel",
        )
    return [e for e in entities(campus) if e.parcel == parcel]
