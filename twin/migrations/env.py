"""Alembic environment of the twin's database, driven by ``twin.eventlog.migrate``.

``migrate`` passes an open connection (inside the log's write lock) in
``config.attributes["connection"]``; without one, a URL in ``config.attributes["twin_url"]``
(or ``sqlalchemy.url``) is used, online or offline (``--sql``).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from twin.eventlog.engine import make_engine, writer
from twin.eventlog.schema import metadata

config = context.config


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        transactional_ddl=True,
        compare_type=True,
    )


def _url() -> str:
    url = config.attributes.get("twin_url") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no database: pass a connection or a URL to the migrations")
    return str(url)


if context.is_offline_mode():
    context.configure(url=_url(), target_metadata=metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
elif (connection := config.attributes.get("connection")) is not None:
    _configure(connection)
    with context.begin_transaction():
        context.run_migrations()
else:
    engine = make_engine(_url())
    try:
        with writer(engine).begin() as conn:
            _configure(conn)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()
