"""One size of the scale section, measured in its own process (``python -m bench.scale_worker``).

The parent (:mod:`bench.scale`) starts one worker per size and reads its protocol on stdout:
one JSON line ``{"step": ...}`` as each step starts, then ``{"result": ...}`` with the figures,
the steps not measured (and why) and the sample counts. A step whose time, extrapolated
linearly in buildings from the size before (``--before``), exceeds :data:`FEASIBLE_S`, or
whose memory would not fit, is not measured.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from assets.campus import Campus
from assets.dataset import load_campus
from assets.synthetic import SyntheticCampus, synthesize
from bench.measure import peak_rss_mb, percentile
from bench.processes import answers, free_port, running, twin_command
from geometry.crs import utm_to_lonlat
from occupancy.availability import AvailabilityQuery
from occupancy.spaces import build_catalog
from twin.leasing.read import availability, spaces_of
from twin.runtime import Twin
from twin.scene import build_scene_file
from twin.settings import Settings

FEASIBLE_S = 600.0
"""A step expected to take longer than this (s) at a size is not measured there."""
QUERY_BUDGET_S, QUICK_QUERY_BUDGET_S = 60.0, 3.0
"""Time a size spends at most on each kind of query, s (at least one round always runs)."""
ROUNDS, QUICK_ROUNDS = 20, 3
"""Rounds of the availability mix; there are ten times as many OGC pages."""
SERVE_TIMEOUT_S = 1_800.0
"""Longest wait for ``twin serve`` to answer, s (a large campus starts slowly)."""
STEPS = ("synth", "load", "catalogue", "availability", "GLB", "serve", "OGC")
METRICS = (
    "synth s",
    "dataset MB",
    "load + validate s",
    "space catalogue s",
    "availability all p50 ms",
    "availability all p99 ms",
    "availability filtered p50 ms",
    "availability filtered p99 ms",
    "GLB build s",
    "GLB MB",
    "peak RSS MB",
    "serve start s",
    "OGC first page s",
    "OGC bbox p50 ms",
    "OGC bbox p99 ms",
    "serve peak RSS MB",
)
AT = datetime.fromisoformat("2026-03-01T12:00:00+08:00")
"""The instant the availability searches ask about."""


def emit(**message: Any) -> None:
    """One line of the worker's protocol on stdout (the parent reads them as they come)."""
    print(json.dumps(message), flush=True)


def timed_call(fn: Callable[[], Any]) -> tuple[float, Any]:
    """Wall-clock seconds of ``fn()`` and its value."""
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


def timed_rounds(calls: Sequence[Callable[[], Any]], rounds: int, budget_s: float) -> list[float]:
    """Milliseconds of each call, ``rounds`` times over, stopping once ``budget_s`` is spent."""
    out: list[float] = []
    started = time.perf_counter()
    for _ in range(rounds):
        for call in calls:
            out.append(timed_call(call)[0] * 1000)
        if time.perf_counter() - started > budget_s:
            break
    return out


def available_mb() -> float:
    """Memory available for new work now (MemAvailable, MB = 2**20 B); infinite if unknown."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("inf")


class Worker:
    """The measurements of one size, in this process."""

    def __init__(self, n: int, seed: int, workdir: Path, quick: bool, before: dict[str, Any]):
        self.n, self.seed, self.workdir, self.quick = n, seed, workdir, quick
        self.values: dict[str, float] = {}
        self.skipped: dict[str, str] = {}
        self.samples: dict[str, int] = {}
        self.before = before
        self.ratio = n / before["n"] if before else 1.0
        self.rounds = QUICK_ROUNDS if quick else ROUNDS
        self.budget = QUICK_QUERY_BUDGET_S if quick else QUERY_BUDGET_S

    def expected(self, metric: str) -> float | None:
        """``metric`` at this size, extrapolated linearly from the size before (None: unknown)."""
        value = self.before.get("values", {}).get(metric) if self.before else None
        return None if value is None else value * self.ratio

    def too_big(self, metric: str, what: str) -> str | None:
        """Why ``what`` is not measured at this size, or None when it is feasible."""
        seconds = self.expected(metric)
        if seconds is not None and seconds > FEASIBLE_S:
            return (
                f"{what} not measured at {self.n:,} buildings: {self.before['values'][metric]:,.0f} s "
                f"at {self.before['n']:,} extrapolates to ~{seconds / 60:,.0f} min "
                f"(> {FEASIBLE_S / 60:.0f} min)"
            )
        return None

    def run(self) -> dict[str, Any]:
        """Every step in turn; the result the parent reads."""
        load_before = os.getloadavg()[0]
        folder = self.workdir / f"campus-{self.n}"
        folder.mkdir(parents=True, exist_ok=True)
        emit(step="synth")
        seconds, synthetic = timed_call(lambda: self._write(synthesize(self.n, self.seed), folder))
        self.values["synth s"] = seconds
        self.values["dataset MB"] = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
        emit(step="load")
        self.values["load + validate s"], campus = timed_call(lambda: load_campus(folder))
        emit(step="catalogue")
        self.values["space catalogue s"], _ = timed_call(lambda: build_catalog(campus))
        emit(step="availability")
        self._availability(campus, folder)
        emit(step="GLB")
        self._glb(campus)
        self.values["peak RSS MB"] = peak_rss_mb()
        emit(step="serve")
        self._serve(campus, folder)
        return {
            "n": self.n,
            "units": synthetic.units,
            "values": self.values,
            "skipped": self.skipped,
            "samples": self.samples,
            "load": [load_before, os.getloadavg()[0]],
        }

    @staticmethod
    def _write(synthetic: SyntheticCampus, folder: Path) -> SyntheticCampus:
        for name, text in synthetic.texts().items():
            (folder / name).write_text(text, encoding="utf-8")
        return synthetic

    def _availability(self, campus: Campus, folder: Path) -> None:
        settings = Settings.from_env(db=self.workdir / f"inproc-{self.n}.db", data_dir=folder)
        twin = Twin(settings, campus)
        twin.fresh()  # the log with its genesis and the projection, before any timing
        spaces_of(twin, AT)  # the space catalogue: timed above, built once per version
        first = next(iter(campus.buildings))
        filtered = [
            AvailabilityQuery(building=first),
            AvailabilityQuery(kind="office", min_level=5, max_level=12, min_area_m2=60,
                              max_area_m2=90),
            AvailabilityQuery(kind="office", min_contiguous_m2=500),
            AvailabilityQuery(kind="rack", two_n=True, min_racks=100),
        ]  # fmt: skip
        try:
            for name, queries in (("all", [AvailabilityQuery()]), ("filtered", filtered)):
                calls = [lambda q=q: availability(twin, AT, q) for q in queries]
                times = timed_rounds(calls, self.rounds, self.budget)
                self.values[f"availability {name} p50 ms"] = percentile(times, 50)
                self.values[f"availability {name} p99 ms"] = percentile(times, 99)
                self.samples[f"availability {name}"] = len(times)
        finally:
            twin.close()

    def _glb(self, campus: Campus) -> None:
        why = self.too_big("GLB build s", "the GLB")
        need = self.expected("peak RSS MB")
        if why is None and need is not None and need > 0.9 * available_mb():
            why = (
                f"the GLB not measured at {self.n:,} buildings: it would need ~{need / 1024:,.0f} GB "
                f"of memory ({available_mb() / 1024:,.0f} GB available)"
            )
        if why is not None:
            self.skipped["GLB build s"] = self.skipped["GLB MB"] = why
            return
        self.values["GLB build s"], scene = timed_call(lambda: build_scene_file(campus))
        self.values["GLB MB"] = len(scene.glb) / 1e6

    def _serve(self, campus: Campus, folder: Path) -> None:
        why = self.too_big("serve start s", "twin serve")
        if why is not None:
            for metric in METRICS[METRICS.index("serve start s") :]:
                self.skipped[metric] = why
            return
        db = self.workdir / f"serve-{self.n}.db"
        started = time.perf_counter()
        with serving(["--data", str(folder), "--db", str(db)], self.workdir) as (base, pid):
            self.values["serve start s"] = time.perf_counter() - started
            emit(step="OGC")
            self._ogc(campus, base)
            self.values["serve peak RSS MB"] = process_peak_mb(pid)

    def _ogc(self, campus: Campus, base: str) -> None:
        why = self.too_big("OGC first page s", "the OGC pages")
        if why is not None:
            for metric in ("OGC first page s", "OGC bbox p50 ms", "OGC bbox p99 ms"):
                self.skipped[metric] = why
            return
        boxes = bbox_windows(campus, self.seed, 10 * self.rounds)
        with httpx.Client(base_url=base, timeout=FEASIBLE_S) as client:

            def page(bbox: str) -> None:
                r = client.get("/ogc/collections/units/items", params={"bbox": bbox, "limit": 100})
                r.raise_for_status()

            self.values["OGC first page s"], _ = timed_call(lambda: page(boxes[0]))
            calls = [lambda b=b: page(b) for b in boxes]
            times = timed_rounds(calls, 1, self.budget)
        self.values["OGC bbox p50 ms"] = percentile(times, 50)
        self.values["OGC bbox p99 ms"] = percentile(times, 99)
        self.samples["OGC bbox"] = len(times)


def bbox_windows(campus: Campus, seed: int, count: int, half_m: float = 150.0) -> list[str]:
    """``count`` bbox parameters (lon/lat, EPSG:4326) of windows around random parcels."""
    rng = random.Random(seed)
    parcels = list(campus.parcel_polygons.values())
    out = []
    for _ in range(count):
        c = rng.choice(parcels).centroid
        west, south = utm_to_lonlat(c.x - half_m, c.y - half_m)
        east, north = utm_to_lonlat(c.x + half_m, c.y + half_m)
        out.append(f"{west:.6f},{south:.6f},{east:.6f},{north:.6f}")
    return out


def process_peak_mb(pid: int) -> float:
    """Peak resident memory of process ``pid`` (VmHWM, MB = 2**20 B); NaN when unknown."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


@contextmanager
def serving(args: list[str], workdir: Path) -> Iterator[tuple[str, int]]:
    """A real ``twin serve ARGS`` on a free port until /health answers (up to
    :data:`SERVE_TIMEOUT_S`: a large campus starts slowly); yields its base URL and pid."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = twin_command("serve", "--port", str(port), *args)
    with running(command, answers(base), workdir, f"serve-{port}", SERVE_TIMEOUT_S) as proc:
        yield base, proc.pid


def main(argv: Sequence[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m bench.scale_worker", description=__doc__)
    p.add_argument("buildings", type=int)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--workdir", type=Path, required=True)
    p.add_argument("--before", default="{}", help="the result of the size before (JSON)")
    p.add_argument("--quick", action="store_true")
    args = p.parse_args(argv)
    before = json.loads(args.before)
    emit(result=Worker(args.buildings, args.seed, args.workdir, args.quick, before).run())


if __name__ == "__main__":
    main()
