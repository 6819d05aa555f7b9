"""The viewer shows the campus as built on the day of its time slider: an import effective on a
date swaps the geometry in when the slider crosses it, and out again when it goes back."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from cli_runner import twin
from live_server import LiveTwin, start_twin, stop_twin
from test_viewer import slider_to
from viewer_browser import VIEWPORT, ViewerPage

FACTORY = Path(__file__).parents[1] / "assets" / "ifc_factory.py"
NEW_UNIT = "fin-lab/L02/201"


@pytest.fixture(scope="module")
def rebuilt_twin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveTwin]:
    """A twin whose log holds an IFC building imported effective 2025-06-01."""
    workdir = tmp_path_factory.mktemp("versions")
    ifc = workdir / "fin-lab.ifc"
    subprocess.run([sys.executable, str(FACTORY), str(ifc)], check=True, timeout=120)
    db = workdir / "twin.db"
    done = twin("import", str(ifc), "--db", str(db), "--effective", "2025-06-01")
    assert done.returncode == 0, done.stderr
    live = start_twin(workdir, "--db", str(db))
    yield live
    stop_twin(live)


def test_the_slider_swaps_the_geometry_at_the_import_date(browser: Any, rebuilt_twin) -> None:
    context = browser.new_context(viewport=VIEWPORT)
    try:
        v = ViewerPage(context.new_page(), rebuilt_twin.url).open("at=2025-05-01&lang=en")
        before = v.js("window.twin.sceneVersion")
        assert v.js(f"window.twin.has('{NEW_UNIT}')") is False
        assert v.js("window.twin.find('Laboratory')") is None  # no building of that name yet
        slider_to(v, "2025-07-01")
        assert v.js(f"window.twin.has('{NEW_UNIT}')") is True
        assert v.js("window.twin.find('Laboratory')") == "fin-lab"  # search knows its name
        after = v.js("window.twin.sceneVersion")
        assert after != before
        slider_to(v, "2025-08-01")  # same version: nothing reloaded
        assert v.js("window.twin.sceneVersion") == after
        v.js(f"window.twin.select('{NEW_UNIT}')")
        v.page.wait_for_function("() => window.twin.selected !== null", timeout=30_000)
        assert v.js("window.twin.selected") == NEW_UNIT
        slider_to(v, "2025-05-01")  # back before the import: the unit is gone, so is the selection
        assert v.js(f"window.twin.has('{NEW_UNIT}')") is False
        assert v.js("window.twin.sceneVersion") == before
        assert v.js("window.twin.selected") is None
        assert v.js("window.twin.find('Laboratory')") is None
        assert v.errors == []
    finally:
        context.close()


def test_search_names_are_those_of_the_campus_at_the_instant_asked(rebuilt_twin) -> None:
    def names(at: str) -> dict[str, Any]:
        answer = httpx.get(f"{rebuilt_twin.url}/api/v1/pois", params={"at": at}, timeout=30)
        assert answer.status_code == 200, answer.text
        return answer.json()["names"]

    assert "fin-lab" not in names("2025-05-01")
    assert names("2025-07-01")["fin-lab"]["en"] == "Fin Laboratory"
    refused = httpx.get(f"{rebuilt_twin.url}/api/v1/pois", params={"at": "someday"}, timeout=30)
    assert refused.status_code == 422 and "at" in refused.json()["detail"]
