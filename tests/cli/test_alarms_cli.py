"""``twin facilities alarms list|ack|shelve|unshelve|sweep`` on a real SQLite log: the same
commands and derived state as the API; refusals in one line, nothing recorded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cli_runner import twin

from assets.dataset import load_campus
from assets.facilities.alerts import alarm_id
from assets.facilities.readings import check_reading
from twin.eventlog import open_store
from twin.facilities.services import FacilityServices
from twin.genesis import ensure_genesis


def test_alarms_from_the_command_line(tmp_path):
    db = tmp_path / "twin.db"
    now = datetime.now(UTC).replace(microsecond=0)
    fault, hot = now - timedelta(minutes=10), now - timedelta(minutes=20)
    raws = [
        {"facility": "feed-b", "status": "fault", "observed_at": fault.isoformat()},
        {
            "facility": "dc/hall-1",
            "metric": "supply_temp_c",
            "value": 29,
            "unit": "°C",
            "observed_at": hot.isoformat(),
        },
    ]
    campus = load_campus()
    with open_store(f"sqlite:///{db}") as store:
        ensure_genesis(store, campus)
        svc = FacilityServices.open(store, campus)
        svc.ingest.record([check_reading(svc.topology, r, now) for r in raws], "test")
    feed = alarm_id("feed-down:feed-b", fault)
    listed = twin("facilities", "alarms", "list", "--db", str(db))
    assert listed.returncode == 0 and feed in listed.stdout, listed.stderr
    assert "supply_temp_c" not in listed.stdout  # past its limit: raised by the clock
    swept = twin("facilities", "alarms", "sweep", "--db", str(db))
    assert swept.returncode == 0 and "FacilityAlertRaised" in swept.stdout, swept.stderr
    hot_alarm = alarm_id("metric-limit:dc/hall-1:supply_temp_c", hot + timedelta(minutes=5))
    assert hot_alarm in swept.stdout and "FacilityAlarmEscalated" in swept.stdout
    again = twin("facilities", "alarms", "sweep", "--db", str(db))
    assert "0 steps recorded" in again.stdout
    acked = twin(
        "facilities", "alarms", "ack", feed, "--by", "ops-1", "--comment", "crew", "--db", str(db)
    )
    assert acked.returncode == 0, acked.stderr
    twice = twin("facilities", "alarms", "ack", feed, "--by", "ops-2", "--db", str(db))
    assert twice.returncode == 1 and "already acknowledged by ops-1" in twice.stderr
    assert "Traceback" not in twice.stderr
    shelved = twin(
        "facilities", "alarms", "shelve", feed, "--by", "ops-1", "--minutes", "120", "--db", str(db)
    )
    assert shelved.returncode == 0, shelved.stderr
    only = twin("facilities", "alarms", "list", "--state", "shelved", "--db", str(db))
    assert feed in only.stdout and "1 alarms" in only.stdout
    assert (
        twin("facilities", "alarms", "unshelve", feed, "--by", "ops-1", "--db", str(db)).returncode
        == 0
    )
    bad = twin("facilities", "alarms", "list", "--state", "open", "--db", str(db))
    assert bad.returncode == 1 and "unknown state open" in bad.stderr
