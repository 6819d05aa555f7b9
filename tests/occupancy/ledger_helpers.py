"""A tiny in-memory ledger for the pure rule tests: fold events into stream states."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from assets.events import DomainEvent
from assets.history import State
from occupancy import ledger, tenants
from occupancy.agreements import agreement_of
from occupancy.reducers import REDUCERS
from occupancy.spaces import SpaceCatalog, stream_of
from occupancy.terms import LeaseTerms

NOW = datetime(2026, 3, 1, 9, tzinfo=UTC)
UNIT_A, UNIT_B, UNIT_C = (f"office-building/L03/U0{k}" for k in (1, 2, 3))


def money_for(cat: SpaceCatalog, ids: tuple[str, ...]) -> LeaseTerms:
    """Plain terms in the unit the spaces are let in."""
    if cat.spaces[ids[0]].kind == "rack":
        return LeaseTerms(6000.0, "cny_per_rack_month")
    return LeaseTerms(3.0, "cny_per_m2_day")


class Book:
    def __init__(self, spaces: SpaceCatalog) -> None:
        self.cat = spaces
        self.states: dict[str, State] = {}
        self.add(
            tenants.register(
                {}, "acme", "示例甲", "Sample Data Co. A", "platform", True, False, NOW
            )
        )
        self.add(
            tenants.register(
                {}, "beta", "示例乙", "Sample Data Co. B", "ecosystem", False, True, NOW
            )
        )

    def add(self, events: list[DomainEvent]) -> list[DomainEvent]:
        for e in events:
            reducer = REDUCERS[e.type]
            self.states[e.stream] = reducer(self.states.get(e.stream, {}), e.data, e.effective_at)
        return events

    def spaces(self, ids: tuple[str, ...]) -> dict[str, State]:
        return {stream_of(s): self.states.get(stream_of(s), {}) for s in ids}

    def hold(
        self,
        ref: str,
        ids: tuple[str, ...],
        start: date,
        end: date,
        *,
        tenant: str = "acme",
        now: datetime = NOW,
        days: int = 14,
    ) -> list[DomainEvent]:
        return self.add(
            ledger.place_hold(
                ref,
                ledger.Terms(ids, tenant, start, end),
                now + timedelta(days=days),
                catalog=self.cat,
                spaces=self.spaces(ids),
                tenant=self.states.get(f"tenant:{tenant}", {}),
                now=now,
            )
        )

    def sign(
        self,
        ref: str,
        ids: tuple[str, ...],
        start: date,
        end: date,
        *,
        hold: str | None = None,
        pre_lease: bool = True,
        in_use: bool = False,
        tenant: str = "acme",
        now: datetime = NOW,
    ) -> list[DomainEvent]:
        found = agreement_of(self.states.get(f"hold:{hold}", {}), now) if hold else None
        return self.add(
            ledger.sign_lease(
                ref,
                ledger.Terms(ids, tenant, start, end),
                pre_lease=pre_lease,
                money=money_for(self.cat, ids),
                hold=found,
                catalog=self.cat,
                spaces=self.spaces(ids),
                tenant=self.states.get(f"tenant:{tenant}", {}),
                in_use={b: in_use for b in self.cat.by_building},
                now=now,
            )
        )

    def agreement(self, stream: str, now: datetime = NOW):  # type: ignore[no-untyped-def]
        return agreement_of(self.states.get(stream, {}), now)
