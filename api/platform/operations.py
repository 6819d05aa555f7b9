"""Operations: readiness and Prometheus metrics."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from api.deps import TwinDep
from api.problems import problem, problem_responses
from api.schemas import Health

router = APIRouter(tags=["operations"])


@router.get(
    "/ready",
    operation_id="ready",
    summary="The instance can serve current data",
    responses=problem_responses(described={503: "Database unreachable or projection behind"}),
)
def ready(twin: TwinDep) -> Response:
    """200 when the database answers and this instance has folded in every event; 503 (problem+json)
    otherwise, saying which."""
    try:
        head = twin.store.head()
    except Exception:
        return problem(503, "the database does not answer")
    behind = head - twin.fresh().head
    if behind > 0:
        return problem(503, f"the projection is {behind} events behind the log")
    return Response(Health(status="ready").model_dump_json(), media_type="application/json")


@router.get(
    "/metrics",
    operation_id="metrics",
    summary="Prometheus metrics",
    response_class=Response,
    responses={200: {"content": {"text/plain": {}}}},
)
def metrics(request: Request, twin: TwinDep) -> Response:
    """Requests by route and status, latency histograms, the event log's head and this instance's
    lag behind it, ingestion counts, in the Prometheus text format."""
    m = request.app.state.metrics
    head = twin.store.head()
    m.log_head.set(head)
    m.lag.set(max(0, head - twin.projection.head))
    return Response(generate_latest(m.registry), media_type=CONTENT_TYPE_LATEST)
