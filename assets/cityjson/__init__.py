"""The campus as CityJSON 2.0: the writer, and the vocabulary the writer and the reader share.

Zones and parcels are ``LandUse`` objects with an LoD0 ``MultiSurface``; buildings are
``Building`` objects with an LoD1 ``Solid`` (the footprint extruded from the ground to the roof);
floors and units are their ``BuildingStorey`` and ``BuildingUnit`` children, also LoD1 solids.
CityObject ids are the campus ids; attributes carry every dataset field, so that
:mod:`assets.imports.cityjson` reads an export back into the same campus. Coordinates are
EPSG:32651 metres stored as integer centimetres (``transform.scale`` 0.01).
"""

from assets.cityjson.write import campus_cityjson

__all__ = ["campus_cityjson"]
