"""Pictures of a simulated campus for docs/operations.md: ``python tests/e2e/simulated_pictures.py``.

Starts a real `twin serve --simulation` on a fresh database and `twin simulate` against it
over HTTP, then draws ``docs/images/simulated-day.png`` (a normal day, read back from the
twin's own ``/api/v1/facilities/metrics``) and screenshots the viewer's facilities mode in
the middle of feed A's trip (``docs/images/viewer-simulated.png``; phone and Chinese views go
to ``var/`` to be looked at).
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(1, str(Path(__file__).resolve().parents[1]))  # after tests/e2e: live_server

import httpx
from cli_runner import twin
from live_server import start_twin, stop_twin
from playwright.sync_api import sync_playwright
from viewer_browser import CHROMIUM_ARGS, READY_TIMEOUT_MS, chromium_path

from assets.clock import CAMPUS_TZ
from viewer.chart_style import Figure, bilingual, style, to_bytes

ROOT = Path(__file__).resolve().parents[2]
IMAGES = ROOT / "docs" / "images"
SERIES = [  # axis, facility, metric, label
    (0, "dc", "it_load_kw", "IT load"),
    (0, "cooling-1", "power_kw", "Chiller plant 1 power (plant 2 alike)"),
    (1, "dc/hall-1", "supply_temp_c", "Hall 1 supply air"),
    (1, "cooling-1", "chw_supply_temp_c", "Chilled water supply"),
    (2, "dc", "pue", "PUE"),
]


def simulate(url: str, token: str, *args: str) -> None:
    run = twin("simulate", "--http", url, "--token", token, *args)
    if run.returncode:
        sys.exit(run.stdout + run.stderr)
    print(run.stdout.strip().splitlines()[-1])


def day_chart(url: str, token: str, day: date, out: Path) -> None:
    """Metrics of the simulated ``day`` from the twin's API, drawn in three panels."""
    headers = {"Authorization": f"Bearer {token}"}
    with style():
        fig = Figure(figsize=(10, 7.5))
        axes = fig.subplots(3, 1, sharex=True, height_ratios=[2, 1.4, 1])
        for axis, facility, metric, label in SERIES:
            answer = httpx.get(
                f"{url}/api/v1/facilities/metrics",
                params={
                    "facility": facility,
                    "metric": metric,
                    "start": f"{day}T00:00:00+08:00",
                    "end": f"{day}T23:59:59+08:00",
                },
                headers=headers,
                timeout=60,
            ).json()
            assert answer["provenance"] == "simulated", answer
            hours = [int(p["at"][11:13]) + int(p["at"][14:16]) / 60 for p in answer["points"]]
            values = [p["value"] for p in answer["points"]]
            if answer["unit"] == "kW":
                values = [v / 1000 for v in values]
            axes[axis].plot(hours, values, label=label, linewidth=1.6)
        axes[0].set_ylabel("MW")
        axes[1].set_ylabel("°C")
        axes[2].set_ylabel("PUE")
        axes[2].axhline(1.3, color="#b45309", linestyle="--", linewidth=1, label="PUE limit")
        axes[2].set_xlabel("Hour of the day (campus time, UTC+8)")
        axes[2].set_xticks(range(0, 25, 3))
        for ax in axes:
            ax.legend(loc="best", fontsize=8, framealpha=0.9)
            ax.grid(True)
        fig.suptitle(
            bilingual("Simulated data: a normal day of the data centre", "模拟数据：数据中心的一天")
        )
        fig.tight_layout()
        out.write_bytes(to_bytes(fig, "png"))
    print(f"wrote {out}")


def viewer_shots(browser: object, url: str) -> None:
    views = {
        IMAGES / "viewer-simulated.png": ({"width": 1440, "height": 900}, "en"),
        ROOT / "var" / "viewer-simulated-phone-zh.png": ({"width": 390, "height": 844}, "zh"),
    }
    for path, (viewport, lang) in views.items():
        page = browser.new_page(viewport=viewport)  # type: ignore[attr-defined]
        page.goto(f"{url}/?mode=facilities&lang={lang}")
        page.wait_for_function("() => window.twin && window.twin.ready", timeout=READY_TIMEOUT_MS)
        page.evaluate("window.twin.select('data-centre')")
        page.wait_for_timeout(2500)
        path.parent.mkdir(exist_ok=True)
        page.screenshot(path=str(path))
        print(f"wrote {path}")
        page.close()


def main() -> None:
    executable = chromium_path()
    if executable is None:
        sys.exit("Chromium not installed: apt-get install chromium")
    with tempfile.TemporaryDirectory() as work, sync_playwright() as p:
        db = Path(work) / "twin.db"
        live = start_twin(Path(work), "--simulation", "--db", str(db))
        token = twin(
            "token", "create", "--role", "operations", "--name", "pictures", "--db", str(db)
        )
        key = token.stdout.strip().splitlines()[-1]
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            day = datetime.now(CAMPUS_TZ).date() - timedelta(days=1)
            start = f"{day}T00:00:00+08:00"
            simulate(
                live.url, key, "--scenario", "normal-day", "--start", start, "--speed", "20000"
            )
            day_chart(live.url, key, day, IMAGES / "simulated-day.png")
            simulate(
                live.url, key, "--scenario", "feed-a-trip", "--duration", "20m", "--speed", "600"
            )
            viewer_shots(browser, live.url)
        finally:
            browser.close()
            stop_twin(live)


if __name__ == "__main__":
    main()
