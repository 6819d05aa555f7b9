"""Rows of a rent roll to import: a column mapping, and each row's cells read into a lease to
sign or the problems that name its row, column and rule.

Row numbers are the spreadsheet's (the header is row 1). A mapping names, for each field,
the column header that holds it; by default the headers of the rent roll's own export
(:mod:`viewer.spreadsheets`), so an export imports back unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from occupancy.errors import LeasingInvalid
from occupancy.terms import RENT_UNITS, LeaseTerms, RentUnit

FIELDS: dict[str, str] = {
    "lease": "Lease",
    "tenant": "Tenant",
    "spaces": "Spaces",
    "start": "Start",
    "end": "End (exclusive)",
    "rent": "Rent",
    "rent_unit": "Rent unit",
    "rent_free_months": "Rent-free months",
    "escalation_percent": "Escalation (% a year)",
}
"""Field -> the default column header (the rent roll export's)."""
REQUIRED = ("tenant", "spaces", "start", "end")
TERMS = ("rent", "rent_unit")
"""A lease is signed with its terms: a row without them is refused as 'missing terms'."""


@dataclass(frozen=True)
class Problem:
    """Why a row cannot be imported: its row number, the column header and the rule."""

    row: int
    column: str
    rule: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column!r}: {self.rule}: {self.message}"


@dataclass(frozen=True)
class ImportRow:
    """A lease a row asks for: ``end`` exclusive; ``lease`` the row's own id, if it gives one."""

    row: int
    lease: str | None
    tenant: str
    spaces: tuple[str, ...]
    start: date
    end: date
    terms: LeaseTerms


class ImportRefused(LeasingInvalid):
    """A rent roll with problems: nothing was written. ``problems`` name row, column, rule."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        shown = "; ".join(str(p) for p in problems[:5])
        more = f" and {len(problems) - 5} more" if len(problems) > 5 else ""
        super().__init__("file", f"{len(problems)} problem(s), nothing imported: {shown}{more}")

    @property
    def details(self) -> dict[str, Any]:
        return {"errors": [asdict(p) for p in self.problems]}


@dataclass(frozen=True)
class Change:
    """A term an amendment changes, old and new as text."""

    field: str
    old: str
    new: str

    def __str__(self) -> str:
        return f"{self.field} {self.old} -> {self.new}"


@dataclass(frozen=True)
class Action:
    """What importing a row does: ``add`` a lease, ``change`` a signed one (an amendment of
    its end or money terms: ``changes``) or leave it ``unchanged``."""

    row: int
    action: str
    lease: str
    tenant: str
    spaces: tuple[str, ...]
    start: date
    end: date
    rent: float
    rent_unit: str
    changes: tuple[Change, ...] = ()

    def __str__(self) -> str:
        where = ", ".join(self.spaces[:3]) + (" …" if len(self.spaces) > 3 else "")
        changed = f": {'; '.join(str(c) for c in self.changes)}" if self.changes else ""
        return (
            f"row {self.row}: {self.action} {self.lease} {self.tenant} {where} "
            f"{self.start} .. {self.end} {self.rent:,.4f} {self.rent_unit}{changed}"
        )


def read_mapping(text: str) -> dict[str, str]:
    """A mapping file's ``field = Column header`` lines (``#`` starts a comment) over the
    defaults; ValueError naming the line for an unknown field or a line without ``=``."""
    mapping = dict(FIELDS)
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        field, eq, header = (part.strip() for part in line.partition("="))
        if not eq or not header:
            raise ValueError(f"mapping line {number}: write 'field = Column header'")
        if field not in FIELDS:
            raise ValueError(
                f"mapping line {number}: unknown field {field!r} ({', '.join(FIELDS)})"
            )
        mapping[field] = header
    return mapping


def missing_columns(headers: list[str], mapping: Mapping[str, str]) -> list[str]:
    """The headers a mapping needs (required fields and terms) that the file lacks."""
    return [mapping[f] for f in (*REQUIRED, *TERMS) if mapping[f] not in headers]


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _day(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value).strip()[:10])


def _number(value: Any) -> float:
    if isinstance(value, int | float):
        return float(value)
    return float(str(value).replace(",", "").strip())


def parse_row(
    number: int, cells: Mapping[str, Any], mapping: Mapping[str, str]
) -> ImportRow | list[Problem]:
    """Row ``number``'s cells (header -> value) as a lease, or every problem found in it."""
    problems: list[Problem] = []

    def cell(field: str) -> Any:
        return cells.get(mapping[field])

    def refuse(field: str, rule: str, message: str) -> None:
        problems.append(Problem(number, mapping[field], rule, message))

    for field in REQUIRED:
        if _blank(cell(field)):
            refuse(field, "required", f"the {field} is missing")
    for field in TERMS:
        if _blank(cell(field)):
            refuse(field, "missing terms", f"a lease is signed with its {field.replace('_', ' ')}")
    days: dict[str, date] = {}
    for field in ("start", "end"):
        if not _blank(cell(field)):
            try:
                days[field] = _day(cell(field))
            except ValueError:
                refuse(field, "a date", f"{cell(field)!r} is not a date (YYYY-MM-DD)")
    if len(days) == 2 and days["end"] <= days["start"]:
        refuse("end", "end after start", f"{days['end']} is not after {days['start']}")
    numbers: dict[str, float] = {}
    for field, default in (("rent", None), ("rent_free_months", 0.0), ("escalation_percent", 0.0)):
        value = cell(field)
        if _blank(value):
            if default is not None:
                numbers[field] = default
            continue
        try:
            numbers[field] = _number(value)
        except ValueError:
            refuse(field, "a number", f"{value!r} is not a number")
    unit = cell("rent_unit")
    if not _blank(unit) and str(unit).strip() not in RENT_UNITS.values():
        refuse("rent_unit", "a rent unit", f"{unit!r}: {' or '.join(RENT_UNITS.values())}")
    if problems:
        return problems
    rent_unit: RentUnit = (
        "cny_per_rack_month" if str(unit).strip() == "cny_per_rack_month" else "cny_per_m2_day"
    )
    escalation = numbers["escalation_percent"]
    lease = cell("lease")
    return ImportRow(
        row=number,
        lease=None if _blank(lease) else str(lease).strip(),
        tenant=str(cell("tenant")).strip(),
        spaces=tuple(
            s.strip() for s in str(cell("spaces")).replace(",", ";").split(";") if s.strip()
        ),
        start=days["start"],
        end=days["end"],
        terms=LeaseTerms(
            rent=numbers["rent"],
            rent_unit=rent_unit,
            rent_free_months=int(numbers["rent_free_months"]),
            escalation="fixed" if escalation else "none",
            escalation_percent=escalation,
            provenance="imported",
        ),
    )
