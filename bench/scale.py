"""Scale: the cost curve of a synthetic campus of 100, 1,000 and 10,000 buildings.

For each size N, in its own Python process (so its peak memory is its own): generate and write
the campus (:func:`assets.synthetic.synthesize`), load and validate it, build the leasing space
catalogue, time availability searches in process (:func:`twin.leasing.read.availability` on a
fresh SQLite log), build the campus GLB (:func:`twin.scene.build_scene_file`), then start a real
``twin serve --data DIR`` and time OGC API items pages by bbox over HTTP. A step whose time,
extrapolated from the size before (linearly in buildings), exceeds :data:`FEASIBLE_S`, or
whose memory would not fit, is not measured and the notes say why.

Run ``python -m bench.scale [--quick] [--sizes 100,1000] [--seed 1]``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from bench.progress import steps_progress
from bench.scale_worker import FEASIBLE_S, METRICS, STEPS
from bench.section import Figure, Options, SectionResult

SIZES, QUICK_SIZES = (100, 1_000, 10_000), (10, 50)
"""Buildings of the campuses measured (about 250 units each), in a full and a quick run."""
METHOD = (
    "Each size N runs in its own Python process on a campus from `twin synth` (the run's seed): N "
    "office and mixed buildings on a grid of parcels, about 20 units a floor and 250 a building, "
    "and one data centre of 3,000 racks. *synth s*: generating and writing the four files; "
    "*load + validate s*: `assets.dataset.load_campus` (schema and every invariant); *space "
    "catalogue s*: the leasing catalogue of every unit and rack with unit neighbours "
    "(`occupancy.spaces.build_catalog`, built once per campus version); *availability*: "
    "`twin.leasing.read.availability` on a fresh SQLite log, *all* is the unfiltered search of "
    "every space, *filtered* pools one building, levels 5-12 at 60-90 m², contiguous ≥ 500 m² "
    "and 2N racks ≥ 100 a hall; *GLB*: `twin.scene.build_scene_file` (one unit prism per unit "
    "and floor); *peak RSS MB*: the process's peak after those steps (MB = 2^20 B); *serve*: a "
    "real `twin serve --data DIR` started, its first OGC units items page (cold: the features "
    "are built on first use), then bbox pages (`limit=100`, 300 m windows around random "
    "parcels) over HTTP with httpx, one at a time; *serve peak RSS MB*: the server's VmHWM. "
    f"Percentiles over every sample; a step extrapolated beyond {FEASIBLE_S:.0f} s or the "
    "memory available is not measured."
)


def measure_size(
    n: int, options: Options, workdir: Path, before: dict[str, Any], step: Callable[[str], None]
) -> dict[str, Any]:
    """Run the worker of size ``n`` in a child process; ``step`` hears each step it starts."""
    command = [
        sys.executable, "-m", "bench.scale_worker", str(n), "--seed", str(options.seed),
        "--workdir", str(workdir), "--before", json.dumps(before),
    ] + (["--quick"] if options.quick else [])  # fmt: skip
    root = Path(__file__).resolve().parent.parent
    child = subprocess.Popen(command, cwd=root, stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    result: dict[str, Any] | None = None
    for line in child.stdout:
        message = json.loads(line)
        if "step" in message:
            step(message["step"])
        result = message.get("result", result)
    if child.wait() != 0 or result is None:
        raise RuntimeError(f"the worker of {n:,} buildings failed (exit status {child.returncode})")
    return result


def figures(result: dict[str, Any]) -> list[Figure]:
    """The figures of one size, in :data:`METRICS` order."""
    case = f"{result['n']:,} buildings ({result['units']:,} units)"
    values = result["values"]
    return [Figure(case, m, float(values[m])) for m in METRICS if m in values]


def glb_note(results: Sequence[dict[str, Any]]) -> str:
    """What a single GLB of the largest campus costs: measured, or extrapolated."""
    last = results[-1]
    if "GLB build s" in last["values"]:
        v = last["values"]
        return (
            f"A single GLB of {last['n']:,} buildings ({last['units']:,} units) is "
            f"{v['GLB MB']:,.0f} MB and takes {v['GLB build s']:,.0f} s to build: the case "
            "for a tiled export (3D Tiles) that streams what the view needs."
        )
    known = [r for r in results if "GLB build s" in r["values"]]
    if not known:
        return "No GLB was built."
    base = known[-1]
    k = last["n"] / base["n"]
    v = base["values"]
    return (
        f"A single GLB of {last['n']:,} buildings was not built (see below); linear from {base['n']:,} buildings ({v['GLB MB']:,.0f} MB, {v['GLB build s']:,.0f} s, "
        f"{v['peak RSS MB'] / 1024:,.1f} GB peak) it would be ~{v['GLB MB'] * k:,.0f} MB, "
        f"~{v['GLB build s'] * k / 60:,.0f} min and ~{v['peak RSS MB'] * k / 1024:,.0f} GB: the "
        "case for a tiled export (3D Tiles) that streams what the view needs."
    )


def run(options: Options, sizes: Sequence[int] | None = None) -> SectionResult:
    """The cost curve over ``sizes`` (default :data:`SIZES`, :data:`QUICK_SIZES` when quick)."""
    sizes = sizes or (QUICK_SIZES if options.quick else SIZES)
    result = SectionResult(name="scale", method=METHOD)
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="twin-scale-") as tmp, steps_progress() as progress:
        task = progress.add_task("scale", total=len(sizes) * len(STEPS))
        for n in sizes:
            done = 0

            def step(name: str, n: int = n) -> None:
                nonlocal done
                progress.update(task, description=f"{n:,} buildings: {name}", advance=1)
                done += 1

            before = results[-1] if results else {}
            try:
                results.append(measure_size(n, options, Path(tmp), before, step))
            except RuntimeError as exc:
                result.notes.append(str(exc))
                break
            finally:
                progress.advance(task, len(STEPS) - done)
    for r in results:
        result.figures += figures(r)
        result.notes += sorted(set(r["skipped"].values()))
        few = {k: v for k, v in r["samples"].items() if v < 10}
        if few:
            counts = ", ".join(f"{k} {v}" for k, v in few.items())
            result.notes.append(f"{r['n']:,} buildings: few samples ({counts}): p99 is the max")
    if results:
        result.notes.insert(0, glb_note(results))
        loads = ", ".join(f"{r['n']:,}: {r['load'][0]:.1f} → {r['load'][1]:.1f}" for r in results)
        result.notes.append(f"Load average (1 min) when each size started → ended: {loads}.")
    return result


def curve_table(result: SectionResult) -> Table:
    """The figures as a cost curve: one row per metric, one column per size."""
    cases = list(dict.fromkeys(f.case for f in result.figures))
    table = Table(title="Scale: cost curve of a synthetic campus")
    table.add_column("metric")
    for case in cases:
        table.add_column(case, justify="right")
    values = {(f.case, f.metric): f.value for f in result.figures}
    for metric in METRICS:
        cells = [values.get((c, metric)) for c in cases]
        table.add_row(metric, *("—" if v is None else f"{v:,.3g}" for v in cells))
    return table


def sizes_of(text: str) -> list[int]:
    """``"100,1000"`` -> ``[100, 1000]``, ascending whole numbers of buildings."""
    try:
        sizes = [int(part) for part in text.split(",") if part.strip()]
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r}: comma-separated whole numbers") from exc
    if not sizes or sizes != sorted(set(sizes)) or sizes[0] < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: positive sizes in ascending order")
    return sizes


def main(argv: Sequence[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help=f"sizes {QUICK_SIZES}, short runs")
    p.add_argument("--seed", type=int, default=1, help="campus and query seed (default 1)")
    p.add_argument("--sizes", type=sizes_of, help="building counts, e.g. 100,1000 (ascending)")
    args = p.parse_args(argv)
    result = run(Options(quick=args.quick, seed=args.seed), args.sizes)
    console = Console()
    console.print(curve_table(result))
    for note in result.notes:
        console.print(f"- {note}", highlight=False)


if __name__ == "__main__":
    main()
