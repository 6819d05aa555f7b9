"""The backup section on its quick sizes (SQLite): every figure there, and the incremental
backup writes less than the full one (bytes, not timers)."""

from __future__ import annotations

from bench.backup import Plan, run
from bench.section import Options


def test_quick_run_measures_full_incremental_and_restore():
    result = run(Options(quick=True))
    assert result.name == "backup" and result.method
    values = {(f.case.split(",")[0].split(" (")[0], f.metric): f.value for f in result.figures}
    plan = Plan.of(Options(quick=True))
    step = f"incremental after {plan.new:,} new readings"
    assert values[("full backup", "MB written")] > 2 * values[(step, "MB written")] > 0
    assert values[(step, "days written")] == 2  # the late readings' day and the new day
    assert values[("restore of that backup", "s")] > 0
