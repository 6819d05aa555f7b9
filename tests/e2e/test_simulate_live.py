"""A live campus end to end (issue #21, part 4): `twin simulate` publishes the "feed-a-trip"
scenario at high speed to a real broker (TWIN_TEST_MQTT_URL), the real MQTT bridge
(`twin ingest mqtt --simulation`) records it in a real `twin serve --simulation`, and real
headless Chromium shows it: the data centre's colour changes within a second of feed A's trip
and of its return, the banner says the data are simulated, and the alerts the trip should
raise are raised, escalated while nobody acknowledges them, and cleared (GET
/api/v1/facilities/alerts and /alarms)."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import httpx
import paho.mqtt.client as mqtt
import pytest
from helpers_mqtt import start_bridge

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.mqtt]
SPEED = 120
"""Simulated seconds per real second: the scenario's hour in 30 s, the trip 5 s in."""
SHOWN_WITHIN_S = 1.0
TRIP_ALERTS = {
    "feed-down:feed-a",
    *(f"hall-redundancy:dc/hall-{k}" for k in range(1, 7)),  # the 2N halls on feed B alone
    "hall-power:dc/hall-7",  # the halls on feed A only
    "hall-power:dc/hall-8",
}
RECORD_COLOURS = """() => {
  window.__colours = [];
  setInterval(() => window.__colours.push([Date.now(), window.twin.colorOf('data-centre')]), 20);
}"""


def watch_feed_a(url: str, prefix: str) -> tuple[mqtt.Client, list[tuple[float, str]]]:
    """A client receiving feed A's status messages as the bridge does: (ms since the epoch
    received, status)."""
    seen: list[tuple[float, str]] = []
    host, port = url.removeprefix("mqtt://").split(":")
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)

    def received(_c, _u, message) -> None:
        for reading in json.loads(message.payload):
            seen.append((time.time() * 1000, reading["status"]))

    client.on_message = received
    client.connect(host, int(port))
    client.subscribe(f"{prefix}/feed-a/status", qos=1)
    client.loop_start()
    return client, seen


def first_change(colours: list, since_ms: float) -> tuple[float, str, str]:
    """(delay after ``since_ms`` in s, colour before, colour after) of the data centre's
    first change of colour after ``since_ms``."""
    before = [c for t, c in colours if t <= since_ms][-1]
    for t, c in colours:
        if t > since_ms and c != before:
            return (t - since_ms) / 1000, before, c
    raise AssertionError(f"the data centre stayed {before} after {since_ms}")


@pytest.fixture
def simulation_twin(tmp_path):
    """A `twin serve --simulation` on a fresh SQLite log, and an operations token."""
    from live_server import start_twin, stop_twin

    from twin.auth import TokenStore
    from twin.eventlog import open_store

    db = tmp_path / "twin.db"
    # the alarm clock every half second; a critical alarm escalates after 5 min unacknowledged
    clock = {"TWIN_ALARM_SWEEP_INTERVAL": "0.5", "TWIN_ALARM_ESCALATION": "critical=300"}
    live = start_twin(tmp_path, "--simulation", "--db", str(db), env=clock)
    with open_store(f"sqlite:///{db}") as store:
        token = TokenStore(store.engine).create("operations", "test-simulate")
    yield live, token, db
    stop_twin(live)


def test_feed_a_trip_shows_in_the_viewer_within_a_second_and_raises_and_clears_its_alerts(
    browser, simulation_twin, mqtt_url, mqtt_prefix, tmp_path
):
    from viewer_browser import VIEWPORT, ViewerPage

    live, token, db = simulation_twin
    client_id = "sim-" + mqtt_prefix.rsplit("/", 1)[-1]
    bridge, _ = start_bridge(
        tmp_path, mqtt_url, mqtt_prefix, db, "--simulation", "--client-id", client_id
    )
    watcher, statuses = watch_feed_a(mqtt_url, mqtt_prefix)
    context = browser.new_context(viewport=VIEWPORT)
    try:
        v = ViewerPage(context.new_page(), live.url).open("mode=facilities&lang=en")
        banner = v.page.locator("#sim-banner")
        assert banner.is_visible() and banner.inner_text().startswith("Simulated data")
        v.js(RECORD_COLOURS)
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "cli",
                "simulate",
                "--scenario",
                "feed-a-trip",
                "--speed",
                str(SPEED),
                "--mqtt",
                mqtt_url,
                "--prefix",
                mqtt_prefix,
                "--seed",
                "1",
            ],
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        assert run.returncode == 0, run.stdout + run.stderr
        assert "refused: out_of_range" in run.stdout  # its glitches, refused and counted
        time.sleep(SHOWN_WITHIN_S)
        colours = v.js("window.__colours")
        trip = next(t for t, s in statuses if s == "fault")
        back = next(t for t, s in statuses if s == "operational" and t > trip)
        delay, normal, tripped = first_change(colours, trip)
        assert delay < SHOWN_WITHIN_S, f"the trip showed after {delay:.2f} s"
        delay, _, restored = first_change(colours, back)
        assert delay < SHOWN_WITHIN_S, f"the return showed after {delay:.2f} s"
        assert (normal, restored) == (normal, normal) and tripped != normal
        v.page.click("#lang")
        v.page.wait_for_function(
            "() => document.querySelector('#sim-banner').textContent.startsWith('模拟数据')"
        )
        assert v.errors == []
    finally:
        context.close()
        watcher.loop_stop()
        bridge.terminate()
        bridge.wait(timeout=30)

    answer = httpx.get(
        f"{live.url}/api/v1/facilities/alerts",
        params={"limit": 1000},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    ).json()
    raised = {e["alert"]["key"]: e["at"] for e in answer["events"] if e["type"] == "raised"}
    cleared = {e["alert"]["key"]: e["at"] for e in answer["events"] if e["type"] == "cleared"}
    assert set(raised) >= TRIP_ALERTS, sorted(raised)
    assert all(raised[k].endswith("T14:00:00+08:00") for k in TRIP_ALERTS), raised
    # nobody acknowledged feed A's alarm: the clock escalated it, 5 min after the trip, while
    # it lasted (dated when it fell due), and it cleared with the feed's return
    alarms = httpx.get(
        f"{live.url}/api/v1/facilities/alarms",
        params={"facility": "feed-a", "state": "cleared"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    ).json()["alarms"]
    (feed,) = [a for a in alarms if a["key"] == "feed-down:feed-a"]
    assert feed["severity"] == "critical" and feed["escalation"] >= 1, feed
    assert feed["escalated_at"] < feed["cleared_at"], feed
    assert feed["cleared_at"].endswith("T14:40:00+08:00"), feed
    assert set(cleared) >= TRIP_ALERTS, sorted(cleared)
    assert all(cleared[k].endswith("T14:40:00+08:00") for k in TRIP_ALERTS), cleared
    assert not TRIP_ALERTS & {a["key"] for a in answer["active"]}
    facilities = httpx.get(f"{live.url}/api/v1/facilities", timeout=30).json()
    assert facilities["telemetry"] == "simulated"
