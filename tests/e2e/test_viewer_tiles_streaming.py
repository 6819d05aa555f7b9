"""A synthetic campus too large to load whole, streamed as 3D Tiles (`?scene=tiles`) in real
headless Chromium against a real `twin serve --data DIR`: a view of the whole campus loads
coarse tiles, not every building; a close view loads only the tiles around it, and the
features of the tiles that arrive are coloured and picked by id."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from cli_runner import twin
from live_server import LiveTwin, start_twin, stop_twin
from viewer_browser import VIEWPORT, ViewerPage

from geometry.gltf import read_feature_ids

pytestmark = [pytest.mark.browser, pytest.mark.slow]

BUILDINGS = 400
TILES = "/api/v1/scene/tiles/"
SETTLED = "window.twin.tiles && window.twin.tiles.progress === 1 && window.twin.tiles.painted"


@pytest.fixture(scope="module")
def synthetic_twin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveTwin]:
    work = tmp_path_factory.mktemp("streaming")
    done = twin("synth", "--buildings", str(BUILDINGS), "-o", str(work / "data"), "--seed", "5")
    assert done.returncode == 0, done.stderr
    live = start_twin(work, "--data", str(work / "data"), timeout=180)
    yield live
    stop_twin(live)


def _leaves(tile: dict[str, Any]) -> list[str]:
    """The content URIs of the full-detail tiles (those no REPLACE tile stands for)."""
    own = [tile["content"]["uri"]] if "content" in tile and not tile.get("children") else []
    return own + [uri for child in tile.get("children", []) for uri in _leaves(child)]


def test_a_large_campus_loads_what_the_view_needs(
    browser: Any, synthetic_twin: LiveTwin, tmp_path: Path
) -> None:
    shots = tmp_path
    base = f"{synthetic_twin.url}/api/v1/scene/tileset.json"
    tileset = httpx.get(base, timeout=300).json()
    leaves = _leaves(tileset["root"])
    assert len(leaves) > 8
    page = browser.new_context(viewport=VIEWPORT).new_page()
    requested: set[str] = set()
    page.on("request", lambda r: TILES in r.url and requested.add(httpx.URL(r.url).path))
    v = ViewerPage(page, synthetic_twin.url).open("scene=tiles&mode=leasing&lang=en")
    v.wait_ready(SETTLED)
    leaf_paths = {httpx.URL(base).join(uri).path for uri in leaves}
    far = requested & leaf_paths
    assert requested and len(far) < len(leaf_paths) / 2  # the whole campus: mostly coarse

    # close to one building of a leaf tile: its tile loads, its units colour and pick
    glb = httpx.get(str(httpx.URL(base).join(leaves[len(leaves) // 2])), timeout=60).content
    unit = next(i for i in read_feature_ids(glb) if i.count("/") == 2)
    v.js(f"window.twin.select('{unit.split('/')[0]}')")
    v.page.wait_for_timeout(500)
    v.wait_ready(SETTLED)
    assert v.js(f"window.twin.colorOf('{unit}')") is not None
    close = requested & leaf_paths
    assert len(close) < len(leaf_paths)  # not every building tile, even after flying
    point = v.js(f"window.twin.screenPoint('{unit}')")
    assert point is not None
    v.page.screenshot(path=str(shots / "viewer-tiles-streaming.png"))
    v.page.mouse.click(point["x"], point["y"])
    v.page.wait_for_function("() => document.querySelector('#card').dataset.feature")
    picked = v.js("document.querySelector('#card').dataset.feature")
    assert picked.split("/")[0] == unit.split("/")[0]  # a feature of that building, by id
    assert v.errors == []
