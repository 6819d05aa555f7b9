"""Scratch databases for the benchmarks: a SQLite file or a PostgreSQL database made and dropped."""

from __future__ import annotations

import sqlite3
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from assets.dataset import load_campus
from twin.eventlog import open_store, sqlite_url
from twin.eventlog.engine import normalize_url
from twin.genesis import ensure_genesis

SQLITE = "sqlite"


def backends(postgres_url: str | None) -> list[str]:
    """``["sqlite"]``, plus the PostgreSQL server URL when there is one."""
    return [SQLITE] if postgres_url is None else [SQLITE, postgres_url]


def backend_name(db: str) -> str:
    """``"SQLite"`` or ``"PostgreSQL"`` for a value of :func:`backends`."""
    return "SQLite" if db == SQLITE else "PostgreSQL"


@contextmanager
def fresh_database(db: str, *, genesis: bool = False) -> Iterator[str]:
    """Yield the URL of a new, empty database, removed afterwards.

    ``db`` is ``"sqlite"`` (a file in a temporary directory) or a PostgreSQL server URL, on
    which a database ``twin_bench_<hex>`` is created and then dropped. With ``genesis`` the
    Flying Fish campus's history is loaded first, as a fresh ``twin serve`` would.
    """
    with _empty_database(db) as url:
        if genesis:
            with open_store(url) as store:
                ensure_genesis(store, load_campus())
        yield url


@contextmanager
def _empty_database(db: str) -> Iterator[str]:
    if db == SQLITE:
        with tempfile.TemporaryDirectory(prefix="twin-bench-") as tmp:
            yield sqlite_url(Path(tmp) / "bench.db")
        return
    server = normalize_url(db)
    name = f"twin_bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield server.set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def server_version(db: str) -> str:
    """The version of the database behind ``db``, e.g. ``"SQLite 3.45.1"``."""
    if db == SQLITE or normalize_url(db).get_backend_name() == "sqlite":
        return f"SQLite {sqlite3.sqlite_version}"
    engine = create_engine(normalize_url(db), poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return "PostgreSQL " + str(conn.execute(text("SHOW server_version")).scalar_one())
    finally:
        engine.dispose()


def redacted(url: str) -> str:
    """A database or broker URL with its password hidden."""
    if url.startswith(("mqtt://", "mqtts://")):
        scheme, rest = url.split("://", 1)
        return f"{scheme}://{rest.rsplit('@', 1)[-1]}" if "@" in rest else url
    return normalize_url(url).render_as_string(hide_password=True)
