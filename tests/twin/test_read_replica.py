"""A read replica for history: with ``TWIN_DATABASE_READ_URL`` a twin reads metric history from
a real PostgreSQL streaming replica, and decides (alert rules, latest values) on the primary.

The test makes its own primary and hot standby with PostgreSQL's initdb, pg_basebackup and
pg_ctl (Debian's postgresql-15 binaries), run as the ``postgres`` user."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from twin.eventlog import Measurement, make_engine
from twin.facilities import queries
from twin.runtime import Twin
from twin.settings import Settings

BIN = Path("/usr/lib/postgresql/15/bin")
FACILITY, METRIC = "dc/hall-4", "supply_temp_c"
T0 = (datetime.now(UTC) - timedelta(hours=2)).replace(microsecond=0)


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_postgres(*command: str) -> None:
    done = subprocess.run(["runuser", "-u", "postgres", "--", *command], capture_output=True)
    assert done.returncode == 0, f"{command[0]}: {done.stdout.decode()}{done.stderr.decode()}"


@pytest.fixture(scope="module")
def replica_pair() -> Iterator[tuple[str, str]]:
    """URLs of a fresh primary and of its streaming replica (hot standby)."""
    if not (BIN / "initdb").exists() or shutil.which("runuser") is None or os.geteuid() != 0:
        reason = "a replica needs Debian's postgresql-15 binaries and root (to run as postgres)"
        if os.environ.get("TWIN_REQUIRE_POSTGRES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    root = Path(tempfile.mkdtemp(prefix="twin-replica-"))  # pytest's tmp is root's alone
    shutil.chown(root, "postgres")
    primary, replica = _port(), _port()
    started = []
    try:
        _as_postgres(str(BIN / "initdb"), "-D", f"{root}/p", "-A", "trust", "-U", "postgres")
        with open(f"{root}/p/pg_hba.conf", "a") as hba:
            hba.write("host replication all 127.0.0.1/32 trust\n")
        for data, port in ((f"{root}/p", primary), (f"{root}/r", replica)):
            if data.endswith("/r"):
                _as_postgres(
                    str(BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(primary),
                    "-U", "postgres", "-D", data, "-R", "-X", "stream",
                )  # fmt: skip
            options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
            _as_postgres(
                str(BIN / "pg_ctl"), "-D", data, "-o", options, "-l", f"{data}.log", "-w", "start"
            )
            started.append(data)
        url = "postgresql+psycopg://postgres@127.0.0.1:{}/postgres"
        yield url.format(primary), url.format(replica)
    finally:
        for data in reversed(started):
            _as_postgres(str(BIN / "pg_ctl"), "-D", data, "-m", "immediate", "stop")
        shutil.rmtree(root, ignore_errors=True)


def _replayed(replica_url: str, paused: bool) -> None:
    """Pause or resume the replica's replay of the primary's WAL."""
    engine = make_engine(replica_url)
    try:
        with engine.connect() as conn:
            name = "pg_wal_replay_pause" if paused else "pg_wal_replay_resume"
            conn.execute(text(f"SELECT {name}()"))
    finally:
        engine.dispose()


def _history_count(twin: Twin) -> int:
    times, _ = queries.metric_values(
        twin.facilities, FACILITY, METRIC, T0 - timedelta(hours=1), T0 + timedelta(hours=2)
    )
    return len(times)


def _eventually(check, wanted, within_s: float = 20.0) -> None:
    deadline = time.monotonic() + within_s
    while (found := check()) != wanted:
        assert time.monotonic() < deadline, f"{found} after {within_s} s, wanted {wanted}"
        time.sleep(0.2)


def value(minute: int, v: float) -> Measurement:
    return Measurement(FACILITY, METRIC, T0 + timedelta(minutes=minute), v, "°C", f"m{minute}")


def test_history_is_read_from_the_replica_and_decisions_from_the_primary(replica_pair):
    primary, replica = replica_pair
    twin = Twin(Settings.from_env(db=primary).with_read_database(replica))
    twin.store.record_readings([], [value(i, 20.0 + i) for i in range(10)], "test")
    _eventually(lambda: _history_count(twin), 10)  # streamed to the replica, read there
    _replayed(replica, paused=True)
    try:
        twin.store.record_readings([], [value(30, 35.0)], "test")
        latest = twin.facilities.state.latest_metrics([(FACILITY, METRIC)])
        assert latest[FACILITY, METRIC][1] == 35.0  # decisions read the primary
        time.sleep(0.5)
        assert _history_count(twin) == 10  # the replica, stopped before the new reading
    finally:
        _replayed(replica, paused=False)
    _eventually(lambda: _history_count(twin), 11)


def test_a_read_database_needs_a_postgresql_primary(tmp_path):
    with pytest.raises(ValueError, match=r"TWIN_DATABASE_READ_URL.*PostgreSQL"):
        Settings.from_env(db=tmp_path / "t.db").with_read_database(
            "postgresql+psycopg://postgres@127.0.0.1/x"
        )
