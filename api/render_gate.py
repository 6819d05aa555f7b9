"""A bounded queue for server-side renders: ``concurrency`` draw at once, ``queue`` more wait
their turn, and any beyond are refused at once (503 with Retry-After) instead of piling up.

A 2400×1600 render holds a few hundred MB while it draws; 16 at once used to take the server
from 1.5 to 4.3 GB, and it kept that memory. When the last render of a burst is done, the gate
hands freed memory back to the system (:func:`twin.heap.trim`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from twin import heap

RETRY_AFTER_S = 2
"""Seconds a refused client is told to wait: about one large render."""


class RenderBusy(Exception):
    """Every render place and queue place is taken."""


class RenderGate:
    """At most ``concurrency`` renders at once and ``queue`` waiting, per process."""

    def __init__(self, concurrency: int, queue: int):
        self.concurrency, self.queue = max(concurrency, 1), max(queue, 0)
        self._turns = threading.Semaphore(self.concurrency)
        self._lock = threading.Lock()
        self._admitted = 0

    @contextmanager
    def turn(self) -> Iterator[None]:
        """Wait for a turn to render (in a worker thread) and hold it while the block runs.

        Raises
        ------
        RenderBusy
            At once, when ``concurrency + queue`` renders are already drawing or waiting."""
        with self._lock:
            if self._admitted >= self.concurrency + self.queue:
                raise RenderBusy(
                    f"{self.concurrency} render(s) are drawing and {self.queue} waiting; "
                    f"retry in {RETRY_AFTER_S} s"
                )
            self._admitted += 1
        try:
            with self._turns:
                yield
        finally:
            with self._lock:
                self._admitted -= 1
                last = self._admitted == 0
            if last:
                heap.trim()
