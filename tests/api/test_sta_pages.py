"""A page of one Datastream's Observations reads what the page needs from the measurements
store, not the whole Datastream, and answers exactly as reading everything would."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from api.sta.entities import Catalogue
from api.sta.odata import parse_options
from api.sta.routes import Reader
from twin.eventlog import Measurement
from twin.eventlog.measurements.queries import Readings
from twin.runtime import Twin
from twin.settings import Settings

FACILITY, METRIC = "dc/hall-3", "supply_temp_c"
DATASTREAM = f"{FACILITY}:{METRIC}"
N = 3_000
START = (datetime.now(UTC) - timedelta(days=5)).replace(microsecond=0)


def at(i: int) -> datetime:
    return START + timedelta(seconds=30 * i)


@pytest.fixture(scope="module")
def twin(tmp_path_factory):
    db = tmp_path_factory.mktemp("sta-pages") / "twin.db"
    t = Twin(Settings.from_env(db=f"sqlite:///{db}"))
    values = [
        Measurement(FACILITY, METRIC, at(i), 18 + i % 50 / 10, "°C", f"k{i}") for i in range(N)
    ]
    t.store.record_readings([], values, "test")
    return t


@pytest.fixture
def rows_read(monkeypatch):
    """How many readings each read of the store returned (the real method runs)."""
    counts: list[int] = []
    between = Readings.between

    def counted(self, *args, **kwargs):
        times, values = between(self, *args, **kwargs)
        counts.append(len(times))
        return times, values

    monkeypatch.setattr(Readings, "between", counted)
    return counts


def page(twin: Twin, given: dict[str, str]) -> tuple[list[tuple[str, float]], int]:
    """The page's (phenomenonTime, result) and the total the handler would use for links."""
    reader = Reader(Catalogue(twin, True), "http://x/sta/v1.1", "operations", True)
    streams = reader.cat.table("Datastreams")
    (i,) = [k for k, v in enumerate(streams.column("@iot.id")) if v == DATASTREAM]
    opts = parse_options(given)
    _, table, rows = reader.navigate("Datastreams", streams, i, "Observations", opts.filter, opts)
    shown, total = reader.page(table, rows, opts)
    return [
        (table.row(int(j))["phenomenonTime"], table.row(int(j))["result"]) for j in shown
    ], total


@pytest.mark.parametrize(
    "given",
    [
        {"$top": "10"},
        {"$top": "10", "$skip": "20", "$orderby": "phenomenonTime desc"},
        {"$top": "5", "$orderby": "phenomenonTime asc"},
        {
            "$top": "7",
            "$filter": f"phenomenonTime gt {at(100).isoformat()} and phenomenonTime le "
            f"{at(900).isoformat()}",
            "$orderby": "phenomenonTime desc",
        },
    ],
)
def test_a_page_in_time_order_reads_only_what_it_needs(twin, rows_read, given):
    shown, total = page(twin, given)
    wanted = int(given["$top"]) + int(given.get("$skip", "0"))
    assert sum(rows_read) <= 2 * (wanted + 1), rows_read
    assert total > wanted  # more remain: the handler gives a next link
    rows_read.clear()
    everything, _ = page(twin, {**given, "$count": "true"})  # $count reads them all
    assert sum(rows_read) >= 800
    assert shown == everything


def test_an_order_or_filter_the_store_cannot_answer_reads_everything(twin, rows_read):
    shown, total = page(twin, {"$top": "3", "$orderby": "result desc"})
    assert sum(rows_read) == N and total == N
    assert [r for _, r in shown] == [22.9, 22.9, 22.9]
