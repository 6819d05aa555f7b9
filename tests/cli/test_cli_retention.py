"""``twin db retention``: raw readings past the retention go, rollups stay; ``twin backup``
says how many readings it wrote."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cli_runner import twin

from twin.eventlog import Measurement, open_store


def test_retention_from_the_command_line(tmp_path):
    db = tmp_path / "twin.db"
    now = datetime.now(UTC)
    readings = [
        Measurement("dc/hall-1", "supply_temp_c", now - timedelta(days=d), 20.0 + d, "°C", f"k{d}")
        for d in (1, 10, 40, 41)
    ]
    with open_store(f"sqlite:///{db}") as store:
        store.record_readings([], readings, "probe")
    done = twin("db", "retention", "--raw-days", "30", "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert "dropped 2 raw readings" in done.stdout
    with open_store(f"sqlite:///{db}") as store:
        assert [r.value for r in store.readings.recorded()] == [30.0, 21.0]
        days = store.readings.rollups(
            "dc/hall-1", "supply_temp_c", 86400, now - timedelta(days=50), now
        )
        assert sum(r["count"] for r in days) == 4
    refused = twin("db", "retention", "--raw-days", "0", "--db", str(db))
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    wrote = twin("backup", str(tmp_path / "b"), "--db", str(db))
    assert wrote.returncode == 0 and "2 raw readings" in wrote.stdout, wrote.stderr
