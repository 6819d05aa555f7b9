"""API tokens: hashed, with a role, revocable; on SQLite and PostgreSQL."""

import pytest
from sqlalchemy import text

from twin.auth import TokenError, TokenStore
from twin.eventlog import open_store


@pytest.fixture
def tokens(database_url):
    with open_store(database_url) as store:
        yield TokenStore(store.engine)


def test_a_token_stands_for_its_name_and_role_and_is_stored_hashed(tokens):
    token = tokens.create("leasing", "alice")
    who = tokens.verify(token)
    assert (who.name, who.role, who.actor) == ("alice", "leasing", "leasing:alice")
    with tokens.engine.connect() as conn:
        stored = conn.execute(text("SELECT token_hash FROM tokens")).scalars().all()
    assert token not in stored and len(stored[0]) == 64
    assert tokens.verify(token + "x") is None and tokens.verify("nonsense") is None


def test_revoked_tokens_stop_working(tokens):
    token = tokens.create("operations", "ops-bridge")
    tokens.revoke("ops-bridge")
    assert tokens.verify(token) is None
    assert tokens.list()[0].revoked_at is not None
    with pytest.raises(TokenError, match="no active token"):
        tokens.revoke("ops-bridge")


@pytest.mark.parametrize(
    ("role", "name", "message"),
    [
        ("boss", "bob", "unknown role 'boss'"),
        ("admin", "", "must be 1-100"),
        ("admin", "a" * 101, "must be 1-100"),
    ],
)
def test_bad_token_requests_are_refused(tokens, role, name, message):
    with pytest.raises(TokenError, match=message):
        tokens.create(role, name)
    assert tokens.list() == []


def test_names_are_unique(tokens):
    tokens.create("admin", "root")
    with pytest.raises(TokenError, match="exists already"):
        tokens.create("leasing", "root")
