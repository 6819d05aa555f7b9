"""``twin construction import-schedule|export-schedule|baseline|critical-path`` run as a user
runs them (real processes, real files built with MPXJ's writer)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from cli_runner import twin
from schedule_files import write_p6

from assets.clock import local_date
from assets.construction.activities import Activity, Link
from assets.construction.schedule_file import read_schedule

TODAY = local_date(datetime.now(UTC))


def d(n: int):
    return TODAY + timedelta(days=n)


ACTS = [
    Activity("B5-FDN", "B5 foundation", d(5), d(95), 90),
    # Long enough to end after every stage of the campus: the critical path runs through it.
    Activity("B5-STR", "B5 structure", d(95), d(1395), 1300, predecessors=(Link("B5-FDN"),)),
]


def test_dry_run_import_critical_path_baseline_and_export(tmp_path):
    db = str(tmp_path / "twin.db")
    path = write_p6(ACTS, tmp_path / "b5.xml")
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps({"B5-FDN": "fish-body-b5/foundation"}))
    dry = twin(
        "construction",
        "import-schedule",
        str(path),
        "--mapping",
        str(mapping),
        "--dry-run",
        "--db",
        db,
    )
    assert dry.returncode == 0, dry.stderr
    assert "added B5-FDN" in dry.stdout and "added B5-STR" in dry.stdout
    assert "StageRescheduled building:fish-body-b5 foundation" in dry.stdout
    assert "nothing written" in dry.stdout
    empty = twin("construction", "critical-path", "--db", db)
    assert "B5-FDN" not in empty.stdout  # the dry run wrote nothing
    done = twin(
        "construction",
        "import-schedule",
        str(path),
        "--mapping",
        str(mapping),
        "--actor",
        "alice",
        "--db",
        db,
    )
    assert done.returncode == 0 and "by construction:alice" in done.stdout
    cpm = twin("construction", "critical-path", "--db", db)
    assert "*B5-FDN" in cpm.stdout and "*B5-STR" in cpm.stdout
    assert twin("construction", "baseline", "v1", "--actor", "alice", "--db", db).returncode == 0
    out = tmp_path / "fish.xml"
    exported = twin("construction", "export-schedule", "-o", str(out), "--db", db)
    assert exported.returncode == 0, exported.stderr
    back = {a.id: a for a in read_schedule(out)}
    assert back["B5-STR"].predecessors == (Link("B5-FDN", "FS", 0.0),)
    assert back["B5-FDN"].code == "fish-body-b5/foundation" and "fish-head-t1/design" in back


def test_a_refusal_names_file_activity_and_rule_and_writes_nothing(tmp_path):
    db = str(tmp_path / "twin.db")
    path = write_p6(ACTS, tmp_path / "bad.xer")
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps({"B5-STR": "fish-body-b5/roof"}))
    refused = twin(
        "construction", "import-schedule", str(path), "--mapping", str(mapping), "--db", db
    )
    assert refused.returncode == 1
    assert "bad.xer, activity B5-STR" in refused.stderr and "(rule: known-stage)" in refused.stderr
    assert "B5-STR" not in twin("construction", "critical-path", "--db", db).stdout
