"""The first view's bytes (issue #22's budget): what the viewer transfers before it is idle,
compressed as the server sends it, stays within 1.5 MB. Speed is measured in bench/viewer.py
(``python -m bench --only viewer``), not asserted here; bytes do not depend on the machine."""

from __future__ import annotations

from typing import Any

from viewer_browser import VIEWPORT

from bench.viewer import FIRST_VIEW_MB, load_first_view


def test_the_first_view_transfers_under_1_5_mb_compressed(browser: Any, live_twin: Any):
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        urls: list[str] = []
        page.on("request", lambda request: urls.append(request.url))
        load = load_first_view(page, f"{live_twin.url}/?lang=en", throttle=1)
    finally:
        context.close()
    assert load.encoded_bytes <= FIRST_VIEW_MB * 1e6, load
    # compressed: the text and the GLB go gzipped (5.4 MB as bodies, under 0.9 MB sent)
    assert load.encoded_bytes < load.decoded_bytes / 4, load
    # the tiles renderer loads only with ?scene=tiles
    assert not [u for u in urls if "3d-tiles-renderer" in u or "/src/tiles.js" in u]
    assert any("/api/v1/scene.glb" in u for u in urls)
