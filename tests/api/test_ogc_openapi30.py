"""The OGC API's definition as OpenAPI 3.0.3 (/ogc/api, conformance class oas30): served over a
real HTTP connection to `twin serve`, and the 3.1 -> 3.0 converter on hand-written fragments."""

import copy
from typing import Any

import httpx
import pytest
from openapi_spec_validator import OpenAPIV30SpecValidator, validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from api.ogc.definition import GDAL_ITEMS_PATH
from api.ogc.responses import OPENAPI
from api.openapi30 import downgrade, subset

OAS30 = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30"


def valid30(spec: dict[str, Any]) -> None:
    validate(spec, cls=OpenAPIV30SpecValidator)


def refused30(spec: dict[str, Any]) -> None:
    """``spec`` read as OpenAPI 3.0.3 as it is (unconverted) is refused."""
    with pytest.raises(OpenAPIValidationError):
        valid30({**spec, "openapi": "3.0.3"})


def is_ogc(path: str) -> bool:
    return path == "/ogc" or path.startswith("/ogc/")


# --- over HTTP ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def client(live_twin):
    with httpx.Client(base_url=live_twin.url, timeout=60) as c:
        yield c


@pytest.fixture(scope="module")
def service_desc(client) -> httpx.Response:
    """The response to the landing page's ``service-desc`` link."""
    links = {link["rel"]: link for link in client.get("/ogc").json()["links"]}
    assert (
        links["service-desc"]["type"] == OPENAPI == "application/vnd.oai.openapi+json;version=3.0"
    )
    assert links["service-desc"]["href"] == f"{client.base_url}/ogc/api"
    assert links["service-doc"]["type"] == "text/html"
    assert client.get(links["service-doc"]["href"]).status_code == 200
    return client.get(links["service-desc"]["href"])


@pytest.fixture(scope="module")
def spec31(client) -> dict[str, Any]:
    return client.get("/openapi.json").json()


def test_the_service_desc_is_a_valid_openapi_303_document(client, service_desc):
    assert service_desc.status_code == 200
    assert service_desc.headers["content-type"] == OPENAPI
    doc = service_desc.json()
    assert doc["openapi"] == "3.0.3"
    valid30(doc)
    assert OAS30 in client.get("/ogc/conformance").json()["conformsTo"]


def test_it_holds_every_ogc_path_and_nothing_else(service_desc, spec31):
    doc = service_desc.json()
    # and the items operation again where GDAL looks for it (relative to the landing page)
    gdal = doc["paths"].pop(GDAL_ITEMS_PATH)["get"]
    items = doc["paths"]["/ogc/collections/{collection_id}/items"]["get"]
    query = [p for p in items["parameters"] if p["in"] == "query"]
    assert [p for p in gdal["parameters"] if p["in"] == "query"] == query
    assert [p["name"] for p in gdal["parameters"] if p["in"] == "path"] == ["collectionId"]
    assert "cql-text" in next(p for p in query if p["name"] == "filter-lang")["schema"]["enum"]
    assert set(doc["paths"]) == {p for p in spec31["paths"] if is_ogc(p)}
    assert {"/ogc", "/ogc/api", "/ogc/collections/{collection_id}/items"} <= set(doc["paths"])
    operations = {op["operationId"] for item in doc["paths"].values() for op in item.values()}
    assert operations == {
        op["operationId"]
        for path, item in spec31["paths"].items()
        if is_ogc(path)
        for op in item.values()
    }
    # Only the components the paths use: the OGC models and the problem, no leasing models.
    schemas = set(doc["components"]["schemas"])
    assert {"LandingPage", "Link", "Collections", "TemporalExtent", "Problem"} <= schemas
    assert schemas < set(spec31["components"]["schemas"]) and "HoldIn" not in schemas
    link_type = doc["components"]["schemas"]["Link"]["properties"]["type"]
    assert link_type["type"] == "string" and link_type["nullable"] is True


def test_openapi_json_stays_31_and_documents_the_definition(spec31):
    assert spec31["openapi"].startswith("3.1")
    operation = spec31["paths"]["/ogc/api"]["get"]
    assert operation["operationId"] and operation["summary"] and operation["description"]
    assert OPENAPI in operation["responses"]["200"]["content"]
    assert [p["name"] for p in operation["parameters"]] == ["datetime", "f"]


def test_f_json_gives_the_same_document(client, service_desc):
    response = client.get("/ogc/api", params={"f": "json"})
    assert response.status_code == 200 and response.json() == service_desc.json()


@pytest.mark.parametrize("query", ["f=html", "f=geojson", "f=yaml", "colour=red", "f=json&f=json"])
def test_other_formats_and_parameters_are_a_400_problem(client, query):
    response = client.get(f"/ogc/api?{query}")
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert query.split("=")[0] in response.json()["detail"]


def test_the_whole_31_document_converts_to_valid_30(spec31):
    """The converter meets everything FastAPI writes, not only the OGC paths."""
    refused30(spec31)
    before = copy.deepcopy(spec31)
    valid30(downgrade(spec31))
    assert spec31 == before  # pure: the 3.1 document is unchanged


# --- the converter on fragments ---------------------------------------------------------------
def document(schema: Any) -> dict[str, Any]:
    """A minimal OpenAPI 3.1 document whose one response uses ``schema`` (as component S)."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/s": {
                "get": {
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/S"}}
                            },
                        }
                    }
                }
            }
        },
        "components": {"schemas": {"S": schema, "T": {"type": "string"}}},
    }


T = {"$ref": "#/components/schemas/T"}
CONVERSIONS = {
    "anyOf with null": (
        {"anyOf": [{"type": "string"}, {"type": "null"}], "title": "Name", "default": None},
        {"type": "string", "nullable": True, "title": "Name", "default": None},
    ),
    "oneOf a ref or null": (
        {"oneOf": [T, {"type": "null"}], "description": "d"},
        {"allOf": [T], "nullable": True, "description": "d"},
    ),
    "anyOf two types or null": (
        {"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]},
        {"anyOf": [{"type": "string"}, {"type": "integer"}], "nullable": True},
    ),
    "type list with null": (
        {"type": ["integer", "null"], "minimum": 0},
        {"type": "integer", "nullable": True, "minimum": 0},
    ),
    "type list of two": (
        {"type": ["string", "number"]},
        {"anyOf": [{"type": "string"}, {"type": "number"}]},
    ),
    "examples list": (
        {"type": "string", "examples": ["fish-head-t1", "office-building"]},
        {"type": "string", "example": "fish-head-t1"},
    ),
    "const": ({"type": "string", "const": "Feature"}, {"type": "string", "enum": ["Feature"]}),
    "nullable enum": (
        {"anyOf": [{"enum": ["a", "b"]}, {"type": "null"}]},
        {"enum": ["a", "b", None], "nullable": True},
    ),
    "exclusive minimum": (
        {"type": "number", "exclusiveMinimum": 0},
        {"type": "number", "minimum": 0, "exclusiveMinimum": True},
    ),
    "exclusive maximum below a looser maximum": (
        {"type": "number", "exclusiveMaximum": 10, "maximum": 20},
        {"type": "number", "maximum": 10, "exclusiveMaximum": True},
    ),
    "exclusive minimum under a tighter minimum": (
        {"type": "integer", "exclusiveMinimum": 0, "minimum": 5},
        {"type": "integer", "minimum": 5},
    ),
    "binary content": (
        {"type": "string", "contentMediaType": "application/octet-stream"},
        {"type": "string", "format": "binary"},
    ),
    "base64 content": (
        {"type": "string", "contentEncoding": "base64", "contentMediaType": "image/png"},
        {"type": "string", "format": "byte"},
    ),
    "textual content": (
        {"type": "string", "contentMediaType": "application/json"},
        {"type": "string"},
    ),
    "$schema and $comment": (
        {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$comment": "x",
            "type": "object",
        },
        {"type": "object"},
    ),
    "prefixItems": (
        {
            "type": "array",
            "prefixItems": [{"type": "number"}, {"type": "number"}],
            "minItems": 2,
            "maxItems": 2,
        },
        {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2},
    ),
    "ref with siblings": ({**T, "description": "d"}, {"allOf": [T], "description": "d"}),
    "nested in properties and items": (
        {
            "type": "object",
            "properties": {
                "ids": {"type": "array", "items": {"type": ["string", "null"], "examples": ["a"]}}
            },
        },
        {
            "type": "object",
            "properties": {
                "ids": {
                    "type": "array",
                    "items": {"type": "string", "nullable": True, "example": "a"},
                }
            },
        },
    ),
}

IGNORED_BY_30 = {"ref with siblings"}
"""Fragments 3.0 accepts as they are but reads differently (it ignores a $ref's siblings)."""


@pytest.mark.parametrize("name", list(CONVERSIONS))
def test_each_schema_mapping_gives_valid_30(name):
    given, expected = CONVERSIONS[name]
    spec = document(given)
    converted = downgrade(spec)
    assert converted["openapi"] == "3.0.3"
    assert converted["components"]["schemas"]["S"] == expected
    valid30(converted)
    if name not in IGNORED_BY_30:
        refused30(spec)  # the fragment uses a keyword or form OpenAPI 3.0 refuses


@pytest.mark.parametrize(
    "change",
    [
        {"jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base"},
        {"webhooks": {"ping": {"post": {"responses": {"200": {"description": "ok"}}}}}},
        {"info": {"title": "t", "version": "1", "summary": "s"}},
        {"info": {"title": "t", "version": "1", "license": {"name": "MIT", "identifier": "MIT"}}},
    ],
    ids=["jsonSchemaDialect", "webhooks", "info.summary", "license.identifier"],
)
def test_document_fields_30_lacks_are_removed(change):
    spec = {**document({"type": "string"}), **change}
    refused30(spec)
    converted = downgrade(spec)
    valid30(converted)
    assert "jsonSchemaDialect" not in converted and "webhooks" not in converted
    assert "summary" not in converted["info"]
    assert "identifier" not in converted["info"].get("license", {})


def test_parameter_examples_maps_stay_and_schema_examples_become_example():
    spec = document({"type": "string"})
    spec["paths"]["/s"]["get"]["parameters"] = [
        {
            "name": "at",
            "in": "query",
            "schema": {"anyOf": [{"type": "string", "format": "date"}, {"type": "null"}]},
            "examples": {"day": {"value": "2024-09-12"}},
        },
        {"name": "n", "in": "query", "schema": {"type": "integer", "examples": [5]}},
    ]
    refused30(spec)
    at, n = downgrade(spec)["paths"]["/s"]["get"]["parameters"]
    assert at["examples"] == {"day": {"value": "2024-09-12"}}
    assert at["schema"] == {"type": "string", "format": "date", "nullable": True}
    assert n["schema"] == {"type": "integer", "example": 5}
    valid30(downgrade(spec))


def test_subset_keeps_the_paths_chosen_and_the_components_they_reach():
    def ref(name: str) -> dict[str, str]:
        return {"$ref": f"#/components/schemas/{name}"}

    def get(schema: dict[str, Any], security: list[Any] | None = None) -> dict[str, Any]:
        content = {"application/json": {"schema": schema}}
        operation = {"responses": {"200": {"description": "ok", "content": content}}}
        return {"get": {**operation, **({"security": security} if security else {})}}

    spec = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/ogc": get(ref("Landing")),
            "/ogc/items": get({"type": "array", "items": ref("Item")}),
            "/api/v1/leases": get(ref("Lease"), security=[{"bearer": []}]),
        },
        "components": {
            "schemas": {
                "Landing": {"type": "object", "properties": {"links": ref("Link")}},
                "Link": {"type": "object", "properties": {"next": ref("Link")}},  # a cycle
                "Item": {"type": "object"},
                "Lease": {"type": "object", "properties": {"link": ref("Link")}},
                "Unused": {"type": "object"},
            },
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
    before = copy.deepcopy(spec)
    kept = subset(spec, is_ogc)
    assert spec == before  # pure
    assert list(kept["paths"]) == ["/ogc", "/ogc/items"]
    assert kept["components"] == {
        "schemas": {
            name: spec["components"]["schemas"][name] for name in ("Landing", "Link", "Item")
        }
    }
    assert set(subset(spec, lambda p: p.startswith("/api"))["components"]) == {
        "schemas",
        "securitySchemes",
    }
    valid30(downgrade(kept))
