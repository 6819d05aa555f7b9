"""The API's own pages, ``/docs`` (Swagger UI) and ``/redoc`` (ReDoc), served self-contained.

Both viewers come from the npm install in viewer/web/node_modules (``swagger-ui-dist`` and
``redoc``, pinned by its lockfile) at ``/vendor/swagger-ui`` and ``/vendor/redoc``; Swagger UI
is started by ``/src/api-docs.js``. The pages load nothing from another host (no CDN, no web
fonts, no online validator) and carry no inline script, so they work on a campus network
without internet and under a Content-Security-Policy of ``script-src 'self'``, which they
send themselves (:data:`OWN_ORIGIN_ONLY`).
"""

from __future__ import annotations

from html import escape

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from api.middleware.security_headers import page_policy
from api.problems import problem
from viewer.client import REDOC_DIR, SWAGGER_UI_DIR, missing_api_docs

router = APIRouter(include_in_schema=False)
OWN_ORIGIN_ONLY = {"Content-Security-Policy": page_policy("", inline_styles=True)}
"""The pages' own policy: everything from the twin, so the browser does not even try another
host (ReDoc's sidebar links to Redocly with a logo from their CDN; this keeps it unloaded).
ReDoc and Swagger UI style their elements at run time and ReDoc searches in a blob worker."""

_SWAGGER_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{title} - Swagger UI</title>
<link rel="icon" type="image/png" href="/vendor/swagger-ui/favicon-32x32.png">
<link rel="stylesheet" href="/vendor/swagger-ui/swagger-ui.css"></head>
<body><div id="swagger-ui" data-openapi="{openapi}"></div>
<script src="/vendor/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/src/api-docs.js"></script></body></html>"""
_REDOC_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{title} - ReDoc</title>
<link rel="icon" type="image/png" href="/vendor/swagger-ui/favicon-32x32.png">
<link rel="stylesheet" href="/src/api-docs.css"></head>
<body><redoc spec-url="{openapi}"></redoc>
<script src="/vendor/redoc/redoc.standalone.js"></script></body></html>"""


def _page(request: Request, template: str) -> HTMLResponse:
    reason = missing_api_docs()
    if reason is not None:
        return HTMLResponse(
            f"<!doctype html><title>API pages not installed</title><p>{escape(reason)}</p>"
            '<p>The document itself: <a href="/openapi.json">/openapi.json</a>.</p>',
            status_code=503,
        )
    app = request.app
    return HTMLResponse(
        template.format(title=escape(app.title), openapi=escape(app.openapi_url or "")),
        headers=OWN_ORIGIN_ONLY,
    )


@router.get("/docs", response_class=HTMLResponse)
def swagger_ui(request: Request) -> HTMLResponse:
    """The interactive API reference (Swagger UI)."""
    return _page(request, _SWAGGER_PAGE)


@router.get("/redoc", response_class=HTMLResponse)
def redoc(request: Request) -> HTMLResponse:
    """The API reference (ReDoc)."""
    return _page(request, _REDOC_PAGE)


def mount(app: FastAPI) -> None:
    """Serve ``/docs``, ``/redoc`` and their npm packages on ``app`` (created with
    ``docs_url=None, redoc_url=None`` so FastAPI's CDN pages are not there)."""
    app.include_router(router)
    if missing_api_docs() is None:
        app.mount("/vendor/swagger-ui", StaticFiles(directory=SWAGGER_UI_DIR), name="swagger-ui")
        app.mount("/vendor/redoc", StaticFiles(directory=REDOC_DIR), name="redoc")
        return

    @app.get("/vendor/swagger-ui/{path:path}", include_in_schema=False)
    @app.get("/vendor/redoc/{path:path}", include_in_schema=False)
    def api_docs_missing(path: str) -> JSONResponse:
        return problem(503, missing_api_docs() or "the API pages are not installed")
