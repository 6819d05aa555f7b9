"""``twin export --format 3dtiles -o DIR``: the campus as a 3D Tiles 1.1 tileset directory."""

from __future__ import annotations

from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from cli.app import CliError, console
from cli.options import check_output_dir, open_twin
from twin.tiles import build_scene_tileset


def export_tileset(output: Path, data: Path | None) -> None:
    """Write ``output/tileset.json`` and ``output/tiles/*.glb`` (``output`` new or empty)."""
    check_output_dir(output, "tileset")
    twin = open_twin(data)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, TimeElapsedColumn(), console=console) as bar:
        task = bar.add_task("Building tiles", total=None)
        tileset = build_scene_tileset(
            twin.campus, progress=lambda done, total: bar.update(task, completed=done, total=total)
        )
    try:
        output.mkdir(parents=True, exist_ok=True)
        tileset.tileset.write(output)
    except OSError as exc:
        raise CliError(f"cannot write the tileset to {output}: {exc.strerror or exc}") from exc
    size = len(tileset.json) + sum(len(glb) for glb in tileset.tileset.tiles.values())
    console.print(
        f"wrote {output / 'tileset.json'} and {len(tileset.tileset.tiles)} tiles"
        f" ({size / 1e6:.2f} MB)"
    )
