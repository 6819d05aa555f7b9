"""The API's SVG charts opened in headless Chromium as a user opens a link to one: drawn with
their styles. Matplotlib writes each shape's colours as inline ``style`` attributes and a
``<style>`` block, which the twin's page policy (``style-src 'self'``) would refuse, leaving
every shape black."""

from __future__ import annotations

import pytest

PICTURES = [
    "/api/v1/construction/gantt.svg",
    "/api/v1/construction/gfa-in-use.svg",
    "/api/v1/construction/schedule/gantt.svg",
    "/api/v1/construction/s-curve.svg",
]


@pytest.mark.parametrize("path", PICTURES)
def test_an_svg_chart_opens_with_its_styles_and_runs_no_script(browser, live_twin, path) -> None:
    page = browser.new_page()
    refused: list[str] = []
    page.on("console", lambda m: m.type == "error" and refused.append(m.text))
    try:
        answer = page.goto(live_twin.url + path)
        assert answer is not None and answer.status == 200
        assert answer.headers["content-type"] == "image/svg+xml"
        policy = answer.headers["content-security-policy"]
        assert "script-src" not in policy and "default-src 'none'" in policy  # no script
        colours = page.evaluate(
            "() => [...document.querySelectorAll('path, rect, line, polyline')]"
            ".flatMap((e) => [getComputedStyle(e).fill, getComputedStyle(e).stroke])"
            ".filter((c) => c !== 'none')"
        )
        assert refused == []
        coloured = set(colours) - {"rgb(0, 0, 0)", "rgb(255, 255, 255)"}
        assert coloured, set(colours)  # bars and lines in colour, not black shapes
    finally:
        page.close()
