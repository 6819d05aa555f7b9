"""The FastAPI application of one twin."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.gzip import GZipMiddleware
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from api import ogc, openapi, problems
from api.campus import events
from api.campus import routes as campus
from api.construction import charts as construction_charts
from api.construction import commands as construction_commands
from api.construction import evidence as construction_evidence
from api.construction import routes as construction
from api.construction import schedule as construction_schedule
from api.construction import schedule_charts as construction_schedule_charts
from api.facilities import alarms as facilities_alarms
from api.facilities import capacity as facilities_capacity
from api.facilities import ops as facilities_ops
from api.facilities import routes as facilities
from api.facilities import stream as facilities_stream
from api.facilities import work_orders as facilities_work_orders
from api.facilities.live_streams import LiveStreams
from api.leasing import brochure as leasing_brochure
from api.leasing import economics as leasing_economics
from api.leasing import kpis as leasing_kpis
from api.leasing import pipeline as leasing_pipeline
from api.leasing import plans as leasing_plans
from api.leasing import proposals as leasing_proposals
from api.leasing import routes as leasing
from api.leasing import search as leasing_search
from api.leasing import spreadsheets as leasing_spreadsheets
from api.middleware.limits import BodyLimitMiddleware, RateLimitMiddleware
from api.middleware.metrics import Metrics, MetricsMiddleware
from api.middleware.request_id import RequestIdMiddleware
from api.middleware.security_headers import SecurityHeadersMiddleware
from api.platform import docs_pages, health, operations
from api.scene import colors as scene_colors
from api.scene import fact_page as scene_fact_page
from api.scene import overlay as scene_overlay
from api.scene import render as scene_render
from api.scene import routes as scene
from api.scene import tiles as scene_tiles
from api.scene import tour as scene_tour
from api.scene import web as scene_web
from api.scene.render_gate import RenderGate
from api.semantic import routes as semantic
from api.sta import routes as sensorthings
from twin import heap
from twin.runtime import Twin
from viewer.tour import load_tour

DESCRIPTION = """Digital twin of the Information Flying Fish campus (信息飞鱼), the core of the
International Data Economy Industrial Park in Lingang, Shanghai. Areas are m² in EPSG:32651;
GeoJSON is EPSG:4326; the 3D scene is metres east/up/south of the recorded origin."""


def create_app(twin: Twin) -> FastAPI:
    """An application serving ``twin``."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        twin.fresh()  # opens the log, loads genesis into an empty one, folds the history
        heap.settle()  # full GC passes need not walk the campus and the projection again
        yield
        twin.close()
        heap.release()

    app = FastAPI(
        title="Flying Fish twin",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # /docs and /redoc: api.platform.docs_pages serves them without a CDN
        redoc_url=None,
    )
    app.state.twin = twin
    app.state.tour = (
        load_tour()
    )  # the guided tour: a bad tour.json stops the start, naming the step
    app.state.metrics = Metrics()
    app.state.live_streams = LiveStreams(
        lambda: twin.store.head(),
        per_client=twin.settings.sse_per_client,
        total=twin.settings.sse_total,
        interval_s=facilities_stream.POLL_S,
    )  # SSE caps and the one notifier of this process (docs/deploy.md, "Limits")
    app.state.render_gate = RenderGate(twin.settings.render_queue)  # render.png's bounded queue
    problems.install(app)
    openapi.install(app)
    limits = twin.settings
    # Outermost last: [proxy headers] -> request id -> security headers -> metrics -> rate
    # limit (and token check) -> body limits -> gzip -> routes: a refused client's body is
    # never read.
    app.add_middleware(GZipMiddleware, minimum_size=2048)
    app.add_middleware(
        BodyLimitMiddleware,
        max_bytes=limits.max_body_bytes,
        uploads={construction_evidence.PREFIX: construction_evidence.upload_limit(limits)},
    )
    app.add_middleware(
        RateLimitMiddleware,
        twin=twin,
        rate=limits.anon_rate,
        burst=limits.anon_burst,
        token_rate=limits.token_rate,
        token_burst=limits.token_burst,
    )
    app.add_middleware(MetricsMiddleware, metrics=app.state.metrics)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(RequestIdMiddleware)
    if limits.trusted_proxies:  # X-Forwarded-For names the client only behind these proxies
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=list(limits.trusted_proxies))
    # The busiest reads first: FastAPI tries routers in order, so every router before a route
    # costs each request to it a scan (no two routers share a path: the order is free).
    for router in (ogc.router, leasing_search.router):
        app.include_router(router)
    app.include_router(operations.router)
    for router in (health.router, campus.router, events.router, scene.router):
        app.include_router(router)
    app.include_router(scene_tiles.router)
    for router in (
        construction.router,
        construction_commands.router,
        construction_charts.router,
        construction_schedule.router,
        construction_schedule_charts.router,
        construction_evidence.router,
    ):
        app.include_router(router)
    for router in (
        scene_colors.router,
        scene_overlay.router,
        scene_render.router,
        scene_tour.router,
        scene_fact_page.router,
    ):
        app.include_router(router)
    for router in (
        facilities_work_orders.router,
        facilities.router,
        facilities_ops.router,
        facilities_stream.router,
        facilities_alarms.router,
        facilities_capacity.router,
    ):
        app.include_router(router)
    for router in (sensorthings.router, semantic.router):
        app.include_router(router)
    for router in (
        leasing.router,
        leasing_plans.router,
        leasing_kpis.router,
        leasing_economics.router,
        leasing_pipeline.router,
        leasing_brochure.router,
        leasing_spreadsheets.router,
        leasing_proposals.router,
    ):
        app.include_router(router)
    scene_web.mount(app)  # the browser client at /, three.js at /vendor/three
    docs_pages.mount(app)  # /docs and /redoc from npm packages, no CDN
    return app


def app_from_env() -> FastAPI:
    """An application from ``TWIN_*`` environment variables: the factory each worker process of
    ``twin serve --workers N`` calls (uvicorn ``factory=True``)."""
    from twin.settings import Settings

    return create_app(Twin(Settings.from_env()))
