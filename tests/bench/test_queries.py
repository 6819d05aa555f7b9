"""The query benchmark's parts that need no network install: wrk's summary, a real wrk run
against the real ceiling server, and the targets' verdicts."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bench import loadgen
from bench.loadgen import MARKER, LoadResult, parse_summary
from bench.processes import answers, free_port, running
from bench.queries import cases
from bench.query_targets import figures, targets

ROOT = Path(__file__).resolve().parents[2]
WRK_OUTPUT = f"""Running 1s test @ http://127.0.0.1:8090/ogc/collections/units/items?limit=10
  1 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     5.31ms    1.02ms  21.40ms   93.12%
    Req/Sec     3.01k   120.33     3.20k    70.00%
  Latency Distribution
     50%    5.12ms
     75%    5.40ms
     90%    6.01ms
     99%    9.87ms
  3004 requests in 1.00s, 12.61MB read
Requests/sec:   3001.21
Transfer/sec:     12.60MB
{MARKER}{{"requests":3004,"duration_us":1000920,"bytes":13221720,"connect":0,"read":0,"write":0,"status":2,"timeout":1,"p50_us":5120,"p90_us":6010,"p99_us":9870,"max_us":21400,"mean_us":5310.4}}
"""


def test_the_summary_line_gives_rate_percentiles_and_errors():
    result = parse_summary(WRK_OUTPUT, "http://x/", 16)
    assert result.requests == 3004 and result.connections == 16
    assert result.rps == pytest.approx(3001.2, abs=0.1)
    assert (result.p50_ms, result.p90_ms, result.p99_ms) == (5.12, 6.01, 9.87)
    assert (result.bad_status, result.socket_errors) == (2, 1)


def test_output_without_the_summary_is_an_error_naming_the_url():
    with pytest.raises(loadgen.LoadError, match=r"no summary.*http://x/"):
        parse_summary("Running 1s test\n", "http://x/", 1)


@pytest.fixture(scope="module")
def ceiling(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real ceiling server (embedded campus) on a free port."""
    workdir = tmp_path_factory.mktemp("ceiling")
    url = f"http://127.0.0.1:{free_port()}"
    args = [
        "env", f"PYTHONPATH={ROOT}", sys.executable, "-m", "bench.ceiling_server",
        "--port", url.rsplit(":", 1)[1],
    ]  # fmt: skip
    with running(args, answers(url), workdir, "ceiling"):
        yield url


@pytest.mark.skipif(
    not loadgen.available(),
    reason="wrk is not installed (Debian package wrk): the load generator cannot run",
)
def test_wrk_loads_the_ceiling_for_a_second(ceiling):
    page = httpx.get(f"{ceiling}/ogc/collections/units/items", params={"limit": 10}).json()
    assert page["numberReturned"] == 10 and page["numberMatched"] > 3000
    result = loadgen.load(f"{ceiling}/ogc/collections/units/items?limit=10", 4, 1)
    assert result.errors == 0
    assert result.requests > 50 and 0.9 < result.duration_s < 2
    assert 0 < result.p50_ms <= result.p90_ms <= result.p99_ms <= result.max_ms
    missing = loadgen.load(f"{ceiling}/ogc/collections/nothing/items", 1, 1)
    assert missing.bad_status == missing.requests > 0  # every answer was an error status


def _result(rps: float, p99_ms: float = 10.0) -> LoadResult:
    requests = int(rps * 5)
    return LoadResult("http://x/", 16, requests, 5.0, 1.0, 2.0, p99_ms, p99_ms, 1.0, 0, 0, 1)


def test_targets_say_met_or_by_how_much_missed():
    todo = cases("121.9,30.9,121.91,30.91")
    measured = {}
    for case in todo:
        measured[(case.key, "ours", 16)] = [(_result(2000, p99_ms=30), 0.5)]
        measured[(case.key, "ceiling", 16)] = [(_result(3000), 0.3)]
        measured[(case.key, "pygeoapi", 16)] = [(_result(150), 6.0)]
    measured[("bbox", "ours", 16)] = [(_result(1000), 1.0)]
    verdicts = {t.text: t for t in targets(measured, todo, 20_230, 1)}
    items = next(
        t for text, t in verdicts.items() if text.startswith("OGC items") and "pygeoapi" in text
    )
    assert not items.met and "13.3×" in items.detail and "1.5 times short" in items.detail
    ceiling = next(
        t for text, t in verdicts.items() if text.startswith("OGC items") and "ceiling" in text
    )
    assert ceiling.met and "0.67 of it" in ceiling.detail
    bbox = next(
        t for text, t in verdicts.items() if text.startswith("OGC bbox") and "ceiling" in text
    )
    assert not bbox.met and "request id" in bbox.detail  # says why
    p99 = next(t for text, t in verdicts.items() if "p99" in text)
    assert p99.met and "30.0 ms" in p99.detail
    small = {t.text: t.met for t in targets(measured, todo, 3_622, 1)}
    assert not next(met for text, met in small.items() if "p99" in text)  # not 20,000 units
    shown = figures(measured, todo, [100.0, 120.0, 140.0])
    assert {f.baseline for f in shown} >= {"pygeoapi", "ceiling"}
    assert any(f.case.startswith("availability search, uncached") for f in shown)
