"""The browser client on the 3D Tiles tileset (`?scene=tiles`, streamed by 3d-tiles-renderer) in
real headless Chromium against a real `twin serve`: the home view of the small campus refines
to every building tile, draws the same campus pixel for pixel as the GLB, and a click on a unit
in any tile resolves to that unit's id."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TILESET = "/api/v1/scene/tileset.json"
UNITS = ["office-building/L12/U03", "fish-head-t1/L12/U03"]  # in two different tiles
LOADED = "performance.getEntriesByType('resource').map(e => new URL(e.name).pathname)"
SETTLED = "window.twin.tiles && window.twin.tiles.progress === 1 && window.twin.tiles.painted"
PIXELS = """() => {
  const canvas = document.querySelector('#view canvas');
  const copy = Object.assign(document.createElement('canvas'), {width: canvas.width, height: canvas.height});
  const g = copy.getContext('2d');
  g.drawImage(canvas, 0, 0);
  const data = g.getImageData(0, 0, copy.width, copy.height).data;
  const out = [];
  for (let i = 0; i < data.length; i += 4 * 97) out.push(data[i], data[i + 1], data[i + 2], data[i + 3]);
  return out;
}"""


def _tile_paths(live_twin: Any) -> list[str]:
    """The tile GLB paths the tileset names, resolved against its URL."""
    tileset = httpx.get(f"{live_twin.url}{TILESET}", timeout=120).json()
    uris: list[str] = []
    tiles = [tileset["root"]]
    while tiles:
        tile = tiles.pop()
        uris += [tile["content"]["uri"]] if "content" in tile else []
        tiles += tile.get("children", [])
    return [httpx.URL(f"{live_twin.url}{TILESET}").join(uri).path for uri in uris]


def test_the_tileset_draws_the_same_campus_as_the_glb(viewer, live_twin, tmp_path) -> None:
    tiles = viewer("scene=tiles&mode=visitor&lang=en")
    tiles.wait_ready(SETTLED)
    tiles.page.wait_for_timeout(300)  # the frame after the last tile
    loaded = tiles.js(LOADED)
    expected = _tile_paths(live_twin)
    assert len(expected) > 3 and set(expected) <= set(loaded)
    assert TILESET in loaded and "/api/v1/scene.glb" not in loaded
    assert tiles.js("window.twin.colorOf('fish-head')") == "#2f86a0"  # ids found across tiles
    assert tiles.js("window.twin.colorOf('office-building/L12/U03')") is not None
    tiles.page.screenshot(path=str(tmp_path / "viewer-tiles.png"))

    glb = viewer("mode=visitor&lang=en")
    assert "/api/v1/scene.glb" in glb.js(LOADED)
    drawn, reference = tiles.js(PIXELS), glb.js(PIXELS)
    assert len(drawn) == len(reference) and len(set(reference)) > 50  # a campus, not a blank
    differ = sum(a != b for a, b in zip(drawn, reference, strict=True))
    assert differ <= 0.001 * len(reference)
    assert tiles.errors == [] and glb.errors == []


def test_clicking_a_unit_in_a_tile_resolves_its_id(viewer) -> None:
    v = viewer("scene=tiles&mode=leasing")
    v.wait_ready(SETTLED)
    for unit in UNITS:
        v.js(f"window.twin.select('{unit}')")  # fly there: the unit's side faces the camera
        v.page.click("#card .close")
        v.page.wait_for_function("() => window.twin.selected === null")
        point = v.js(f"window.twin.screenPoint('{unit}')")
        v.page.mouse.click(point["x"], point["y"])
        v.page.wait_for_function(
            f"() => document.querySelector('#card').dataset.feature === '{unit}'"
        )
        assert v.js("window.twin.selected") == unit
        assert unit in v.page.inner_text("#card")
    v.page.wait_for_function(
        "() => location.search.includes('scene=tiles')"
    )  # a shared link keeps it
    assert v.errors == []
