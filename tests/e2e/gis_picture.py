"""The picture of docs/gis.md: what a GIS client gets from the server, drawn as a desktop GIS
draws it: ``python tests/e2e/gis_picture.py``.

Starts a real `twin serve` on a fresh database and reads it with GDAL's OGC API - Features
driver (the GDAL that pyogrio bundles), as QGIS would: the buildings, and the units of level 12
of the fish head's first tower with at least 100 m² (a CQL2 filter done by the server), both
asked in CGCS2000 / 3-degree Gauss-Kruger CM 123E (EPSG:4550, ``-oo CRS=``, so the server
projects them). Writes ``docs/images/gis-cgcs2000-filter.png``.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pyogrio

sys.path.insert(1, str(Path(__file__).resolve().parents[1]))  # live_server

from live_server import start_twin, stop_twin

OUT = Path(__file__).resolve().parents[2] / "docs" / "images" / "gis-cgcs2000-filter.png"
WHERE = "building = 'fish-head-t1' AND level = 12 AND area_m2 >= 100"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        live = start_twin(Path(tmp), "--db", str(Path(tmp) / "twin.db"))
        try:
            source = f"OAPIF:{live.url}/ogc"
            options = {"CRS": "EPSG:4550"}
            buildings = pyogrio.read_dataframe(source, layer="buildings", **options)
            units = pyogrio.read_dataframe(source, layer="units", where=WHERE, **options)
        finally:
            stop_twin(live)
    head = buildings[buildings["id"].str.startswith("fish-head")]
    fig, ax = plt.subplots(figsize=(9, 7), dpi=120)
    buildings.plot(ax=ax, color="#e8e8e8", edgecolor="#9a9a9a", linewidth=0.6)
    head.plot(ax=ax, color="#d9e6f2", edgecolor="#5b7fa6", linewidth=0.8)
    units.plot(ax=ax, color="#e07b39", edgecolor="#7a3b10", linewidth=0.6)
    minx, miny, maxx, maxy = head.total_bounds
    pad = 40
    ax.set_xlim(minx - pad, maxx + pad)
    ax.set_ylim(miny - pad, maxy + pad)
    ax.set_aspect("equal")
    ax.ticklabel_format(useOffset=False, style="plain")
    ax.set_xlabel("easting, m (EPSG:4550, CGCS2000 / 3-degree Gauss-Kruger CM 123E)")
    ax.set_ylabel("northing, m")
    ax.grid(color="#cccccc", linewidth=0.4)
    ax.set_title(
        f"{len(units)} units: {WHERE}\n"
        "filtered by the server (CQL2), projected by the server (crs=EPSG:4550), read by GDAL",
        fontsize=9,
    )
    fig.tight_layout()
    fig.savefig(OUT)
    print(f"wrote {OUT} ({len(units)} units, {len(buildings)} buildings)")


if __name__ == "__main__":
    main()
