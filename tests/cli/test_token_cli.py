"""`twin token create` knows every role, twin_editor among them (OGC API edits)."""

from __future__ import annotations

from pathlib import Path

from cli_runner import twin

from twin.auth import TokenStore
from twin.eventlog import open_store


def test_a_twin_editor_token_is_made_and_verified(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'twin.db'}"
    assert "twin_editor" in twin("token", "create", "--help").stdout
    made = twin("token", "create", "--role", "twin_editor", "--name", "surveyor_li", "--db", url)
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip().splitlines()[-1]
    with open_store(url) as store:
        who = TokenStore(store.engine).verify(token)
    assert who is not None and (who.role, who.name) == ("twin_editor", "surveyor_li")
    assert who.actor == "twin_editor:surveyor_li"
    refused = twin("token", "create", "--role", "editor", "--name", "x", "--db", url)
    assert refused.returncode != 0 and "twin_editor" in refused.stdout + refused.stderr
