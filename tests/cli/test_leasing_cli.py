"""`twin leasing`: search, hold and plan from a terminal, with the API's rules."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def _twin(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli", "leasing", *args, "--db", str(tmp_path / "twin.db")],
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


def test_short_forms_write_plans_and_list_availability(tmp_path):
    import subprocess
    import sys

    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "cli", *args, "--db", str(tmp_path / "t.db")],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    assert (
        run(
            "floorplan", "office-building/L07", "-o", str(tmp_path / "f.png"), "--at", "2024-09-12"
        ).returncode
        == 0
    )
    assert (tmp_path / "f.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert run("stacking", "office-building", "-o", str(tmp_path / "s.svg")).returncode == 0
    assert (tmp_path / "s.svg").read_text().lstrip().startswith(("<?xml", "<svg"))
    listed = run("availability", "--kind", "rack", "--limit", "1")
    assert listed.returncode == 0 and " racks (" in listed.stdout and "on 2N" in listed.stdout
    bad = run("floorplan", "office-building", "-o", str(tmp_path / "x.png"))
    assert bad.returncode == 1 and "not an id like office-building/L07" in bad.stderr
