"""The landing page and the conformance declaration of the OGC API at /ogc."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from api.ogc.params import METADATA_PARAMETERS, metadata_query
from api.ogc.responses import JSON, OPENAPI, Conformance, LandingPage, Link
from api.ogc.specs import PREFIX, TAGS
from api.ogc.transactions import CONFORMANCE as EDITING_CONFORMANCE
from api.problems import problem_responses

router = APIRouter(prefix=PREFIX, tags=TAGS)

TITLE = "Flying Fish twin: OGC API - Features"
DESCRIPTION = (
    "The Information Flying Fish campus (信息飞鱼), Lingang, Shanghai, as feature collections "
    "in GeoJSON (CRS84 lon/lat, or CGCS2000 and others with crs=): zones, parcels, buildings, floors, units and facilities. "
    "Public data only."
)
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    # Part 2: coordinate reference systems by reference
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
    # Part 3: filtering, with CQL2
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
    "http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions-plus",
    "http://www.opengis.net/spec/cql2/1.0/conf/spatial-functions",
    *EDITING_CONFORMANCE,
]


@router.get(
    "",
    name="ogc_landing",
    operation_id="getOgcLandingPage",
    summary="OGC API - Features landing page",
    response_model=LandingPage,
    response_model_exclude_none=True,
    responses=problem_responses(400),
    dependencies=[Depends(metadata_query)],
    openapi_extra={"parameters": METADATA_PARAMETERS},
)
def landing(request: Request) -> LandingPage:
    """The entry point for GIS clients (GDAL `OAPIF:<url>/ogc`, QGIS): links to the API
    definition, the conformance declaration and the feature collections of the campus."""
    root = str(request.base_url).rstrip("/")
    return LandingPage(
        title=TITLE,
        description=DESCRIPTION,
        links=[
            Link(
                href=str(request.url_for("ogc_landing")), rel="self", type=JSON, title="This page"
            ),
            Link(
                href=str(request.url_for("ogc_api")),
                rel="service-desc",
                type=OPENAPI,
                title="The API definition (OpenAPI 3.0)",
            ),
            Link(
                href=root + (request.app.docs_url or "/docs"),
                rel="service-doc",
                type="text/html",
                title="The API documentation",
            ),
            Link(
                href=str(request.url_for("ogc_conformance")),
                rel="conformance",
                type=JSON,
                title="Conformance classes implemented",
            ),
            Link(
                href=str(request.url_for("ogc_collections")),
                rel="data",
                type=JSON,
                title="The feature collections",
            ),
        ],
    )


@router.get(
    "/conformance",
    name="ogc_conformance",
    operation_id="getOgcConformance",
    summary="OGC API conformance classes",
    response_model=Conformance,
    responses=problem_responses(400),
    dependencies=[Depends(metadata_query)],
    openapi_extra={"parameters": METADATA_PARAMETERS},
)
def conformance() -> Conformance:
    """The conformance classes this API implements: OGC API - Features Part 1 Core, GeoJSON
    and OpenAPI 3.0; Part 2 (CRS); Part 3 (queryables, filter) with CQL2 text and JSON, basic
    CQL2, advanced comparison (LIKE, IN, BETWEEN) and spatial functions; Part 4 (draft)
    create/replace/delete, update and ETags."""
    return Conformance(conformsTo=CONFORMANCE)
