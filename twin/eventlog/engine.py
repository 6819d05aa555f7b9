"""Engines for the event log: SQLite file (default) or PostgreSQL through psycopg 3.

SQLite connections run in WAL mode with ``synchronous=FULL`` and a busy timeout, so concurrent
writers in other processes wait for the write lock instead of failing. The driver's own
transaction handling is switched off: the log emits ``BEGIN`` itself, ``BEGIN IMMEDIATE`` for
writes, so a write transaction holds the lock from its first statement (no lock upgrade races).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url

#: How long a SQLite writer waits for another process's write lock before failing (s).
SQLITE_BUSY_TIMEOUT_S = 60.0
#: PostgreSQL advisory lock (transaction scoped) that serialises appends to the log.
APPEND_LOCK_KEY = 0x7477_696E_6C6F_67  # "twinlog"
#: Execution option asking for a write transaction.
WRITE = "twin_write"


def normalize_url(url: str | URL) -> URL:
    """Parse a database URL; plain ``postgresql://`` and ``postgres://`` use psycopg 3.

    Raises
    ------
    ValueError
        If the URL names a backend other than SQLite or PostgreSQL.
    """
    if isinstance(url, str) and url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "postgresql":
        return parsed.set(drivername="postgresql+psycopg")
    if backend != "sqlite":
        raise ValueError(
            f"unsupported database URL {parsed.render_as_string()!r}: "
            "use sqlite:///path/to/twin.db or postgresql+psycopg://user@host/db"
        )
    return parsed


def sqlite_url(path: str | Path) -> str:
    """Return the SQLAlchemy URL of a SQLite file at ``path``."""
    return f"sqlite:///{Path(path).expanduser().resolve()}"


def make_engine(url: str | URL) -> Engine:
    """Create an engine for the log's database (creating a SQLite file's parent directory)."""
    parsed = normalize_url(url)
    if parsed.get_backend_name() == "postgresql":
        engine = create_engine(parsed, pool_pre_ping=True)
        event.listen(engine, "connect", _postgres_on_connect, insert=True)
        return engine
    database = parsed.database or ""
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(parsed, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S})
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def writer(engine: Engine) -> Engine:
    """Return ``engine`` (same pool) whose transactions are write transactions."""
    return engine.execution_options(**{WRITE: True})


def lock_log(conn: Connection) -> None:
    """Serialise writers of the log for the rest of the transaction.

    On PostgreSQL this takes a transaction-scoped advisory lock, so sequence numbers become
    visible in commit order and a reader catching up by ``seq`` never skips a late commit.
    On SQLite ``BEGIN IMMEDIATE`` already holds the database's single write lock.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": APPEND_LOCK_KEY})


def _postgres_on_connect(dbapi_connection: Any, _record: Any) -> None:
    autocommit = dbapi_connection.autocommit
    dbapi_connection.autocommit = True
    dbapi_connection.execute("SET TIME ZONE 'UTC'")  # timestamptz arrive as UTC datetimes
    dbapi_connection.autocommit = autocommit


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # BEGIN is emitted by _sqlite_on_begin
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {int(SQLITE_BUSY_TIMEOUT_S * 1000)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()


def _sqlite_on_begin(conn: Connection) -> None:
    write = conn.get_execution_options().get(WRITE, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
