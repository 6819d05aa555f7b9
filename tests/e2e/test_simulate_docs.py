"""Every command of docs/operations.md's "A live campus: `twin simulate`" run as written, with
only the places swapped for a test's own (a fresh database, a free port, a broker prefix of
its own): the twin in simulation mode, a token, the simulator over HTTP and over MQTT through
the bridge; the readings arrive, marked simulated, and raise what the scenarios should."""

from __future__ import annotations

import re
import shlex
import time
from pathlib import Path

import httpx
import pytest
from cli_runner import twin
from helpers_mqtt import start_bridge
from live_server import start_twin, stop_twin

pytestmark = [pytest.mark.slow, pytest.mark.mqtt]
DOC = Path(__file__).resolve().parents[2] / "docs" / "operations.md"
SECTION = "## A live campus: `twin simulate`"
SERVER, BROKER, PREFIX, DB = (
    "http://127.0.0.1:8000",
    "mqtt://127.0.0.1:1883",
    "campus",
    "var/simulated.db",
)


def commands() -> list[list[str]]:
    """The ``twin`` commands of the section's shell blocks, as words (comments left out)."""
    text = DOC.read_text(encoding="utf-8").split(SECTION, 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", text, re.S)
    return [
        shlex.split(line, comments=True)
        for b in blocks
        for line in b.splitlines()
        if line.startswith("twin ")
    ]


def raised_alerts(url: str, headers: dict[str, str], wanted: set[str]) -> set[str]:
    """Keys of the alerts raised so far, once ``wanted`` are among them (the bridge records
    what the broker holds after the simulator has finished) or after a minute."""
    deadline = time.monotonic() + 60
    while True:
        answer = httpx.get(
            f"{url}/api/v1/facilities/alerts", params={"limit": 1000}, headers=headers, timeout=30
        ).json()
        raised = {e["alert"]["key"] for e in answer["events"] if e["type"] == "raised"}
        if wanted <= raised or time.monotonic() > deadline:
            return raised
        time.sleep(0.5)


def test_the_section_shows_each_way_of_running_a_simulation():
    shown = [" ".join(words[:2]) for words in commands()]
    assert shown == [
        "twin serve",
        "twin token",
        "twin simulate",
        "twin simulate",
        "twin ingest",
        "twin simulate",
    ]


def test_every_command_of_the_section_runs_as_written(tmp_path, mqtt_url, mqtt_prefix):
    db = str(tmp_path / "simulated.db")
    swap = {DB: db, SERVER: None, BROKER: mqtt_url, PREFIX: mqtt_prefix}
    live, bridge, token = None, None, ""
    try:
        for words in commands():
            if words[:2] == ["twin", "serve"]:
                live = start_twin(tmp_path, *[swap.get(w, w) for w in words[2:]])
                swap[SERVER] = live.url
                continue
            words = [token if w == "$TOKEN" else swap.get(w, w) for w in words]
            if words[:3] == ["twin", "ingest", "mqtt"]:
                assert words[3] == "--simulation" and "--db" in words
                options = [
                    w
                    for w in words[4:]
                    if w not in (db, mqtt_url, mqtt_prefix, "--db", "--url", "--prefix")
                ]
                bridge, _ = start_bridge(
                    tmp_path, mqtt_url, mqtt_prefix, Path(db), "--simulation", *options
                )
                continue
            run = twin(*words[1:], timeout=300)
            assert run.returncode == 0, f"{' '.join(words)}:\n{run.stdout}{run.stderr}"
            if words[1] == "token":
                token = run.stdout.strip().splitlines()[-1]
            else:
                assert re.search(r"sent [\d,]+ readings, \d+ sensor glitches", run.stdout), (
                    run.stdout
                )
        assert live is not None
        headers = {"Authorization": f"Bearer {token}"}
        facilities = httpx.get(f"{live.url}/api/v1/facilities", timeout=30).json()
        assert facilities["telemetry"] == "simulated"
        wanted = {
            "feed-down:feed-a",  # feed-a-trip, over HTTP
            "metric-limit:cooling-1:chw_supply_temp_c",  # cooling-degraded, over MQTT
            "metric-limit:dc:pue",
        }
        raised = raised_alerts(live.url, headers, wanted)
        assert wanted <= raised, sorted(raised)
        pue = httpx.get(
            f"{live.url}/api/v1/facilities/metrics",
            params={"facility": "dc", "metric": "pue"},
            headers=headers,
            timeout=30,
        ).json()
        assert pue["provenance"] == "simulated" and pue["total"] > 0
    finally:
        if bridge is not None:
            bridge.terminate()
            bridge.wait(timeout=30)
        if live is not None:
            stop_twin(live)


def test_a_twin_not_in_simulation_mode_refuses_the_simulator_saying_why(live_twin, live_tokens):
    run = twin(
        "simulate",
        "--scenario",
        "feed-a-trip",
        "--duration",
        "2m",
        "--speed",
        "600",
        "--http",
        live_twin.url,
        "--token",
        live_tokens["operations"],
    )
    assert run.returncode == 1
    assert "wrong_provenance" in run.stdout + run.stderr
    assert "--simulation" in run.stdout + run.stderr


def test_a_run_that_would_overtake_the_clock_is_refused_before_it_starts():
    run = twin(
        "simulate",
        "--scenario",
        "normal-day",
        "--start",
        "2099-01-01T00:00:00+08:00",
        "--http",
        SERVER,
        "--token",
        "x",
    )
    assert run.returncode == 1 and "--start" in run.stdout + run.stderr
