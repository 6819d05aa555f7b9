"""A bounded queue for server-side renders: one draws (VTK draws one picture at a time in a
process), ``queue`` more wait their turn, and any beyond are refused at once (503 with
Retry-After) instead of piling up.

16 requests for 2400×1600 pictures used to wait in line for as long as it took (the last 66 s)
and took the server from 1.5 to 4.3 GB, which it kept: each worker thread leaves its own malloc
arena full. When the last render of a burst is done, the gate hands freed memory back to the
system (:func:`twin.heap.trim`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from fastapi import Request
from fastapi.responses import JSONResponse

from api.problems import problem
from twin import heap

RETRY_AFTER_S = 2
"""Seconds a refused client is told to wait: about one large render."""


class RenderBusy(Exception):
    """Every render place and queue place is taken."""


class RenderGate:
    """One render at a time and at most ``queue`` waiting, per process."""

    def __init__(self, queue: int):
        self.queue = max(queue, 0)
        self._turn = threading.Lock()
        self._lock = threading.Lock()
        self._admitted = 0

    @contextmanager
    def turn(self) -> Iterator[None]:
        """Wait for a turn to render (in a worker thread) and hold it while the block runs.

        Raises
        ------
        RenderBusy
            At once, when a render is drawing and ``queue`` are waiting."""
        with self._lock:
            if self._admitted > self.queue:
                raise RenderBusy(
                    f"one render is drawing and {self.queue} waiting; retry in {RETRY_AFTER_S} s"
                )
            self._admitted += 1
        try:
            with self._turn:
                yield
        finally:
            with self._lock:
                self._admitted -= 1
                last = self._admitted == 0
            if last:
                heap.trim()


def gated(request: Request, draw: Callable[[], bytes]) -> bytes | JSONResponse:
    """``draw()`` in the app's render gate's turn; a 503 problem (with Retry-After) when the
    queue is full or offscreen rendering is unavailable."""
    gate: RenderGate = request.app.state.render_gate
    try:
        with gate.turn():
            return draw()
    except RenderBusy as busy:
        answer = problem(503, f"the render queue is full: {busy}")
        answer.headers["Retry-After"] = str(RETRY_AFTER_S)
        return answer
    except RuntimeError as exc:
        return problem(503, str(exc))
