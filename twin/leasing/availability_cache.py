"""Availability answers kept while they are provably still the answer.

A search at ``at`` is a pure function of: the space catalogue (one per campus version), the
streams' states at ``at``, the campus-local day of ``at``, which holds have expired by ``at``
and the query. So an answer stays right for every ``at'`` that

- sees the same log (the projection's head has not moved),
- falls between the same two event instants (no event of any stream takes effect between
  ``at`` and ``at'``: the states are the same),
- is on the same campus day, and
- is on the same side of every hold's expiry (holds lapse by the clock, not by an event).

:class:`AvailabilityCache` keeps recent answers with that window and hands one back only
inside it; anything else is searched afresh. A new event anywhere, a day rolling over or a hold
lapsing ends the window, so a cached answer is never stale: it is the answer.
"""

from __future__ import annotations

import bisect
import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from assets.clock import local_date
from assets.history import State
from occupancy.availability import Availability, AvailabilityQuery
from occupancy.spaces import SpaceCatalog
from occupancy.status import utc_text
from twin.projection import Projection

ANSWERS = 32
"""Answers kept (least recently used dropped first). An answer holds one match per space
found (a search of all 20,000 units of a large campus: about 3 MB)."""
LAST_EXPIRY, NO_EXPIRY = "", "\uffff"
"""Text bounds of the hold-expiry window when no hold expired before / none expires after."""


@dataclass(frozen=True)
class _Answer:
    """One search's answer and the window of instants it holds for."""

    result: Availability
    catalog: SpaceCatalog
    head: int
    lapsed_by: str
    """The latest hold expiry at or before the search's instant (UTC text, :func:`utc_text`)."""
    lapses_at: str
    """The first hold expiry after it: from then on a hold counted as live has lapsed."""


def hold_window(space_states: Mapping[str, State], now: str) -> tuple[str, str]:
    """(latest expiry <= ``now``, first expiry > ``now``) over every hold in ``space_states``,
    as the UTC texts :func:`occupancy.status.classify` compares (``now``: :func:`utc_text`)."""
    before, after = LAST_EXPIRY, NO_EXPIRY
    for state in space_states.values():
        for raw in (state.get("bookings") or {}).values():
            if raw.get("kind") != "hold" or raw.get("released"):
                continue
            expires = raw.get("expires_at")
            if not isinstance(expires, str):
                continue
            if expires <= now:
                before = max(before, expires)
            else:
                after = min(after, expires)
    return before, after


class _EventTimes:
    """The effective instants of every event the projection holds, sorted; rebuilt when its
    head moves (once per new batch of events, not per search)."""

    def __init__(self) -> None:
        self.head = -1
        self.times: list[float] = []

    def around(self, projection: Projection, at: datetime) -> tuple[float, float]:
        """(latest event instant <= ``at``, first after it) as POSIX timestamps, s; -inf/inf
        when there is none. The states at every instant in between are the same."""
        if projection.head != self.head:
            head = projection.head
            self.times = sorted(e.effective_at.timestamp() for e in projection.events(""))
            self.head = head
        i = bisect.bisect_right(self.times, at.timestamp())
        before = self.times[i - 1] if i else -math.inf
        after = self.times[i] if i < len(self.times) else math.inf
        return before, after


Search = Callable[
    [Projection, SpaceCatalog, datetime, AvailabilityQuery],
    tuple[Availability, Mapping[str, State]],
]
"""A search at an instant: its answer and the space states it was found from."""


class AvailabilityCache:
    """Recent availability answers of one twin, each reused only inside its window
    (thread-safe; a search runs outside the lock)."""

    def __init__(self, size: int = ANSWERS):
        self._size = size
        self._lock = threading.Lock()
        self._times = _EventTimes()
        self._answers: OrderedDict[tuple[object, ...], _Answer] = OrderedDict()

    def kept(
        self, projection: Projection, catalog: SpaceCatalog, at: datetime, query: AvailabilityQuery
    ) -> Availability | None:
        """The kept answer whose window holds ``at``, or None (never searches)."""
        with self._lock:
            found = self._answers.get(self._key(projection, at, query))
            if found is None or not self._holds(found, projection, catalog, utc_text(at)):
                return None
            return found.result

    def get(
        self,
        projection: Projection,
        catalog: SpaceCatalog,
        at: datetime,
        query: AvailabilityQuery,
        search: Search,
    ) -> Availability:
        """The answer at ``at``: a kept one whose window holds ``at``, else ``search``'s."""
        now = utc_text(at)
        with self._lock:
            head = projection.head
            key = self._key(projection, at, query)
            found = self._answers.get(key)
            if found is not None and self._holds(found, projection, catalog, now):
                self._answers.move_to_end(key)
                return found.result
        result, states = search(projection, catalog, at, query)
        if projection.head != head:  # the log moved on while searching: do not keep it
            return result
        answer = _Answer(result, catalog, head, *hold_window(states, now))
        with self._lock:
            self._answers[key] = answer
            self._answers.move_to_end(key)
            while len(self._answers) > self._size:
                self._answers.popitem(last=False)
        return result

    def _key(
        self, projection: Projection, at: datetime, query: AvailabilityQuery
    ) -> tuple[object, ...]:
        """The query, the campus day and the event instants around ``at`` (call locked)."""
        return (query, local_date(at), *self._times.around(projection, at))

    @staticmethod
    def _holds(found: _Answer, projection: Projection, catalog: SpaceCatalog, now: str) -> bool:
        """Whether a kept answer (of the same query, day and events) is still the answer."""
        return (
            found.head == projection.head
            and found.catalog is catalog
            and found.lapsed_by <= now < found.lapses_at
        )
