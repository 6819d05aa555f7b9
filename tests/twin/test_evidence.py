"""The evidence event path on SQLite and PostgreSQL: an attachment and its removal are events
of ``evidence:<building>`` recorded with the actor; a retry records nothing; the list is as
known at any instant; a refusal stores no file."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from PIL import Image

from assets.construction.errors import ConstructionError
from assets.construction.evidence import Attachment
from twin.construction.evidence import attach, listed, remove
from twin.runtime import Twin
from twin.settings import Settings


def _photo(shade: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 12), (shade, 80, 80)).save(out, "PNG")
    return out.getvalue()


def test_attach_retry_remove(database_url, tmp_path):
    twin = Twin(replace(Settings.from_env(db=database_url), evidence_dir=tmp_path / "ev"))
    now = datetime.now(UTC)
    what = Attachment("", "", 0, "structure", None, now - timedelta(days=2), "吊装", "Lift")
    first, new = attach(twin, "fish-head-t1", _photo(10), what, actor="construction:ana", now=now)
    again, renew = attach(twin, "fish-head-t1", _photo(10), what, actor="construction:ana")
    assert new and not renew and again == first
    events = twin.store.read_stream("evidence:fish-head-t1")
    assert [(e.type, e.actor) for e in events] == [("EvidenceAttached", "construction:ana")]
    assert events[0].data["sha256"] == first["sha256"] and events[0].data["bytes"] > 0

    later = replace(what, stage="foundation", taken_at=now - timedelta(days=1))
    second, _ = attach(twin, "fish-head-t1", _photo(20), later, actor="construction:ana")
    assert [i["id"] for i in listed(twin, datetime.now(UTC))] == [second["id"], first["id"]]

    remove(twin, "fish-head-t1", first["id"], "blurred", actor="construction:bo")
    assert [i["id"] for i in listed(twin, datetime.now(UTC))] == [second["id"]]
    assert twin.store.read_stream("evidence:fish-head-t1")[-1].type == "EvidenceRemoved"
    assert [i["id"] for i in listed(twin, now)] == [first["id"]]  # as known before

    files = sorted((tmp_path / "ev").rglob("*"))
    with pytest.raises(ConstructionError, match="taken-not-future"):
        future = replace(what, taken_at=datetime.now(UTC) + timedelta(days=1))
        attach(twin, "fish-head-t1", _photo(30), future, actor="construction:ana")
    assert sorted((tmp_path / "ev").rglob("*")) == files
    twin.close()
