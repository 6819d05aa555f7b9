"""The FastAPI application of one twin."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.gzip import GZipMiddleware

from api import problems
from api.routers import campus, events, health, scene
from twin.runtime import Twin

DESCRIPTION = """Digital twin of the Information Flying Fish campus (信息飞鱼), the core of the
International Data Economy Industrial Park in Lingang, Shanghai. Areas are m² in EPSG:32651;
GeoJSON is EPSG:4326; the 3D scene is metres east/up/south of the recorded origin."""


def create_app(twin: Twin) -> FastAPI:
    """An application serving ``twin``."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        twin.fresh()  # opens the log, loads genesis into an empty one, folds the history
        yield
        twin.close()

    app = FastAPI(
        title="Flying Fish twin", version="0.1.0", description=DESCRIPTION, lifespan=lifespan
    )
    app.state.twin = twin
    problems.install(app)
    app.add_middleware(GZipMiddleware, minimum_size=2048)
    for router in (health.router, campus.router, events.router, scene.router):
        app.include_router(router)
    return app
