"""Request dependencies: the running twin, taken from the application state."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from twin.runtime import Twin


async def get_twin(request: Request) -> Twin:
    """The :class:`Twin` this application serves (async: a plain attribute read, so FastAPI
    need not hand it to a worker thread)."""
    twin: Twin = request.app.state.twin
    return twin


TwinDep = Annotated[Twin, Depends(get_twin)]
"""An endpoint parameter ``twin: TwinDep`` receives the running :class:`Twin`."""
