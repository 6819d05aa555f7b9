"""Where the browser client lives: its pages (viewer/web/) and three.js from its node_modules."""

from __future__ import annotations

from pathlib import Path

WEB_DIR = Path(__file__).resolve().parent / "web"
"""The browser client's npm project: ``index.html`` and ``src/`` (ES modules, CSS)."""
SOURCE_DIR = WEB_DIR / "src"
THREE_DIR = WEB_DIR / "node_modules" / "three"
"""three.js as installed by ``npm ci`` from the lockfile (served at ``/vendor/three``)."""
TILES_RENDERER_DIR = WEB_DIR / "node_modules" / "3d-tiles-renderer"
"""3d-tiles-renderer (streams ``?scene=tiles``) as installed by ``npm ci`` (``/vendor/3d-tiles-renderer``)."""
INSTALL_HINT = "run `make install` (npm ci in viewer/web) to install three.js, then restart"


def index_html() -> str:
    """The viewer's page."""
    return (WEB_DIR / "index.html").read_text(encoding="utf-8")


def missing_three() -> str | None:
    """Why the client cannot run (three.js not installed), or ``None`` when it can."""
    if (THREE_DIR / "build" / "three.module.js").is_file():
        return None
    return f"The 3D viewer needs three.js, which is not installed in {THREE_DIR.parent}: {INSTALL_HINT}."


SWAGGER_UI_DIR = WEB_DIR / "node_modules" / "swagger-ui-dist"
"""Swagger UI as installed by ``npm ci`` (served at ``/vendor/swagger-ui`` for ``/docs``)."""
REDOC_DIR = WEB_DIR / "node_modules" / "redoc" / "bundles"
"""ReDoc's standalone bundle as installed by ``npm ci`` (served at ``/vendor/redoc``)."""


def missing_api_docs() -> str | None:
    """Why ``/docs`` and ``/redoc`` cannot be served (their npm packages are not installed), or
    ``None`` when they can."""
    needed = (SWAGGER_UI_DIR / "swagger-ui-bundle.js", REDOC_DIR / "redoc.standalone.js")
    if all(path.is_file() for path in needed):
        return None
    return (
        "The API pages need swagger-ui-dist and redoc, which are not installed in "
        f"{WEB_DIR / 'node_modules'}: {INSTALL_HINT}."
    )
