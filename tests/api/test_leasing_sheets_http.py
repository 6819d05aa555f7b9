"""Spreadsheets over HTTP (role leasing): the rent roll and availability as .xlsx, and a rent
roll uploaded for import, all rows or none."""

from __future__ import annotations

import io
import sqlite3
from datetime import datetime

import httpx
import pytest
from openpyxl import load_workbook

LEASING = "/api/v1/leasing"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = (
    "Contract,Company,Units,From,To,Rate,Basis\n"
    "L-UP-1,sample-05,office-building/L02/U04,2030-01-01,2032-01-01,3.3,cny_per_m2_day\n"
)
MAPPING = "lease=Contract;tenant=Company;spaces=Units;start=From;end=To;rent=Rate;rent_unit=Basis"


@pytest.fixture(scope="module")
def client(leasing_twin):
    live, tokens = leasing_twin
    with httpx.Client(base_url=live.url, timeout=120) as c:
        yield c, {"Authorization": f"Bearer {tokens['leasing']}"}, live


def _events(live) -> int:  # type: ignore[no-untyped-def]
    with sqlite3.connect(live.log.parent / "twin.db") as db:
        return int(db.execute("select count(*) from events").fetchone()[0])


def test_the_rent_roll_sheet_is_for_the_leasing_team_with_finance_formats(client):
    c, staff, _ = client
    assert c.get(f"{LEASING}/rent-roll.xlsx").status_code == 401
    answer = c.get(f"{LEASING}/rent-roll.xlsx", headers=staff)
    assert answer.status_code == 200 and answer.headers["content-type"] == XLSX
    assert answer.headers["cache-control"] == "no-store"
    sheet = load_workbook(io.BytesIO(answer.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    json_roll = c.get(f"{LEASING}/rent-roll", headers=staff).json()
    assert [r[0] for r in rows] == [i["lease"] for i in json_roll["items"]]  # the same rows
    headers = [c.value for c in sheet[1]]
    area = headers.index("Area (m²)")
    assert [r[area] for r in rows] == [i["area_m2"] for i in json_roll["items"]]
    assert sheet.cell(2, area + 1).number_format == "#,##0.00" and sheet.freeze_panes == "A2"
    assert isinstance(rows[0][headers.index("Expiry")], datetime)
    missing = c.get(f"{LEASING}/rent-roll.xlsx", params={"building": "nope"}, headers=staff)
    assert missing.status_code == 404 and "nope" in missing.text


def test_the_availability_sheet_takes_the_search_filters(client):
    c, staff, _ = client
    assert c.get(f"{LEASING}/availability.xlsx").status_code == 401
    params = {"building": "office-building", "min_area_m2": 100}
    answer = c.get(f"{LEASING}/availability.xlsx", params=params, headers=staff)
    assert answer.status_code == 200, answer.text
    sheet = load_workbook(io.BytesIO(answer.content)).active
    found = c.get(f"{LEASING}/availability", params=params | {"limit": 2000}, headers=staff).json()
    ids = [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert ids == [i["id"] for i in found["items"]] and ids
    unknown = c.get(f"{LEASING}/availability.xlsx", params={"colour": "red"}, headers=staff)
    assert unknown.status_code == 400  # unknown parameters refused, as on every route


def test_an_upload_dry_runs_imports_and_refuses_a_bad_file_whole(client):
    c, staff, live = client
    url = f"{LEASING}/rent-roll/import"
    sent = {"headers": staff | {"Content-Type": "text/csv"}}
    assert c.post(url, content=CSV, headers={"Content-Type": "text/csv"}).status_code == 401
    before = _events(live)
    dry = c.post(url, content=CSV, params={"dry_run": True, "mapping": MAPPING}, **sent)
    assert dry.status_code == 200, dry.text
    assert dry.json()["added"] == 1 and dry.json()["actions"][0]["lease"] == "L-UP-1"
    assert _events(live) == before
    bad = (
        CSV + "L-UP-2,sample-05,office-building/L02/U04,2031-01-01,2033-01-01,3.3,cny_per_m2_day\n"
    )
    refused = c.post(url, content=bad, params={"mapping": MAPPING}, **sent)
    assert refused.status_code == 422
    errors = refused.json()["errors"]
    assert errors == [
        {
            "row": 3,
            "column": "Units",
            "rule": "overlapping lease",
            "message": "office-building/L02/U04 taken by row 2",
        }
    ]
    assert _events(live) == before
    done = c.post(url, content=CSV, params={"mapping": MAPPING}, **sent)
    assert done.status_code == 200 and done.json()["added"] == 1, done.text
    assert _events(live) > before
    garbage = c.post(url, content=b"not a zip", headers=staff | {"Content-Type": XLSX})
    assert garbage.status_code == 422 and "not a readable spreadsheet" in garbage.text
    wrong = c.post(url, content=b"{}", headers=staff | {"Content-Type": "application/json"})
    assert wrong.status_code == 415 and "application/json" in wrong.text


AMEND_HEAD = "Contract,Company,Units,From,To,Rate,Basis,Escalation\n"
AMEND_UNITS = "office-building/L02/U06;office-building/L02/U07"


def _lease(c, staff, lease_id):  # type: ignore[no-untyped-def]
    found = c.get(f"{LEASING}/leases/{lease_id}", headers=staff)
    assert found.status_code == 200, found.text
    return found.json()


def test_a_row_for_a_signed_lease_with_new_terms_amends_it(client):
    c, staff, live = client
    url = f"{LEASING}/rent-roll/import"
    sent = {"headers": staff | {"Content-Type": "text/csv"}, "params": {"mapping": MAPPING}}
    mapping = MAPPING + ";escalation_percent=Escalation"
    first = f"L-AM-1,sample-05,{AMEND_UNITS},2034-01-01,2036-01-01,3.3,cny_per_m2_day,0\n"
    made = c.post(url, content=AMEND_HEAD + first, **sent | {"params": {"mapping": mapping}})
    assert made.status_code == 200 and made.json()["added"] == 1, made.text
    # the same lease, by its id: a higher rent, two more years, 3 % a year
    changed = f"L-AM-1,sample-05,{AMEND_UNITS},2034-01-01,2038-01-01,3.6,cny_per_m2_day,3\n"
    before = _events(live)
    dry = c.post(
        url,
        content=AMEND_HEAD + changed,
        **sent | {"params": {"mapping": mapping, "dry_run": True}},
    )
    assert dry.status_code == 200, dry.text
    (action,) = dry.json()["actions"]
    assert action["action"] == "change" and action["lease"] == "L-AM-1"
    assert {(ch["field"], ch["old"], ch["new"]) for ch in action["changes"]} == {
        ("end", "2036-01-01", "2038-01-01"),
        ("rent", "3.3", "3.6"),
        ("escalation_percent", "0", "3"),
    }
    assert dry.json()["changed"] == 1 and dry.json()["added"] == 0
    assert _events(live) == before  # a dry run writes nothing
    done = c.post(url, content=AMEND_HEAD + changed, **sent | {"params": {"mapping": mapping}})
    assert done.status_code == 200 and done.json()["changed"] == 1, done.text
    lease = _lease(c, staff, "L-AM-1")
    assert lease["end"] == "2038-01-01" and lease["terms"]["rent"] == 3.6
    assert lease["terms"]["escalation"] == "fixed" and lease["terms"]["escalation_percent"] == 3
    # the spaces are booked to the new end: nobody else can take them before it
    late = c.get(
        f"{LEASING}/availability",
        params={"building": "office-building", "available_from": "2036-06-01", "limit": 2000},
        headers=staff,
    ).json()
    assert "office-building/L02/U06" not in {s["id"] for s in late["items"]}
    history = c.get("/api/v1/events", params={"stream": "lease:L-AM-1"}, headers=staff).json()
    assert [e["type"] for e in history["events"]][-1] == "LeaseAmended"
    # imported again as it now is: unchanged, nothing written
    again = c.post(url, content=AMEND_HEAD + changed, **sent | {"params": {"mapping": mapping}})
    assert again.status_code == 200 and again.json()["unchanged"] == 1, again.text
    # without its id, the same tenant, units and start find it: a lower rent is a change
    anonymous = f",sample-05,{AMEND_UNITS},2034-01-01,2038-01-01,3.5,cny_per_m2_day,3\n"
    dry = c.post(
        url,
        content=AMEND_HEAD + anonymous,
        **sent | {"params": {"mapping": mapping, "dry_run": True}},
    )
    assert dry.status_code == 200, dry.text
    (action,) = dry.json()["actions"]
    assert action["action"] == "change" and action["lease"] == "L-AM-1"
    assert [(ch["field"], ch["old"], ch["new"]) for ch in action["changes"]] == [
        ("rent", "3.6", "3.5")
    ]


def test_an_amendment_that_would_overlap_refuses_the_whole_file(client):
    c, staff, live = client
    url = f"{LEASING}/rent-roll/import"
    sent = {"headers": staff | {"Content-Type": "text/csv"}, "params": {"mapping": MAPPING}}
    unit = "office-building/L02/U08"
    rows = (
        f"L-AM-2,sample-05,{unit},2040-01-01,2042-01-01,3.3,cny_per_m2_day\n"
        f"L-AM-3,sample-05,{unit},2042-01-01,2044-01-01,3.3,cny_per_m2_day\n"
    )
    made = c.post(url, content=CSV.splitlines()[0] + "\n" + rows, **sent)
    assert made.status_code == 200 and made.json()["added"] == 2, made.text
    before = _events(live)
    # L-AM-2 extended into L-AM-3, and a good amendment of L-AM-3 beside it: neither is written
    rows = (
        f"L-AM-2,sample-05,{unit},2040-01-01,2043-01-01,3.3,cny_per_m2_day\n"
        f"L-AM-3,sample-05,{unit},2042-01-01,2044-01-01,3.9,cny_per_m2_day\n"
    )
    refused = c.post(url, content=CSV.splitlines()[0] + "\n" + rows, **sent)
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"] == [
        {
            "row": 2,
            "column": "To",
            "rule": "overlapping lease",
            "message": f"{unit} taken by row 3",  # L-AM-3, on row 3 of the file
        }
    ]
    assert _events(live) == before
    assert _lease(c, staff, "L-AM-3")["terms"]["rent"] == 3.3
    # another tenant on a signed lease's id is still refused, naming the rule
    other = f"L-AM-2,sample-04,{unit},2040-01-01,2042-01-01,3.3,cny_per_m2_day\n"
    refused = c.post(url, content=CSV.splitlines()[0] + "\n" + other, **sent)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["rule"] == "a signed lease"
