"""Live streams (Server-Sent Events) of one process: how many are open, per client address and
in all, and one notifier that watches the event log's head for all of them.

Before, each stream read the database four times a second: 200 idle streams took a whole core.
Now one background task reads the log's head every ``interval_s`` while any stream is open
(one cheap query, whatever the number of streams) and wakes the streams when it moves; each
then reads its own events once.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress

from starlette.concurrency import run_in_threadpool
from starlette.types import Scope

RETRY_AFTER_S = 5
"""Seconds a refused client is told to wait before it tries again."""


def client_address(scope: Scope) -> str:
    """The address a stream is counted against: the connection's peer, or the client that a
    trusted proxy names (``TWIN_TRUSTED_PROXIES``: uvicorn's proxy-headers middleware, the
    outermost in :mod:`api.app`, has put it in the scope by then)."""
    return str((scope.get("client") or ("unknown", 0))[0])


class StreamRefused(Exception):
    """Too many streams: ``status`` 429 (this client) or 503 (this process)."""

    def __init__(self, status: int, detail: str):
        super().__init__(detail)
        self.status, self.detail = status, detail


class LogHeadNotifier:
    """Reads the log's head every ``interval_s`` s while anyone listens; wakes them when it moves.

    Parameters
    ----------
    head : callable
        The log's last sequence number (a blocking database read; run in a thread).
    interval_s : float
        Seconds between two reads of the head.
    """

    def __init__(self, head: Callable[[], int], interval_s: float):
        self._read_head, self.interval_s = head, interval_s
        self.head = -1
        self._moved = asyncio.Event()
        self._listeners = 0
        self._task: asyncio.Task[None] | None = None

    @asynccontextmanager
    async def listening(self) -> AsyncIterator[LogHeadNotifier]:
        """Count a listener in while the block runs; the watch runs while there is one."""
        self._listeners += 1
        if self._task is None or self._task.done():
            self.head = await run_in_threadpool(self._read_head)
            self._task = asyncio.get_running_loop().create_task(self._watch())
        try:
            yield self
        finally:
            self._listeners -= 1

    async def wait(self, seen: int, timeout: float) -> int:
        """The head once it is past ``seen``, or after ``timeout`` s, whichever is first."""
        if self.head <= seen:
            moved = self._moved
            with suppress(TimeoutError):
                await asyncio.wait_for(moved.wait(), timeout)
        return self.head

    async def _watch(self) -> None:
        while self._listeners > 0:
            await asyncio.sleep(self.interval_s)
            try:
                head = await run_in_threadpool(self._read_head)
            except Exception:  # the database is away: streams wait, /ready says why
                continue
            if head != self.head:
                self.head, moved, self._moved = head, self._moved, asyncio.Event()
                moved.set()


class LiveStreams:
    """The open streams of a process, capped ``per_client`` per client address and ``total``."""

    def __init__(self, head: Callable[[], int], per_client: int, total: int, interval_s: float):
        self.per_client, self.total = per_client, total
        self.notifier = LogHeadNotifier(head, interval_s)
        self._open: Counter[str] = Counter()

    def admit(self, scope: Scope) -> Callable[[], None]:
        """Count a stream of the request ``scope`` in; the function that counts it out (once).

        Raises
        ------
        StreamRefused
            When the client or the process has as many streams open as it may."""
        client = client_address(scope)
        if sum(self._open.values()) >= self.total:
            raise StreamRefused(
                503, f"this server has its {self.total} live streams open; poll, or retry later"
            )
        if self._open[client] >= self.per_client:
            raise StreamRefused(
                429,
                f"a client may have {self.per_client} live streams open at once; close one first",
            )
        self._open[client] += 1
        released = False

        def release() -> None:
            nonlocal released
            if not released:
                released = True
                self._open[client] -= 1
                if not self._open[client]:
                    del self._open[client]

        return release
