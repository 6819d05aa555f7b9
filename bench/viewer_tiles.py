"""The viewer at scale: a synthetic campus streamed as 3D Tiles in headless Chromium.

``python -m bench.viewer_tiles --buildings 1000 10000`` writes each campus with ``twin synth``,
serves it with a real ``twin serve --data DIR``, opens the viewer with ``?scene=tiles`` and
prints one JSON line per size: *first frame s* (page load until the viewer's first frame with
the ground and the first tiles), *settled s* (until the view's tiles are loaded and painted),
*JS heap MB* (CDP ``Runtime.getHeapUsage``, used; MB = 2^20 B), *tiles* and *tile MB* (the tile
GLBs the first view requested and their bytes, plus the tileset JSON), *leaf tiles* of the whole
tileset, and *orbit fps* (frames drawn per second while the mouse orbits for ``ORBIT_S``).
Software WebGL (SwiftShader) on this machine: frame rates are those of a CPU, not a desktop GPU.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx

from bench.processes import answers, free_port, running, twin_command

CHROMIUM_ARGS = ["--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader"]
VIEWPORT: Any = {"width": 1280, "height": 800}
ORBIT_S = 3.0
SERVE_TIMEOUT_S = 900.0
SETTLED = "window.twin.tiles && window.twin.tiles.progress === 1 && window.twin.tiles.painted"
FRAME_COUNTER = """() => { window.__frames = 0; const tick = () => { window.__frames++;
  requestAnimationFrame(tick); }; requestAnimationFrame(tick); }"""


def measure(buildings: int, seed: int, workdir: Path) -> dict[str, Any]:
    """The figures of one campus size (see the module's docstring)."""
    from playwright.sync_api import sync_playwright

    data = workdir / f"synth-{buildings}"
    started = time.perf_counter()
    synth = twin_command(
        "synth", "--buildings", str(buildings), "-o", str(data), "--seed", str(seed)
    )
    subprocess.run(synth, cwd=workdir, check=True, stdout=subprocess.DEVNULL)
    synth_s = time.perf_counter() - started
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    args = twin_command("serve", "--port", str(port), "--data", str(data))
    with running(args, answers(base), workdir, f"serve-{port}", SERVE_TIMEOUT_S):
        started = time.perf_counter()
        tileset = httpx.get(f"{base}/api/v1/scene/tileset.json", timeout=SERVE_TIMEOUT_S).json()
        build_s = time.perf_counter() - started
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport=VIEWPORT)
            sizes: dict[str, int] = {}

            def finished(request: Any) -> None:
                if "/api/v1/scene/" in request.url:
                    with contextlib.suppress(Exception):
                        sizes[request.url] = request.sizes()["responseBodySize"]

            page.on("requestfinished", finished)
            started = time.perf_counter()
            page.goto(f"{base}/?scene=tiles&mode=leasing&lang=en")
            page.wait_for_function("() => window.twin && window.twin.ready", timeout=600_000)
            first_s = time.perf_counter() - started
            page.wait_for_function(f"() => {SETTLED}", timeout=600_000)
            settled_s = time.perf_counter() - started
            cdp = page.context.new_cdp_session(page)
            heap = cdp.send("Runtime.getHeapUsage")["usedSize"] / 2**20
            page.evaluate(FRAME_COUNTER)
            box = page.locator("#view canvas").bounding_box()
            assert box is not None, "the viewer has no canvas"
            x, y = box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.5
            page.mouse.move(x, y)
            page.mouse.down()
            steps, begun = 0, time.perf_counter()
            while time.perf_counter() - begun < ORBIT_S:
                steps += 1
                page.mouse.move(x + 200 * ((steps % 40) / 40 - 0.5), y)
                page.wait_for_timeout(16)
            page.mouse.up()
            fps = page.evaluate("window.__frames") / (time.perf_counter() - begun)
            browser.close()
    tiles = [u for u in sizes if "/tiles/" in u]
    return {
        "buildings": buildings,
        "synth s": round(synth_s, 1),
        "tileset build s": round(build_s, 1),
        "first frame s": round(first_s, 2),
        "settled s": round(settled_s, 2),
        "JS heap MB": round(heap, 1),
        "tiles": len(tiles),
        "tile MB": round(sum(sizes.values()) / 2**20, 2),
        "leaf tiles": _leaves(tileset["root"]),
        "orbit fps": round(fps, 1),
    }


def _leaves(tile: dict[str, Any]) -> int:
    return (not tile.get("children")) + sum(_leaves(c) for c in tile.get("children", []))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--buildings", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--seed", type=int, default=7)
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-viewer-tiles-") as folder:
        for n in options.buildings:
            print(json.dumps(measure(n, options.seed, Path(folder))), flush=True)


if __name__ == "__main__":
    main()
