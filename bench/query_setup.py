"""What the query benchmark runs against: a dataset, its GeoPackage and three servers.

- the dataset: a synthetic campus from ``twin synth --units N`` (or the embedded Flying Fish);
- its GeoPackage from ``twin export --format gpkg`` (what the peer serves);
- three servers over it, each in its own process: a real ``twin serve`` on a fresh SQLite log
  with a ``leasing`` token made by ``twin token create``, the ceiling
  (:mod:`bench.ceiling_server`) and, when its venv is there, pygeoapi
  (:mod:`bench.peer_pygeoapi`).
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyogrio
import shapely

from bench import peer_pygeoapi as peer
from bench.processes import ENV, START_TIMEOUT_S, answers, free_port, running, twin_command

REPO = Path(__file__).resolve().parent.parent
"""The repository: ``bench`` is importable from there (it is not installed)."""
SERVE_TIMEOUT_S = 600.0
"""Longest wait for a command preparing the data (synth, export, token), s."""


@dataclass(frozen=True)
class Dataset:
    """A campus to serve: its directory (None: the embedded one), GeoPackage and size."""

    data: Path | None
    gpkg: Path
    units: int
    buildings: int
    bboxes: dict[str, list[float]]
    """Collection id -> extent (min lon, min lat, max lon, max lat), degrees."""

    def data_args(self) -> list[str]:
        return [] if self.data is None else ["--data", str(self.data)]


@dataclass(frozen=True)
class Server:
    """A server under test: name, base URL and process id (its workers are its children)."""

    name: str
    url: str
    pid: int


def synth_available() -> bool:
    """Whether this twin has ``twin synth``."""
    return importlib.util.find_spec("cli.synth") is not None


def prepare(workdir: Path, units: int | None, seed: int) -> Dataset:
    """The dataset in ``workdir``: ``twin synth`` of about ``units`` units (None: the embedded
    campus), exported to a GeoPackage."""
    data = None
    if units is not None:
        data = workdir / "campus"
        _twin("synth", "--units", str(units), "--seed", str(seed), "--output", str(data))
    gpkg = workdir / "campus.gpkg"
    _twin(
        "export",
        "--format",
        "gpkg",
        "--output",
        str(gpkg),
        *([] if data is None else ["--data", str(data)]),
    )
    info = {layer: pyogrio.read_info(gpkg, layer=layer) for layer in peer.LAYERS.values()}
    return Dataset(
        data=data,
        gpkg=gpkg,
        units=int(info["unit"]["features"]),
        buildings=int(info["building"]["features"]),
        bboxes={
            cid: [float(v) for v in info[layer]["total_bounds"]]
            for cid, layer in peer.LAYERS.items()
        },
    )


def bbox_around(gpkg: Path, at_least: int) -> str:
    """A ``bbox`` (lon/lat) meeting at least ``at_least`` units: a square around the unit
    nearest the middle of the campus, doubled until it holds enough."""
    frame = pyogrio.read_dataframe(gpkg, layer="unit", columns=[])
    shapes = np.asarray(frame.geometry.values)
    tree = shapely.STRtree(shapes)
    minx, miny, maxx, maxy = shapely.total_bounds(shapes)
    middle = shapely.Point((minx + maxx) / 2, (miny + maxy) / 2)
    centre = shapely.centroid(shapes[int(tree.nearest(middle))])
    half = 0.0002  # degrees: about 20 m
    while True:
        box = (centre.x - half, centre.y - half, centre.x + half, centre.y + half)
        if len(tree.query(shapely.box(*box), predicate="intersects")) >= at_least:
            return ",".join(f"{v:.7f}" for v in box)
        half *= 2


@contextmanager
def servers(
    dataset: Dataset, workdir: Path, workers: int, with_peer: bool
) -> Iterator[tuple[list[Server], str]]:
    """The three servers (the peer only ``with_peer``), each with ``workers`` worker processes,
    started together; yields them and a bearer token of the ``leasing`` role for ours."""
    with ExitStack() as stack:
        db = f"sqlite:///{workdir / 'twin.db'}"
        port = free_port()
        ours = f"http://127.0.0.1:{port}"
        args = twin_command(
            "serve",
            "--port",
            str(port),
            "--db",
            db,
            "--workers",
            str(workers),
            *dataset.data_args(),
        )
        proc = stack.enter_context(running(args, answers(ours), workdir, "twin-serve"))
        found = [Server("ours", ours, proc.pid)]
        token = _twin(
            "token",
            "create",
            "--role",
            "leasing",
            "--name",
            "bench",
            "--db",
            db,
            *dataset.data_args(),
        )
        port = free_port()
        ceiling = f"http://127.0.0.1:{port}"
        args = [
            "env", f"PYTHONPATH={REPO}", sys.executable, "-m", "bench.ceiling_server",
            "--port", str(port),
            "--workers", str(workers), *dataset.data_args(),
        ]  # fmt: skip
        proc = stack.enter_context(running(args, answers(ceiling), workdir, "ceiling"))
        found.append(Server("ceiling", ceiling, proc.pid))
        if with_peer:
            url, pid = stack.enter_context(
                peer.serve(dataset.gpkg, workdir, dataset.bboxes, workers)
            )
            found.append(Server("pygeoapi", url, pid))
        yield found, token.strip().splitlines()[-1]


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system, s) used so far by process ``pid`` and its descendants."""
    tick = os.sysconf("SC_CLK_TCK")
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        times[int(entry)] = (int(fields[11]) + int(fields[12])) / tick
    family, frontier = {pid}, [pid]
    while frontier:
        parent = frontier.pop()
        for child, its_parent in parents.items():
            if its_parent == parent and child not in family:
                family.add(child)
                frontier.append(child)
    return sum(times.get(p, 0.0) for p in family)


def _twin(*args: str) -> str:
    """Run ``twin ARGS`` to completion; its output (RuntimeError with it on failure)."""
    done = subprocess.run(
        twin_command(*args),
        capture_output=True,
        text=True,
        env={**os.environ, **ENV},
        timeout=max(SERVE_TIMEOUT_S, START_TIMEOUT_S),
    )
    if done.returncode != 0:
        raise RuntimeError(f"twin {' '.join(args[:2])} failed:\n{done.stdout}{done.stderr}")
    return done.stdout
