"""The scale section on its quick sizes: real child processes, a real ``twin serve``."""

from __future__ import annotations

import pytest

from bench.scale import QUICK_SIZES, curve_table, glb_note, run
from bench.scale_worker import METRICS, Worker
from bench.section import Options


@pytest.mark.slow
def test_quick_run_measures_every_step_at_both_sizes():
    result = run(Options(quick=True))
    assert result.name == "scale" and result.method
    cases = list(dict.fromkeys(f.case for f in result.figures))
    assert [c.split(" ")[0] for c in cases] == [f"{n:,}" for n in QUICK_SIZES]
    values = {(f.case, f.metric): f.value for f in result.figures}
    for case in cases:
        for metric in METRICS:  # nothing is too big to measure at the quick sizes
            assert values[(case, metric)] > 0, (case, metric)
    small, large = cases
    assert values[(large, "GLB MB")] > values[(small, "GLB MB")]
    assert values[(large, "space catalogue s")] > 0
    assert any("GLB of 50 buildings" in note for note in result.notes)
    assert curve_table(result).row_count == len(METRICS)


def test_a_step_extrapolated_beyond_the_limit_is_not_measured_and_says_why(tmp_path):
    before = {"n": 1_000, "values": {"GLB build s": 126.0, "serve start s": 15.0}}
    worker = Worker(10_000, 1, tmp_path, quick=False, before=before)
    why = worker.too_big("GLB build s", "the GLB")
    assert why is not None
    assert "not measured at 10,000 buildings" in why and "~21 min" in why
    assert worker.too_big("serve start s", "twin serve") is None  # ~150 s: measured
    assert Worker(100, 1, tmp_path, quick=False, before={}).too_big("GLB build s", "x") is None


def test_the_glb_note_extrapolates_a_glb_too_big_to_build():
    measured = {"n": 1_000, "units": 255_018, "skipped": {}}
    measured["values"] = {"GLB MB": 137.0, "GLB build s": 126.0, "peak RSS MB": 2_700.0}
    skipped = {"n": 10_000, "units": 2_537_360, "values": {}, "skipped": {"GLB MB": "too long"}}
    note = glb_note([measured, skipped])
    assert "10,000 buildings was not built" in note
    assert "~1,370 MB" in note and "~21 min" in note and "~26 GB" in note
    assert "137 MB" in glb_note([measured]) and "3D Tiles" in glb_note([measured])
