"""Adaptive resolution while the camera moves (issue #22): on SwiftShader a frame misses the
33 ms budget, so during a drag (mouse on a desktop, one finger on a phone) the drawing buffer's
pixel ratio steps down; on release it is full again, a full frame is drawn at once and the
picture at rest is the same as before the drag (with the camera put back where it was)."""

from __future__ import annotations

import time
from base64 import b64decode
from pathlib import Path
from typing import Any

import pytest
from viewer_browser import ViewerPage

from bench.viewer import DESKTOP, PHONE, Viewport, dragging

CANVAS = """() => { const c = document.querySelector('#view canvas');
  return {width: c.width, height: c.height, css: c.clientWidth, picture: c.toDataURL('image/png')}; }"""


def _still(page: Any) -> None:
    """Wait until the viewer has drawn no frame for a second (animations over)."""
    for _ in range(30):
        drawn = page.evaluate("window.twin.frames")
        page.wait_for_timeout(1000)
        if page.evaluate("window.twin.frames") == drawn:
            return
    raise AssertionError("the viewer keeps drawing")


STATE = "() => [window.twin.pixelRatio(), window.twin.interacting, window.twin.frames]"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_pixel_ratio_drops_while_orbiting_and_is_full_again_at_rest(
    browser: Any, live_twin: Any, viewport: Viewport, tmp_path: Path
) -> None:
    context = browser.new_context(**viewport.context_options())
    try:
        v = ViewerPage(context.new_page(), live_twin.url).open("lang=en")
        page = v.page
        full = v.js("window.twin.fullPixelRatio")
        assert full == (2 if viewport.phone else 1)
        assert v.js("window.twin.pixelRatio()") == full and not v.js("window.twin.interacting")
        camera = page.evaluate("window.twin.camera")
        page.evaluate("(camera) => window.twin.setCamera(camera)", camera)  # whole metres
        _still(page)
        before = page.evaluate(CANVAS)
        assert before["width"] == round(before["css"] * full)
        page.screenshot(path=tmp_path / "before.png")

        box = page.locator("#view canvas").bounding_box()
        assert box is not None
        x, y = box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.4
        lowest, steps = full, 0
        with dragging(page, viewport, x, y) as move:  # to the right until the ratio drops
            began = time.perf_counter()
            while time.perf_counter() - began < 30 and lowest > full / 2:
                steps += 1
                move(x + 3 * steps, y)
                page.wait_for_timeout(40)
                ratio, interacting, _ = page.evaluate(STATE)
                assert interacting
                lowest = min(lowest, ratio)
            during = page.evaluate(CANVAS)
            page.screenshot(path=tmp_path / "during.png")
            released_at = page.evaluate("window.twin.frames")
        assert lowest <= full / 2, "the pixel ratio did not drop during the drag"
        assert during["width"] < before["width"]
        # released: the full pixel ratio and a frame drawn with it at once
        page.wait_for_function(
            f"() => !window.twin.interacting && window.twin.pixelRatio() === {full}"
            f" && window.twin.frames > {released_at}"
        )
        assert page.evaluate(CANVAS)["width"] == before["width"]
        page.screenshot(path=tmp_path / "released.png")
        # the camera back where it was: the same picture as before the drag
        drawn = page.evaluate("window.twin.frames")
        page.evaluate("(camera) => window.twin.setCamera(camera)", camera)
        page.wait_for_function(f"() => window.twin.frames > {drawn}")
        _still(page)
        after = page.evaluate(CANVAS)
        page.screenshot(path=tmp_path / "after.png")
        assert (after["width"], after["height"]) == (before["width"], before["height"])
        for name, shot in (("before", before), ("after", after)):
            (tmp_path / f"canvas-{name}.png").write_bytes(b64decode(shot["picture"].split(",")[1]))
        assert after["picture"] == before["picture"], "the picture at rest changed"
        assert not v.errors, v.errors
    finally:
        context.close()
