"""`twin leasing`: search, hold and plan from a terminal, with the API's rules."""

from __future__ import annotations

import shlex
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


def test_economics_and_the_pipeline_from_a_terminal(tmp_path):
    # The sample rack lease L-S0500: 100 racks, 2026-04-01 .. 2031-04-01 (60 months) at
    # 6,000 元/rack/month, first month free, 6,300 from lease year 3 (month 25) on:
    # TCV = 6,000 × 100 × (24 - 1) + 6,300 × 100 × 36 = 13,800,000 + 22,680,000 = 36,480,000
    # NER at 0 % = 36,480,000 / (100 racks × 60 months) = 6,080 元/rack/month
    # deposit: 2 months × 6,000 × 100 = 1,200,000
    worth = _twin(tmp_path, "worth", "L-S0500", "--discount-rate", "0")
    assert worth.returncode == 0, worth.stderr
    assert "TCV 36,480,000.00 CNY" in worth.stdout and "NER 6,080.0000" in worth.stdout
    assert "deposit 1,200,000.00 CNY" in worth.stdout
    missing = _twin(tmp_path, "worth", "L-NOPE")
    assert missing.returncode == 1 and "L-NOPE" in missing.stderr

    wale = _twin(tmp_path, "wale", "--at", "2024-09-12")
    assert wale.returncode == 0 and "campus" in wale.stdout and "office-building" in wale.stdout
    roll = _twin(tmp_path, "rent-roll", "--building", "data-centre", "--at", "2027-01-01")
    assert roll.returncode == 0 and "L-S0500" in roll.stdout and "L-S0001" not in roll.stdout
    chart = _twin(tmp_path, "expiries", "-o", str(tmp_path / "e.svg"), "--at", "2024-09-12")
    assert chart.returncode == 0 and "<svg" in (tmp_path / "e.svg").read_text()

    asked = ("--contact", "Li", "--area", "500", "--ready-by", "2027-06-01")
    added = _twin(tmp_path, "prospect", "add", "cli-prospect", "--company", "CLI Co.", *asked)
    assert added.returncode == 0, added.stderr
    assert _twin(tmp_path, "prospect", "advance", "cli-prospect", "tour").returncode == 0
    back = _twin(tmp_path, "prospect", "advance", "cli-prospect", "tour")
    assert back.returncode == 1 and "forward" in back.stderr
    lost = _twin(tmp_path, "prospect", "lose", "cli-prospect", "--reason", "price")
    assert lost.returncode == 0
    funnel = _twin(
        tmp_path, "prospect", "funnel", "--from", "2026-01-01", "-o", str(tmp_path / "f.png")
    )
    assert funnel.returncode == 0 and "1 prospects, 1 lost" in funnel.stdout
    assert (tmp_path / "f.png").read_bytes()[:4] == b"\x89PNG"


def test_proposals_join_adjacent_units_and_refuse_unknown_places(tmp_path):
    found = _twin(
        tmp_path, "proposals", "--min-area", "500", "--max-area", "1000", "--parcel", "fish-head"
    )
    assert found.returncode == 0, found.stderr
    assert "fish-head-t" in found.stdout and "proposals found, 10 shown" in found.stdout
    nowhere = _twin(tmp_path, "proposals", "--min-area", "500", "--zone", "atlantis")
    assert nowhere.returncode == 1 and "atlantis" in nowhere.stderr
    upside = _twin(tmp_path, "proposals", "--min-area", "500", "--max-area", "400")
    assert upside.returncode == 1 and "max_area_m2" in upside.stderr


def test_the_proposals_example_of_the_docs_runs(tmp_path):
    doc = (Path(__file__).resolve().parents[2] / "docs" / "leasing.md").read_text()
    (line,) = [x for x in doc.splitlines() if x.startswith("twin leasing proposals ")]
    ran = _twin(tmp_path, *shlex.split(line)[2:])
    assert ran.returncode == 0, ran.stderr
    assert "proposals found, 3 shown" in ran.stdout and "fish-head-t" in ran.stdout


def test_availability_by_zone_parcel_and_area_as_the_docs_show(tmp_path):
    doc = (Path(__file__).resolve().parents[2] / "docs" / "leasing.md").read_text()
    (line,) = [x for x in doc.splitlines() if x.startswith("twin leasing availability --zone")]
    listed = _twin(tmp_path, *shlex.split(line)[2:])
    assert listed.returncode == 0, listed.stderr
    rows = [x for x in listed.stdout.splitlines() if "/L" in x]
    assert rows and all("fish-head-t" in x for x in rows)
    unknown = _twin(tmp_path, "availability", "--zone", "atlantis")
    assert unknown.returncode == 1 and "atlantis" in unknown.stderr
