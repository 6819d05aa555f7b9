"""``twin construction`` and ``twin gantt``, run as a user runs them (real processes)."""

from __future__ import annotations

import pytest
from cli_runner import twin


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "twin.db")


def test_status_late_milestones_and_gfa_as_of_a_date(db):
    status = twin("construction", "status", "--at", "2024-09-12", "--db", db)
    assert status.returncode == 0, status.stderr
    assert "fish-head-t1" in status.stdout and "Envelope and MEP" in status.stdout
    assert "feed-a" in status.stdout and "Installation" in status.stdout
    late = twin("construction", "late", "--parcel", "fish-head", "--db", db)
    assert late.returncode == 0 and "acceptance" in late.stdout and "overdue" in late.stdout
    milestones = twin("construction", "milestones", "--at", "2024-09-12", "--db", db)
    assert "Fish head ready for completion acceptance" in milestones.stdout
    assert "on track" in milestones.stdout and "F5" in milestones.stdout


def test_writes_record_the_actor_and_refusals_are_one_line(db):
    done = twin(
        "construction",
        "start",
        "fish-body-b7",
        "foundation",
        "--on",
        "2026-11-01",
        "--actor",
        "alice",
        "--db",
        db,
    )
    assert done.returncode == 0, done.stderr
    assert "fish-body-b7 foundation: in_progress" in done.stdout
    assert "construction:alice" in done.stdout
    refused = twin(
        "construction", "complete", "fish-body-b7", "structure", "--actor", "alice", "--db", db
    )
    assert refused.returncode == 1
    lines = refused.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in refused.stderr
    assert "fish-body-b7, stage structure" in lines[0] and "rule: complete-after-start" in lines[0]
    history = twin("history", "--stream", "building:fish-body-b7", "--db", db)
    assert "construction:alice" in history.stdout


def test_gantt_and_gfa_charts_to_png_and_svg(tmp_path, db):
    png, svg, gfa = tmp_path / "g.png", tmp_path / "g.svg", tmp_path / "gfa.png"
    done = twin("gantt", "-o", str(png), "--at", "2024-09-12", "--db", db)
    assert done.returncode == 0, done.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert twin("gantt", "-o", str(svg), "--parcel", "fish-head", "--db", db).returncode == 0
    assert b"<svg" in svg.read_bytes()[:500]
    assert twin("gantt", "--gfa", "-o", str(gfa), "--db", db).returncode == 0
    assert gfa.read_bytes()[:4] == b"\x89PNG"
    bad = twin("gantt", "-o", str(tmp_path / "g.jpg"), "--db", db)
    assert bad.returncode == 1 and ".png or .svg" in bad.stderr
