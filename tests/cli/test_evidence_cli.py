"""`twin construction evidence add|list` on a real SQLite log: a photo attached by content and
stored once by hash under TWIN_EVIDENCE_DIR, listed newest first; a disguised file refused."""

from __future__ import annotations

import hashlib
import io

from cli_runner import twin
from PIL import Image


def test_add_and_list(tmp_path):
    db, store = tmp_path / "twin.db", tmp_path / "photos"
    env = {"TWIN_EVIDENCE_DIR": str(store)}
    photo = tmp_path / "pour.jpg"
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (120, 120, 120)).save(out, "JPEG")
    photo.write_bytes(out.getvalue())
    sha = hashlib.sha256(out.getvalue()).hexdigest()
    args = ["--building", "fish-body-b3", "--stage", "foundation", "--db", str(db)]
    added = twin(
        "construction", "evidence", "add", str(photo), *args,
        "--taken-at", "2026-11-02T10:00", "--caption-en", "Raft pour", env=env,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert "attached" in added.stdout and sha in added.stdout
    assert (store / sha[:2] / sha[2:4] / sha).read_bytes() == out.getvalue()
    again = twin("construction", "evidence", "add", str(photo), *args, env=env)
    assert again.returncode == 0 and "already attached" in again.stdout

    fake = tmp_path / "fake.jpg"
    fake.write_text("<html><script>alert(1)</script></html>")
    refused = twin("construction", "evidence", "add", str(fake), *args, env=env)
    assert refused.returncode == 1 and "markup" in refused.stderr

    listed = twin(
        "construction", "evidence", "list", "--building", "fish-body-b3", "--db", str(db), env=env
    )
    assert listed.returncode == 0, listed.stderr
    assert "2026-11-02T10:00  fish-body-b3  foundation  image/jpeg" in listed.stdout
    assert "Raft pour" in listed.stdout and len(listed.stdout.strip().splitlines()) == 1
