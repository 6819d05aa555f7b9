"""SensorThings query options on their own: $filter (odata-query's grammar, our evaluation over
columns), $orderby, $expand and the refusals, on a small table whose answers are computed
independently by Python."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest
from fastapi import HTTPException

from api.sta.odata import (
    Options,
    evaluate,
    order,
    parse_expand,
    parse_filter,
    parse_options,
    rows_table,
    time_bounds,
)

ROWS = [
    {"@iot.id": "a", "name": "feed A", "properties/kind": "power_feed", "racks": 0.0},
    {"@iot.id": "b", "name": "hall 1", "properties/kind": "hall", "racks": 375.0},
    {"@iot.id": "c", "name": "hall 2", "properties/kind": "hall", "racks": 250.0},
    {"@iot.id": "d", "name": "row 1", "properties/kind": "rack_row", "racks": None},
]
T0 = datetime(2026, 1, 1, tzinfo=UTC).timestamp()


def ids(text: str) -> list[str]:
    table = rows_table("Things", ROWS)
    return [ROWS[i]["@iot.id"] for i in np.nonzero(evaluate(table, parse_filter(text)))[0]]


@pytest.mark.parametrize(
    ("text", "check"),
    [
        ("racks gt 100", lambda r: r["racks"] is not None and r["racks"] > 100),
        ("racks le 250", lambda r: r["racks"] is not None and r["racks"] <= 250),
        ("racks eq null", lambda r: r["racks"] is None),
        ("racks ne 0", lambda r: r["racks"] != 0),
        (
            "properties/kind eq 'hall' and racks lt 300",
            lambda r: r["properties/kind"] == "hall" and (r["racks"] or 0) < 300,
        ),
        (
            "name eq 'feed A' or racks ge 375",
            lambda r: r["name"] == "feed A" or (r["racks"] or 0) >= 375,
        ),
        ("not (properties/kind eq 'hall')", lambda r: r["properties/kind"] != "hall"),
        ("startswith(name, 'hall')", lambda r: r["name"].startswith("hall")),
        ("contains(name, '1')", lambda r: "1" in r["name"]),
    ],
)
def test_filters_pick_the_rows_python_picks(text, check):
    assert ids(text) == [r["@iot.id"] for r in ROWS if check(r)]


def test_phenomenon_time_compares_as_an_instant_in_any_offset():
    times = T0 + np.arange(10) * 3600.0
    table = rows_table("Observations", [])
    table.n, table.columns = 10, {"phenomenonTime": lambda: times}
    late = "phenomenonTime ge 2026-01-01T13:00:00+08:00 and phenomenonTime lt 2026-01-01T08:00:00Z"
    assert list(np.nonzero(evaluate(table, parse_filter(late)))[0]) == [5, 6, 7]


def test_order_is_stable_and_puts_missing_values_first():
    table = rows_table("Things", ROWS)
    rows = order(table, np.arange(4), [("racks", False)])
    assert [ROWS[i]["@iot.id"] for i in rows] == ["d", "a", "c", "b"]
    rows = order(table, np.arange(4), [("properties/kind", True), ("name", False)])
    assert [ROWS[i]["@iot.id"] for i in rows] == ["d", "a", "b", "c"]


def test_expand_reads_nested_options_and_paths():
    expand = parse_expand(
        "Datastreams($top=2;$filter=name eq 'x,y';$expand=Observations),Locations"
    )
    assert set(expand) == {"Datastreams", "Locations"}
    assert expand["Datastreams"].top == 2 and set(expand["Datastreams"].expand) == {"Observations"}
    nested = parse_expand("Datastreams/Observations($top=3)")
    assert nested["Datastreams"].expand["Observations"].top == 3
    assert parse_options({}) == Options()


@pytest.mark.parametrize(
    ("given", "named"),
    [
        ({"$format": "json"}, "$format"),
        ({"$top": "10001"}, "$top"),
        ({"$top": "-1"}, "$top"),
        ({"$skip": "x"}, "$skip"),
        ({"$count": "yes"}, "$count"),
        ({"$filter": "name eq"}, "$filter"),
        ({"$filter": "name has 'x'"}, "$filter"),
        ({"$orderby": "name up"}, "$orderby"),
        ({"$expand": "Datastreams($top=1"}, "unbalanced"),
        ({"$expand": "Datastreams($top)"}, "$top"),
    ],
)
def test_malformed_options_are_400_naming_them(given, named):
    with pytest.raises(HTTPException) as refused:
        parse_options(given)
    assert refused.value.status_code == 400 and named in refused.value.detail


def test_an_unknown_property_is_named():
    with pytest.raises(HTTPException) as refused:
        ids("colour eq 'red'")
    assert refused.value.status_code == 400 and "colour" in refused.value.detail


@pytest.mark.parametrize(
    "text",
    [
        "phenomenonTime ge 2026-01-01T03:00:00Z and phenomenonTime le 2026-01-01T05:00:00Z",
        "phenomenonTime gt 2026-01-01T03:00:00Z and result gt 3",
        "phenomenonTime eq 2026-01-01T04:00:00Z",
        "phenomenonTime lt 2026-01-01T02:00:00Z or result eq 9",
        "not (phenomenonTime lt 2026-01-01T02:00:00Z)",
    ],
)
def test_time_bounds_read_before_filtering_hold_every_row_the_filter_selects(text):
    times = T0 + np.arange(10) * 3600.0
    table = rows_table("Observations", [])
    table.n = 10
    table.columns = {"phenomenonTime": lambda: times, "result": lambda: np.arange(10.0)}
    node = parse_filter(text)
    low, high = time_bounds(node, "phenomenonTime")
    selected = times[evaluate(table, node)]
    assert len(selected) and all(low <= t <= high for t in selected)
    if " or " in text or text.startswith("not"):
        assert (low, high) == (-np.inf, np.inf)
    else:
        assert (low, high) != (-np.inf, np.inf)
