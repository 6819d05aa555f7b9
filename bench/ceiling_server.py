"""The ceiling: a bare in-memory FastAPI server serving the same features as the twin.

What a Python web server on this machine can do at best for the benchmark's requests, with
none of the twin's work (no event log, no state at an instant, no roles, no redaction, no
middleware): the published GeoJSON of each collection held in memory, an STRtree for ``bbox``,
a slice, and orjson. Paths have the twin's shape:

- ``/ogc/collections/{id}/items?bbox=&limit=&offset=``: a GeoJSON page (same features, same
  properties and coordinates as the twin's OGC API);
- ``/api/v1/leasing/availability?kind=&min_level=&max_level=&offset=&limit=``: a page of
  office units in that level range, in the availability answer's shape (every unit counted as
  available: the ceiling knows no bookings; the units of a level range are found once).

Run ``python -m bench.ceiling_server --data DIR --port 8090 [--workers N]`` (uvicorn, no
access log).
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import shapely
from fastapi import FastAPI, Request, Response
from shapely.strtree import STRtree

from api.ogc.catalog import public_feature
from api.ogc.specs import BY_ID
from assets.dataset import load_campus
from assets.features import campus_features
from cli.serve import run_workers

GEOJSON = "application/geo+json"
COLLECTIONS = ("buildings", "units")
"""The collections the benchmark asks for."""


@dataclass(frozen=True)
class Collection:
    """GeoJSON features in a fixed order and an STRtree over their lon/lat shapes."""

    features: list[dict[str, Any]]
    tree: STRtree

    def matching(self, bbox: str | None) -> list[int] | range:
        if not bbox:
            return range(len(self.features))
        box = shapely.box(*(float(v) for v in bbox.split(",")[:4]))
        return np.sort(self.tree.query(box, predicate="intersects")).tolist()


def load(data_dir: Path | None) -> dict[str, Collection]:
    """The collections of the campus in ``data_dir`` (default: the embedded one)."""
    campus = load_campus(data_dir) if data_dir is not None else load_campus()
    out = {}
    for cid in COLLECTIONS:
        spec = BY_ID[cid]
        docs = [public_feature(f, spec) for f in campus_features(campus, spec.kinds)]
        shapes = [shapely.geometry.shape(d["geometry"]) for d in docs]
        out[cid] = Collection(docs, STRtree(shapes))
    return out


def create_app(data_dir: Path | None = None) -> FastAPI:
    """The ceiling application over the campus in ``data_dir``."""
    collections = load(data_dir)
    units = [f["properties"] | {"id": f["id"]} for f in collections["units"].features]
    parcels = {f["id"]: f["properties"]["parcel"] for f in collections["buildings"].features}
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)

    @lru_cache(maxsize=256)
    def in_levels(low: int, high: int) -> tuple[list[dict[str, Any]], float]:
        found = [u for u in units if low <= u["level"] <= high]
        return found, round(sum(u["area_m2"] for u in found), 2)

    @app.get("/health")
    async def health() -> Response:
        return Response(b'{"status":"ok"}', media_type="application/json")

    @app.get("/ogc/collections/{collection_id}/items")
    async def items(
        request: Request,
        collection_id: str,
        bbox: str | None = None,
        limit: int = 10,
        offset: int = 0,
    ) -> Response:
        data = collections[collection_id]
        matched = data.matching(bbox)
        page = matched[offset : offset + limit]
        body = {
            "type": "FeatureCollection",
            "features": [data.features[i] for i in page],
            "links": [{"href": str(request.url), "rel": "self", "type": GEOJSON}],
            "timeStamp": datetime.now(UTC).isoformat(),
            "numberMatched": len(matched),
            "numberReturned": len(page),
        }
        return Response(orjson.dumps(body), media_type=GEOJSON)

    @app.get("/api/v1/leasing/availability")
    async def availability(
        kind: str = "office",
        min_level: int = 1,
        max_level: int = 200,
        offset: int = 0,
        limit: int = 200,
    ) -> Response:
        found, area = in_levels(min_level, max_level)
        shown = [
            {
                "id": u["id"],
                "kind": kind,
                "parcel": parcels.get(u["building"]),
                "building": u["building"],
                "floor": u["floor"],
                "level": u["level"],
                "hall": None,
                "area_m2": u["area_m2"],
                "status": "available",
                "ready_on": None,
                "two_n": None,
                "block": u["floor"],
                "block_area_m2": u["area_m2"],
                "block_spaces": 1,
            }
            for u in found[offset : offset + limit]
        ]
        body = {
            "at": datetime.now(UTC).isoformat(),
            "total": len(found),
            "total_area_m2": area,
            "racks": 0,
            "racks_two_n": 0,
            "blocks": len(found),
            "offset": offset,
            "limit": limit,
            "items": shown,
        }
        return Response(orjson.dumps(body), media_type="application/json")

    return app


def app_from_env() -> FastAPI:
    """The application over ``CEILING_DATA`` (unset: the embedded campus): the factory each
    worker process calls when there are several."""
    data = os.environ.get("CEILING_DATA")
    return create_app(Path(data) if data else None)


def main() -> None:
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=None, help="dataset directory")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    args = parser.parse_args()
    if args.workers == 1:
        uvicorn.run(
            create_app(args.data),
            host=args.host,
            port=args.port,
            log_level="warning",
            access_log=False,
        )
        return
    if args.data is not None:
        os.environ["CEILING_DATA"] = str(args.data)
    run_workers(  # with TCP_NODELAY on the shared socket, as `twin serve --workers` does
        uvicorn.Config(
            "bench.ceiling_server:app_from_env",
            factory=True,
            host=args.host,
            port=args.port,
            workers=args.workers,
            log_level="warning",
            access_log=False,
        )
    )


if __name__ == "__main__":
    main()
