"""`twin facilities work-orders`: open, step, list with filters, refusals naming the state."""

from __future__ import annotations

import shlex
from pathlib import Path

from cli_runner import twin

PREFIX = "twin facilities work-orders "
START, END = "2027-01-10T09:00+08:00", "2027-01-10T13:00+08:00"


def _wo(tmp_path, *args):
    return twin("facilities", "work-orders", *args, "--db", str(tmp_path / "twin.db"), cwd=tmp_path)


def test_an_order_is_opened_stepped_and_listed_and_a_bad_step_refused(tmp_path):
    opened = _wo(tmp_path, "open", "--facility", "feed-a", "--title", "Feed A service",
                 "--kind", "planned", "--priority", "P2", "--planned-start", START,
                 "--window-end", END, "--every", "3", "--unit", "month")  # fmt: skip
    assert opened.returncode == 0, opened.stderr
    oid = opened.stdout.strip().splitlines()[-1]
    assert oid.startswith("wo-") and oid.endswith("-1")
    refused = _wo(tmp_path, "start", oid)
    assert refused.returncode == 1 and f"{oid} is open" in refused.stderr
    assert _wo(tmp_path, "assign", oid, "--assignee", "Wang Fang").returncode == 0
    inside = _wo(tmp_path, "list", "--at", "2027-01-10T10:00+08:00", "--overdue")
    assert oid in inside.stdout and "maintenance" in inside.stdout and "start" in inside.stdout
    before = _wo(tmp_path, "list", "--at", "2027-01-10T08:00+08:00", "--overdue")
    assert oid not in before.stdout
    for step in ("start", "complete"):
        assert _wo(tmp_path, step, oid, "--note", f"note of {step}").returncode == 0
    following = oid.removesuffix("-1") + "-2"
    shown = _wo(tmp_path, "show", following, "--at", "2027-04-01")
    assert shown.returncode == 0 and "2027-04-10T09:00" in shown.stdout, shown.stdout
    done = _wo(tmp_path, "show", oid)
    assert "note of complete" in done.stdout and "Wang Fang" in done.stdout


def test_unknown_filter_values_are_refused_naming_the_choices(tmp_path):
    bad = _wo(tmp_path, "list", "--state", "finished")
    assert bad.returncode == 1 and "in_progress" in bad.stderr
    assert _wo(tmp_path, "list", "--facility", "nowhere").returncode == 1


def test_the_commands_of_the_operations_guide_run_in_order(tmp_path):
    """docs/operations.md's `twin facilities work-orders` lines, as written, on a fresh log."""
    guide = Path(__file__).parents[2] / "docs" / "operations.md"
    lines = [line for line in guide.read_text().splitlines() if line.startswith(PREFIX)]
    assert len(lines) >= 6
    for line in lines:
        done = _wo(tmp_path, *shlex.split(line)[len(PREFIX.split()) :])
        assert done.returncode == 0, (line, done.stderr)
    assert "wo-ac446b05-1" in done.stdout and "UPS A battery test" in done.stdout
    shown = _wo(tmp_path, "show", "wo-a637ef52")
    assert "seal replaced" in shown.stdout and "done" in shown.stdout
