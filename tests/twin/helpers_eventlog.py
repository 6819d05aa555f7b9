"""Helpers of the event-log tests: an event factory and a writer process to start and kill."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from twin.eventlog import NewEvent

ROOT = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).with_name("helpers_eventlog_worker.py")
T0 = datetime(2019, 6, 1, 9, 0, tzinfo=UTC)


def new_event(
    type_: str = "Noted",
    at: datetime = T0,
    key: str | None = None,
    actor: str = "tester",
    **data: Any,
) -> NewEvent:
    """Return a NewEvent with defaults; keyword arguments become its data."""
    return NewEvent(type=type_, data=data, effective_at=at, actor=actor, idempotency_key=key)


def start_worker(*args: str) -> subprocess.Popen[str]:
    """Start ``helpers_eventlog_worker.py`` with ``args`` in a new Python process."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return subprocess.Popen(
        [sys.executable, str(WORKER), *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        bufsize=1,
        env=env,
    )
