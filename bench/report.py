"""Section results as one table of figures, a table of targets and the Markdown report.

Every figure is one row: section | case | metric | value | baseline | ratio. The ratio is
:attr:`bench.section.Figure.ratio`: how many times better than the baseline measured in the
same run (above 1 is better, whichever way the metric points).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from rich.table import Table
from rich.text import Text

from bench.section import Figure, SectionResult, Target

FIGURE_HEADERS = ("section", "case", "metric", "value", "baseline", "ratio")
TARGET_HEADERS = ("section", "target", "verdict", "detail")
RATIO_NOTE = (
    "Medians unless the metric says otherwise. *baseline* is measured in the same run; "
    "*ratio* is how many times better than it the figure is (above 1: better, below 1: worse, "
    "whichever way the metric points)."
)
QUICK_NOTE = (
    "> **Quick run** (`--quick`): small sizes and short runs, a check of the benchmark itself. "
    "Do not quote these figures."
)


def format_value(value: float) -> str:
    """A figure with a sensible precision: ``1,234``, ``123``, ``12.3``, ``1.23``, ``0.0123``."""
    size = abs(value)
    if value == 0:
        return "0"
    if size >= 100 or (size >= 1 and float(value).is_integer()):
        return f"{value:,.0f}"
    if size >= 10:
        return f"{value:.1f}"
    if size >= 1:
        return f"{value:.2f}"
    return f"{value:.3g}"


def format_ratio(ratio: float | None) -> str:
    """``"718×"``, ``"2.5×"`` or ``"0.62×"``; empty without a baseline."""
    if ratio is None:
        return ""
    if ratio >= 100:
        return f"{ratio:,.0f}×"
    return f"{ratio:.1f}×" if ratio >= 1 else f"{ratio:.2f}×"


def baseline_cell(figure: Figure) -> str:
    """The baseline's name and value, e.g. ``"naive replay 1,098"``."""
    if figure.baseline is None:
        return ""
    if figure.baseline_value is None:
        return figure.baseline
    return f"{figure.baseline} {format_value(figure.baseline_value)}"


def figure_cells(figure: Figure) -> list[str]:
    """A figure as cells of FIGURE_HEADERS, without the section."""
    return [
        figure.case,
        figure.metric,
        format_value(figure.value),
        baseline_cell(figure),
        format_ratio(figure.ratio),
    ]


def verdict(target: Target) -> str:
    """``"met"`` or ``"missed"``."""
    return "met" if target.met else "missed"


def figures_table(results: Sequence[SectionResult]) -> Table:
    """Every section's figures as one rich table (the section named on its first row)."""
    table = Table(title="Figures (medians; ratio > 1: better than the baseline)")
    for header in FIGURE_HEADERS:
        table.add_column(header, justify="right" if header in ("value", "ratio") else "left")
    for result in results:
        for i, figure in enumerate(result.figures):
            ratio = figure.ratio
            cells: list[str | Text] = [result.name if i == 0 else "", *figure_cells(figure)]
            if ratio is not None and ratio < 1:
                cells[-1] = Text(str(cells[-1]), style="yellow")
            table.add_row(*cells, end_section=i == len(result.figures) - 1)
    return table


def targets_table(results: Sequence[SectionResult]) -> Table:
    """Every section's targets with their verdicts, as a rich table."""
    table = Table(title="Targets")
    for header in TARGET_HEADERS:
        table.add_column(header)
    for result in results:
        for target in result.targets:
            style = "green" if target.met else "bold red"
            table.add_row(result.name, target.text, Text(verdict(target), style), target.detail)
    return table


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown_rows(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """A Markdown table."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    return lines + ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]


def figures_markdown(results: Sequence[SectionResult]) -> list[str]:
    """Every figure as one Markdown table."""
    rows = [[r.name, *figure_cells(f)] for r in results for f in r.figures]
    return markdown_rows(FIGURE_HEADERS, rows)


def targets_markdown(results: Sequence[SectionResult]) -> list[str]:
    """Every target as a Markdown table; a missed one in bold."""
    rows = [
        [r.name, t.text, "met" if t.met else "**missed**", t.detail]
        for r in results
        for t in r.targets
    ]
    return markdown_rows(TARGET_HEADERS, rows) if rows else ["No target was judged in this run."]


def section_markdown(result: SectionResult, title: str) -> list[str]:
    """One section's heading, method paragraph, notes and environment."""
    lines = [f"### {title}", ""]
    if result.method:
        lines += [result.method.strip(), ""]
    lines += [f"- {note}" for note in result.notes]
    if result.environment:
        lines.append("- Measured with: " + "; ".join(result.environment))
    if result.notes or result.environment:
        lines.append("")
    return lines


def markdown(
    results: Sequence[SectionResult],
    machine: Sequence[str],
    *,
    command: str,
    started: datetime | None = None,
    duration_s: float | None = None,
    quick: bool = False,
    titles: Mapping[str, str] | None = None,
    problems: Sequence[str] = (),
) -> str:
    """The whole ``docs/performance.md``.

    Parameters
    ----------
    results : sequence of SectionResult
        The sections measured, in order.
    machine : sequence of str
        Markdown bullets describing the machine (:func:`bench.machine.describe`).
    command : str
        The command that produced the report (passwords hidden).
    started, duration_s : datetime, float, optional
        When the run started (UTC) and how long it took, s.
    quick : bool
        Whether this was a ``--quick`` run (the report then warns against quoting it).
    titles : mapping, optional
        A heading per section name (default: the name).
    problems : sequence of str
        Sections that were not measured, and why.
    """
    when = (started or datetime.now(UTC)).astimezone(UTC)
    took = f" in {duration_s / 60:.1f} min" if duration_s is not None else ""
    parts = [
        "# Performance",
        "",
        f"Generated by `{command}` on {when:%Y-%m-%d %H:%M} UTC{took} (see `bench/README.md`). "
        "Do not edit by hand: re-run it.",
        "",
    ]
    if quick:
        parts += [QUICK_NOTE, ""]
    parts += ["## Machine", "", *machine, "", "## Targets", "", *targets_markdown(results), ""]
    parts += ["## Figures", "", RATIO_NOTE, "", *figures_markdown(results), ""]
    if problems:
        parts += ["## Not measured", "", *[f"- {p}" for p in problems], ""]
    parts += ["## Method and notes", ""]
    for result in results:
        parts += section_markdown(result, (titles or {}).get(result.name, result.name))
    return "\n".join(parts).rstrip() + "\n"
