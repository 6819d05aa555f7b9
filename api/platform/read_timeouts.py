"""Read timeouts for uvicorn: a client gets ``header_s`` seconds to send a request's headers and
``body_s`` more for its body, else 408 (or, once an answer has started, the connection closes).

uvicorn itself only times out idle keep-alive connections *after* a response: a client that
connects and sends nothing, or trickles header lines or body bytes, holds its connection (and
the memory of a body buffered so far) for as long as it likes. :class:`TimedH11Protocol` is
uvicorn's h11 protocol with one timer per connection, armed when a request's first byte (or the
connection) arrives, re-armed for the body when the headers are in, and cancelled when the
request has been read. ``twin serve`` passes it as ``http=`` (see :func:`timed_http`).
"""

from __future__ import annotations

import asyncio
import functools
from typing import Any, cast

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from api.problems import problem_bytes

_READING = (h11.IDLE, h11.SEND_BODY)
"""h11 states of the client while its request is still coming in."""


class TimedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with header and body read timeouts, seconds (0: none)."""

    def __init__(self, *args: Any, header_s: float, body_s: float, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.header_s, self.body_s = header_s, body_s
        self._timer: asyncio.TimerHandle | None = None
        self._timing: Any = None  # the h11 state the timer is for

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._follow()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self._follow()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self.conn.their_state is h11.IDLE and not self.conn.trailing_data[0]:
            self._disarm()  # waiting for another request: uvicorn's keep-alive timeout applies

    def _follow(self) -> None:
        """Arm, re-arm or disarm the timer for the state the client's request is in."""
        state = self.conn.their_state
        if state not in _READING or self.transport.is_closing():
            self._disarm()
        elif state is not self._timing:
            self._disarm()
            seconds = self.header_s if state is h11.IDLE else self.body_s
            if seconds > 0:
                self._timing = state
                self._timer = self.loop.call_later(seconds, self._timed_out)

    def _disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer, self._timing = None, None

    def _timed_out(self) -> None:
        part = "headers" if self._timing is h11.IDLE else "body"
        seconds = self.header_s if self._timing is h11.IDLE else self.body_s
        self._timer, self._timing = None, None
        if self.transport.is_closing():
            return
        cycle = self.cycle if part == "body" else None
        if cycle is None or not cycle.response_started:
            body = problem_bytes(408, f"the request's {part} did not arrive within {seconds:g} s")
            self.transport.write(
                b"HTTP/1.1 408 Request Timeout\r\ncontent-type: application/problem+json\r\n"
                b"content-length: %d\r\nconnection: close\r\n\r\n%s" % (len(body), body)
            )
        if cycle is not None:
            cycle.disconnected = True  # the app's later writes go nowhere
        self.transport.close()


def timed_http(header_s: float, body_s: float) -> type[asyncio.Protocol]:
    """The ``http=`` protocol for :func:`uvicorn.run` or :class:`uvicorn.Config` (picklable, for
    worker processes)."""
    factory = functools.partial(TimedH11Protocol, header_s=header_s, body_s=body_s)
    return cast(type[asyncio.Protocol], factory)
