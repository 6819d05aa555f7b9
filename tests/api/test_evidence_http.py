"""Evidence over HTTP on a real server and SQLite: photos and documents checked by content,
stored once by SHA-256, attached to a stage or activity, listed, served and removed; every
refusal a problem+json naming what was wrong that stores and records nothing."""

from __future__ import annotations

import hashlib
import io
import socket
from pathlib import Path
from urllib.parse import urlparse

import httpx
import pytest
from live_server import start_twin, stop_twin
from PIL import Image

from twin.auth import TokenStore
from twin.eventlog import open_store

API = "/api/v1/construction/evidence"
LIMIT = 2_000_000
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def picture(kind: str = "JPEG", size: tuple[int, int] = (64, 48), noise: bool = False) -> bytes:
    """An image made here (``noise``: random pixels, which do not compress)."""
    import os

    if noise:
        image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    else:
        image = Image.new("RGB", size, (200, 120, 40))
    out = io.BytesIO()
    image.save(out, kind)
    return out.getvalue()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("evidence")
    db = workdir / "twin.db"
    live = start_twin(workdir, "--db", str(db), env={"TWIN_EVIDENCE_MAX_BYTES": str(LIMIT)})
    with open_store(f"sqlite:///{db}") as store:
        tokens = {
            r: TokenStore(store.engine).create(r, f"site-{r}") for r in ("construction", "leasing")
        }
    try:
        with httpx.Client(base_url=live.url, timeout=60) as c:
            yield c, tokens, workdir / "var" / "evidence"
    finally:
        stop_twin(live)


def _auth(tokens, role="construction"):
    return {"Authorization": f"Bearer {tokens[role]}"}


def _upload(c, tokens, data, name="site.jpg", kind="image/jpeg", role="construction", **form):
    fields = {"building": "fish-head-t1", "stage": "structure", **form}
    return c.post(API, files={"file": (name, data, kind)}, data=fields, headers=_auth(tokens, role))


def _stored(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def _head(c, tokens) -> int:
    return len(c.get(API, headers=_auth(tokens)).json()["items"])


def test_a_photo_is_attached_listed_and_served(server):
    c, tokens, folder = server
    data = picture()
    taken = "2026-11-20T09:30:00+08:00"
    sent = _upload(c, tokens, data, taken_at=taken, caption_zh="钢结构吊装", caption_en="Steel")
    assert sent.status_code == 201, sent.text
    item = sent.json()
    sha = hashlib.sha256(data).hexdigest()
    assert item["sha256"] == sha and item["media_type"] == "image/jpeg"
    assert item["bytes"] == len(data) and item["taken_at"] == taken
    assert item["by"] == "construction:site-construction" and item["filename"] == "site.jpg"
    assert folder / sha[:2] / sha[2:4] / sha in _stored(folder)

    listed = c.get(API, params={"building": "fish-head-t1"}, headers=_auth(tokens, "leasing"))
    assert listed.status_code == 200 and item["id"] in [i["id"] for i in listed.json()["items"]]

    served = c.get(item["url"], headers=_auth(tokens, "leasing"))
    assert served.status_code == 200 and served.content == data
    assert served.headers["content-type"] == "image/jpeg"
    assert served.headers["x-content-type-options"] == "nosniff"
    assert served.headers["etag"] == f'"{sha}"'
    assert served.headers["content-disposition"].startswith("inline")
    assert "max-age" in served.headers["cache-control"]
    again = c.get(item["url"], headers=_auth(tokens) | {"If-None-Match": f'"{sha}"'})
    assert again.status_code == 304 and not again.content
    small = c.get(item["thumbnail_url"], headers=_auth(tokens))
    assert small.status_code == 200 and small.content[:3] == b"\xff\xd8\xff"


def test_the_same_file_is_stored_once(server):
    c, tokens, folder = server
    data = picture("PNG", (30, 30))
    first = _upload(c, tokens, data, name="a.png", kind="image/png")
    retry = _upload(c, tokens, data, name="a.png", kind="image/png")
    other = _upload(c, tokens, data, name="a.png", kind="image/png", stage="envelope_mep")
    assert (first.status_code, retry.status_code, other.status_code) == (201, 200, 201)
    assert retry.json()["id"] == first.json()["id"] != other.json()["id"]
    sha = first.json()["sha256"]
    assert [p.name for p in _stored(folder)].count(sha) == 1


def test_a_pdf_is_a_download(server):
    c, tokens, _ = server
    sent = _upload(c, tokens, PDF, name="inspection.pdf", kind="application/pdf")
    assert sent.status_code == 201, sent.text
    assert sent.json()["thumbnail_url"] is None
    served = c.get(sent.json()["url"], headers=_auth(tokens))
    assert served.headers["content-type"] == "application/pdf"
    assert served.headers["content-disposition"].startswith("attachment")


@pytest.mark.parametrize(
    ("data", "name", "kind", "words"),
    [
        (b"<html><script>alert(1)</script></html>", "photo.jpg", "image/jpeg", "markup"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>',
            "a.svg",
            "image/svg+xml",
            "markup",
        ),
        (picture("PNG"), "report.pdf", "application/pdf", "named 'report.pdf'"),
        (picture("PNG"), "photo", "application/pdf", "declared 'application/pdf'"),
        (b"\xff\xd8\xff\xe0 not really a jpeg", "x.jpg", "image/jpeg", "does not decode"),
        (b"GIF89a" + b"\x00" * 40, "x.gif", "image/gif", "not a known kind"),
    ],
)
def test_a_file_is_judged_by_its_content(server, data, name, kind, words):
    c, tokens, folder = server
    before, count = _stored(folder), _head(c, tokens)
    refused = _upload(c, tokens, data, name=name, kind=kind)
    assert refused.status_code == 415, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert words in refused.json()["detail"]
    assert _stored(folder) == before and _head(c, tokens) == count


def test_an_upload_has_its_own_size_limit(server):
    c, tokens, folder = server
    big = picture("PNG", (700, 700), noise=True)  # about 1.5 MB: over the 1 MiB body limit
    assert 1_048_576 < len(big) < LIMIT
    assert _upload(c, tokens, big, name="big.png", kind="image/png").status_code == 201
    before, count = _stored(folder), _head(c, tokens)
    huge = picture("PNG", (900, 900), noise=True)
    refused = _upload(c, tokens, huge, name="huge.png", kind="image/png")
    assert refused.status_code == 413 and "limit" in refused.json()["detail"]
    assert _stored(folder) == before and _head(c, tokens) == count
    start = "/api/v1/construction/buildings/fish-head-t1/stages/design/start"
    other = c.post(start, content=b"{" + b" " * 1_100_000 + b"}", headers=_auth(tokens))
    assert other.status_code == 413  # every other route keeps the 1 MiB limit


def _answer_to_headers(c, head: str) -> str:
    """The answer to a request of which only ``head`` (the headers) is ever sent."""
    url = urlparse(str(c.base_url))
    with socket.create_connection((url.hostname, url.port), timeout=5) as s:
        s.sendall(head.encode())
        got = ""
        while not got.endswith("}"):
            got += s.recv(4096).decode()
    return got


@pytest.mark.parametrize("role", ["construction", None])
def test_an_oversized_upload_is_refused_before_its_body_is_sent(server, role):
    c, tokens, _ = server
    auth = f"Authorization: Bearer {tokens[role]}\r\n" if role else ""
    got = _answer_to_headers(
        c,
        f"POST {API} HTTP/1.1\r\nHost: x\r\n{auth}Content-Type: multipart/form-data; "
        "boundary=b\r\nContent-Length: 50000000\r\n\r\n",
    )
    assert got.startswith("HTTP/1.1 413") and "50,000,000 bytes" in got


def test_an_anonymous_upload_is_refused_before_its_body_is_read(server):
    c, _, _ = server
    got = _answer_to_headers(  # chunked, no chunk sent: no size to judge, no token
        c,
        f"POST {API} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
        "Content-Type: multipart/form-data; boundary=b\r\n\r\n",
    )
    assert got.startswith("HTTP/1.1 401") and "needs a bearer token" in got


@pytest.mark.parametrize(
    ("form", "status", "words"),
    [
        ({"building": "no-such-tower"}, 404, "no-such-tower"),
        ({"stage": "roof-garden"}, 404, "roof-garden"),
        ({"stage": "", "activity": "NO-SUCH-ACT"}, 404, "NO-SUCH-ACT"),
        ({"stage": ""}, 422, "evidence-target"),
        ({"taken_at": "2099-01-01"}, 422, "future"),
        ({"taken_at": "2010-05-01"}, 422, "before the campus's history"),
    ],
)
def test_a_bad_target_or_date_is_refused(server, form, status, words):
    c, tokens, folder = server
    before, count = _stored(folder), _head(c, tokens)
    refused = _upload(c, tokens, picture("JPEG", (9, 9)), **form)
    assert refused.status_code == status, refused.text
    assert words in refused.json()["detail"]
    assert _stored(folder) == before and _head(c, tokens) == count


def test_roles(server):
    c, tokens, _ = server
    assert _upload(c, tokens, picture("PNG", (5, 7)), name="r.png", kind="image/png").is_success
    assert _upload(c, tokens, picture(), role="leasing").status_code == 403
    assert c.get(API).status_code == 401  # site photos are not public
    files = {"file": ("a.jpg", picture(), "image/jpeg")}
    public = c.post(API, files=files, data={"building": "fish-head-t1", "stage": "design"})
    assert public.status_code == 401
    feed = {"stream": "evidence:fish-head-t1"}
    assert c.get("/api/v1/events", params=feed).json()["events"] == []  # nor in the log's feed
    staff = c.get("/api/v1/events", params=feed, headers=_auth(tokens, "leasing")).json()
    assert {e["type"] for e in staff["events"]} >= {"EvidenceAttached"}


def test_removal_is_an_event_and_stops_serving(server):
    c, tokens, _ = server
    data = picture("WEBP", (20, 20))
    item = _upload(c, tokens, data, name="w.webp", kind="image/webp", stage="foundation").json()
    assert item["media_type"] == "image/webp"
    path = f"{API}/attachments/fish-head-t1/{item['id']}/remove"
    done = c.post(path, json={"reason": "shows a worker's face"}, headers=_auth(tokens))
    assert done.status_code == 200, done.text
    assert item["id"] not in [i["id"] for i in done.json()["items"]]
    assert c.get(item["url"], headers=_auth(tokens)).status_code == 404
    twice = c.post(path, json={"reason": "again"}, headers=_auth(tokens))
    assert twice.status_code == 422 and "removed already" in twice.json()["detail"]
    then = {"at": item["attached_at"]}  # between the upload and the removal
    earlier = c.get(API, params=then, headers=_auth(tokens)).json()
    assert item["id"] in [i["id"] for i in earlier["items"]]  # history keeps it


def test_a_dated_list_newest_first(server):
    c, tokens, _ = server
    for n, day in enumerate(("2025-03-01", "2025-03-05", "2025-03-03")):
        photo = picture("JPEG", (10, 11 + n))
        made = _upload(c, tokens, photo, stage="design", taken_at=day, caption_en=day)
        assert made.status_code in (200, 201), made.text
    answer = c.get(
        API,
        params={
            "building": "fish-head-t1",
            "stage": "design",
            "start": "2025-03-01",
            "end": "2025-03-31",
        },
        headers=_auth(tokens),
    ).json()
    days = [i["taken_at"][:10] for i in answer["items"]]
    assert days == sorted(days, reverse=True) and days[0] == "2025-03-05"
