"""The event log across real OS processes: racing writers and a writer killed with SIGKILL."""

from __future__ import annotations

import signal
import sqlite3
from collections import Counter

import pytest
from helpers_eventlog import new_event, start_worker
from sqlalchemy.engine import make_url

from twin.eventlog import open_store

WRITERS = 8
ACKS_BEFORE_KILL = 40


@pytest.mark.slow
def test_racing_processes_exactly_one_wins(database_url: str) -> None:
    # The workers also race to migrate the fresh database: exactly one must do it.
    workers = [start_worker("race", database_url, "unit:contested", "0") for _ in range(WRITERS)]
    try:
        for worker in workers:
            assert worker.stdout is not None and worker.stdin is not None
            assert worker.stdout.readline().strip() == "ready", worker.stderr
        for worker in workers:
            assert worker.stdin is not None
            worker.stdin.write("go\n")
            worker.stdin.flush()
        outcomes = [worker.communicate(timeout=60) for worker in workers]
    finally:
        for worker in workers:
            worker.kill()
    assert all(w.returncode == 0 for w in workers), [err for _, err in outcomes]
    replies = Counter(out.split()[0] for out, _ in outcomes)
    assert replies == {"ok": 1, "conflict": WRITERS - 1}
    assert all(out.split() == ["conflict", "2"] for out, _ in outcomes if out.startswith("c"))
    with open_store(database_url) as store:
        events = store.read_stream("unit:contested")
    winner = next(out.split()[1:] for out, _ in outcomes if out.startswith("ok"))
    assert [str(e.seq) for e in events] == winner
    assert [(e.version, e.data["n"]) for e in events] == [(1, 1), (2, 2)]


@pytest.mark.slow
def test_writer_killed_mid_burst_loses_nothing_acknowledged(database_url: str) -> None:
    open_store(database_url).close()
    worker = start_worker("burst", database_url, "burst")
    acknowledged: dict[str, list[int]] = {}
    try:
        assert worker.stdout is not None
        while len(acknowledged) < ACKS_BEFORE_KILL:
            line = worker.stdout.readline()
            assert line, f"writer died: {worker.stderr.read() if worker.stderr else ''}"
            _, n, *seqs = line.split()
            acknowledged[f"burst/{n}"] = [int(seq) for seq in seqs]
        worker.send_signal(signal.SIGKILL)  # most likely inside the next append
        worker.wait(timeout=30)
    finally:
        worker.kill()
        worker.wait()
    assert worker.returncode == -signal.SIGKILL

    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        assert url.database is not None
        with sqlite3.connect(url.database) as raw:
            assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    with open_store(database_url) as store:
        events = store.read(limit=None)
        per_stream = Counter(e.stream for e in events)
        assert set(per_stream.values()) == {3}, "a batch of 3 was partly written"
        by_stream = {s: [e.seq for e in events if e.stream == s] for s in per_stream}
        for stream, acked in acknowledged.items():
            assert by_stream[stream] == acked
        assert [e.seq for e in events] == sorted(e.seq for e in events)
        appended = store.append(
            "burst/after", 0, [new_event("AfterCrash")]
        )  # the log still takes writes
        assert appended[0].seq > max(e.seq for e in events)
