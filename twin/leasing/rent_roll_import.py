"""Importing an existing rent roll from .xlsx or .csv: every row a lease, signed in one command.

All or nothing: every row is checked (unknown unit or tenant, overlapping leases, in the file
or in the ledger, a unit not ready at the lease's start by the construction forecast, missing
terms) and one refusal names every bad row's row, column and rule; only a file with no
problem is written, as one event batch. A row for a lease the ledger already has (its lease id,
or without one the same tenant, spaces and start) is unchanged when its end and the terms the
file has columns for are the lease's (an export imports back as a no-op), else a ``change``:
an amendment (``LeaseAmended``) of its end (an extension its spaces must be free for) and
money terms, listed old -> new. Another tenant, spaces or start on a lease's id is refused. A
dry run answers the same plan and writes nothing.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from assets.events import DomainEvent
from assets.history import State, local_day
from occupancy import ledger, tenants
from occupancy.agreements import Agreement, agreement_of, lease_stream
from occupancy.bookings import bookings
from occupancy.errors import BookingConflict, LeasingError, LeasingInvalid
from occupancy.ledger import AMENDABLE
from occupancy.rent_roll_rows import (
    FIELDS,
    Action,
    Change,
    ImportRefused,
    ImportRow,
    Problem,
    missing_columns,
    parse_row,
)
from occupancy.spaces import stream_of
from occupancy.status import NOT_READY, Readiness
from occupancy.terms import LeaseTerms, Step, current_rent
from twin import reducers
from twin.leasing.commands import execute_many, new_id
from twin.leasing.read import buildings_at, spaces_of
from twin.runtime import Twin

MAX_ROWS = 5000
LEASE_ID = re.compile(r"^L-[A-Z0-9-]{1,40}$")
LIVE = ("signed", "active")
"""Statuses of a lease a row may amend."""
RENT_TOLERANCE = 5e-5
"""A rent read back from a spreadsheet (4 decimals shown) that is the lease's."""


def read_table(name: str, data: bytes) -> tuple[list[str], list[tuple[int, dict[str, Any]]]]:
    """The header and the non-blank rows (spreadsheet row number, header -> cell) of an .xlsx
    (first sheet) or a UTF-8 .csv; ValueError for another kind of file or too many rows."""
    try:
        if name.lower().endswith(".xlsx"):
            from openpyxl import load_workbook

            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
        elif name.lower().endswith(".csv"):
            rows = [list(r) for r in csv.reader(io.StringIO(data.decode("utf-8-sig")))]
        else:
            raise ValueError(f"{name}: a rent roll is an .xlsx or a .csv file")
    except ValueError:
        raise
    except Exception as unreadable:  # a zip that is no workbook, NUL in a CSV...
        raise ValueError(f"{name}: not a readable spreadsheet ({unreadable})") from unreadable
    if not rows:
        raise ValueError(f"{name}: the file is empty")
    headers = [str(h).strip() if h is not None else "" for h in rows[0]]
    table = [
        (number, dict(zip(headers, r, strict=False)))
        for number, r in enumerate(rows[1:], start=2)
        if any(v is not None and str(v).strip() for v in r)
    ]
    if len(table) > MAX_ROWS:
        raise ValueError(f"{name}: {len(table)} rows, at most {MAX_ROWS}")
    return headers, table


def parse(
    headers: list[str], table: list[tuple[int, dict[str, Any]]], mapping: Mapping[str, str]
) -> tuple[list[ImportRow], list[Problem]]:
    """The rows read as leases, and the problems of the others' cells (:class:`ImportRefused`
    at once for a missing column)."""
    lacking = missing_columns(headers, mapping)
    if lacking:
        raise ImportRefused(
            [Problem(1, h, "a column", "the file has no such column") for h in lacking]
        )
    rows, problems = [], []
    for number, cells in table:
        found = parse_row(number, cells, mapping)
        if isinstance(found, list):
            problems += found
        else:
            rows.append(found)
    seen: dict[str, int] = {}
    for r in rows:
        if r.lease is not None and not LEASE_ID.match(r.lease):
            problems.append(
                Problem(r.row, mapping["lease"], "a lease id", f"{r.lease!r} is not L-…")
            )
        elif r.lease is not None and r.lease in seen:
            problems.append(
                Problem(
                    r.row,
                    mapping["lease"],
                    "one row a lease",
                    f"{r.lease} is on row {seen[r.lease]} too",
                )
            )
        elif r.lease is not None:
            seen[r.lease] = r.row
    bad = {p.row for p in problems}
    return [r for r in rows if r.row not in bad], problems


def _fold(live: dict[str, State], made: list[DomainEvent]) -> None:
    """The states ``live`` as ``made`` leaves them (rows further down see earlier rows)."""
    for e in made:
        live[e.stream] = reducers.apply(live.get(e.stream, {}), e.type, e.data, e.effective_at)


class _Planner:
    """Checks each row in turn against the ledger and the rows before it."""

    def __init__(
        self,
        twin: Twin,
        parsed: tuple[list[ImportRow], list[Problem]],
        mapping: Mapping[str, str],
        columns: frozenset[str] = frozenset(FIELDS),
    ) -> None:
        self.twin, (self.rows, self.early), self.mapping = twin, parsed, mapping
        self.columns = columns
        self.ids = {r.row: r.lease or self._signed_as(r) or new_id("lease") for r in self.rows}
        self.ready: dict[str, Readiness] = buildings_at(twin.fresh(), twin, datetime.now(UTC))

    def _signed_as(self, r: ImportRow) -> str | None:
        """The signed or started lease of a row without a lease id: the one with its tenant,
        spaces and start (found in the ledger as it stands; checked again when deciding)."""
        cat = spaces_of(self.twin)
        if not r.spaces or r.spaces[0] not in cat:
            return None
        projection, now = self.twin.fresh(), datetime.now(UTC)
        for b in bookings(projection.latest(stream_of(r.spaces[0]))[0]):
            if b.kind != "lease" or (b.tenant, b.start) != (r.tenant, r.start):
                continue
            found = agreement_of(projection.latest(lease_stream(b.ref))[0], now)
            if found and found.status in LIVE and set(found.spaces) == set(r.spaces):
                return found.id
        return None

    def streams(self) -> list[str]:
        cat = spaces_of(self.twin)
        found = {lease_stream(i) for i in self.ids.values()}
        for r in self.rows:
            found.add(tenants.stream_of(r.tenant))
            found.update(stream_of(s) for s in r.spaces if s in cat)
        return sorted(found)

    def decide(
        self, states: Mapping[str, State], now: datetime
    ) -> tuple[list[Action], list[DomainEvent]]:
        """The plan and its events; :class:`ImportRefused` naming every problem."""
        live = dict(states)
        actions: list[Action] = []
        events: list[DomainEvent] = []
        problems: list[Problem] = list(self.early)
        row_of = {lease: row for row, lease in self.ids.items()}
        decided: dict[str, int] = {}
        for r in self.rows:
            lease_id = self.ids[r.row]
            if lease_id in decided:  # two rows without an id, found to be one lease
                message = f"{lease_id} is on row {decided[lease_id]} too"
                problems.append(self._problem(r, "lease", "one row a lease", message))
                continue
            decided[lease_id] = r.row
            found = agreement_of(live.get(lease_stream(lease_id), {}), now)
            if found is not None:
                amended = self._amend(r, found, live, now, row_of, problems)
                if amended is None:
                    continue
                action, made = amended
                _fold(live, made)
                events += made
                actions.append(action)
                continue
            made = self._check(r, lease_id, live, now, row_of, problems)
            _fold(live, made)
            if made:
                events += made
                actions.append(self._action(r, "add", lease_id))
        if problems:
            raise ImportRefused(sorted(problems, key=lambda p: p.row))
        return actions, events

    def _amend(
        self,
        r: ImportRow,
        found: Agreement,
        live: Mapping[str, State],
        now: datetime,
        row_of: Mapping[str, int],
        problems: list[Problem],
    ) -> tuple[Action, list[DomainEvent]] | None:
        """A row for a lease the ledger has: ``unchanged``, or a ``change`` (its amendment's
        events), or None with the problem recorded (another tenant, spaces or start is another
        lease; an extension into another booking)."""
        if (found.tenant, set(found.spaces), found.start) != (r.tenant, set(r.spaces), r.start):
            message = f"{found.id} is signed with other tenant, spaces or start"
            problems.append(self._problem(r, "lease", "a signed lease", message))
            return None
        money = self._amended_terms(found, r.terms, now)
        changes = ledger.amendment_changes(found, r.end, money)
        if not changes:
            return self._action(r, "unchanged", found.id), []
        try:
            made = ledger.amend_lease(
                found.id,
                found,
                end=r.end,
                money=money,
                catalog=spaces_of(self.twin),
                spaces=live,
                now=now,
                provenance="imported",
            )
        except BookingConflict as clash:
            problems.append(self._overlap(r, "end", clash, row_of))
            return None
        except LeasingError as refused:
            problems.append(self._problem(r, "end", "refused", str(refused)))
            return None
        listed = tuple(Change(f, old, new) for f, (old, new) in changes.items())
        return replace(self._action(r, "change", found.id), changes=listed), made

    def _amended_terms(self, found: Agreement, row: LeaseTerms, now: datetime) -> LeaseTerms:
        """The lease's terms with those the file has columns for taken from the row (a column
        the file lacks changes nothing). The row's rent is the rent in force on the day of the
        import, as the rent roll's export writes it: another one scales the lease's rent
        schedule (its escalation kept) so that it is in force."""
        old = found.terms
        if old is None:
            return row
        taken = {f: getattr(row, f) for f in AMENDABLE[2:] if f in self.columns}
        if taken.get("escalation_percent", old.escalation_percent) != old.escalation_percent:
            taken |= {"escalation": row.escalation, "steps": ()}
        terms = replace(old, **taken)
        if "rent" not in self.columns:
            return terms
        in_force = current_rent(terms, found.start, date.fromisoformat(local_day(now)))
        if abs(in_force - row.rent) <= RENT_TOLERANCE:
            return terms
        if abs(in_force - terms.rent) <= RENT_TOLERANCE:  # the face rent is in force
            return replace(terms, rent=row.rent)
        ratio = row.rent / in_force
        steps = tuple(Step(s.year, round(s.rent * ratio, 6)) for s in terms.steps)
        return replace(terms, rent=round(terms.rent * ratio, 6), steps=steps)

    def _overlap(
        self, r: ImportRow, field: str, clash: BookingConflict, row_of: Mapping[str, int]
    ) -> Problem:
        refs = sorted(
            {
                f"row {row_of[c.ref]}" if c.ref in row_of else f"{c.kind} {c.ref}"
                for c in clash.clashes
            }
        )
        spaces = sorted({c.space for c in clash.clashes})
        message = f"{', '.join(spaces[:5])} taken by {', '.join(refs)}"
        return self._problem(r, field, "overlapping lease", message)

    def _check(
        self,
        r: ImportRow,
        lease_id: str,
        live: Mapping[str, State],
        now: datetime,
        row_of: Mapping[str, int],
        problems: list[Problem],
    ) -> list[DomainEvent]:
        cat = spaces_of(self.twin)
        unknown = [s for s in r.spaces if s not in cat]
        if unknown:
            problems.append(self._problem(r, "spaces", "unknown unit", ", ".join(unknown[:5])))
            return []
        buildings = sorted({cat.spaces[s].building for s in r.spaces})
        for b in buildings:
            ready = self.ready.get(b, NOT_READY)
            if not ready.ready_by(r.start):
                when = (
                    f"forecast in use from {ready.ready_on}"
                    if ready.ready_on
                    else "not forecast to be in use"
                )
                problems.append(
                    self._problem(
                        r, "start", "unit not ready at its start", f"{b} is {when}, after {r.start}"
                    )
                )
                return []
        in_use = {b: self.ready.get(b, NOT_READY).in_use for b in buildings}
        try:
            return ledger.sign_lease(
                lease_id,
                ledger.Terms(r.spaces, r.tenant, r.start, r.end),
                pre_lease=not all(in_use.values()),
                money=r.terms,
                hold=None,
                catalog=cat,
                spaces=live,
                tenant=live.get(tenants.stream_of(r.tenant), {}),
                in_use=in_use,
                now=now,
                provenance="imported",
            )
        except BookingConflict as clash:
            problems.append(self._overlap(r, "spaces", clash, row_of))
        except LeasingInvalid as bad:
            field = {"spaces": "spaces", "tenant": "tenant", "start": "start", "end": "end"}.get(
                bad.field, "rent"
            )
            rule = "unknown tenant" if bad.field == "tenant" else bad.field
            problems.append(self._problem(r, field, rule, bad.message))
        except LeasingError as refused:
            problems.append(self._problem(r, "spaces", "refused", str(refused)))
        return []

    def _problem(self, r: ImportRow, field: str, rule: str, message: str) -> Problem:
        return Problem(r.row, self.mapping[field], rule, message)

    @staticmethod
    def _action(r: ImportRow, action: str, lease_id: str) -> Action:
        return Action(
            r.row,
            action,
            lease_id,
            r.tenant,
            r.spaces,
            r.start,
            r.end,
            r.terms.rent,
            r.terms.rent_unit,
        )


def import_rent_roll(
    twin: Twin, name: str, data: bytes, mapping: Mapping[str, str], *, dry_run: bool, actor: str
) -> list[Action]:
    """Import the rent roll in file ``name`` (its bytes ``data``): the plan, row by row.

    Raises :class:`ImportRefused` (nothing written) naming each problem, ValueError for a file
    that is no rent roll at all."""
    headers, table = read_table(name, data)
    columns = frozenset(f for f, header in mapping.items() if header in headers)
    planner = _Planner(twin, parse(headers, table, mapping), mapping, columns)
    streams = planner.streams()
    if dry_run:
        projection = twin.fresh()
        now = datetime.now(UTC)
        return planner.decide({s: projection.latest(s)[0] for s in streams}, now)[0]
    planned: list[list[Action]] = []

    def decide(states: Mapping[str, State], now: datetime) -> list[DomainEvent]:
        actions, events = planner.decide(states, now)
        planned[:] = [actions]
        return events

    execute_many(twin, streams, decide, actor=actor)
    return planned[0] if planned else []
