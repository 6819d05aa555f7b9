"""Common style of the matplotlib charts: fonts (with CJK when installed), sizes, output."""

from __future__ import annotations

import glob
import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any, Literal

import matplotlib
from matplotlib import font_manager
from matplotlib.figure import Figure  # drawn without pyplot: no display, thread-safe per figure

logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)  # no bold CJK: fine
ChartFormat = Literal["png", "svg"]
TEXT = "#25303a"
GRID = "#dfe3e8"
CJK_FAMILIES = ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Noto Sans CJK JP", "Source Han Sans SC")
"""Fonts tried for Chinese labels (Debian: fonts-wqy-microhei, fonts-noto-cjk)."""


CJK_FILES = ("/usr/share/fonts/**/*[Ww]qy*.tt[cf]", "/usr/share/fonts/**/*CJK*.tt[cf]")
"""Where Debian installs those fonts (registered even when matplotlib's font cache is older)."""


@cache
def cjk_family() -> str | None:
    """The first installed CJK font family, or None (then labels stay in English)."""
    for pattern in CJK_FILES:
        for path in glob.glob(pattern, recursive=True):
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):
                continue
    names = {f.name for f in font_manager.fontManager.ttflist}
    return next((f for f in CJK_FAMILIES if f in names), None)


@contextmanager
def style() -> Iterator[None]:
    """The rc settings every chart is drawn with."""
    families = ["DejaVu Sans", *([cjk] if (cjk := cjk_family()) else [])]
    rc: dict[str, Any] = {
        "font.family": families,  # a list: per-glyph fallback to the CJK font
        "font.size": 10,
        "axes.edgecolor": "#9aa4ad",
        "axes.labelcolor": TEXT,
        "xtick.color": TEXT,
        "ytick.color": TEXT,
        "text.color": TEXT,
        "svg.fonttype": "none",
        "svg.hashsalt": "flying-fish",
    }
    with matplotlib.rc_context(rc):  # type: ignore[arg-type]
        yield


def to_bytes(fig: Figure, fmt: ChartFormat, dpi: int = 110) -> bytes:
    """The figure as PNG or SVG bytes."""
    buffer = io.BytesIO()
    metadata = {"Software": None} if fmt == "png" else {"Date": None}
    fig.savefig(buffer, format=fmt, dpi=dpi, metadata=metadata, facecolor="white")
    return buffer.getvalue()


def bilingual(en: str, zh: str) -> str:
    """``en zh`` when a CJK font is installed, else ``en``."""
    return f"{en} {zh}" if cjk_family() else en
