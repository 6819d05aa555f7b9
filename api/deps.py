"""Request dependencies: the running twin, taken from the application state."""

from __future__ import annotations

from fastapi import Request

from twin.runtime import Twin


def get_twin(request: Request) -> Twin:
    """The :class:`Twin` this application serves."""
    twin: Twin = request.app.state.twin
    return twin
