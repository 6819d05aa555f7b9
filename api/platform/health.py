"""Liveness."""

from __future__ import annotations

from fastapi import APIRouter

from api.schemas import Health

router = APIRouter(tags=["operations"])


@router.get("/health", operation_id="health", summary="The process is alive")
def health() -> Health:
    """Answers ``{"status": "ok"}`` while the process serves requests."""
    return Health(status="ok")
