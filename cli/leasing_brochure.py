"""``twin leasing brochure ID``: the PDF a prospect takes away, for a unit, floor or building."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.app import CliError, console
from cli.leasing import leasing_app
from cli.options import Database, DataDir, open_twin
from occupancy.errors import LeasingError
from twin.leasing.brochure import brochure as brochure_of
from viewer.brochure import LANGS, Lang, brochure_pdf


@leasing_app.command("brochure")
def brochure(
    space: Annotated[
        str, typer.Argument(help="A unit (b/L12/U03), a floor (b/L12) or a building id.")
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="The PDF to write.")],
    lang: Annotated[str, typer.Option(help="zh (中文) or en.")] = "zh",
    db: Database = None,
    data: DataDir = None,
) -> None:
    """A brochure as PDF: 3D render, floor plan, areas, readiness and the published facts that
    apply. Public content only: no rent, term or tenant."""
    if lang not in LANGS:
        raise CliError(f"unknown --lang {lang!r}: zh or en")
    twin = open_twin(data, db)
    try:
        content = brochure_of(twin, space)
    except LeasingError as exc:
        raise CliError(str(exc)) from exc
    chosen: Lang = "zh" if lang == "zh" else "en"
    try:
        out.write_bytes(brochure_pdf(twin, content, chosen))
    except RuntimeError as exc:  # offscreen OpenGL unavailable
        raise CliError(str(exc)) from exc
    console.print(f"{out}: {content.scope} {space}, {content.area_m2:,.2f} m², {lang}")
