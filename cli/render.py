"""``twin render``: an offscreen picture of the campus (pyvista)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.app import CliError, app, console
from cli.construction import At, parse_at
from cli.options import Database, DataDir, open_twin


@app.command()
def render(
    output: Annotated[Path, typer.Option("--output", "-o", help="PNG file to write.")],
    top: Annotated[
        bool, typer.Option("--top", help="A plan view instead of the oblique one.")
    ] = False,
    mode: Annotated[
        str | None,
        typer.Option(
            "--mode", help="Colour by viewer mode: visitor, leasing, construction or facilities."
        ),
    ] = None,
    at: At = None,
    db: Database = None,
    data: DataDir = None,
) -> None:
    """Render an oblique view of the whole campus to a PNG, without a display."""
    if output.suffix.lower() != ".png":
        raise CliError(f"cannot render to {output}: the output must be a .png file")
    if not output.parent.exists():
        raise CliError(f"cannot write {output}: directory {output.parent} does not exist")
    from assets.scene import build_scene
    from viewer.render import render_png
    from viewer.titles import campus_title

    if mode is not None or at is not None:  # coloured as the viewer colours it, at that time
        from viewer.pictures import render_mode

        twin = open_twin(data, db)
        with console.status("Rendering the campus…"):
            render_mode(
                twin, mode or "visitor", parse_at(at), output, camera="top" if top else "oblique"
            )
        console.print(f"wrote {output}")
        return
    twin = open_twin(data)
    with console.status("Rendering the campus…"):
        render_png(
            build_scene(twin.campus),
            output,
            title=campus_title(twin.campus),
            camera="top" if top else "oblique",
        )
    console.print(f"wrote {output}")
