"""Spreadsheets in and out from a terminal, on a real SQLite log: the rent roll and the
availability search as .xlsx, and a rent roll imported from .xlsx or .csv, all rows or none."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from pathlib import Path

from cli_runner import twin
from openpyxl import load_workbook

MAPPING = """# our finance team's headers
lease = Contract
tenant = Company
spaces = Units
start = From
end = To
rent = Rate
rent_unit = Basis
"""
HEADER = "Contract,Company,Units,From,To,Rate,Basis\n"
GOOD = (
    "L-IMP-1,sample-02,office-building/L01/U01;office-building/L01/U02,2030-01-01,2033-01-01,"
    "3.25,cny_per_m2_day\n"
    "L-IMP-2,sample-03,office-building/L01/U03,2030-01-01,2032-01-01,3.10,cny_per_m2_day\n"
)


def _leasing(tmp_path: Path, *args: str):  # type: ignore[no-untyped-def]
    return twin("leasing", *args, "--db", str(tmp_path / "twin.db"), cwd=tmp_path)


def _events(tmp_path: Path) -> int:
    with sqlite3.connect(tmp_path / "twin.db") as db:
        return int(db.execute("select count(*) from events").fetchone()[0])


def test_the_rent_roll_exports_with_formats_finance_expects_and_imports_back(tmp_path):
    out = _leasing(tmp_path, "rent-roll", "--xlsx", str(tmp_path / "roll.xlsx"))
    assert out.returncode == 0, out.stderr
    sheet = load_workbook(tmp_path / "roll.xlsx").active
    headers = [c.value for c in sheet[1]]
    assert headers[:3] == ["Lease", "Tenant", "Status"] and "Area (m²)" in headers
    assert sheet.freeze_panes == "A2" and sheet.max_row > 10
    row = {h: c for h, c in zip(headers, sheet[2], strict=True)}
    assert row["Area (m²)"].number_format == "#,##0.00"
    assert row["Annual rent (CNY)"].number_format == "#,##0.00"  # thousands separators
    assert isinstance(row["Start"].value, datetime) and row["Start"].number_format == "yyyy-mm-dd"
    assert round(row["Area (m²)"].value, 2) == row["Area (m²)"].value
    assert sheet.column_dimensions["E"].width >= 30  # the spaces
    before = _events(tmp_path)
    again = _leasing(tmp_path, "import-rent-roll", str(tmp_path / "roll.xlsx"), "--dry-run")
    assert again.returncode == 0, again.stderr
    assert f"would add 0 leases; {sheet.max_row - 1} unchanged" in again.stdout
    assert _events(tmp_path) == before


def test_availability_exports_every_match(tmp_path):
    out = _leasing(tmp_path, "availability", "--building", "office-building", "--xlsx", "a.xlsx")
    assert out.returncode == 0, out.stderr
    sheet = load_workbook(tmp_path / "a.xlsx").active
    assert [c.value for c in sheet[1]][:2] == ["Space", "Kind"]
    ids = [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert "office-building/L01/U01" in ids and all(i.startswith("office-building/") for i in ids)
    assert sheet["F2"].number_format == "#,##0.00"


def test_a_csv_with_a_mapping_dry_runs_then_imports_then_is_unchanged(tmp_path):
    (tmp_path / "map.txt").write_text(MAPPING)
    (tmp_path / "roll.csv").write_text(HEADER + GOOD)
    args = ("import-rent-roll", "roll.csv", "--mapping", "map.txt")
    before = _events(tmp_path) if (tmp_path / "twin.db").exists() else None
    dry = _leasing(tmp_path, *args, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "row 2: add L-IMP-1 sample-02" in dry.stdout and "row 3: add L-IMP-2" in dry.stdout
    assert "would add 2 leases; 0 unchanged" in dry.stdout
    assert before is None or _events(tmp_path) == before
    done = _leasing(tmp_path, *args)
    assert done.returncode == 0 and "added 2 leases" in done.stdout, done.stderr
    roll = _leasing(tmp_path, "rent-roll", "--building", "office-building")
    assert "L-IMP-1" in roll.stdout and "L-IMP-2" in roll.stdout
    again = _leasing(tmp_path, *args, "--dry-run")
    assert "would add 0 leases; 2 unchanged" in again.stdout, again.stdout


def test_one_bad_row_refuses_the_whole_file_naming_row_column_and_rule(tmp_path):
    today = date.today().isoformat()
    bad = (
        "L-BAD-1,sample-04,office-building/L01/U77,2030-01-01,2031-01-01,3,cny_per_m2_day\n"
        "L-BAD-2,sample-04,office-building/L01/U02,2030-06-01,2031-01-01,3,cny_per_m2_day\n"
        f"L-BAD-3,sample-04,fish-head-t1/L05/U01,{today},2031-01-01,3,cny_per_m2_day\n"
        "L-BAD-4,sample-04,office-building/L02/U01,2030-01-01,2031-01-01,,cny_per_m2_day\n"
    )
    (tmp_path / "map.txt").write_text(MAPPING)
    (tmp_path / "roll.csv").write_text(HEADER + GOOD + bad)
    _leasing(tmp_path, "leases")  # the database, with its sample, before the import
    before = _events(tmp_path)
    out = _leasing(tmp_path, "import-rent-roll", "roll.csv", "--mapping", "map.txt")
    assert out.returncode == 1
    said = out.stdout + out.stderr
    assert "row 4, column 'Units': unknown unit: office-building/L01/U77" in said
    assert (
        "row 5, column 'Units': overlapping lease: office-building/L01/U02 taken by row 2" in said
    )
    assert "row 6, column 'From': unit not ready at its start: fish-head-t1 is" in said
    assert "row 7, column 'Rate': missing terms" in said
    assert "nothing imported" in said
    assert _events(tmp_path) == before  # the good rows 2 and 3 were not written either
    roll = _leasing(tmp_path, "rent-roll")
    assert "L-IMP-1" not in roll.stdout


def test_a_file_without_a_mapped_column_names_it(tmp_path):
    (tmp_path / "roll.csv").write_text(HEADER + GOOD)
    out = _leasing(tmp_path, "import-rent-roll", "roll.csv")  # default headers: not these
    assert out.returncode == 1
    assert "row 1, column 'Tenant': a column: the file has no such column" in out.stdout


def test_a_row_with_new_terms_for_a_signed_lease_amends_it_as_the_docs_show(tmp_path):
    (tmp_path / "columns.txt").write_text(MAPPING)
    (tmp_path / "roll.csv").write_text(HEADER + GOOD.splitlines()[0] + "\n")
    args = ("import-rent-roll", "roll.csv", "--mapping", "columns.txt")
    assert _leasing(tmp_path, *args).returncode == 0
    amended = GOOD.splitlines()[0].replace("2033-01-01,3.25", "2035-01-01,3.40")
    (tmp_path / "roll.csv").write_text(HEADER + amended + "\n")
    before = _events(tmp_path)
    dry = _leasing(tmp_path, *args, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    doc = (Path(__file__).resolve().parents[2] / "docs" / "leasing.md").read_text()
    shown = doc.split("lists the change, old -> new")[1].split("```text\n")[1].split("```")[0]
    assert shown.splitlines()[1:] == dry.stdout.splitlines(), dry.stdout
    assert _events(tmp_path) == before
    done = _leasing(tmp_path, *args)
    assert done.returncode == 0 and "added 0 leases, amended 1; 0 unchanged" in done.stdout
    roll = _leasing(tmp_path, "rent-roll", "--building", "office-building")
    row = next(x for x in roll.stdout.splitlines() if "L-IMP-1" in x)
    assert "2035-01-01" in row or "2034-12-31" in row, row
    again = _leasing(tmp_path, *args, "--dry-run")
    assert "would add 0 leases; 1 unchanged" in again.stdout, again.stdout
