"""Ingestion: facility readings a second into the log, over HTTP and over MQTT, on each database.

On a fresh database per backend with the campus's genesis: readings ``POST``-ed in batches to
a real ``twin serve`` (against the same batches recorded in process: the ceiling without
HTTP), and readings published to the broker and recorded by a real ``twin ingest mqtt``
(against the same messages through the broker to a bare subscriber: the ceiling of the broker
and Python's MQTT client on this machine). The paths are in :mod:`bench.ingest_paths`.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from rich.progress import Progress, TaskID

from bench.databases import SQLITE, backend_name, backends, fresh_database, server_version
from bench.ingest_paths import broker_rates, broker_version, http_rates, mqtt_rates, service_rates
from bench.machine import busy_note, load_average
from bench.measure import median
from bench.processes import create_token
from bench.progress import steps_progress
from bench.section import Figure, Options, SectionResult, Target

TARGET = 5000.0
"""Readings a second the log must take on SQLite."""
IN_PROCESS = "in process (no HTTP)"
BROKER_ALONE = "broker alone (no twin)"

METHOD = (
    "Each database gets a fresh log with the campus's genesis. *HTTP*: batches of readings "
    "`POST`-ed to `/api/v1/facilities/readings` of a real `twin serve` (one client, one request "
    "at a time), timed per request; its baseline records the same batches in process "
    "(`FacilityIngest.record`: checks, duplicate lookup, bulk append, alert rules), the ceiling "
    "without HTTP. *MQTT*: readings published at QoS 1 as fast as a paho client goes to "
    "`<prefix>/<row>/metrics` and recorded by a real `twin ingest mqtt`, timed from the first "
    "publish until the last reading is in the log; its baseline sends the same messages to a "
    "bare paho subscriber (MQTT 5, QoS 1, no twin): the ceiling of the broker and Python's MQTT "
    "client here. Every reading is a fresh `load_kw` value of one of the 120 rack rows with its "
    "own idempotency key, so all are recorded. Figures are medians of the runs, readings a "
    "second; the target is judged on SQLite with the largest batch of each path."
)


@dataclass(frozen=True)
class Plan:
    """How much each path sends."""

    http_batches: tuple[int, ...]
    http_repeats: int
    mqtt_readings: int
    mqtt_per_message: tuple[int, ...]
    mqtt_repeats: int

    @classmethod
    def of(cls, options: Options) -> Plan:
        """Short runs for ``--quick``."""
        if options.quick:
            return cls((1000,), 2, 1000, (1, 20), 1)
        return cls((100, 1000), 5, 10_000, (1, 20), 3)


@dataclass(frozen=True)
class Case:
    """One path's runs and its baseline's runs, readings a second."""

    path: str
    backend: str
    size: int
    rates: list[float]
    baseline: str
    baseline_rates: list[float]

    @property
    def name(self) -> str:
        """E.g. ``"HTTP, 1,000 a request, SQLite"``."""
        unit = "a request" if self.path == "HTTP" else "a message"
        return f"{self.path}, {self.size:,} {unit}, {backend_name(self.backend)}"

    def figure(self) -> Figure:
        """The median rate against the baseline's median."""
        rate, base = median(self.rates), median(self.baseline_rates)
        return Figure(self.name, "readings/s", rate, "higher", self.baseline, base)


def measure_ceilings(
    broker: str, plan: Plan, progress: Progress, task: TaskID
) -> dict[int, list[float]]:
    """The broker-alone runs, per readings a message."""
    ceilings = {}
    for per in plan.mqtt_per_message:
        progress.update(task, description=f"ingestion: broker alone, {per} a message")
        ceilings[per] = broker_rates(broker, plan.mqtt_readings, per, plan.mqtt_repeats)
        progress.advance(task)
    return ceilings


def measure_backend(
    db: str,
    plan: Plan,
    broker: str | None,
    ceilings: dict[int, list[float]],
    progress: Progress,
    task: TaskID,
) -> list[Case]:
    """Every path on a fresh database of backend ``db``."""
    cases = []
    with fresh_database(db, genesis=True) as url, tempfile.TemporaryDirectory() as tmp:
        token = create_token(url, "operations", "bench-ingest")
        in_process = {}
        for batch in plan.http_batches:
            progress.update(task, description=f"ingestion: in process, {batch:,} a batch")
            in_process[batch] = service_rates(url, batch, plan.http_repeats)
            progress.advance(task)
        progress.update(task, description="ingestion: HTTP")
        http = http_rates(url, token, plan.http_batches, plan.http_repeats, Path(tmp))
        for batch, rates in http.items():
            cases.append(Case("HTTP", db, batch, rates, IN_PROCESS, in_process[batch]))
            progress.advance(task)
        for per, ceiling in ceilings.items():
            assert broker is not None
            progress.update(task, description=f"ingestion: MQTT, {per} a message")
            runs = plan.mqtt_repeats
            rates = mqtt_rates(url, broker, plan.mqtt_readings, per, runs, Path(tmp))
            cases.append(Case("MQTT", db, per, rates, BROKER_ALONE, ceiling))
            progress.advance(task)
    return cases


def run(options: Options) -> SectionResult:
    """Every path of the plan on every database."""
    plan = Plan.of(options)
    dbs = backends(options.postgres_url)
    mqtt_cases = len(plan.mqtt_per_message) if options.mqtt_url else 0
    steps = mqtt_cases + len(dbs) * (2 * len(plan.http_batches) + mqtt_cases)
    cases: list[Case] = []
    with steps_progress() as progress:
        task = progress.add_task("ingestion", total=steps)
        ceilings = {}
        if options.mqtt_url:
            ceilings = measure_ceilings(options.mqtt_url, plan, progress, task)
        for db in dbs:
            cases += measure_backend(db, plan, options.mqtt_url, ceilings, progress, task)
    environment = [server_version(db) for db in dbs]
    if options.mqtt_url:
        environment.append(broker_version(options.mqtt_url) or "MQTT broker (version unknown)")
    return SectionResult(
        name="ingestion",
        figures=[c.figure() for c in cases],
        targets=targets(cases, load_average()),
        method=METHOD,
        notes=notes(cases, plan, bool(options.mqtt_url)),
        environment=environment,
    )


def targets(cases: list[Case], load: float) -> list[Target]:
    """≥ TARGET readings a second on SQLite, per path, with its largest batch; ``load`` is the
    machine's load average while measuring (a reason for a miss)."""
    out = []
    for path in ("HTTP", "MQTT"):
        on_sqlite = [c for c in cases if c.path == path and c.backend == SQLITE]
        if not on_sqlite:
            continue
        case = max(on_sqlite, key=lambda c: c.size)
        rate, ceiling = median(case.rates), median(case.baseline_rates)
        text = f"ingestion ≥ {TARGET:,.0f} readings/s on SQLite over {path}"
        shown = f"{rate:,.0f} readings/s ({case.name})"
        if rate >= TARGET:
            out.append(Target(text, True, f"{shown}, {rate / TARGET:.1f}× the target"))
            continue
        reason = why(case, ceiling) + busy_note(load)
        out.append(Target(text, False, f"{shown}, {1 - rate / TARGET:.0%} short; {reason}"))
    return out


def why(case: Case, ceiling: float) -> str:
    """Why a path misses the target, from its baseline."""
    if case.path == "HTTP":
        if ceiling < TARGET:
            return (
                f"recording alone (checks, duplicate lookup, append with synchronous=FULL) goes at "
                f"{ceiling:,.0f} readings/s in process"
            )
        return (
            f"in process the same batches go at {ceiling:,.0f}/s: the HTTP request (JSON, "
            f"validation, one request at a time) costs the rest"
        )
    if ceiling < TARGET:
        return (
            f"the broker alone with Python's MQTT client tops out at {ceiling:,.0f} readings/s "
            f"here, below the target before the twin does anything"
        )
    return (
        f"the bridge reaches {median(case.rates) / ceiling:.0%} of the broker's ceiling "
        f"({ceiling:,.0f}/s): decoding, checking and appending each batch costs the rest"
    )


def notes(cases: list[Case], plan: Plan, mqtt: bool) -> list[str]:
    """The spread of the runs and what was skipped."""
    lines = [
        f"{c.name}: runs {', '.join(f'{r:,.0f}' for r in c.rates)} readings/s; "
        f"{c.baseline} {median(c.baseline_rates):,.0f}/s."
        for c in cases
    ]
    if mqtt:
        lines.append(f"Each MQTT run sends {plan.mqtt_readings:,} readings.")
    else:
        lines.append("MQTT not measured: no broker given (`--mqtt mqtt://127.0.0.1:1883`).")
    return lines
