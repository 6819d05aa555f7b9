"""``twin construction evidence add|list``: attach a site photo or document to a stage or
schedule activity (checked by content, stored by SHA-256 in ``TWIN_EVIDENCE_DIR``) through the
same service as the API, and list what is attached, newest first."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from api.timeparam import parse_at
from assets.construction.evidence import Attachment
from cli.app import CliError, console
from cli.construction import construction_app
from cli.options import Database, DataDir, open_twin
from twin.auth.tokens import NAME_PATTERN, Principal
from twin.construction.evidence import attach, listed

evidence_app = typer.Typer(
    help="Site photos and documents attached to stages.", no_args_is_help=True
)
construction_app.add_typer(evidence_app, name="evidence")
Building = Annotated[str | None, typer.Option("--building", help="Building or work package id.")]
Stage = Annotated[str | None, typer.Option("--stage", help="design, foundation, structure, ...")]


def _when(value: str | None, option: str) -> datetime | None:
    if value is None:
        return None
    try:
        return parse_at(value)
    except Exception:
        raise CliError(f"{option} {value!r} is not an ISO date or datetime") from None


@evidence_app.command("add")
def add(
    file: Annotated[Path, typer.Argument(help="The photo (JPEG, PNG, WebP) or PDF.")],
    building: Annotated[str, typer.Option("--building", help="Building or work package id.")],
    stage: Stage = None,
    activity: Annotated[
        str | None, typer.Option("--activity", help="A schedule activity id.")
    ] = None,
    taken_at: Annotated[
        str | None, typer.Option("--taken-at", help="When it was taken (default: now).")
    ] = None,
    caption_zh: Annotated[str | None, typer.Option("--caption-zh", help="说明.")] = None,
    caption_en: Annotated[str | None, typer.Option("--caption-en", help="Caption.")] = None,
    actor: Annotated[str, typer.Option("--actor", help="Who attaches it.")] = "cli",
    db: Database = None,
    data: DataDir = None,
) -> None:
    """Attach FILE to --stage of --building (and/or the schedule --activity)."""
    if not NAME_PATTERN.match(actor):
        raise CliError(f"--actor {actor!r} must be 1-100 letters, digits, spaces or ._@_-")
    if not file.is_file():
        raise CliError(f"{file} is not a file")
    what = Attachment(
        sha256="",
        media_type="",
        bytes=0,
        stage=stage,
        activity=activity,
        taken_at=_when(taken_at, "--taken-at") or datetime.now().astimezone(),
        caption_zh=caption_zh,
        caption_en=caption_en,
        filename=file.name,
    )
    twin = open_twin(data, db)
    who = Principal(actor, "construction")
    item, new = attach(twin, building, file.read_bytes(), what, actor=who.actor)
    state = "attached" if new else "already attached"
    console.print(
        f"{state} {item['id']}: {item['media_type']} {item['bytes']:,} bytes sha256 "
        f"{item['sha256']} to {item['building']} {item['stage'] or item['activity']}, taken "
        f"{item['taken_at']}"
    )


@evidence_app.command("list")
def list_(
    building: Building = None,
    stage: Stage = None,
    start: Annotated[str | None, typer.Option("--start", help="Taken at or after.")] = None,
    end: Annotated[str | None, typer.Option("--end", help="Taken at or before.")] = None,
    at: Annotated[str | None, typer.Option("--at", help="As known at (default now).")] = None,
    db: Database = None,
    data: DataDir = None,
) -> None:
    """Attached photos and documents, newest taken first: date, building, stage, type, caption."""
    twin = open_twin(data, db)
    moment = _when(at, "--at") or datetime.now().astimezone()
    items = listed(twin, moment, building, stage, _when(start, "--start"), _when(end, "--end"))
    for i in items:
        caption = i["caption_en"] or i["caption_zh"] or ""
        console.print(
            f"{i['taken_at'][:16]}  {i['building']}  {i['stage'] or i['activity']}  "
            f"{i['media_type']}  {i['sha256'][:12]}  {caption}",
            highlight=False,
        )
    if not items:
        console.print("no evidence attached")
