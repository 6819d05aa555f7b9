"""A separate writer process for the event-log tests (run as a script, never imported).

``race URL STREAM EXPECTED``: open the log, print ``ready``, wait for a line on stdin, append
two events at EXPECTED; print ``ok SEQ SEQ`` or ``conflict ACTUAL``.

``burst URL PREFIX``: append batches of three events to new streams ``PREFIX/N`` without
pause; after each commit print ``ack N SEQ SEQ SEQ`` (an acknowledgment) until killed.
"""

from __future__ import annotations

import itertools
import sys
from datetime import UTC, datetime

from twin.eventlog import NewEvent, VersionConflict, open_store

AT = datetime(2020, 1, 1, tzinfo=UTC)


def race(url: str, stream: str, expected: int) -> None:
    store = open_store(url)
    print("ready", flush=True)
    sys.stdin.readline()
    batch = [NewEvent("Raced", {"n": n}, AT, "racer") for n in (1, 2)]
    try:
        recorded = store.append(stream, expected, batch)
    except VersionConflict as exc:
        print("conflict", exc.actual_version, flush=True)
    else:
        print("ok", *(event.seq for event in recorded), flush=True)


def burst(url: str, prefix: str) -> None:
    store = open_store(url)
    for n in itertools.count(1):
        batch = [NewEvent("Burst", {"batch": n, "i": i}, AT, "burster") for i in range(3)]
        recorded = store.append(f"{prefix}/{n}", 0, batch)
        print("ack", n, *(event.seq for event in recorded), flush=True)


if __name__ == "__main__":
    command, url, name, *rest = sys.argv[1:]
    if command == "race":
        race(url, name, int(rest[0]))
    else:
        burst(url, name)
