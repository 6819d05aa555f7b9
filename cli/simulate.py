"""``twin simulate``: a live campus for demonstration and testing (simulated telemetry)."""

from __future__ import annotations

import re
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from assets.clock import CAMPUS_TZ
from assets.dataset import EMBEDDED, load_campus
from assets.facilities.catalog import build_topology
from assets.facilities.scenario import Scenario, ScenarioError, load_scenario, scenario_names
from assets.facilities.simulation import ticks
from cli.app import CliError, app, console
from cli.options import DataDir

DURATION = re.compile(r"^(\d+(?:\.\d+)?)([smhd])$")
UNIT_S = {"s": 1, "m": 60, "h": 3600, "d": 86400}
EXPECTED = frozenset({"out_of_range", "duplicate"})
"""Outcomes that are not errors: its sensor glitches (refused on purpose), and readings
already recorded (a run again, or over instants another run filled: the first values stay)."""


def parse_duration(text: str) -> timedelta:
    """``90s``, ``45m``, ``2h`` or ``1d`` as a duration."""
    found = DURATION.match(text.strip())
    if not found or float(found.group(1)) <= 0:
        raise CliError(f"--duration {text!r}: give a number and s, m, h or d, e.g. 45m or 2h")
    return timedelta(seconds=float(found.group(1)) * UNIT_S[found.group(2)])


def default_start(scenario: Scenario, now: datetime) -> datetime:
    """The latest run of ``scenario`` at its time of day that ends by ``now`` (campus time)."""
    today = now.astimezone(CAMPUS_TZ).replace(hour=0, minute=0, second=0, microsecond=0)
    start = today + scenario.start
    while start + scenario.duration > now:
        start -= timedelta(days=1)
    return start


def check_clock(start: datetime, duration: timedelta, speed: float, now: datetime) -> None:
    """Refuse a run whose simulated clock would overtake the wall clock: the twin refuses
    readings observed in the future."""
    end, wall_end = start + duration, now + duration / speed
    if start > now or end > wall_end + timedelta(seconds=1):
        raise CliError(
            f"this run would report readings observed after they are sent (it ends at "
            f"{end.isoformat()} simulated, {wall_end.astimezone(CAMPUS_TZ):%H:%M:%S} real), "
            "which the twin refuses: give an earlier --start, a shorter --duration or a lower "
            "--speed"
        )


@app.command()
def simulate(
    scenario: Annotated[
        str,
        typer.Option(help=f"A scenario ({', '.join(scenario_names())}) or a scenario JSON file."),
    ] = "normal-day",
    speed: Annotated[
        float, typer.Option(min=0.001, help="Simulated seconds per real second.")
    ] = 60.0,
    mqtt: Annotated[
        str | None, typer.Option(help="Publish to this MQTT broker (mqtt://host:1883).")
    ] = None,
    prefix: Annotated[str, typer.Option(help="MQTT topic prefix of the bridge.")] = "campus",
    http: Annotated[
        str | None, typer.Option(help="Or post to this twin (http://127.0.0.1:8000).")
    ] = None,
    token: Annotated[
        str | None, typer.Option(help="An operations token, with --http.", envvar="TWIN_TOKEN")
    ] = None,
    start: Annotated[
        str | None,
        typer.Option(
            help="Simulated start (ISO with offset); default: the scenario's time of day on "
            "the latest day the run ends by now."
        ),
    ] = None,
    duration: Annotated[
        str | None, typer.Option(help="Simulated length, e.g. 45m or 2h (default: the scenario's).")
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed of the noise: the same seed, the same run.")] = 0,
    data: DataDir = None,
) -> None:
    """Publish simulated telemetry of the data centre and the campus's facilities (marked
    "provenance": "simulated": only a twin in simulation mode records it). Readings are
    observed in simulated time, reported as they fall due at --speed."""
    from twin.facilities.publish import HttpSink, MqttSink, PublishError, Sink

    if (mqtt is None) == (http is None):
        raise CliError("give either --mqtt URL (the MQTT bridge) or --http URL --token T")
    if http is not None and not token:
        raise CliError("--http needs --token (an operations token: twin token create)")
    topology = build_topology(load_campus(data or EMBEDDED))
    try:
        plan = load_scenario(scenario, topology)
    except ScenarioError as exc:
        raise CliError(f"scenario {scenario}: {exc}") from exc
    if duration is not None:
        plan = replace(plan, duration=parse_duration(duration))
    now = datetime.now(UTC)
    begin = default_start(plan, now) if start is None else _instant(start)
    check_clock(begin, plan.duration, speed, now)
    try:
        sink: Sink = MqttSink(mqtt, prefix) if mqtt else HttpSink(http or "", token or "")
    except (OSError, ValueError) as exc:
        raise CliError(f"cannot reach {mqtt}: {exc}") from exc
    console.print(
        f"[bold]{plan.name}[/] from {begin.astimezone(CAMPUS_TZ).isoformat()} for "
        f"{plan.duration} at ×{speed:g} (seed {seed}) to {mqtt or http}"
    )
    sent = glitches = 0
    try:
        with _progress() as progress:
            task = progress.add_task("", total=int(plan.duration / plan.step) + 1, refused="")
            wall0 = time.monotonic()
            for tick in ticks(topology, plan, begin, seed):
                due = wall0 + (tick.at - begin).total_seconds() / speed
                time.sleep(max(0.0, due - time.monotonic()))
                sink.send(tick.readings)
                sent, glitches = sent + len(tick.readings), glitches + tick.glitches
                shown = tick.at.astimezone(CAMPUS_TZ).strftime("%m-%d %H:%M")
                progress.update(task, advance=1, description=shown, refused=_refusals(sink))
            time.sleep(1.0 if mqtt else 0.0)  # the bridge's last refusals
    except PublishError as exc:
        raise CliError(str(exc)) from exc
    finally:
        sink.close()
    console.print(
        f"sent {sent:,} readings, {glitches} sensor glitches; refused: {_refusals(sink) or 'none'}"
    )
    unexpected = {k: v for k, v in sink.refused.items() if k not in EXPECTED}
    if unexpected:
        hint = " (start the twin with --simulation)" if "wrong_provenance" in unexpected else ""
        raise CliError(f"the twin refused readings it should take: {unexpected}{hint}")


def _instant(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise CliError(f"--start {text!r} is not an ISO datetime") from None
    if moment.tzinfo is None:
        raise CliError(f"--start {text!r} has no offset: add +08:00 (campus time) or Z")
    return moment


def _refusals(sink: object) -> str:
    refused = getattr(sink, "refused", {})
    return ", ".join(f"{reason} {n}" for reason, n in sorted(refused.items()))


def _progress() -> Progress:
    return Progress(
        TextColumn("simulated {task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("refused: {task.fields[refused]}"),
        console=console,
    )
