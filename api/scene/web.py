"""The browser client: its page at `/`, its ES modules at `/src`, three.js at `/vendor/three`,
the 3D Tiles streamer at `/vendor/3d-tiles-renderer`.

three.js is served from the npm install in viewer/web/node_modules (lockfile-pinned); nothing
is copied into the repository and no CDN is used. Without it, `/` says how to install it.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from api.middleware.security_headers import page_policy
from api.problems import problem
from viewer.client import SOURCE_DIR, THREE_DIR, TILES_RENDERER_DIR, index_html, missing_three

router = APIRouter(include_in_schema=False)
NO_CACHE = {"Cache-Control": "no-cache"}

_MISSING_PAGE = """<!doctype html><html lang="en"><meta charset="utf-8">
<title>Flying Fish twin: viewer not installed</title>
<body style="font:16px system-ui,sans-serif;margin:3rem;max-width:42rem;color:#25303a">
<h1>Flying Fish twin · 信息飞鱼</h1><p>{reason}</p>
<p>The API is running: see <a href="/docs">/docs</a>.</p></body></html>"""


@router.get("/", response_class=HTMLResponse)
def viewer_page() -> HTMLResponse:
    """The 3D viewer (or how to install it)."""
    reason = missing_three()
    if reason is not None:
        return HTMLResponse(_MISSING_PAGE.format(reason=reason), status_code=503, headers=NO_CACHE)
    html = index_html()
    return HTMLResponse(html, headers={**NO_CACHE, "Content-Security-Policy": page_policy(html)})


def mount(app: FastAPI) -> None:
    """Serve the client on ``app``: the page, its modules and three.js."""
    app.include_router(router)
    app.mount("/src", StaticFiles(directory=SOURCE_DIR), name="viewer-src")
    if missing_three() is None:
        app.mount("/vendor/three", StaticFiles(directory=THREE_DIR), name="vendor-three")
        if TILES_RENDERER_DIR.is_dir():
            app.mount(
                "/vendor/3d-tiles-renderer",
                StaticFiles(directory=TILES_RENDERER_DIR),
                name="vendor-3d-tiles-renderer",
            )
        return

    @app.get("/vendor/three/{path:path}", include_in_schema=False)
    def three_missing(path: str) -> JSONResponse:
        return problem(503, missing_three() or "three.js is not installed")
