"""The sections of ``python -m bench``, each run in its own Python process.

A section is the module ``bench.<name>`` with ``run(options) -> SectionResult``. Each runs in
a fresh interpreter (``python -m bench --worker NAME``) so one section's memory, threads and
imports do not colour another's figures, and a crash in one does not stop the others; the
child writes its result as JSON for the parent to read.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from bench.section import Figure, Options, SectionResult, Target

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Section:
    """A section's module name and the heading of its part of the report."""

    name: str
    title: str

    @property
    def module(self) -> str:
        """The module that measures it, e.g. ``bench.scene``."""
        return f"bench.{self.name}"

    @property
    def path(self) -> str:
        """Where its code lives, relative to the repository, e.g. ``bench/scene.py``."""
        return self.module.replace(".", "/") + ".py"


SECTIONS = (
    Section("scene", "The 3D scene (GLB)"),
    Section("time_travel", "Time travel: the whole campus at an instant"),
    Section("leasing_availability", "Availability search (in process)"),
    Section("ingestion", "Facility readings ingestion"),
    Section("visibility", "A write seen through another instance"),
    Section("queries", "API queries"),
    Section("scale", "Scale"),
    Section("sensorthings", "SensorThings Observations"),
    Section("viewer", "The viewer in Chromium: first frame, first view's bytes, orbit fps"),
    Section("backup", "Backups: full and incremental"),
)
BY_NAME = {s.name: s for s in SECTIONS}


def missing(section: Section) -> str | None:
    """Why ``section`` cannot run (its module is not there), or ``None``."""
    if importlib.util.find_spec(section.module) is None:
        return f"{section.name}: {section.path} is not there (not written yet?)"
    return None


def to_json(result: SectionResult) -> str:
    """A section result as JSON (the child's answer)."""
    return json.dumps(asdict(result), ensure_ascii=False)


def from_json(text: str) -> SectionResult:
    """The section result of :func:`to_json`."""
    data = json.loads(text)
    result = SectionResult(**data)
    return replace(
        result,
        figures=[Figure(**f) for f in data["figures"]],
        targets=[Target(**t) for t in data["targets"]],
    )


def options_to_json(options: Options) -> str:
    """The run's options as JSON, for the child."""
    return json.dumps(asdict(options))


def run_here(name: str, options: Options) -> SectionResult:
    """Run section ``name`` in this process."""
    module = importlib.import_module(BY_NAME[name].module)
    run = getattr(module, "run", None)
    if run is None:
        raise RuntimeError(f"{BY_NAME[name].path} has no run(options) function")
    result = run(options)
    if not isinstance(result, SectionResult):
        raise RuntimeError(f"{BY_NAME[name].module}.run returned {type(result).__name__}")
    return result


def run_worker(name: str, options_json: str, out: Path) -> None:
    """The child's side: run section ``name`` and write its result to ``out``."""
    result = run_here(name, Options(**json.loads(options_json)))
    out.write_text(to_json(result), encoding="utf-8")


def run_in_subprocess(section: Section, options: Options) -> SectionResult:
    """Run ``section`` in a fresh Python process; its output goes to this terminal.

    Raises
    ------
    RuntimeError
        If the child fails (its traceback is already on the terminal).
    """
    with tempfile.TemporaryDirectory(prefix="twin-bench-") as tmp:
        out = Path(tmp) / "result.json"
        command = [
            sys.executable, "-m", "bench",
            "--worker", section.name,
            "--worker-options", options_to_json(options),
            "--worker-out", str(out),
        ]  # fmt: skip
        done = subprocess.run(command, cwd=ROOT)
        if done.returncode != 0 or not out.exists():
            raise RuntimeError(f"{section.name} failed (exit status {done.returncode})")
        return from_json(out.read_text(encoding="utf-8"))
