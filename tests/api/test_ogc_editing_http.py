"""OGC API - Features Part 4 against a real server: OWSLib creates, replaces and deletes a unit
(PATCH, which OWSLib lacks, goes through httpx), the campus is read before and after each edit
through `datetime=` / `at=`, and refused edits (stale or missing If-Match, a role that may not
edit, a unit outside its floor plate, a booked unit, a published total) change nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from live_server import LiveTwin, start_twin, stop_twin
from owslib.ogcapi.features import Features
from owslib_clients import features_client
from shapely.geometry import box, mapping, shape

from assets.dataset import load_campus
from geometry.crs import to_lonlat, to_utm
from occupancy.bookings import blocking
from twin.auth import TokenStore
from twin.eventlog import open_store
from twin.runtime import Twin
from twin.settings import Settings

FLOOR = "fish-body-b1/L02"
UNIT = f"{FLOOR}/U99"
UNITS = "/ogc/collections/units/items"
T0, BEFORE_T0, AFTER_T0 = "2027-06-01", "2027-05-31", "2027-06-02"
"""When the shared server's edits take effect (geometry history is written forward), and a
day either side."""


def square(dx: float = 0.0, side: float = 10.0) -> dict[str, Any]:
    """A ``side`` m square in the core of FLOOR (lon/lat GeoJSON), moved ``dx`` m east."""
    floor = next(f for f in load_campus().floors("fish-body-b1") if f.id == FLOOR)
    assert floor.core is not None
    p = floor.core.representative_point()
    half = side / 2
    return dict(mapping(to_lonlat(box(p.x + dx - half, p.y - half, p.x + dx + half, p.y + half))))


def feature(geometry: dict[str, Any], feature_id: str = UNIT) -> dict[str, Any]:
    return {"type": "Feature", "id": feature_id, "geometry": geometry, "properties": {}}


def owslib(live: LiveTwin, token: str | None, effective: str | None = None) -> Features:
    """An OWSLib client; a write's `effective` rides on the base URL's query string."""
    base = f"{live.url}/ogc/" + (f"?effective={effective}" if effective else "")
    return features_client(base, token)


def log_head(url: str) -> int:
    with open_store(url) as store:
        return store.head()


@pytest.fixture
def editing(database_url: str, tmp_path: Path) -> Iterator[tuple[LiveTwin, dict[str, str], str]]:
    """A server on a fresh SQLite or PostgreSQL log, tokens for an editor and a leasing agent."""
    live = start_twin(tmp_path, "--db", database_url)
    with open_store(database_url) as store:
        tokens = TokenStore(store.engine)
        made = {role: tokens.create(role, f"edit-{role}") for role in ("twin_editor", "leasing")}
    yield live, made, database_url
    stop_twin(live)


def _area(client: httpx.Client, at: str) -> tuple[int, float | None]:
    """The status of UNIT read at ``at`` through the OGC API, and its area (m²)."""
    got = client.get(f"{UNITS}/{UNIT}", params={"datetime": at})
    return got.status_code, got.json()["properties"]["area_m2"] if got.is_success else None


def _units(client: httpx.Client, at: str) -> int:
    return int(client.get("/api/v1/campus", params={"at": at}).json()["counts"]["units"])


def test_owslib_creates_replaces_patches_and_deletes_a_unit_seen_at_every_instant(editing):
    live, tokens, url = editing
    editor = tokens["twin_editor"]
    reader = owslib(live, None)
    assert (
        "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete"
        in (reader.conformance()["conformsTo"])
    )
    with httpx.Client(base_url=live.url, timeout=120) as http:
        units_before = _units(http, "2026-12-31")
        scene_before = http.get("/api/v1/scene.glb", params={"at": "2026-12-31"}).headers["etag"]

        assert owslib(live, editor, "2027-01-01").collection_item_create("units", feature(square()))
        created = reader.collection_item("units", UNIT + "?datetime=2027-01-15")
        assert created["properties"]["area_m2"] == pytest.approx(100.0, abs=0.1)
        etag = reader.response_headers["ETag"]
        assert etag == '"1"'

        writer = owslib(live, editor, "2027-02-01")
        writer.headers["If-Match"] = etag
        assert writer.collection_item_update("units", UNIT, feature(square(dx=3.0)))

        patched = http.patch(
            f"{UNITS}/{UNIT}",
            params={"effective": "2027-03-01"},
            json={"geometry": square(dx=3.0, side=12.0)},
            headers={"Authorization": f"Bearer {editor}", "If-Match": '"2"'},
        )
        assert patched.status_code == 204, patched.text
        assert patched.headers["etag"] == '"3"'

        deleter = owslib(live, editor, "2027-04-01")
        deleter.headers["If-Match"] = patched.headers["etag"]
        assert deleter.collection_item_delete("units", UNIT)
        deleter.headers.pop("If-Match")

        assert _area(http, "2026-12-31") == (404, None)
        assert _area(http, "2027-01-15") == (200, pytest.approx(100.0, abs=0.1))
        assert _area(http, "2027-02-15") == (200, pytest.approx(100.0, abs=0.1))
        assert _area(http, "2027-03-15") == (200, pytest.approx(144.0, abs=0.1))
        assert _area(http, "2027-04-15") == (404, None)
        moved = http.get(f"{UNITS}/{UNIT}", params={"datetime": "2027-02-15"}).json()
        first = http.get(f"{UNITS}/{UNIT}", params={"datetime": "2027-01-15"}).json()
        shift = (
            to_utm(shape(moved["geometry"])).centroid.x
            - to_utm(shape(first["geometry"])).centroid.x
        )
        assert shift == pytest.approx(3.0, abs=0.02)
        assert _units(http, "2026-12-31") == units_before
        assert _units(http, "2027-01-15") == units_before + 1
        assert _units(http, "2027-04-15") == units_before
        card = http.get(f"/api/v1/scene/features/{UNIT}", params={"at": "2027-03-15"})
        assert card.status_code == 200 and card.json()["area_m2"] == pytest.approx(144, abs=0.1)
        assert http.get(f"/api/v1/scene/features/{UNIT}", params={"at": "2026-12-31"}).is_error
        scene_after = http.get("/api/v1/scene.glb", params={"at": "2027-01-15"}).headers["etag"]
        assert scene_after != scene_before
        assert http.get("/api/v1/scene.glb", params={"at": "2026-12-31"}).headers["etag"] == (
            scene_before
        )

        head = log_head(url)
        building = reader.collection_item("buildings", "fish-body-b1?datetime=2027-04-15")
        stale = owslib(live, editor, "2027-05-01")
        stale.headers["If-Match"] = etag  # the unit's first version: its building moved on
        with pytest.raises(RuntimeError, match='"status":412'):
            stale.collection_item_update("buildings", "fish-body-b1", building)
        stale.headers.pop("If-Match")
        refused = http.post(
            UNITS,
            params={"effective": "2027-05-01"},
            json=feature(square(dx=2000.0), f"{FLOOR}/U98"),
            headers={"Authorization": f"Bearer {editor}"},
        )
        assert refused.status_code == 422, refused.text
        problem = refused.json()
        assert refused.headers["content-type"] == "application/problem+json"
        assert (problem["entity"], problem["rule"]) == (f"{FLOOR}/U98", "containment")
        assert FLOOR in problem["detail"]
        assert log_head(url) == head


@pytest.fixture(scope="module")
def shared(leasing_twin) -> Iterator[tuple[httpx.Client, dict[str, str], str]]:
    """The module's writable SQLite server (from conftest), its tokens and its database URL."""
    live, tokens = leasing_twin
    with httpx.Client(base_url=live.url, timeout=120) as client:
        yield client, tokens, f"sqlite:///{live.log.parent / 'twin.db'}"


def _auth(token: str, **more: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **more}


def _etag(client: httpx.Client, path: str) -> str:
    """The ETag of the latest version (read after the edits take effect)."""
    got = client.get(path, params={"datetime": AFTER_T0})
    assert got.status_code == 200, got.text
    return got.headers["etag"]


def test_only_editors_edit(shared):
    client, tokens, url = shared
    head = log_head(url)
    body = feature(square(), f"{FLOOR}/U97")
    assert client.post(UNITS, json=body).status_code == 401
    for role in ("leasing", "construction", "operations"):
        refused = client.post(UNITS, json=body, headers=_auth(tokens[role]))
        assert refused.status_code == 403 and "twin_editor" in refused.json()["detail"]
    assert log_head(url) == head
    made = client.post(UNITS, params={"effective": T0}, json=body, headers=_auth(tokens["admin"]))
    assert made.status_code == 201, made.text  # admin holds every role
    assert made.headers["location"].endswith(f"{UNITS}/{FLOOR}/U97")


def test_replace_update_and_delete_need_the_current_etag(shared):
    client, tokens, url = shared
    path = "/ogc/collections/buildings/items/fish-tail-b2"
    head = log_head(url)
    editor = _auth(tokens["twin_editor"])
    missing = client.patch(path, json={"properties": {"name": "Tail B2"}}, headers=editor)
    assert missing.status_code == 428
    etag = _etag(client, path)
    assert client.get(path).headers["etag"] == etag  # nothing recorded for it yet
    stale = f'"{int(etag.strip(chr(34))) + 1}"'
    refused = client.patch(
        path, json={"properties": {"name": "Tail B2"}}, headers={**editor, "If-Match": stale}
    )
    assert refused.status_code == 412 and "If-Match" in refused.json()["detail"]
    assert client.delete(path, headers={**editor, "If-Match": "seven"}).status_code == 400
    assert log_head(url) == head
    renamed = client.patch(
        path,
        params={"effective": T0},
        json={"properties": {"name": "Tail B2", "name_zh": None}},
        headers={**editor, "If-Match": etag},
    )
    assert renamed.status_code == 204, renamed.text
    after = client.get(path, params={"datetime": AFTER_T0})
    assert after.headers["etag"] == renamed.headers["etag"] != etag
    assert after.json()["properties"]["name"] == "Tail B2"
    assert after.json()["properties"]["name_zh"]  # null leaves it as it is
    assert client.get(path, params={"datetime": BEFORE_T0}).headers["etag"] == etag


def _booked_unit(url: str) -> str:
    """A unit whose lease or hold still takes it after T0."""
    twin = Twin(Settings.from_env(db=url))
    try:
        now = datetime.now(UTC)
        campus = twin.campus
        for stream, state in sorted(twin.fresh().all_at(now, "space:").items()):
            unit = stream.removeprefix("space:")
            ours = unit.count("/") == 2 and unit.split("/")[0] in campus.buildings
            if ours and any(b.end.isoformat() > AFTER_T0 for b in blocking(state, now)):
                return unit
    finally:
        twin.close()
    raise AssertionError("the genesis books no unit")


@pytest.mark.parametrize(
    ("case", "entity", "rule"),
    [
        ("booked", None, "booked-unit"),
        ("overlap", None, "overlap"),
        ("total", "fish", "published-total"),
        ("schema", "fish-tail-b3", "schema"),
    ],
)
def test_a_refused_edit_names_the_entity_and_the_rule_and_changes_nothing(
    shared, case, entity, rule
):
    client, tokens, url = shared
    editor = _auth(tokens["twin_editor"])
    at = {"effective": T0}
    head = log_head(url)
    if case == "booked":
        entity = _booked_unit(url)
        path = f"{UNITS}/{entity}"
        sent = client.delete(path, params=at, headers={**editor, "If-Match": _etag(client, path)})
    elif case == "overlap":
        entity = f"{FLOOR}/U02"
        path = f"{UNITS}/{entity}"
        neighbour = client.get(f"{UNITS}/{FLOOR}/U01").json()["geometry"]
        sent = client.put(
            path,
            params=at,
            json=feature(neighbour, entity),
            headers={**editor, "If-Match": _etag(client, path)},
        )
    elif case == "total":
        path = "/ogc/collections/buildings/items/fish-head-t1"
        sent = client.patch(
            path,
            params=at,
            json={"properties": {"storeys": 20, "height_m": 84}},
            headers={**editor, "If-Match": _etag(client, path)},
        )
    else:
        path = "/ogc/collections/buildings/items/fish-tail-b3"
        sent = client.patch(
            path,
            params=at,
            json={"properties": {"use": "casino"}},
            headers={**editor, "If-Match": _etag(client, path)},
        )
    assert sent.status_code == 422, sent.text
    assert sent.headers["content-type"] == "application/problem+json"
    assert (sent.json()["entity"], sent.json()["rule"]) == (entity, rule), sent.json()
    assert entity in sent.json()["detail"]
    assert log_head(url) == head


def test_a_floor_is_added_on_top_and_its_building_grows(shared):
    client, tokens, _ = shared
    building = "/ogc/collections/buildings/items/fish-tail-b4"
    before = client.get(building).json()["properties"]
    top = client.get(f"/ogc/collections/floors/items/fish-tail-b4/L{before['storeys']:02d}")
    level = before["storeys"] + 1
    added = client.post(
        "/ogc/collections/floors/items",
        params={"effective": T0},
        json={
            "type": "Feature",
            "geometry": top.json()["geometry"],
            "properties": {"building": "fish-tail-b4", "level": level},
        },
        headers=_auth(tokens["twin_editor"]),
    )
    assert added.status_code == 201, added.text
    assert added.headers["location"].endswith(f"fish-tail-b4/L{level:02d}")
    after = client.get(building, params={"datetime": AFTER_T0}).json()["properties"]
    assert after["storeys"] == level
    assert after["gfa_m2"] == pytest.approx(before["gfa_m2"] * level / before["storeys"], rel=1e-3)
    floors = client.get(
        "/ogc/collections/floors/items", params={"datetime": AFTER_T0, "limit": 10_000}
    ).json()["features"]
    assert sum(f["properties"]["building"] == "fish-tail-b4" for f in floors) == level


def test_a_feature_put_back_as_read_changes_nothing(shared):
    client, tokens, url = shared
    head = log_head(url)
    for path in (f"{UNITS}/fish-body-b2/L03/U05", "/ogc/collections/buildings/items/fish-head-t1"):
        etag = _etag(client, path)
        read = client.get(path, params={"datetime": AFTER_T0}).json()
        again = client.put(
            path,
            params={"effective": T0},
            json=read,
            headers=_auth(tokens["twin_editor"], **{"If-Match": etag}),
        )
        assert again.status_code == 204, again.text
        assert (again.headers["etag"], again.headers["twin-events"]) == (etag, "0")
    assert log_head(url) == head


def test_the_request_is_checked_before_anything_is_read(shared):
    client, tokens, _ = shared
    editor = _auth(tokens["twin_editor"])
    assert client.post(UNITS, content=b"{", headers=editor).status_code == 400
    assert client.post(UNITS, json={"type": "Point"}, headers=editor).status_code == 422
    assert client.post(UNITS, params={"when": "now"}, json={}, headers=editor).status_code == 400
    bad = client.post(
        UNITS, json=feature({"type": "Polygon", "coordinates": "x"}, f"{FLOOR}/U96"), headers=editor
    )
    assert bad.status_code == 422 and bad.json()["rule"] == "geometry"
    nowhere = client.delete(f"{UNITS}/{FLOOR}/U95", headers={**editor, "If-Match": '"0"'})
    assert nowhere.status_code == 404 and nowhere.json()["rule"] == "unknown-id"
    zones = client.put("/ogc/collections/zones/items/park", json={}, headers=editor)
    assert zones.status_code == 422 and "'buildings', 'floors' or 'units'" in zones.text
    twice = client.post(UNITS, json=feature(square(), f"{FLOOR}/U01"), headers=editor)
    assert twice.status_code == 409 and twice.json()["rule"] == "unique-id"


def test_the_api_definition_documents_the_edits(shared):
    client, _, _ = shared
    paths = client.get("/ogc/api").json()["paths"]
    item = paths["/ogc/collections/{collection_id}/items/{feature_id}"]
    assert {"get", "put", "patch", "delete", "options"} <= set(item)
    assert {"get", "post", "options"} <= set(paths["/ogc/collections/{collection_id}/items"])
    assert any(p["name"] == "If-Match" and p["required"] for p in item["put"]["parameters"])
    assert "428" in item["delete"]["responses"]
    allowed = client.options(f"{UNITS}/{FLOOR}/U01")  # QGIS asks before it offers editing
    assert allowed.status_code == 204 and "PATCH" in allowed.headers["allow"]
    assert "POST" in client.options(UNITS).headers["allow"]
    assert client.options("/ogc/collections/zones/items").status_code == 422  # not edited
