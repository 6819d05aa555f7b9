"""Evidence kept in an S3-compatible bucket, over HTTP on a real server. The S3 server is moto's
(``moto_server``, PyPI ``moto[server]``): an emulator of the S3 API over real HTTP, used because
no S3-compatible server (MinIO, SeaweedFS, Garage) is packaged for Debian or PyPI here. boto3
talks to it exactly as to AWS or MinIO; what it cannot show is a real server's behaviour."""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from live_server import _free_port, start_twin, stop_twin
from PIL import Image

from twin.auth import TokenStore
from twin.eventlog import open_store

API = "/api/v1/construction/evidence"
AWS = {
    "AWS_ACCESS_KEY_ID": "test-key",
    "AWS_SECRET_ACCESS_KEY": "test-secret",
    "AWS_DEFAULT_REGION": "us-east-1",
}


@pytest.fixture(scope="module")
def s3(tmp_path_factory):
    """A moto S3 server on a free port with the bucket ``site-evidence``."""
    server = Path(sys.executable).with_name("moto_server")
    if not server.exists() and shutil.which("moto_server") is None:
        # a dev dependency (pyproject.toml): `make install` installs it, so its absence is a
        # broken install, not a reason to skip
        pytest.fail("moto_server (PyPI moto[server]) is not installed: run make install")
    port = _free_port()
    log = (tmp_path_factory.mktemp("moto") / "moto.log").open("w")
    process = subprocess.Popen([str(server), "-p", str(port)], stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=1)
            break
        except httpx.HTTPError:
            time.sleep(0.2)
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=url,
        aws_access_key_id=AWS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=AWS["AWS_SECRET_ACCESS_KEY"],
        region_name=AWS["AWS_DEFAULT_REGION"],
    )
    client.create_bucket(Bucket="site-evidence")
    yield url, client
    process.terminate()
    process.wait(timeout=10)


def test_an_upload_is_kept_in_the_bucket_and_served_from_it(s3, tmp_path):
    url, client = s3
    env = {**AWS, "TWIN_EVIDENCE_S3_BUCKET": "site-evidence", "TWIN_EVIDENCE_S3_ENDPOINT": url}
    live = start_twin(tmp_path, "--db", str(tmp_path / "twin.db"), env=env)
    with open_store(f"sqlite:///{tmp_path / 'twin.db'}") as store:
        token = TokenStore(store.engine).create("construction", "site")
    auth = {"Authorization": f"Bearer {token}"}
    photo = io.BytesIO()
    Image.new("RGB", (32, 24), (10, 160, 90)).save(photo, "PNG")
    sha = hashlib.sha256(photo.getvalue()).hexdigest()
    form = {"building": "fish-head-t1", "stage": "structure"}
    try:
        with httpx.Client(base_url=live.url, headers=auth, timeout=60) as c:
            files = {"file": ("s.png", photo.getvalue(), "image/png")}
            assert c.post(API, files=files, data=form).status_code == 201
            assert c.post(API, files=files, data=form | {"stage": "design"}).status_code == 201
            served = c.get(f"{API}/{sha}")
            assert served.status_code == 200 and served.content == photo.getvalue()
            assert c.get(f"{API}/{sha}/thumbnail").status_code == 200
            svg = {"file": ("x.svg", b"<svg><script/></svg>", "image/svg+xml")}
            assert c.post(API, files=svg, data=form).status_code == 415
    finally:
        stop_twin(live)
    keys = [o["Key"] for o in client.list_objects_v2(Bucket="site-evidence")["Contents"]]
    assert keys == [f"evidence/{sha[:2]}/{sha[2:4]}/{sha}"]  # once, and nothing refused
    body = client.get_object(Bucket="site-evidence", Key=keys[0])["Body"].read()
    assert body == photo.getvalue()
    assert not (tmp_path / "var" / "evidence").exists()  # not in the local folder
