"""Every legend colour of every mode (issue #22, WCAG 2.1 SC 1.4.11 non-text contrast): at
least 3:1 against the legend panel it sits on, and the colours of one legend told apart, also
with simulated protanopia, deuteranopia and tritanopia.

The legends are those the API serves (``/api/v1/scene/colors``, the public's and staff's, the
same colours the 3D view and the PNG renders paint) plus the entries the web client adds
(ghosts of buildings not begun, search matches). The panel is ``--glass`` of style.css (the
only theme) over the lightest and the darkest backdrop the page shows behind it.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest

WEB = Path(__file__).resolve().parents[2] / "viewer" / "web" / "src"
MODES = ("visitor", "leasing", "construction", "facilities")
BACKDROPS = ("#ffffff", "#dfe8ef", "#d4dacb")
"""Behind the panel: white (the lightest possible), the page, the campus plain (stage.js)."""
MIN_CONTRAST = 3.0
MIN_DELTA_E = 10.0
"""Least CIE76 ΔE between two colours of one legend, normal vision (2.3 is just noticeable)."""
MIN_DELTA_E_CVD = 4.0
"""Least ΔE with a simulated colour-vision deficiency (Machado et al. 2009, severity 1)."""
CVD = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                   [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                     [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                   [0.004733, 0.691367, 0.303900]],
}  # fmt: skip


def linear_rgb(hex_colour: str) -> np.ndarray:
    """sRGB ``#rrggbb`` -> linear RGB, 0..1."""
    c = np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]) / 255
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def luminance(hex_colour: str) -> float:
    """WCAG relative luminance, 0..1."""
    return float(np.dot([0.2126, 0.7152, 0.0722], linear_rgb(hex_colour)))


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours, 1..21."""
    dark, light = sorted((luminance(a), luminance(b)))
    return (light + 0.05) / (dark + 0.05)


def lab(linear: np.ndarray) -> np.ndarray:
    """Linear RGB -> CIELAB (D65)."""
    xyz = np.array(
        [[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]
    ) @ np.clip(linear, 0, 1)
    t = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(t > 0.008856, np.cbrt(t), 7.787 * t + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e(a: str, b: str, vision: str | None = None) -> float:
    """CIE76 ΔE of two colours as seen with normal vision or a simulated deficiency."""
    m = np.eye(3) if vision is None else np.array(CVD[vision])
    return float(np.linalg.norm(lab(m @ linear_rgb(a)) - lab(m @ linear_rgb(b))))


def panel_backgrounds() -> list[str]:
    """The legend panel's ``--glass`` (rgba) over each backdrop, as ``#rrggbb``."""
    css = (WEB / "style.css").read_text(encoding="utf-8")
    found = re.search(r"--glass:\s*rgba\((\d+),\s*(\d+),\s*(\d+),\s*([\d.]+)\)", css)
    assert found, "style.css has no --glass"
    *rgb, alpha = (float(v) for v in found.groups())
    out = []
    for backdrop in BACKDROPS:
        under = [int(backdrop[i : i + 2], 16) for i in (1, 3, 5)]
        mixed = [round(alpha * c + (1 - alpha) * u) for c, u in zip(rgb, under, strict=True)]
        out.append("#" + "".join(f"{v:02x}" for v in mixed))
    return out


def client_colour(name: str) -> str:
    """A colour constant of the web client (``export const NAME = "#rrggbb"``)."""
    for path in WEB.glob("*.js"):
        found = re.search(rf'export const {name} = "(#[0-9a-fA-F]{{6}})"', path.read_text("utf-8"))
        if found:
            return found.group(1).lower()
    raise AssertionError(f"no colour {name} in viewer/web/src")


def legends(url: str, tokens: dict[str, str]) -> dict[str, dict[str, str]]:
    """Each mode's legend as shown (label -> colour), public and staff, with the client's."""
    ghost = {"ghost (not begun)": client_colour("GHOST_HEX")}
    extra = {
        "construction": {
            **ghost,
            "ghost, behind plan": client_colour("LATE_GHOST_HEX"),
            "forecast storeys (past today)": client_colour("FORECAST_HEX"),
        },
        "leasing": {
            **ghost,
            "search match": client_colour("MATCH_COLOR"),
            "proposal": client_colour("PROPOSAL_COLOR"),
        },
    }
    out = {}
    for who, headers in (("public", {}), ("staff", {"Authorization": f"Bearer {tokens['admin']}"})):
        for mode in MODES:
            answer = httpx.get(
                f"{url}/api/v1/scene/colors", params={"mode": mode}, headers=headers, timeout=60
            )
            assert answer.status_code == 200, answer.text
            shown = {e["en"]: e["color"].lower() for e in answer.json()["legend"]}
            out[f"{mode} ({who})"] = shown | extra.get(mode, ghost)
    return out


@pytest.fixture(scope="module")
def shown(live_twin: Any, live_tokens: dict[str, str]) -> dict[str, dict[str, str]]:
    return legends(live_twin.url, live_tokens)


def test_the_contrast_formula_gives_wcag_s_figures() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert panel_backgrounds()[0] == "#ffffff"


def test_every_legend_colour_stands_3_to_1_against_the_panel(shown) -> None:
    low = [
        f"{legend}: {label} {colour} {contrast(colour, bg):.2f}:1 on {bg}"
        for legend, entries in shown.items()
        for label, colour in entries.items()
        for bg in panel_backgrounds()
        if contrast(colour, bg) < MIN_CONTRAST
    ]
    assert not low, "\n".join(low)


def test_the_colours_of_a_legend_are_told_apart_also_with_colour_blindness(shown) -> None:
    close = []
    for legend, entries in shown.items():
        for (a, ca), (b, cb) in itertools.combinations(entries.items(), 2):
            for vision, least in ((None, MIN_DELTA_E), *((v, MIN_DELTA_E_CVD) for v in CVD)):
                if (d := delta_e(ca, cb, vision)) < least:
                    close.append(
                        f"{legend}: {a} {ca} / {b} {cb}: ΔE {d:.1f} ({vision or 'normal'})"
                    )
    assert not close, "\n".join(close)
