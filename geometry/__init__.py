"""Pure shapes: CRS, the fish outline, floor plates, extrusion, spatial index and exports.

This package knows no domain words: it deals in polygons, meshes, ids and kinds given to it.
Planar measures are in metres and square metres of EPSG:32651 (UTM zone 51N).
"""
