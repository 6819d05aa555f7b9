"""Fixtures shared by the whole suite: fresh databases on SQLite and PostgreSQL.

PostgreSQL runs where ``TWIN_TEST_POSTGRES_URL`` names a server (for example
``postgresql+psycopg://postgres@127.0.0.1:5432/test``); every test gets its own database
``twin_test_<hex>``, dropped afterwards. Without the variable those tests are skipped, unless
``TWIN_REQUIRE_POSTGRES=1``, which makes them fail.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from live_server import LiveTwin, start_twin, stop_twin
from sqlalchemy import create_engine
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import NullPool

POSTGRES_ENV = "TWIN_TEST_POSTGRES_URL"
REQUIRE_POSTGRES_ENV = "TWIN_REQUIRE_POSTGRES"

DatabaseFactory = Callable[[], str]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_factory(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[DatabaseFactory]:
    """Return a function that makes a fresh, empty database and returns its URL."""
    if request.param == "sqlite":
        numbers = itertools.count(1)
        yield lambda: f"sqlite:///{tmp_path / f'db{next(numbers)}' / 'twin.db'}"
    else:
        yield from _postgres_factory(_postgres_server())


@pytest.fixture
def database_url(database_factory: DatabaseFactory) -> str:
    """URL of a fresh, empty database: a SQLite file in tmp_path, or a new PostgreSQL database."""
    return database_factory()


def _postgres_server() -> URL:
    server = os.environ.get(POSTGRES_ENV)
    if not server:
        reason = f"PostgreSQL not configured: set {POSTGRES_ENV}=postgresql+psycopg://user@host/db"
        if os.environ.get(REQUIRE_POSTGRES_ENV) == "1":
            pytest.fail(f"{reason} ({REQUIRE_POSTGRES_ENV}=1 requires PostgreSQL)")
        pytest.skip(reason)
    url = make_url(server)
    return url.set(drivername="postgresql+psycopg") if url.drivername == "postgresql" else url


def _postgres_factory(server: URL) -> Iterator[DatabaseFactory]:
    admin = create_engine(server, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    created: list[str] = []

    def create() -> str:
        name = f"twin_test_{uuid.uuid4().hex[:16]}"
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        created.append(name)
        return server.set(database=name).render_as_string(hide_password=False)

    try:
        yield create
    finally:
        with admin.connect() as conn:
            for name in created:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


# --- node tools (viewer/web) -------------------------------------------------------------------
WEB = Path(__file__).resolve().parents[1] / "viewer" / "web"


def _require(reason: str, env: str) -> None:
    """Skip with ``reason``, or fail when the environment variable ``env`` is 1 (CI)."""
    if os.environ.get(env) == "1":
        pytest.fail(f"{reason} ({env}=1 requires it)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def node_tool() -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run ``viewer/web/tools/<script>`` with node; skips (or fails in CI) without node_modules."""
    node = shutil.which("node")
    if node is None or not (WEB / "node_modules" / "three").is_dir():
        _require("node or viewer/web/node_modules missing: run `make test`", "TWIN_REQUIRE_BROWSER")

    def run(script: str, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(node), str(WEB / "tools" / script), *args],
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )

    return run


# --- a real `twin serve` process (tests/live_server.py) ---------------------------------------
@pytest.fixture(scope="session")
def live_twin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveTwin]:
    """One real HTTP server of the embedded campus on SQLite, shared by read-only tests."""
    workdir = tmp_path_factory.mktemp("live")
    live = start_twin(workdir, "--db", str(workdir / "twin.db"))
    yield live
    stop_twin(live)


@pytest.fixture(scope="session")
def live_tokens(live_twin: LiveTwin) -> dict[str, str]:
    """A bearer token of each role for :func:`live_twin` (made as `twin token create` does)."""
    from twin.auth import ROLES, TokenStore
    from twin.eventlog import open_store

    with open_store(f"sqlite:///{live_twin.log.parent / 'twin.db'}") as store:
        return {role: TokenStore(store.engine).create(role, f"test-{role}") for role in ROLES}


# --- leasing: a writable server of its own per test module --------------------------------------
@pytest.fixture(scope="module")
def leasing_twin(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[LiveTwin, dict[str, str]]]:
    """A real `twin serve` on a fresh SQLite log that leasing tests may write to, and a bearer
    token of each role for it."""
    from twin.auth import ROLES, TokenStore
    from twin.eventlog import open_store

    workdir = tmp_path_factory.mktemp("leasing")
    # The documentation's readings are dated (2026-11): raw readings are kept ten years here
    # so that its examples stay runnable after the default 90 days of retention.
    keep = {"TWIN_READINGS_RAW_DAYS": "3650"}
    live = start_twin(workdir, "--db", str(workdir / "twin.db"), env=keep)
    with open_store(f"sqlite:///{workdir / 'twin.db'}") as store:
        tokens = {role: TokenStore(store.engine).create(role, f"test-{role}") for role in ROLES}
    yield live, tokens
    stop_twin(live)


# --- MQTT broker: facility readings (tests/twin/test_mqtt_bridge.py) ----------------------------
MQTT_ENV = "TWIN_TEST_MQTT_URL"
REQUIRE_MQTT_ENV = "TWIN_REQUIRE_MQTT"


@pytest.fixture(scope="session")
def mqtt_url() -> str:
    """The broker of ``TWIN_TEST_MQTT_URL`` (e.g. mqtt://127.0.0.1:1883); skips without it, or
    fails when ``TWIN_REQUIRE_MQTT=1``. A configured broker that does not answer fails."""
    import socket
    from urllib.parse import urlsplit

    url = os.environ.get(MQTT_ENV)
    if not url:
        _require(
            f"MQTT broker not configured: set {MQTT_ENV}=mqtt://127.0.0.1:1883", REQUIRE_MQTT_ENV
        )
    parts = urlsplit(url)
    try:
        socket.create_connection((parts.hostname, parts.port or 1883), timeout=5).close()
    except OSError as exc:
        pytest.fail(f"{MQTT_ENV}={url} does not answer: {exc}")
    return str(url)


@pytest.fixture
def mqtt_prefix() -> str:
    """A topic prefix of this test alone, so runs sharing the broker never see each other."""
    return f"twin-test/{uuid.uuid4().hex[:12]}"
