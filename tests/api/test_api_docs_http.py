"""/docs and /redoc name no other host: everything they load comes from the twin itself."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import viewer.client
from api.app import create_app
from twin.runtime import Twin
from twin.settings import Settings

ASSET = re.compile(r"""(?:src|href|spec-url|data-openapi)="([^"]+)\"""")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    twin = Twin(Settings.from_env(db=tmp_path_factory.mktemp("docs") / "twin.db"))
    with TestClient(create_app(twin)) as client:
        yield client


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_api_pages_load_everything_from_the_twin(client: TestClient, page: str) -> None:
    answer = client.get(page)
    assert answer.status_code == 200
    assert not re.search(r"(?:https?:)?//", answer.text), "a page names another host"
    assert "<script>" not in answer.text  # no inline script: fits `script-src 'self'`
    assets = ASSET.findall(answer.text)
    assert any(a.endswith(".js") for a in assets)
    for asset in assets:
        assert client.get(asset).status_code == 200, asset


def test_swagger_ui_never_asks_an_online_validator(client: TestClient) -> None:
    start = client.get("/src/api-docs.js")
    assert start.status_code == 200
    assert "validatorUrl: null" in start.text


def test_api_pages_explain_a_missing_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(viewer.client, "REDOC_DIR", tmp_path / "node_modules" / "redoc")
    twin = Twin(Settings.from_env(db=tmp_path / "twin.db"))
    with TestClient(create_app(twin)) as client:
        page = client.get("/redoc")
        assert page.status_code == 503
        assert "make install" in page.text
        assert client.get("/vendor/redoc/redoc.standalone.js").status_code == 503
        assert client.get("/openapi.json").status_code == 200
