"""Prometheus metrics: requests by route and status, latency histograms, the event log's head
and this instance's lag behind it. Served at ``/metrics``."""

from __future__ import annotations

import time
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
"""Methods counted by name; any other is counted as ``OTHER`` (a bounded label set)."""
LATENCY_BUCKETS_S = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)


class Metrics:
    """The metrics of one application (its own registry, so apps in one process don't mix)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "twin_http_requests_total",
            "HTTP requests by route and status",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "twin_http_request_seconds",
            "HTTP request latency (s) by route",
            ["method", "route"],
            buckets=LATENCY_BUCKETS_S,
            registry=self.registry,
        )
        self.log_head = Gauge(
            "twin_eventlog_head", "Last sequence number in the event log", registry=self.registry
        )
        self.lag = Gauge(
            "twin_projection_lag_events",
            "Events this instance has not folded in yet",
            registry=self.registry,
        )
        self.ingested = Counter(
            "twin_ingested_total",
            "Readings ingested, by outcome",
            ["source", "outcome"],
            registry=self.registry,
        )


class MetricsMiddleware:
    """Counts and times every HTTP request by its route template (not its raw path) and its
    method (unknown methods folded into ``OTHER``), so the series stay bounded."""

    def __init__(self, app: ASGIApp, metrics: Metrics):
        self.app, self.metrics = app, metrics
        self._children: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def observed(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, observed)
        finally:
            route = getattr(scope.get("route"), "path", None) or "unmatched"
            method = scope["method"] if scope["method"] in KNOWN_METHODS else "OTHER"
            key = (method, route, status)
            children = self._children.get(key)
            if children is None:  # labels() validates and locks: look each series up once
                children = self._children[key] = (
                    self.metrics.requests.labels(method, route, str(status)),
                    self.metrics.latency.labels(method, route),
                )
            children[0].inc()
            children[1].observe(time.perf_counter() - started)
