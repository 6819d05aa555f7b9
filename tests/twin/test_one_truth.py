"""One derived state per instant (issue #16): a building's stage, percent, lateness and ready
date, and a facility's effective status, read alike by every view.

A real `twin serve` on a fresh SQLite log, and the `twin` command line on the same log. Each
scenario (a feed fault and its repair, late starts, logged progress, a reschedule, an import
that adds a building) is checked at several instants: the colour of every building and floor
in the construction and facilities modes, its feature card, the domain API's answer
(construction status, facilities, leasing availability) and the CLI's
`twin construction status --at` agree.
"""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from cli_runner import twin as run_twin
from live_server import start_twin, stop_twin

from assets.construction.palette import LATE_COLOR, PLANNED_COLOR, STAGE_COLORS
from twin.auth import TokenStore
from twin.eventlog import open_store
from viewer.modes.facilities import STATUS_COLOURS

NOW = datetime.now(UTC).replace(microsecond=0)
FAULT_AT, REPAIR_AT = NOW - timedelta(hours=3), NOW - timedelta(hours=2)
HALLS_ON_BOTH_FEEDS = [f"dc/hall-{k}" for k in range(1, 7)]
HALLS_ON_FEED_A = ["dc/hall-7", "dc/hall-8"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A server of our own, its database path and a token per writing role."""
    workdir = tmp_path_factory.mktemp("one-truth")
    db = workdir / "twin.db"
    live = start_twin(workdir, "--db", str(db), env={"TWIN_ANON_RATE": "0"})
    with open_store(f"sqlite:///{db}") as store:
        tokens = {
            r: TokenStore(store.engine).create(r, f"truth-{r}")
            for r in ("operations", "construction", "leasing")
        }
    try:
        with httpx.Client(base_url=live.url, timeout=120) as client:
            yield client, db, tokens
    finally:
        stop_twin(live)


def _auth(tokens, role):
    return {"Authorization": f"Bearer {tokens[role]}"}


def _report(server, statuses: dict[str, str], when: datetime) -> None:
    client, _, tokens = server
    readings = [
        {"facility": f, "status": s, "observed_at": when.isoformat()} for f, s in statuses.items()
    ]
    answer = client.post(
        "/api/v1/facilities/readings",
        json={"readings": readings},
        headers=_auth(tokens, "operations"),
    )
    assert answer.status_code == 200, answer.text
    assert all(r["result"] == "accepted" for r in answer.json()["results"]), answer.text


def _colours(client, mode: str, at: datetime | str) -> dict[str, str]:
    at = at if isinstance(at, str) else at.isoformat()
    return client.get("/api/v1/scene/colors", params={"mode": mode, "at": at}).json()["colors"]


def _card(client, feature: str, at: datetime | str) -> dict:
    at = at if isinstance(at, str) else at.isoformat()
    answer = client.get(f"/api/v1/scene/features/{feature}", params={"at": at})
    assert answer.status_code == 200, answer.text
    return answer.json()


# --- facilities: effective status, not construction stage ---------------------------------------
@pytest.fixture(scope="module")
def fed_then_faulted(server):
    """Everything in service, then feed A in fault, then repaired (net-intl-2 still being built)."""
    client = server[0]
    ids = [
        f["id"]
        for f in client.get("/api/v1/facilities").json()["facilities"]
        if f["id"] != "cross-border-centre"
    ]
    start = FAULT_AT - timedelta(hours=1)
    _report(server, dict.fromkeys(ids, "operational") | {"net-intl-2": "under_construction"}, start)
    _report(server, {"feed-a": "fault"}, FAULT_AT)
    _report(server, {"feed-a": "operational"}, REPAIR_AT)
    return server


def _floor_of(client, hall: str) -> str:
    found = client.get("/api/v1/facilities", params={"under": hall}).json()["facilities"]
    return next(f["floor"] for f in found if f["id"] == hall)


def test_a_feed_fault_shows_no_power_and_lost_redundancy_everywhere(fed_then_faulted):
    client = fed_then_faulted[0]
    during = FAULT_AT + timedelta(minutes=10)
    colours = _colours(client, "facilities", during)
    facilities = {
        f["id"]: f
        for f in client.get("/api/v1/facilities", params={"at": during.isoformat()}).json()[
            "facilities"
        ]
    }
    for hall in HALLS_ON_FEED_A:
        floor = _floor_of(client, hall)
        assert facilities[hall]["status"] == "operational"  # its own report
        assert facilities[hall]["effective_status"] == "no_power"
        assert colours[floor] == STATUS_COLOURS["no_power"][0], floor
        assert _card(client, floor, during)["facility_status"] == "no_power"
    for hall in HALLS_ON_BOTH_FEEDS:
        floor = _floor_of(client, hall)
        assert facilities[hall]["effective_status"] == "lost_redundancy"
        assert colours[floor] == STATUS_COLOURS["lost_redundancy"][0], floor
    assert colours["data-centre"] == STATUS_COLOURS["fault"][0]  # the feed itself
    card = _card(client, "data-centre", during)
    assert card["facility_status"] == "fault"
    campus = client.get("/api/v1/campus", params={"at": during.isoformat()}).json()
    state = {f["id"]: f for f in campus["state"]["facilities"]}
    assert state["feed-a"]["effective_status"] == "fault"


def test_after_the_repair_a_link_still_being_built_does_not_paint_the_data_centre(
    fed_then_faulted,
):
    client = fed_then_faulted[0]
    after = REPAIR_AT + timedelta(minutes=10)
    colours = _colours(client, "facilities", after)
    assert colours["data-centre"] == STATUS_COLOURS["operational"][0]
    for hall in HALLS_ON_BOTH_FEEDS + HALLS_ON_FEED_A:
        assert colours[_floor_of(client, hall)] == STATUS_COLOURS["operational"][0]
    card = _card(client, "data-centre", after)
    assert card["facility_status"] == "operational"


# --- a maintenance window: the feed in maintenance, its halls on one feed, only inside it -------
WINDOW = (NOW + timedelta(hours=5), NOW + timedelta(hours=7))


@pytest.fixture(scope="module")
def feed_a_window(fed_then_faulted):
    """A planned work order holding feed A in maintenance for two hours, later today."""
    client, _, tokens = fed_then_faulted
    body = {
        "facility": "feed-a",
        "kind": "planned",
        "priority": "P2",
        "title": "Feed A switchgear service",
        "planned_start": WINDOW[0].isoformat(),
        "window_end": WINDOW[1].isoformat(),
    }
    answer = client.post(
        "/api/v1/facilities/work-orders", json=body, headers=_auth(tokens, "operations")
    )
    assert answer.status_code == 201, answer.text
    return fed_then_faulted, answer.json()["id"]


@pytest.mark.parametrize(
    ("offset", "inside"), [(-10, False), (60, True), (119, True), (121, False)]
)
def test_a_maintenance_window_is_one_status_in_every_view(feed_a_window, offset, inside):
    (client, db, tokens), order_id = feed_a_window
    at = WINDOW[0] + timedelta(minutes=offset)
    colours = _colours(client, "facilities", at)
    facilities = {
        f["id"]: f
        for f in client.get("/api/v1/facilities", params={"at": at.isoformat()}).json()[
            "facilities"
        ]
    }
    redundancy = client.get(
        "/api/v1/facilities/redundancy",
        params={"failed": "feed-b", "at": at.isoformat()},
        headers=_auth(tokens, "operations"),
    ).json()
    levels = {h["hall"]: h["before"] for h in redundancy["halls"]}
    expected = ("maintenance", "lost_redundancy", "N") if inside else ("operational",) * 2 + ("2N",)
    assert facilities["feed-a"]["status"] == facilities["feed-a"]["effective_status"] == expected[0]
    for hall in HALLS_ON_BOTH_FEEDS:
        floor = _floor_of(client, hall)
        assert facilities[hall]["effective_status"] == expected[1], (hall, at)
        assert colours[floor] == STATUS_COLOURS[expected[1]][0], floor
        assert _card(client, floor, at)["facility_status"] == expected[1]
        assert levels[hall] == expected[2]
    campus = client.get("/api/v1/campus", params={"at": at.isoformat()}).json()
    state = {f["id"]: f for f in campus["state"]["facilities"]}
    assert state["feed-a"]["effective_status"] == expected[0]
    cli = run_twin("facilities", "work-orders", "list", "--facility", "feed-a",
                   "--at", at.isoformat(), "--db", str(db))  # fmt: skip
    assert cli.returncode == 0, cli.stderr
    row = next(line for line in cli.stdout.splitlines() if order_id in line)
    assert ("maintenance" in row) is inside


# --- construction: stage, percent, lateness and ready date, one answer ------------------------
API = "/api/v1/construction"
INSTANTS = ("2023-01-01", "2024-09-12", "2026-06-01")
"""Instants before the writes below take effect (they take effect when recorded, now)."""


def _cli_rows(db, at: str) -> dict[str, list[str]]:
    """`twin construction status --at` as the user reads it: the cells of each row, by id."""
    done = run_twin("construction", "status", "--at", at, "--db", str(db))
    assert done.returncode == 0, done.stderr
    rows = {}
    for line in done.stdout.splitlines():
        cells = [c.strip() for c in re.split(r"[│|]", line)]
        cells = [c for c in cells if c != ""]
        if len(cells) == 8:
            rows[cells[0]] = cells
    return rows


def _expected_colour(entity: dict) -> str:
    if entity["late"]:
        return LATE_COLOR
    return PLANNED_COLOR if entity["status"] == "planned" else STAGE_COLORS[entity["stage"]]


def _percent_text(entity: dict) -> str:
    text = f"{entity['percent']:g}"
    return f"~{text}" if entity["percent_basis"] == "estimate" else text


def assert_views_agree(server, at: str) -> dict[str, dict]:
    """Colour, card, progress, construction API, CLI and availability agree at ``at``;
    returns the construction API's answer by building id."""
    client, db, _ = server
    body = client.get(f"{API}/buildings", params={"at": at}).json()["buildings"]
    api = {b["id"]: b for b in body}
    colours = _colours(client, "construction", at)
    progress = client.get("/api/v1/scene/progress", params={"at": at}).json()["buildings"]
    cli = _cli_rows(db, at)
    day = date.fromisoformat(at[:10])
    for bid, p in progress.items():
        e = api[bid]
        facts = (e["stage"], e["percent"], e["percent_basis"], e["late"])
        card = _card(client, bid, at)
        assert (card["stage"], card["percent"], card["percent_basis"], card["late"]) == facts
        assert (p["stage"], p["stage_percent"], p["percent_basis"], p["late"]) == facts
        assert p["ready"] == card["ready"]
        assert colours[bid] == _expected_colour(e), (bid, at)
        assert cli[bid][4] == _percent_text(e), (bid, at, cli[bid])
        if e["status"] != "planned":
            assert cli[bid][3] == e["status"]
        if card["ready"] is not None and p["stage"] != "in_use":
            assert date.fromisoformat(card["ready"]) >= day  # never a ready date in the past
        offered = _ready_on_offered(server, bid, at)
        assert offered in (None, card["ready"]), (bid, at)  # None: no office units
    return api


def _ready_on_offered(server, building: str, at: str) -> str | None:
    client, _, tokens = server
    answer = client.get(
        "/api/v1/leasing/availability",
        params={"building": building, "kind": "office", "limit": 1, "at": at},
        headers=_auth(tokens, "leasing"),
    )
    assert answer.status_code == 200, answer.text
    items = answer.json()["items"]
    return items[0]["ready_on"] if items else None


@pytest.mark.parametrize("at", INSTANTS)
def test_every_view_agrees_on_the_genesis_history(server, at):
    api = assert_views_agree(server, at)
    assert all(not e["late"] for e in api.values()) or at != "2023-01-01"


def test_work_that_should_have_started_is_late_in_every_view(server):
    """The fish body and tail blocks have not started their foundation (planned 2024-10-01):
    on 2026-06-01 they are late in the API, the progress the viewer counts, and red."""
    at = "2026-06-01"
    api = assert_views_agree(server, at)
    blocks = [b for b in api if b.startswith(("fish-body-", "fish-tail-"))]
    assert len(blocks) == 12
    progress = server[0].get("/api/v1/scene/progress", params={"at": at}).json()["buildings"]
    for b in blocks:
        assert api[b]["late"] and progress[b]["late"] and not progress[b]["begun"]


def test_a_unit_is_ready_when_its_building_is_forecast_to_be(server):
    """Fish-head use was planned for 2026-03-01; on 2026-06-01 that date has passed without
    use, so every view offers the forecast day instead, the same day everywhere."""
    client = server[0]
    at = "2026-06-01"
    card = _card(client, "fish-head-t1/L10/U01", at)
    tower = client.get(f"{API}/buildings/fish-head-t1", params={"at": at}).json()
    use = next(s for s in tower["stages"] if s["stage"] == "in_use")
    assert use["planned_start"] == "2026-03-01"
    assert card["ready"] == use["forecast_start"] and card["ready"] > at
    assert _ready_on_offered(server, "fish-head-t1", at) == card["ready"]
    # a search for space ready by a day before the forecast does not offer it
    _, _, tokens = server
    early = client.get(
        "/api/v1/leasing/availability",
        params={"building": "fish-head-t1", "available_from": "2026-07-01", "at": at},
        headers=_auth(tokens, "leasing"),
    ).json()
    assert early["total"] == 0


def _write(server, building, stage, verb, body):
    client, _, tokens = server
    answer = client.post(
        f"{API}/buildings/{building}/stages/{stage}/{verb}",
        json=body,
        headers=_auth(tokens, "construction"),
    )
    assert answer.status_code == 200, answer.text


@pytest.fixture(scope="module")
def siblings_started(server):
    """Two fish-body blocks start their foundation on 2026-09-01; one reports 10 % on
    2026-11-20 (a slow rate), the other reports nothing; a third is rescheduled."""
    for b in ("fish-body-b1", "fish-body-b2"):
        _write(server, b, "foundation", "start", {"on": "2026-09-01"})
    _write(server, "fish-body-b1", "foundation", "progress", {"percent": 10, "on": "2026-11-20"})
    _write(
        server,
        "fish-body-b3",
        "foundation",
        "reschedule",
        {"planned_start": "2027-03-01", "planned_end": "2028-02-28", "reason": "re-tendered"},
    )
    return server


def test_logged_progress_is_one_percent_and_never_worsens_the_forecast(siblings_started):
    server = siblings_started
    client = server[0]
    at = (NOW + timedelta(days=1)).isoformat()
    api = assert_views_agree(server, at)
    reported, silent = api["fish-body-b1"], api["fish-body-b2"]
    assert (reported["percent"], reported["percent_basis"]) == (10, "logged")
    assert silent["percent_basis"] == "estimate" and silent["percent"] > 0
    ends = {}
    for b in ("fish-body-b1", "fish-body-b2"):
        stages = client.get(f"{API}/buildings/{b}", params={"at": at}).json()["stages"]
        ends[b] = next(s["forecast_end"] for s in stages if s["stage"] == "foundation")
    assert ends["fish-body-b1"] <= ends["fish-body-b2"]
    # the rescheduled block is not late before its new planned start
    assert not any(
        s["late"]
        for s in client.get(f"{API}/buildings/fish-body-b3", params={"at": at}).json()["stages"]
        if s["stage"] == "foundation"
    )


# --- an import adds a building: every view sees the campus as built at the instant -------------
FACTORY = Path(__file__).parents[1] / "assets" / "ifc_factory.py"
IMPORTED_ON = "2025-06-01"


@pytest.fixture(scope="module")
def imported_server(tmp_path_factory):
    """A server on a log into which an IFC building (fin-lab) was imported on IMPORTED_ON."""
    workdir = tmp_path_factory.mktemp("one-truth-import")
    ifc, db = workdir / "fin-lab.ifc", workdir / "twin.db"
    subprocess.run([sys.executable, str(FACTORY), str(ifc)], check=True, timeout=120)
    done = run_twin("import", str(ifc), "--db", str(db), "--effective", IMPORTED_ON)
    assert done.returncode == 0, done.stderr
    live = start_twin(workdir, "--db", str(db))
    with open_store(f"sqlite:///{db}") as store:
        tokens = {"leasing": TokenStore(store.engine).create("leasing", "truth-import")}
    try:
        with httpx.Client(base_url=live.url, timeout=120) as client:
            yield client, db, tokens
    finally:
        stop_twin(live)


@pytest.mark.parametrize(("at", "present"), [("2025-05-31", False), ("2025-06-02", True)])
def test_a_building_imported_later_is_in_every_view_from_then_on(imported_server, at, present):
    api = assert_views_agree(imported_server, at)
    assert ("fin-lab" in api) is present
    cli = _cli_rows(imported_server[1], at)
    assert ("fin-lab" in cli) is present
