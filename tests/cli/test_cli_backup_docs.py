"""The backup example of docs/deploy.md, run as written (in a scratch directory, on a SQLite
log with the campus's genesis and metric readings): a full backup, an incremental one after a
late reading and a reading on a new day, a full one again, a restore that gives back the same
log and readings."""

from __future__ import annotations

import re
import shlex
from datetime import UTC, datetime
from pathlib import Path

from cli_runner import twin

from twin.eventlog import Measurement, open_store

DEPLOY = Path(__file__).resolve().parents[2] / "docs" / "deploy.md"
MARK = "<!-- example run by tests/cli/test_cli_backup_docs.py -->"
DAY = datetime(2026, 11, 28, 8, 0, tzinfo=UTC)


def _commands() -> list[list[str]]:
    block = re.search(re.escape(MARK) + r"\n```sh\n(.*?)```", DEPLOY.read_text(), re.S)
    assert block is not None, f"no sh block after {MARK} in {DEPLOY}"
    found = [shlex.split(line, comments=True) for line in block.group(1).splitlines()]
    return [words[1:] for words in found if words and words[0] == "twin"]


def _reading(at: datetime, key: str) -> Measurement:
    return Measurement("dc/hall-1", "supply_temp_c", at, 21.5, "°C", key)


def test_the_backup_example_runs_as_documented(tmp_path: Path) -> None:
    source = f"sqlite:///{tmp_path / 'twin.db'}"
    env = {"TWIN_DATABASE_URL": source}
    assert twin("history", cwd=tmp_path, env=env).returncode == 0  # the genesis
    with open_store(source) as store:
        store.record_readings([], [_reading(DAY, "a")], "probe")
    full, incremental, again, restored = _commands()
    done = twin(*full, cwd=tmp_path, env=env)
    assert done.returncode == 0 and "full backup 1 in backups/twin" in done.stdout, done.stderr
    with open_store(source) as store:
        late, new_day = _reading(DAY.replace(hour=9), "late"), _reading(DAY.replace(day=29), "new")
        store.record_readings([], [late, new_day], "probe")
        expected = store.read(limit=None), store.readings.recorded()
    done = twin(*incremental, cwd=tmp_path, env=env)
    assert "incremental backup 2" in done.stdout and "wrote 0 of" in done.stdout, done.stderr
    assert "2 of 2 days of readings" in done.stdout
    done = twin(*again, cwd=tmp_path, env=env)
    assert "full backup 3" in done.stdout and "2 of 2 days" in done.stdout, done.stderr
    done = twin(*restored, cwd=tmp_path, env=env)
    assert done.returncode == 0 and f"restored {len(expected[0]):,} events" in done.stdout
    with open_store(f"sqlite:///{tmp_path / 'restored.db'}") as copy:
        assert (copy.read(limit=None), copy.readings.recorded()) == expected
