"""Sample leasing history to 2024-09-12, shaped by the published facts.

Every tenant and lease here is SAMPLE DATA (``provenance: "sample"``): the sources publish
counts and shares, never who leased what. Names are invented ("Sample Data Co. 1") and are
never those of real companies. What the facts fix:

- S5: 25 enterprises signed in at the unveiling on 2023-10-27; F9: more than 40 by 2024-09
  (42 here), of three categories (platform, ecosystem, international cooperation);
- F7: the office building 70-80 % signed by 2024-09 while its fit-out starts, so those are
  pre-leases starting with its planned operation (2025-04-01);
- the service centre (F8), in use since 2023-10-27, houses part of the first batch.

Rents and every other money term (:mod:`occupancy.terms`) are invented too: no source gives
them. They sit in the range of the local convention (元/㎡/天 for offices, 元 per rack per
month) and carry ``provenance: "sample"`` like everything else here, as do the ten sample
prospects of the deal pipeline (:data:`SAMPLE_PROSPECTS`, enquiries of 2024).

Most sample tenants do not consent to be named in public. Every command goes through the
ledger's own rules (:mod:`occupancy.ledger`), folding the state as it goes.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from assets import history
from assets.campus import Campus
from assets.events import DomainEvent
from assets.genesis import genesis_events as campus_events
from assets.history import CAMPUS_TZ, State
from occupancy import ledger, pipeline, tenants
from occupancy.agreements import agreement_of
from occupancy.reducers import REDUCERS
from occupancy.spaces import SpaceCatalog, build_catalog, stream_of
from occupancy.status import readiness
from occupancy.terms import LeaseTerms, Step

TENANTS = 42
FIRST_BATCH = 25
UNVEILING = date(2023, 10, 27)
ARTICLE = date(2024, 9, 12)
OFFICE = "office-building"
OFFICE_SIGNED_SHARE = 0.75
"""F7: 70-80 % of the office building signed by 2024-09; the sample aims at the middle."""
OFFICE_TERM = (date(2025, 4, 1), date(2030, 4, 1))
SERVICE = "service-centre"
BLOCK_SIZES = (9, 3, 6, 4, 2, 5, 9, 3, 2, 4)
"""Units per office lease, in turn (9 is a whole floor of the office building)."""


def _at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=CAMPUS_TZ)


def _apply(state: State, e: DomainEvent) -> State:
    reducer = REDUCERS.get(e.type) or history.REDUCERS.get(e.type)
    return reducer(state, e.data, e.effective_at) if reducer else state


class _Book:
    """The events so far and the state they fold to (a tiny in-memory projection)."""

    def __init__(self, campus: Campus, cat: SpaceCatalog) -> None:
        self.campus, self.cat = campus, cat
        self.timeline = sorted(campus_events(campus), key=lambda e: e.effective_at)
        self.events: list[DomainEvent] = []
        self.states: dict[str, State] = {}

    def add(self, events: list[DomainEvent], facts: tuple[str, ...] = ()) -> None:
        events = [
            DomainEvent(
                e.stream,
                e.type,
                e.effective_at,
                {**e.data, "facts": list(facts), "provenance": "sample"},
            )
            for e in events
        ]
        for e in events:
            self.states[e.stream] = _apply(self.states.get(e.stream, {}), e)
        self.events += events

    def in_use(self, now: datetime) -> dict[str, bool]:
        buildings: dict[str, State] = {}
        for e in self.timeline:
            if e.effective_at <= now:
                buildings[e.stream] = history.apply(
                    buildings.get(e.stream, {}), e.type, e.data, e.effective_at
                )
        return {
            b: readiness(buildings.get(f"building:{b}", {})).in_use for b in self.campus.buildings
        }

    def spaces(self, ids: tuple[str, ...]) -> Mapping[str, State]:
        return {stream_of(s): self.states.get(stream_of(s), {}) for s in ids}


def _tenant_rows() -> list[tuple[str, str, str, str, bool, bool, date]]:
    rows = []
    for k in range(1, TENANTS + 1):
        category = ("ecosystem", "platform", "ecosystem", "international_cooperation")[k % 4]
        # the first batch at the unveiling, the others over the months to the article
        day = UNVEILING + timedelta(days=max(0, k - FIRST_BATCH) * 18)
        rows.append(
            (
                f"sample-{k:02d}",
                f"示例数据公司{k}",
                f"Sample Data Co. {k}",
                category,
                k % 3 == 1,  # head enterprise (F2 target: 100 by 2025)
                k % 5 == 0,  # consents to be named in public
                day,
            )
        )
    return rows


def _office_floors(cat: SpaceCatalog) -> list[list[str]]:
    """Unit ids of the office building's floors, top floor first (the ground floor and the
    first floor hold the building's infrastructure space, F7)."""
    floors = [f for f, level in cat.floors(OFFICE) if level > 2]
    return [[s.id for s in cat.on_floor(f)] for f in reversed(floors)]


def _sign(
    book: _Book, lease_id: str, units: list[str], tenant: str, day: date, **extra: Any
) -> None:
    now = _at(day)
    start, end = extra.pop("term")
    terms = ledger.Terms(tuple(units), tenant, start, end)
    book.add(
        ledger.sign_lease(
            lease_id,
            terms,
            pre_lease=extra.pop("pre_lease"),
            money=extra.pop("money"),
            hold=None,
            catalog=book.cat,
            spaces=book.spaces(terms.spaces),
            tenant=book.states.get(tenants.stream_of(tenant), {}),
            in_use=book.in_use(now),
            now=now,
            provenance="sample",
        ),
        extra.pop("facts"),
    )


def _office_leases(book: _Book, names: list[str], registered: Mapping[str, date]) -> None:
    total = sum(book.cat.spaces[u].area_m2 for f in _office_floors(book.cat) for u in f)
    total += sum(
        s.area_m2 for s in book.cat.spaces.values() if s.building == OFFICE and s.level <= 2
    )
    queue = [u for floor in _office_floors(book.cat) for u in floor]
    signed, n = 0.0, 0
    while queue and signed < OFFICE_SIGNED_SHARE * total - 60:
        size = BLOCK_SIZES[n % len(BLOCK_SIZES)]
        units, queue = queue[:size], queue[size:]
        day = min(UNVEILING + timedelta(days=n * 10), ARTICLE - timedelta(days=7))
        _sign(
            book,
            f"L-S{n + 1:04d}",
            units,
            names[n % len(names)],
            day,
            term=OFFICE_TERM,
            pre_lease=True,
            money=LeaseTerms(
                rent=round(2.8 + (n * 0.23) % 1.2, 2),
                rent_unit="cny_per_m2_day",
                rent_free_months=3,
                escalation="fixed",
                escalation_percent=3.0,
                deposit_months=3,
                service_charge_cny_per_m2_month=25.0,
                provenance="sample",
            ),
            facts=("F7",),
        )
        signed += sum(book.cat.spaces[u].area_m2 for u in units)
        n += 1
    # two live holds on the day of the article (they lapse two weeks later)
    for k, size in enumerate((2, 3)):
        units, queue = queue[:size], queue[size:]
        now = _at(ARTICLE - timedelta(days=5 - k))
        book.add(
            ledger.place_hold(
                f"H-S{k + 1:04d}",
                ledger.Terms(tuple(units), names[-1 - k], *OFFICE_TERM),
                now + timedelta(days=21),
                catalog=book.cat,
                spaces=book.spaces(tuple(units)),
                tenant=book.states.get(tenants.stream_of(names[-1 - k]), {}),
                now=now,
                provenance="sample",
                proposal=LeaseTerms(
                    rent=3.3, rent_unit="cny_per_m2_day", rent_free_months=2, provenance="sample"
                )
                if k == 0
                else None,
            ),
            ("F7",),
        )


def _service_leases(book: _Book, names: list[str]) -> None:
    units = [s.id for s in book.cat.spaces.values() if s.building == SERVICE]
    for k, tenant in enumerate(names[:18]):
        _sign(
            book,
            f"L-S{900 + k:04d}",
            units[k : k + 1],
            tenant,
            UNVEILING,
            term=(UNVEILING, date(2026, 10, 27)),
            pre_lease=False,
            money=LeaseTerms(
                rent=2.0, rent_unit="cny_per_m2_day", deposit_months=2, provenance="sample"
            ),
            facts=("F8", "S5"),
        )
        lease = agreement_of(book.states[f"lease:L-S{900 + k:04d}"], _at(UNVEILING))
        book.add(
            ledger.start_lease(
                f"L-S{900 + k:04d}",
                lease,
                catalog=book.cat,
                in_use=book.in_use(_at(UNVEILING, 12)),
                now=_at(UNVEILING, 12),
            ),
            ("F8", "S5"),
        )


def _rack_lease(book: _Book, tenant: str) -> None:
    racks = [s.id for s in book.cat.spaces.values() if s.group.endswith("/H1")][:100]
    _sign(
        book,
        "L-S0500",
        racks,
        tenant,
        date(2024, 6, 18),
        term=(date(2026, 4, 1), date(2031, 4, 1)),
        pre_lease=True,
        money=LeaseTerms(
            rent=6000.0,
            rent_unit="cny_per_rack_month",
            rent_free_months=1,
            escalation="stepped",
            steps=(Step(3, 6300.0),),
            deposit_months=2,
            provenance="sample",
        ),
        facts=("F6",),
    )


SAMPLE_PROSPECTS = (  # id, office m² (0: racks), racks, enquiry day, later steps (days after)
    ("sample-prospect-01", 600, 0, date(2024, 3, 4), (("tour", 9), ("proposal", 30))),
    ("sample-prospect-02", 1200, 0, date(2024, 3, 18), (("tour", 6), ("lost", 40))),
    ("sample-prospect-03", 0, 40, date(2024, 4, 2), (("tour", 14), ("proposal", 35))),
    ("sample-prospect-04", 300, 0, date(2024, 4, 22), (("tour", 5),)),
    ("sample-prospect-05", 800, 0, date(2024, 5, 6), (("lost", 12),)),
    ("sample-prospect-06", 450, 0, date(2024, 5, 27), (("tour", 10), ("proposal", 24))),
    ("sample-prospect-07", 2000, 0, date(2024, 6, 17), (("tour", 8), ("proposal", 41))),
    ("sample-prospect-08", 150, 0, date(2024, 7, 8), ()),
    ("sample-prospect-09", 0, 20, date(2024, 7, 29), (("tour", 12), ("lost", 30))),
    ("sample-prospect-10", 900, 0, date(2024, 8, 19), (("tour", 7),)),
)
"""Invented prospects (nothing is published about who enquired): the pipeline's sample."""
LOST_REASONS = ("chose another park", "price", "timing")
PROSPECT_FACTS = ("F9",)
"""The enterprises moving in through 2024 (F9) the sample pipeline leads to; like every genesis
event, written only into a dataset that carries that fact."""


def _prospects(book: _Book) -> None:
    for n, (pid, area, racks, day, steps) in enumerate(SAMPLE_PROSPECTS):
        stream = pipeline.prospect_stream(pid)
        need = pipeline.Requirement(
            "rack" if racks else "office",
            float(area) if area else None,
            racks or None,
            date(2025, 6 + n % 6, 1),
            None if racks else round(2.6 + 0.1 * n, 2),
        )
        contact = {"name": f"Sample Contact {n + 1}", "email": None, "phone": None}
        book.add(
            pipeline.register(
                {},
                {},
                pid,
                f"Sample Prospect Co. {n + 1}",
                contact,
                need,
                by="sample",
                now=_at(day),
            )
        )
        for stage, after in steps:
            now = _at(day + timedelta(days=after))
            found = pipeline.prospect_of(book.states[stream])
            if stage == "lost":
                reason = LOST_REASONS[n % len(LOST_REASONS)]
                book.add(pipeline.lose(pid, found, reason, by="sample", now=now), PROSPECT_FACTS)
            else:
                book.add(pipeline.advance(pid, found, stage, by="sample", now=now), PROSPECT_FACTS)


def genesis_events(campus: Campus) -> list[DomainEvent]:
    """The sample leasing history, in effective-time order."""
    book = _Book(campus, build_catalog(campus))
    rows = _tenant_rows()
    for tid, zh, en, category, head, public, day in rows:
        book.add(
            tenants.register(
                {}, tid, zh, en, category, head, public, _at(day, 9), provenance="sample"
            ),
            ("S5",) if day == UNVEILING else ("F9",),
        )
    names = [r[0] for r in rows]
    if SERVICE in campus.buildings:  # a dataset without them (twin synth) has no such leases
        _service_leases(book, names)
    if OFFICE in campus.buildings:
        _office_leases(book, names[FIRST_BATCH - 7 :], {r[0]: r[6] for r in rows})
    if any(s.kind == "rack" for s in book.cat.spaces.values()):
        _rack_lease(book, names[1])
    _prospects(book)
    return sorted(book.events, key=lambda e: e.effective_at)
