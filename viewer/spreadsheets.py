"""Spreadsheets a finance team opens (openpyxl): the rent roll and the availability search.

Areas in m² with two decimals, CNY with thousands separators, dates as dates (not text), a
frozen bold header with units in the column names, filters and column widths.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from occupancy.availability import Match
from occupancy.rent_roll import RentRollRow

AREA, CNY, RENT, DATE, YEARS, COUNT = (
    "#,##0.00",
    "#,##0.00",
    "#,##0.0000",
    "yyyy-mm-dd",
    "0.00",
    "#,##0",
)
"""Number formats: m², CNY, a face rent (CNY per m² per day has 4 decimals), date, years."""
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    """A column: its header (with its unit), number format (None: text) and width (chars)."""

    header: str
    value: Callable[[Any], object]
    number_format: str | None = None
    width: float = 14


def _cents(value: float | None, places: int = 2) -> float | None:
    """A figure rounded as its JSON answer gives it (None stays empty)."""
    return None if value is None else round(value, places)


RENT_ROLL: Sequence[Column] = (
    Column("Lease", lambda r: r.lease, width=16),
    Column("Tenant", lambda r: r.tenant, width=16),
    Column("Status", lambda r: r.status, width=10),
    Column("Pre-lease", lambda r: "yes" if r.pre_lease else "no", width=10),
    Column("Spaces", lambda r: "; ".join(r.spaces), width=34),
    Column("Buildings", lambda r: "; ".join(r.buildings), width=18),
    Column("Area (m²)", lambda r: round(r.area_m2, 2), AREA, 12),
    Column("Racks", lambda r: r.racks, COUNT, 8),
    Column("Start", lambda r: r.start, DATE, 12),
    Column("End (exclusive)", lambda r: r.end, DATE, 15),
    Column("Expiry", lambda r: r.expiry, DATE, 12),
    Column("Rent", lambda r: r.rent, RENT, 12),
    Column("Rent unit", lambda r: r.rent_unit, width=16),
    Column("Annual rent (CNY)", lambda r: _cents(r.annual_rent_cny), CNY, 18),
    Column("Rent-free until", lambda r: r.rent_free_until, DATE, 15),
    Column("Next escalation", lambda r: r.next_escalation, DATE, 15),
    Column("Next rent", lambda r: _cents(r.next_rent, 4), RENT, 12),
    Column("Remaining (years)", lambda r: round(r.remaining_years, 3), YEARS, 17),
)
AVAILABILITY: Sequence[Column] = (
    Column("Space", lambda m: m.space.id, width=30),
    Column("Kind", lambda m: m.space.kind, width=8),
    Column("Parcel", lambda m: m.space.parcel, width=14),
    Column("Building", lambda m: m.space.building, width=16),
    Column("Level", lambda m: m.space.level, COUNT, 7),
    Column("Area (m²)", lambda m: round(m.space.area_m2, 2), AREA, 12),
    Column("Status", lambda m: m.status, width=11),
    Column("Ready on", lambda m: m.ready_on, DATE, 12),
    Column("Free from", lambda m: m.free_from, DATE, 12),
    Column("Block", lambda m: m.block, width=30),
    Column("Block area (m²)", lambda m: round(m.block_area_m2, 2), AREA, 15),
)


def workbook(title: str, columns: Sequence[Column], rows: Sequence[Any]) -> bytes:
    """One sheet named ``title``: a frozen header, one row per item, as .xlsx bytes."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    sheet.append([c.header for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE5EC")
    for item in rows:
        sheet.append([_cell(c.value(item)) for c in columns])
    for i, c in enumerate(columns, start=1):
        letter = get_column_letter(i)
        sheet.column_dimensions[letter].width = c.width
        if c.number_format:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=i, max_col=i):
                cell.number_format = c.number_format
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value: object) -> object:
    return value if value is None or isinstance(value, str | int | float | date) else str(value)


def rent_roll_xlsx(rows: Sequence[RentRollRow]) -> bytes:
    """The rent roll as .xlsx."""
    return workbook("Rent roll", RENT_ROLL, rows)


def availability_xlsx(matches: Sequence[Match]) -> bytes:
    """The availability search's matches as .xlsx (staff columns: status and free-from day)."""
    return workbook("Availability", AVAILABILITY, matches)
