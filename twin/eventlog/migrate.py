"""Schema migrations (Alembic), driven from Python: no ``alembic.ini`` needed.

The Alembic environment lives in ``twin/migrations`` (``env.py``, ``versions/``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from twin.eventlog.engine import lock_log, make_engine, writer

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(url: str | None = None) -> Config:
    """Return an Alembic configuration for the twin's migrations (``url`` for offline use)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        config.attributes["twin_url"] = url
    return config


def head_revision() -> str:
    """Return the newest migration revision."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError(f"no migrations found in {MIGRATIONS_DIR}")
    return head


def current_revision(engine: Engine) -> str | None:
    """Return the database's migration revision (None for an empty database)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade_engine(engine: Engine, revision: str = "head") -> None:
    """Migrate the database behind ``engine`` to ``revision``; a no-op when already there.

    Concurrent callers (several processes opening the log at once) are serialised by the
    log's write lock, so exactly one of them migrates.
    """
    if revision == "head" and current_revision(engine) == head_revision():
        return
    _run(engine, lambda config: command.upgrade(config, revision))


def downgrade_engine(engine: Engine, revision: str) -> None:
    """Migrate the database behind ``engine`` down to ``revision`` (``"base"``: empty)."""
    _run(engine, lambda config: command.downgrade(config, revision))


def upgrade(url: str, revision: str = "head") -> None:
    """Migrate the database at ``url`` to ``revision`` (``twin db upgrade``)."""
    engine = make_engine(url)
    try:
        upgrade_engine(engine, revision)
    finally:
        engine.dispose()


def _run(engine: Engine, action: Callable[[Config], None]) -> None:
    with writer(engine).begin() as conn:
        lock_log(conn)
        config = alembic_config()
        config.attributes["connection"] = conn
        action(config)
