"""Contract test: schemathesis against /openapi.json with all its default checks (including
ignored_auth), anonymously and with a token of each role. No failures allowed."""

import subprocess
import sys
from pathlib import Path

import pytest
from live_server import start_twin, stop_twin

from twin.auth import ROLES, TokenStore
from twin.eventlog import open_store

SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"
CONFIG = Path(__file__).with_name("schemathesis.toml")


@pytest.fixture(scope="module")
def contract_server(tmp_path_factory):
    """A server of its own: schemathesis writes to it."""
    workdir = tmp_path_factory.mktemp("contract")
    db = workdir / "twin.db"
    live = start_twin(workdir, "--db", str(db), env={"TWIN_ANON_RATE": "0", "TWIN_TOKEN_RATE": "0"})
    with open_store(f"sqlite:///{db}") as store:
        tokens = {role: TokenStore(store.engine).create(role, f"contract-{role}") for role in ROLES}
    yield live, tokens
    stop_twin(live)


@pytest.mark.slow
@pytest.mark.parametrize("role", ["anonymous", *ROLES])
def test_the_api_keeps_its_openapi_contract(contract_server, role, tmp_path):
    live, tokens = contract_server
    args = [
        str(SCHEMATHESIS),
        "--config-file",
        str(CONFIG),
        "run",
        f"{live.url}/openapi.json",
        "--max-examples",
        "10",
        "--workers",
        "1",  # hypothesis names strategies with ast.parse, which CPython 3.11.7 races across threads
        "--seed",
        "20261128",
        "--report-dir",
        str(tmp_path),
    ]
    if role != "anonymous":
        args += ["--header", f"Authorization: Bearer {tokens[role]}"]
    done = subprocess.run(args, capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
