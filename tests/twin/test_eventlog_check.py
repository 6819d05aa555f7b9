"""`twin db check` finds events stored by older versions that the log cannot read back, and
`--quarantine` sets them aside so every endpoint answers again."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import httpx
from cli_runner import twin
from helpers_eventlog import new_event
from live_server import start_twin, stop_twin
from sqlalchemy import text

from twin.eventlog import EventStore, open_store
from twin.eventlog.check import find_unreadable, quarantine


def _poison(db: Path, seq: int, stream: str, *edits: tuple[str, str]) -> int:
    """Append a copy of event ``seq`` to ``stream`` with its data edited (text -> SQL literal),
    as the old bug stored bad text (JSON escapes of a lone surrogate or a NUL); return its seq."""
    data = "data"
    for _ in edits:
        data = f"replace({data}, ?, ?)"
    with sqlite3.connect(db) as conn:
        cursor = conn.execute(
            "INSERT INTO events (stream, version, type, effective_at, recorded_at, actor, data) "
            "SELECT ?, (SELECT COALESCE(MAX(version), 0) + 1 FROM events WHERE stream = ?), "
            f"type, effective_at, recorded_at, actor, {data} FROM events WHERE seq = ?",
            (stream, stream, *(v for edit in edits for v in edit), seq),
        )
        return int(cursor.lastrowid)


def test_a_clean_log_has_nothing_to_set_aside(store: EventStore) -> None:
    store.append("unit:a", 0, [new_event(name="飞鱼 🐟", note="\\u0000 as text")])
    assert find_unreadable(store.engine) == []


def test_poisoned_events_are_found_and_moved_out_whole(tmp_path: Path) -> None:
    db = tmp_path / "twin.db"
    with open_store(f"sqlite:///{db}") as store:
        store.append("unit:a", 0, [new_event(name="one")])
    assert _poison(db, 1, "unit:a", ("one", "t\\ud800o")) == 2
    assert _poison(db, 1, "unit:b", ("one", "th\\u0000ree")) == 3
    with sqlite3.connect(db) as conn:  # and one row that is not even UTF-8
        conn.execute(
            "INSERT INTO events (stream, version, type, effective_at, recorded_at, actor, data) "
            "SELECT stream, 2, type, effective_at, recorded_at, CAST(X'ff61' AS TEXT), data "
            "FROM events WHERE seq = 3"
        )
    with open_store(f"sqlite:///{db}") as store:
        found = find_unreadable(store.engine)
        assert [(f.seq, f.stream, f.version) for f in found] == [
            (2, "unit:a", 2),
            (3, "unit:b", 1),
            (4, "unit:b", 2),
        ]
        assert "data.name contains a lone surrogate (U+D800)" in found[0].problem
        assert "data.name contains a NUL character" in found[1].problem
        assert "actor is not UTF-8" in found[2].problem
        assert quarantine(store.engine, found) == 3
        assert find_unreadable(store.engine) == []
        assert [e.data["name"] for e in store.iter_all()] == ["one"]
        # The gap stays; appends go on after the stream's highest version.
        assert store.stream_version("unit:a") == 1
        store.append("unit:a", 1, [new_event(name="four")])
        with store.engine.connect() as conn:
            kept = conn.execute(
                text("SELECT seq, record FROM events_quarantine ORDER BY seq")
            ).all()
    assert [seq for seq, _ in kept] == [2, 3, 4]
    assert json.loads(kept[0][1])["data"] == '{"name": "t\\ud800o"}'  # lossless


def test_twin_db_check_quarantine_makes_the_tenant_list_answer_again(tmp_path: Path) -> None:
    db = tmp_path / "twin.db"
    made = twin("history", "--limit", "1", "--db", str(db), cwd=tmp_path)  # the log, sample data
    assert made.returncode == 0, made.stderr
    with sqlite3.connect(db) as conn:
        (sample,) = conn.execute(
            "SELECT seq FROM events WHERE stream = 'tenant:sample-01'"
        ).fetchone()
    seq = _poison(
        db,
        sample,
        "tenant:poison-co",
        ('"sample-01"', '"poison-co"'),
        ("Sample Data Co. 1", "bad \\ud800 name"),
        ('"public": false', '"public": true'),
    )
    live = start_twin(tmp_path, "--db", str(db))
    try:
        broken = httpx.get(f"{live.url}/api/v1/leasing/tenants", timeout=60)
        assert broken.status_code == 500  # a database hit by the old bug
    finally:
        stop_twin(live)

    checked = twin("db", "check", "--db", str(db), cwd=tmp_path)
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert f"seq {seq} (tenant:poison-co v1)" in checked.stdout and "U+D800" in checked.stdout
    assert "--quarantine" in checked.stderr
    moved = twin("db", "check", "--quarantine", "--db", str(db), cwd=tmp_path)
    assert moved.returncode == 0 and "moved 1 events" in moved.stdout, moved.stdout + moved.stderr
    again = twin("db", "check", "--db", str(db), cwd=tmp_path)
    assert again.returncode == 0 and "every event of the log reads back" in again.stdout

    live = start_twin(tmp_path, "--db", str(db))
    try:
        answer = httpx.get(f"{live.url}/api/v1/leasing/tenants", timeout=60)
        assert answer.status_code == 200, answer.text[:300]
        assert "poison-co" not in answer.text
    finally:
        stop_twin(live)
