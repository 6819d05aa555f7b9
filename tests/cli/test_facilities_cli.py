"""`twin facilities pue|capacity`: the worked scenario's figures from a terminal, the same as
the API's (tests/api/test_facilities_capacity_http.py), and a PUE chart written."""

from __future__ import annotations

import os
import shlex
from datetime import timedelta
from pathlib import Path

import httpx
from capacity_scenario import T0, T1, post_scenario
from cli_runner import twin
from live_server import start_twin, stop_twin

from twin.auth import TokenStore
from twin.eventlog import open_store

DOCS = Path(__file__).resolve().parents[2] / "docs" / "operations.md"


def test_pue_and_capacity_from_a_terminal(tmp_path):
    db = str(tmp_path / "twin.db")
    live = start_twin(tmp_path, "--db", db)
    try:
        with open_store(f"sqlite:///{db}") as store:
            ops = TokenStore(store.engine).create("operations", "cli-ops")
            leasing = TokenStore(store.engine).create("leasing", "cli-leasing")
        with httpx.Client(base_url=live.url, timeout=120) as client:
            post_scenario(
                client,
                {"Authorization": f"Bearer {ops}"},
                {"Authorization": f"Bearer {leasing}"},
            )
    finally:
        stop_twin(live)
    now = twin("facilities", "pue", "--at", T0.isoformat(), "--db", db, cwd=tmp_path)
    assert now.returncode == 0, now.stderr
    assert "dc PUE" in now.stdout and "1.200" in now.stdout and "19,260" in now.stdout
    assert "dc/hall-6 pPUE" in now.stdout and "1.100" in now.stdout
    chart = tmp_path / "pue.png"
    series = twin(
        "facilities", "pue", "--start", T0.isoformat(), "--end", T1.isoformat(),
        "--step", "30min", "--chart", str(chart), "--db", db, cwd=tmp_path,
    )  # fmt: skip
    assert series.returncode == 0, series.stderr
    values = [line.split()[-1] for line in series.stdout.splitlines() if line.startswith("20")]
    assert values == ["1.200", "1.200", "1.300"]
    assert chart.read_bytes()[:4] == b"\x89PNG"
    fit = twin(
        "facilities", "capacity", "--racks", "40", "--kw-per-rack", "8", "--redundancy", "2N",
        "--db", db, cwd=tmp_path,
    )  # fmt: skip
    assert fit.returncode == 0, fit.stderr
    assert "40 racks of 8 kW with 2N: dc/hall-6 (room for 145)" in fit.stdout
    assert "31,200" in fit.stdout  # feed A's design, kW
    bad = twin("facilities", "pue", "--start", T0.isoformat(), "--step", "soon", "--db", db)
    assert bad.returncode == 1 and "--step 'soon'" in bad.stderr
    for line in DOCS.read_text().splitlines():  # the docs' examples run as written
        if line.startswith(("twin facilities pue", "twin facilities capacity")):
            ran = twin(*shlex.split(line)[1:], "--db", db, cwd=tmp_path)
            assert ran.returncode == 0, (line, ran.stderr)
    assert (tmp_path / "pue.png").read_bytes()[:4] == b"\x89PNG"
    if os.environ.get("TWIN_WRITE_DOC_IMAGES") == "1":  # the docs' picture: the day charted
        start, end = (T0 - timedelta(hours=24)).isoformat(), (T0 - timedelta(hours=1)).isoformat()
        image = DOCS.parent / "images" / "facilities-pue.png"
        args = ("--start", start, "--end", end, "--step", "1h", "--chart", str(image))
        assert twin("facilities", "pue", *args, "--db", db).returncode == 0
