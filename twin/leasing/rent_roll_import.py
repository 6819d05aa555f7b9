"""Importing an existing rent roll from .xlsx or .csv: every row a lease, signed in one command.

All or nothing: every row is checked (unknown unit or tenant, overlapping leases, in the file
or in the ledger, a unit not ready at the lease's start by the construction forecast, missing
terms) and one refusal names every bad row's row, column and rule; only a file with no
problem is written, as one event batch. A row whose lease id the ledger already has with the
same tenant, spaces and dates is unchanged (an export imports back as a no-op). A dry run
answers the same plan and writes nothing.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from assets.events import DomainEvent
from assets.history import State
from occupancy import ledger, tenants
from occupancy.agreements import agreement_of, lease_stream
from occupancy.errors import BookingConflict, LeasingError, LeasingInvalid
from occupancy.rent_roll_rows import (
    Action,
    ImportRefused,
    ImportRow,
    Problem,
    missing_columns,
    parse_row,
)
from occupancy.spaces import stream_of
from occupancy.status import NOT_READY, Readiness
from twin import reducers
from twin.leasing.commands import execute_many, new_id
from twin.leasing.read import buildings_at, spaces_of
from twin.runtime import Twin

MAX_ROWS = 5000
LEASE_ID = re.compile(r"^L-[A-Z0-9-]{1,40}$")


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


class _Planner:
    """Checks each row in turn against the ledger and the rows before it."""

    def __init__(
        self,
        twin: Twin,
        parsed: tuple[list[ImportRow], list[Problem]],
        mapping: Mapping[str, str],
    ) -> None:
        self.twin, (self.rows, self.early), self.mapping = twin, parsed, mapping
        self.ids = {r.row: r.lease or new_id("lease") for r in self.rows}
        self.ready: dict[str, Readiness] = buildings_at(twin.fresh(), twin, datetime.now(UTC))

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
        for r in self.rows:
            lease_id = self.ids[r.row]
            found = agreement_of(live.get(lease_stream(lease_id), {}), now)
            if found is not None:
                same = (found.tenant, set(found.spaces), found.start, found.end) == (
                    r.tenant,
                    set(r.spaces),
                    r.start,
                    r.end,
                )
                if same:
                    actions.append(self._action(r, "unchanged", lease_id))
                else:
                    problems.append(
                        self._problem(
                            r,
                            "lease",
                            "a signed lease",
                            f"{lease_id} is signed with other tenant, spaces or dates",
                        )
                    )
                continue
            made = self._check(r, lease_id, live, now, row_of, problems)
            for e in made:
                live[e.stream] = reducers.apply(
                    live.get(e.stream, {}), e.type, e.data, e.effective_at
                )
            if made:
                events += made
                actions.append(self._action(r, "add", lease_id))
        if problems:
            raise ImportRefused(sorted(problems, key=lambda p: p.row))
        return actions, events

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
            refs = sorted(
                {
                    f"row {row_of[c.ref]}" if c.ref in row_of else f"{c.kind} {c.ref}"
                    for c in clash.clashes
                }
            )
            spaces = sorted({c.space for c in clash.clashes})
            problems.append(
                self._problem(
                    r,
                    "spaces",
                    "overlapping lease",
                    f"{', '.join(spaces[:5])} taken by {', '.join(refs)}",
                )
            )
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
    planner = _Planner(twin, parse(headers, table, mapping), mapping)
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
