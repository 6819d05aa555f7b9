"""Without three.js installed, `/` says how to install it instead of serving a broken page."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import viewer.client
from api.app import create_app
from twin.runtime import Twin
from twin.settings import Settings


def test_root_explains_how_to_install_the_viewer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(viewer.client, "THREE_DIR", tmp_path / "node_modules" / "three")
    twin = Twin(Settings.from_env(db=tmp_path / "twin.db"))
    with TestClient(create_app(twin)) as client:
        page = client.get("/")
        assert page.status_code == 503
        assert "make install" in page.text
        assert client.get("/vendor/three/build/three.module.js").status_code == 503
        assert client.get("/health").status_code == 200
