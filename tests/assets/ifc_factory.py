"""IFC4 (or IFC2X3) files built with ifcopenshell's own API, for the IFC import tests and the docs.

Lengths are written in millimetres (the project's length unit is IfcSIUnit MILLI METRE), so a
reader that ignores units gets every area a million times too large. Each space is an
IfcExtrudedAreaSolid of a rectangular profile, placed through the site -> building -> storey ->
space placement chain; each storey may carry a floor slab. Georeferencing is IFC4
IfcMapConversion + IfcProjectedCRS, or in IFC2X3 the property sets ePSet_MapConversion +
ePSet_ProjectedCRS of buildingSMART's georeferencing guide; the IfcSite may also carry
RefLatitude/RefLongitude and the model context a TrueNorth.

As a command, writes the sample building of the docs::

    .venv/bin/python tests/assets/ifc_factory.py fin-lab.ifc [--no-georef]
"""

from __future__ import annotations

import argparse
import math
from dataclasses import dataclass, field
from pathlib import Path

import ifcopenshell
import ifcopenshell.api.aggregate
import ifcopenshell.api.context
import ifcopenshell.api.geometry
import ifcopenshell.api.georeference
import ifcopenshell.api.owner
import ifcopenshell.api.project
import ifcopenshell.api.pset
import ifcopenshell.api.root
import ifcopenshell.api.spatial
import ifcopenshell.api.unit
import ifcopenshell.util.geolocation
import numpy as np

SAMPLE_ANCHOR = (394250.0, 3420550.0)
"""EPSG:32651 (x, y) of the sample's origin, m: inside the empty dorsal-fin parcel."""


@dataclass(frozen=True)
class Space:
    """A rectangular space: corner (x, y), width along x, depth along y, height; all mm."""

    name: str
    x: float
    y: float
    width: float
    depth: float
    long_name: str | None = None
    height: float = 3000.0


@dataclass(frozen=True)
class Storey:
    """A storey at ``elevation`` mm, with its spaces and optionally a floor slab (x, y, w, d mm)."""

    name: str
    elevation: float
    spaces: list[Space] = field(default_factory=list)
    slab: tuple[float, float, float, float] | None = None


@dataclass(frozen=True)
class Georef:
    """IfcMapConversion + IfcProjectedCRS: the local origin at (eastings, northings) map units,
    the local x axis ``rotation_deg`` counter-clockwise from grid east."""

    eastings: float
    northings: float
    rotation_deg: float = 0.0
    crs: str = "EPSG:32651"
    scale: float | None = None
    holder: str = "IfcSite"
    """IFC2X3: the entity carrying the property sets (the guide's IfcSite, or IfcProject)."""


@dataclass(frozen=True)
class SiteReference:
    """IfcSite RefLatitude/RefLongitude (decimal degrees, WGS84) at the site's origin, placed at
    ``at`` (x, y mm); ``true_north_deg``: the context's TrueNorth, degrees counter-clockwise
    from project +y (``None``: no TrueNorth)."""

    latitude: float
    longitude: float
    true_north_deg: float | None = None
    at: tuple[float, float] = (0.0, 0.0)


@dataclass(frozen=True)
class Building:
    name: str
    storeys: list[Storey]
    long_name: str | None = None


def sample_storeys(levels: int = 3, height_mm: float = 4000.0) -> list[Storey]:
    """``levels`` storeys of a 24 x 12 m slab with two 10 x 12 m units and a 4 m core between."""
    return [
        Storey(
            name=f"Level {level}",
            elevation=(level - 1) * height_mm,
            spaces=[
                Space(f"{level}01", 0, 0, 10000, 12000, long_name=f"Suite {level}01"),
                Space(f"{level}02", 14000, 0, 10000, 12000, long_name=f"Suite {level}02"),
            ],
            slab=(0, 0, 24000, 12000),
        )
        for level in range(1, levels + 1)
    ]


def sample_building(levels: int = 3) -> Building:
    return Building("Fin Lab", sample_storeys(levels), long_name="Fin Laboratory")


def write_ifc(
    path: Path,
    buildings: list[Building] | Building,
    georef: Georef | None = None,
    *,
    schema: str = "IFC4",
    site_reference: SiteReference | None = None,
) -> Path:
    """Write an IFC file of ``schema`` (mm units) modelling ``buildings``; returns ``path``."""
    model = ifcopenshell.api.project.create_file(version=schema)
    if schema == "IFC2X3":
        _owner(model)
    project = ifcopenshell.api.root.create_entity(model, ifc_class="IfcProject", name="Test")
    length = ifcopenshell.api.unit.add_si_unit(model, unit_type="LENGTHUNIT", prefix="MILLI")
    area = ifcopenshell.api.unit.add_si_unit(model, unit_type="AREAUNIT")
    ifcopenshell.api.unit.assign_unit(model, units=[length, area])
    model_context = ifcopenshell.api.context.add_context(model, context_type="Model")
    body = ifcopenshell.api.context.add_context(
        model,
        context_type="Model",
        context_identifier="Body",
        target_view="MODEL_VIEW",
        parent=model_context,
    )
    site_at = (*site_reference.at, 0.0) if site_reference is not None else (0.0, 0.0, 0.0)
    site = _product(model, "IfcSite", "Site", project, at=site_at)
    for spec in buildings if isinstance(buildings, list) else [buildings]:
        building = _product(model, "IfcBuilding", spec.name, site, long_name=spec.long_name)
        for storey_spec in spec.storeys:
            _storey(model, body, building, storey_spec)
    if georef is not None and schema == "IFC2X3":
        _georeference_psets(model, georef, site)
    elif georef is not None:
        _georeference(model, georef)
    if site_reference is not None:
        _site_reference(model, site, site_reference)
    model.write(str(path))
    return path


def _owner(model: ifcopenshell.file) -> None:
    """The user and application that IFC2X3's mandatory owner history names."""
    ifcopenshell.api.owner.add_application(model)
    person = ifcopenshell.api.owner.add_person(model, identification="TEST", family_name="Test")
    organisation = ifcopenshell.api.owner.add_organisation(model, identification="FF", name="FF")
    ifcopenshell.api.owner.add_person_and_organisation(
        model, person=person, organisation=organisation
    )


def _product(
    model: ifcopenshell.file,
    ifc_class: str,
    name: str,
    parent: ifcopenshell.entity_instance,
    long_name: str | None = None,
    at: tuple[float, float, float] = (0.0, 0.0, 0.0),
) -> ifcopenshell.entity_instance:
    """A spatial element aggregated into ``parent`` and placed at ``at`` (world, mm)."""
    product = ifcopenshell.api.root.create_entity(model, ifc_class=ifc_class, name=name)
    if long_name is not None:
        product.LongName = long_name
    ifcopenshell.api.aggregate.assign_object(model, relating_object=parent, products=[product])
    matrix = np.eye(4)
    matrix[:3, 3] = at
    ifcopenshell.api.geometry.edit_object_placement(
        model, product=product, matrix=matrix, is_si=False
    )
    return product


def _storey(
    model: ifcopenshell.file,
    body: ifcopenshell.entity_instance,
    building: ifcopenshell.entity_instance,
    spec: Storey,
) -> None:
    at = (0.0, 0.0, spec.elevation)
    storey = _product(model, "IfcBuildingStorey", spec.name, building, at=at)
    storey.Elevation = spec.elevation
    for space in spec.spaces:
        element = _product(
            model,
            "IfcSpace",
            space.name,
            storey,
            long_name=space.long_name,
            at=(space.x, space.y, spec.elevation),
        )
        _extrusion(model, body, element, space.width, space.depth, space.height)
    if spec.slab is not None:
        x, y, width, depth = spec.slab
        slab = ifcopenshell.api.root.create_entity(
            model, ifc_class="IfcSlab", name=f"{spec.name} slab", predefined_type="FLOOR"
        )
        ifcopenshell.api.spatial.assign_container(model, relating_structure=storey, products=[slab])
        matrix = np.eye(4)
        matrix[:3, 3] = (x, y, spec.elevation - 200.0)
        ifcopenshell.api.geometry.edit_object_placement(
            model, product=slab, matrix=matrix, is_si=False
        )
        _extrusion(model, body, slab, width, depth, 200.0)


def _extrusion(
    model: ifcopenshell.file,
    body: ifcopenshell.entity_instance,
    product: ifcopenshell.entity_instance,
    width: float,
    depth: float,
    height: float,
) -> None:
    """A width x depth x height (mm) box from the product's origin, as a swept solid."""
    centre = model.createIfcAxis2Placement2D(model.createIfcCartesianPoint((width / 2, depth / 2)))
    profile = model.createIfcRectangleProfileDef("AREA", None, centre, width, depth)
    position = model.createIfcAxis2Placement3D(model.createIfcCartesianPoint((0.0, 0.0, 0.0)))
    solid = model.createIfcExtrudedAreaSolid(  # IFC2X3 requires the position
        profile, position, model.createIfcDirection((0.0, 0.0, 1.0)), height
    )
    representation = model.createIfcShapeRepresentation(body, "Body", "SweptSolid", [solid])
    ifcopenshell.api.geometry.assign_representation(
        model, product=product, representation=representation
    )


def _georeference(model: ifcopenshell.file, georef: Georef) -> None:
    ifcopenshell.api.georeference.add_georeferencing(model, name=georef.crs)
    angle = math.radians(georef.rotation_deg)
    ifcopenshell.api.georeference.edit_georeferencing(
        model,
        coordinate_operation={
            "Eastings": georef.eastings,
            "Northings": georef.northings,
            "XAxisAbscissa": math.cos(angle),
            "XAxisOrdinate": math.sin(angle),
            "Scale": georef.scale,
        },
    )


def _georeference_psets(
    model: ifcopenshell.file, georef: Georef, site: ifcopenshell.entity_instance
) -> None:
    """IFC2X3: ePSet_MapConversion and ePSet_ProjectedCRS on ``georef.holder``."""
    holder = site if georef.holder == "IfcSite" else model.by_type(georef.holder)[0]
    angle = math.radians(georef.rotation_deg)
    conversion = {
        "Eastings": georef.eastings,
        "Northings": georef.northings,
        "OrthogonalHeight": 0.0,
        "XAxisAbscissa": math.cos(angle),
        "XAxisOrdinate": math.sin(angle),
    } | ({"Scale": georef.scale} if georef.scale is not None else {})
    for name, properties in (
        ("ePSet_MapConversion", conversion),
        ("ePSet_ProjectedCRS", {"Name": georef.crs}),
    ):
        pset = ifcopenshell.api.pset.add_pset(model, product=holder, name=name)
        ifcopenshell.api.pset.edit_pset(model, pset=pset, properties=properties)


def _site_reference(
    model: ifcopenshell.file, site: ifcopenshell.entity_instance, reference: SiteReference
) -> None:
    site.RefLatitude = ifcopenshell.util.geolocation.dd2dms(reference.latitude, use_us=True)
    site.RefLongitude = ifcopenshell.util.geolocation.dd2dms(reference.longitude, use_us=True)
    if reference.true_north_deg is not None:
        ifcopenshell.api.georeference.edit_true_north(model, true_north=reference.true_north_deg)


def main() -> None:
    parser = argparse.ArgumentParser(description="Write the sample IFC4 building of the docs.")
    parser.add_argument("output", type=Path)
    parser.add_argument("--levels", type=int, default=3)
    parser.add_argument("--no-georef", action="store_true", help="omit IfcMapConversion")
    parser.add_argument("--rotation", type=float, default=0.0, help="degrees from grid east")
    args = parser.parse_args()
    georef = None if args.no_georef else Georef(*SAMPLE_ANCHOR, rotation_deg=args.rotation)
    write_ifc(args.output, sample_building(args.levels), georef)
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
