"""SensorThings: a page of Observations against the same readings through our own REST API.

One real ``twin serve`` on a fresh SQLite log (genesis loaded) holds ``READINGS`` readings of
one Datastream (a hall's supply temperature, one every 5 s, posted through the readings API
with an operations token). ``wrk`` then asks, alternately and at each concurrency:

- **SensorThings**: ``/sta/v1.1/Datastreams('dc/hall-1:supply_temp_c')/Observations``, the
  newest page of ``PAGE`` by ``phenomenonTime`` (OGC SensorThings API 1.1, OData options);
- **the REST history** (the baseline): ``/api/v1/facilities/metrics`` of the same facility
  and metric over the span of those ``PAGE`` readings, as they are (no buckets).

pygeoapi serves no SensorThings API (its SensorThings *provider* reads from one), so there is
no peer here: the ratio says what the OData layer costs over the twin's own answer.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import httpx

from bench import loadgen
from bench.databases import SQLITE, fresh_database
from bench.machine import cpus, load_average
from bench.measure import median
from bench.processes import create_token, twin_servers
from bench.progress import steps_progress
from bench.section import Figure, Options, SectionResult

FACILITY, METRIC = "dc/hall-1", "supply_temp_c"
READINGS, QUICK_READINGS = 10_000, 1_000
BATCH = 1_000
STEP_S = 5
"""Seconds between two readings of the series."""
PAGE = 100
CONCURRENCY, QUICK_CONCURRENCY = (1, 16), (1,)
DURATION_S, QUICK_DURATION_S = 5.0, 1.0
ROUNDS, QUICK_ROUNDS = 3, 1
STA, REST = "SensorThings Observations", "REST history (/api/v1/facilities/metrics)"


def _iso(at: datetime) -> str:
    return at.isoformat().replace("+00:00", "Z")


def load_readings(client: httpx.Client, count: int, end: datetime) -> datetime:
    """Post ``count`` readings ending at ``end``, ``STEP_S`` apart; the first one's instant."""
    first = end - timedelta(seconds=STEP_S * (count - 1))
    for start in range(0, count, BATCH):
        batch = [
            {
                "facility": FACILITY,
                "metric": METRIC,
                "value": round(18 + (i % 97) / 10, 1),
                "unit": "°C",
                "observed_at": _iso(first + timedelta(seconds=STEP_S * i)),
            }
            for i in range(start, min(count, start + BATCH))
        ]
        answer = client.post("/api/v1/facilities/readings", json={"readings": batch})
        if answer.status_code != 200 or answer.json()["accepted"] != len(batch):
            raise RuntimeError(f"loading readings: {answer.status_code} {answer.text[:300]}")
    return first


def paths(end: datetime) -> dict[str, str]:
    """The two requests for the newest ``PAGE`` readings, which end at ``end``."""
    datastream = quote(f"Datastreams('{FACILITY}:{METRIC}')")
    since = end - timedelta(seconds=STEP_S * (PAGE - 1))
    return {
        STA: f"/sta/v1.1/{datastream}/Observations?$top={PAGE}"
        f"&$orderby={quote('phenomenonTime desc')}",
        REST: f"/api/v1/facilities/metrics?facility={quote(FACILITY, safe='')}&metric={METRIC}"
        f"&start={quote(_iso(since))}&end={quote(_iso(end))}&points={PAGE}",
    }


def check(client: httpx.Client, found: dict[str, str]) -> None:
    """Both requests answer the same ``PAGE`` values (RuntimeError if not)."""
    sta = client.get(found[STA])
    rest = client.get(found[REST])
    for name, answer in ((STA, sta), (REST, rest)):
        if answer.status_code != 200:
            raise RuntimeError(f"{name}: HTTP {answer.status_code} {answer.text[:300]}")
    observed = sorted(o["result"] for o in sta.json()["value"])
    history = sorted(p["value"] for p in rest.json()["points"])
    if len(observed) != PAGE or observed != history:
        raise RuntimeError(f"the two answers differ: {len(observed)} and {len(history)} values")


Samples = dict[tuple[str, int], list[loadgen.LoadResult]]


def measure(
    base: str, found: dict[str, str], token: str, options: Options, step: Callable[[], None]
) -> Samples:
    """wrk on each request at each concurrency, alternating, ``ROUNDS`` times."""
    quick = options.quick
    out: Samples = {}
    headers = {"Authorization": f"Bearer {token}"}
    for c in QUICK_CONCURRENCY if quick else CONCURRENCY:
        for r in range(QUICK_ROUNDS if quick else ROUNDS):
            order = [STA, REST] if r % 2 == 0 else [REST, STA]
            for name in order:
                duration = QUICK_DURATION_S if quick else DURATION_S
                result = loadgen.load(base + found[name], c, duration, headers)
                out.setdefault((name, c), []).append(result)
                step()
    return out


def figures(samples: Samples) -> list[Figure]:
    """req/s and p99 of the SensorThings page against the REST history, per concurrency."""
    out = []
    for c in sorted({c for _, c in samples}):
        sta, rest = samples[STA, c], samples[REST, c]
        case = f"Observations page of {PAGE}, c={c}"
        out += [
            Figure(
                case,
                "req/s",
                median([r.requests / r.duration_s for r in sta]),
                "higher",
                REST,
                median([r.requests / r.duration_s for r in rest]),
            ),
            Figure(
                case,
                "p99 ms",
                median([r.p99_ms for r in sta]),
                "lower",
                REST,
                median([r.p99_ms for r in rest]),
            ),
        ]
    return out


def run(options: Options) -> SectionResult:
    """Load one Datastream, then measure its newest page both ways (see the module)."""
    count = QUICK_READINGS if options.quick else READINGS
    loads = [load_average()]
    with (
        fresh_database(SQLITE, genesis=True) as url,
        tempfile.TemporaryDirectory() as tmp,
        steps_progress() as progress,
    ):
        task = progress.add_task("sensorthings: loading readings", total=None)
        token = create_token(url, "operations", "bench-sta")
        with twin_servers(url, Path(tmp), 1) as (base,):
            headers = {"Authorization": f"Bearer {token}"}
            with httpx.Client(base_url=base, headers=headers, timeout=120) as client:
                end = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=1)
                load_readings(client, count, end)
                found = paths(end)
                check(client, found)
            progress.update(task, description="sensorthings: wrk", total=None)

            def step() -> None:
                progress.advance(task)
                loads.append(load_average())

            samples = measure(base, found, token, options, step)
    bad = sum(r.bad_status + r.socket_errors for runs in samples.values() for r in runs)
    notes = [
        f"{count:,} readings of `{FACILITY}` `{METRIC}` loaded; both requests answer the same "
        f"{PAGE} values (checked before measuring).",
        "pygeoapi is not measured here: it serves no SensorThings API.",
        f"1-minute load average {min(loads):.1f}..{max(loads):.1f} on {cpus()} CPUs.",
    ]
    if bad:
        notes.append(f"{bad} failed or non-2xx responses (see wrk).")
    return SectionResult(
        name="sensorthings",
        figures=figures(samples),
        method=(
            f"One real `twin serve` on a fresh SQLite log with the campus's genesis and "
            f"{count:,} readings of one Datastream, {STEP_S} s apart, posted through "
            f"`/api/v1/facilities/readings`; an operations token. `wrk` (one thread) keeps c "
            f"connections busy for {DURATION_S:g} s per measurement on the SensorThings page "
            f"and on the REST history of the same {PAGE} readings, alternating; medians of "
            f"{ROUNDS} rounds."
        ),
        notes=notes,
    )
