"""Rent roll rows read from cells: a mapping over the export's headers, and problems that name
the row, the column and the rule."""

from datetime import date, datetime

import pytest

from occupancy.rent_roll_rows import FIELDS, ImportRow, parse_row, read_mapping

MAPPING = read_mapping("tenant = Company  # ours\n\nspaces = Units\n")


def test_a_mapping_file_renames_columns_over_the_export_headers():
    assert MAPPING["tenant"] == "Company" and MAPPING["spaces"] == "Units"
    assert MAPPING["rent"] == FIELDS["rent"] == "Rent"
    with pytest.raises(ValueError, match="line 2: unknown field 'rnet'"):
        read_mapping("tenant = Company\nrnet = Rate")
    with pytest.raises(ValueError, match="line 1: write 'field = Column header'"):
        read_mapping("tenant Company")


def test_a_row_reads_dates_numbers_and_spaces():
    cells = {
        "Company": "sample-02",
        "Units": "b/L01/U01; b/L01/U02,b/L01/U03",
        "Start": datetime(2030, 1, 1),
        "End (exclusive)": "2032-01-01",
        "Rent": "1,234.5",
        "Rent unit": "cny_per_m2_day",
        "Escalation (% a year)": 3,
    }
    row = parse_row(7, cells, MAPPING)
    assert isinstance(row, ImportRow)
    assert row.spaces == ("b/L01/U01", "b/L01/U02", "b/L01/U03")
    assert (row.start, row.end) == (date(2030, 1, 1), date(2032, 1, 1))
    assert row.terms.rent == 1234.5 and row.terms.escalation == "fixed"
    assert row.terms.escalation_percent == 3 and row.terms.provenance == "imported"


def test_every_problem_of_a_row_is_named():
    cells = {"Company": "", "Units": "b/L01/U01", "Start": "2030-02-30", "End (exclusive)": "2029"}
    problems = [str(p) for p in parse_row(4, cells | {"Rent unit": "usd"}, MAPPING)]  # type: ignore[union-attr]
    assert problems == [
        "row 4, column 'Company': required: the tenant is missing",
        "row 4, column 'Rent': missing terms: a lease is signed with its rent",
        "row 4, column 'Start': a date: '2030-02-30' is not a date (YYYY-MM-DD)",
        "row 4, column 'End (exclusive)': a date: '2029' is not a date (YYYY-MM-DD)",
        "row 4, column 'Rent unit': a rent unit: 'usd': cny_per_m2_day or cny_per_rack_month",
    ]
