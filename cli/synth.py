"""``twin synth``: write a synthetic campus dataset of any size (for benchmarks and scale)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from assets.dataset import FILES, load_campus
from assets.synthetic import (
    DC_RACKS,
    UNITS_PER_BUILDING,
    SyntheticCampus,
    buildings_for_units,
    check_buildings,
    file_text,
    synthesize,
)
from cli.app import CliError, app, console
from cli.options import check_output_dir


def _count(buildings: int | None, units: int | None, seed: int) -> int:
    if (buildings is None) == (units is None):
        raise CliError("give either --buildings N or --units U (one of them)")
    if units is not None:
        return buildings_for_units(units, seed)
    assert buildings is not None
    return buildings


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description:<22}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )


def _build(n: int, seed: int, output: Path) -> SyntheticCampus:
    with _progress() as progress:
        layout = progress.add_task("Laying out buildings", total=n)
        step = max(1, n // 200)

        def advance(done: int) -> None:
            if done % step == 0 or done == n:
                progress.update(layout, completed=done)

        campus = synthesize(n, seed, advance)
        files = campus.files()
        writing = progress.add_task("Writing files", total=len(files))
        for name, model in files.items():
            (output / name).write_text(file_text(model), encoding="utf-8")
            progress.advance(writing)
        checking = progress.add_task("Validating", total=1)
        load_campus(output)
        progress.advance(checking)
    return campus


@app.command()
def synth(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="New (or empty) directory to write to.")
    ],
    buildings: Annotated[
        int | None,
        typer.Option(help="Office and mixed-use buildings (plus one data centre)."),
    ] = None,
    units: Annotated[
        int | None,
        typer.Option(
            help=f"Instead of --buildings: the fewest buildings holding at least this many "
            f"office units (about {UNITS_PER_BUILDING} a building)."
        ),
    ] = None,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed, the same bytes.")] = 1,
) -> None:
    """Write a synthetic campus dataset (site, buildings, facilities, facts) for `--data`.

    Buildings stand on a grid of parcels, about 20 units a floor; one data centre holds
    3,000 racks. Everything is schematic and cites no published fact.
    """
    try:
        n = _count(buildings, units, seed)
        check_buildings(n)
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    check_output_dir(output, "dataset")
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CliError(f"cannot create {output}: {exc.strerror or exc}") from exc
    started = time.perf_counter()
    campus = _build(n, seed, output)
    seconds = time.perf_counter() - started
    size = sum((output / name).stat().st_size for name in FILES) / 1e6
    console.print(
        f"wrote {output}: {n:,} buildings and a data centre, {campus.units:,} units, "
        f"{DC_RACKS:,} racks ({size:.1f} MB, {seconds:.1f} s, seed {seed})"
    )
