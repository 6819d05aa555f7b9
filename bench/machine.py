"""What machine the figures come from: CPU, cores, memory, OS, Python, load."""

from __future__ import annotations

import os
import platform
from collections.abc import Sequence
from pathlib import Path


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo (``platform.processor()`` elsewhere)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def cpus() -> int:
    """CPUs this process may run on (what ``nproc`` prints)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def memory_gb() -> float:
    """Total physical memory (GB = 2**30 B)."""
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30


def load_average() -> float:
    """The machine's 1-minute load average (runnable processes; above ``cpus()`` is queueing)."""
    return os.getloadavg()[0]


def describe(environment: Sequence[str], loads: Sequence[float] = ()) -> list[str]:
    """Markdown bullets describing the machine, the software measured and the machine's load.

    ``environment`` holds version lines of what was measured (database servers, brokers), as
    the sections report them; ``loads`` the 1-minute load averages seen during the run.
    """
    lines = [
        f"- CPU: {cpu_model()}; {cpus()} CPUs (`nproc`); memory {memory_gb():.1f} GB",
        f"- OS: {platform.system()} {platform.release()}; Python {platform.python_version()}",
    ]
    if environment:
        lines.append("- Measured with: " + "; ".join(dict.fromkeys(environment)))
    if loads:
        lines.append(
            f"- 1-minute load average during the run: {min(loads):.1f} .. {max(loads):.1f} "
            f"on {cpus()} CPUs (more than the CPUs means work waited: wall times grow)"
        )
    return lines


def busy_note(load: float) -> str:
    """A reason to add to a missed target when the machine was busy, else ``""``."""
    if load <= cpus():
        return ""
    return (
        f"; the machine was busy while measuring (1-minute load average {load:.1f} on "
        f"{cpus()} CPUs), which slows every path"
    )
