"""`twin leasing`: search, hold and plan from a terminal, with the API's rules."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def _twin(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "twin", "leasing", *args, "--db", str(tmp_path / "twin.db")],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        cwd=tmp_path,
    )


def test_hold_twice_is_refused_naming_the_first_hold(tmp_path):
    unit = "office-building/L04/U03"
    period = ("--tenant", "sample-04", "--start", "2030-01-01", "--end", "2031-01-01")
    first = _twin(tmp_path, "hold", unit, *period)
    assert first.returncode == 0, first.stderr
    hold_id = first.stdout.strip().splitlines()[-1]
    assert hold_id.startswith("H-")
    second = _twin(tmp_path, "hold", unit, *period)
    assert second.returncode == 1 and hold_id in second.stderr
    listed = _twin(tmp_path, "availability", "--building", "office-building", "--limit", "200")
    assert listed.returncode == 0 and unit not in listed.stdout
    plan = _twin(tmp_path, "plan", "office-building", "-o", str(tmp_path / "plan.png"))
    assert plan.returncode == 0 and (tmp_path / "plan.png").read_bytes()[:4] == b"\x89PNG"
