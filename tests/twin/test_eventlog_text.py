"""The log refuses text it could not read back (lone surrogates, NUL) on SQLite and PostgreSQL,
and reads back every valid string as it was written."""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers_eventlog import new_event

from twin.eventlog import EventStore, RestoreRefused, UnstorableText, backup, open_store, restore

BAD = {
    "surrogate": "bad \ud800 name",
    "low surrogate": "x\udfffy",
    "NUL": "a\x00b",
}


def test_every_valid_string_reads_back(store: EventStore) -> None:
    text = '飞鱼 🐟 "q" \\u0000 \\ud800 tab\t é \U0010ffff \u2028'
    store.append("unit:u", 0, [new_event("Noted", name=text, nested={text: [text]})])
    (event,) = store.read_stream("unit:u")
    assert event.data == {"name": text, "nested": {text: [text]}}


@pytest.mark.parametrize("bad", BAD.values(), ids=BAD.keys())
@pytest.mark.parametrize("where", ["value", "key", "nested", "actor", "stream", "key_of_event"])
def test_append_refuses_text_it_could_not_read_back(
    store: EventStore, bad: str, where: str
) -> None:
    stream, actor, key, data = "unit:u", "tester", None, {"ok": 1}
    if where == "value":
        data = {"name": bad}
    elif where == "key":
        data = {bad: 1}
    elif where == "nested":
        data = {"a": [{"b": bad}]}
    elif where == "actor":
        actor = bad
    elif where == "stream":
        stream = f"unit:{bad}"
    else:
        key = f"k-{bad}"
    with pytest.raises(UnstorableText) as refused:
        store.append(stream, 0, [new_event("Noted", key=key, actor=actor, **data)])
    assert "U+" in str(refused.value)
    assert store.count() == 0
    store.append("unit:u", 0, [new_event("Noted", name="fine")])  # the log still works
    assert [e.data for e in store.read_stream("unit:u")] == [{"name": "fine"}]


@pytest.mark.parametrize("bad", BAD.values(), ids=BAD.keys())
def test_bulk_append_refuses_it_and_writes_nothing(store: EventStore, bad: str) -> None:
    batches = [("unit:a", 0, [new_event(name="good")]), ("unit:b", 0, [new_event(note=bad)])]
    with pytest.raises(UnstorableText):
        store.append_many(batches)
    assert store.count() == 0


@pytest.mark.parametrize("bad", BAD.values(), ids=BAD.keys())
def test_restore_refuses_a_backup_holding_it(
    database_factory: Callable[[], str], tmp_path: Path, bad: str
) -> None:
    root = tmp_path / "backup"
    with open_store(database_factory()) as source:
        source.append("unit:a", 0, [new_event(name="good")])
        source.append("unit:b", 0, [new_event(name="good too")])
        assert backup(source, root).events == 2
    manifest = json.loads((root / "manifest.json").read_text())
    entry = manifest["events"]["chunks"][0]
    chunk = root / entry["file"]
    lines = gzip.decompress(chunk.read_bytes()).decode().splitlines()
    record = json.loads(lines[1])
    record["data"]["name"] = bad
    lines[1] = json.dumps(record)  # as a backup of a log hit by the old bug would hold it
    chunk.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    entry |= {"sha256": hashlib.sha256(chunk.read_bytes()).hexdigest()}
    entry |= {"bytes": chunk.stat().st_size}
    (root / "manifest.json").write_text(json.dumps(manifest))
    with open_store(database_factory()) as target:
        with pytest.raises(RestoreRefused) as refused:
            restore(target, root)
        assert f"{chunk}:2" in str(refused.value) and "U+" in str(refused.value)
        assert target.count() == 0
