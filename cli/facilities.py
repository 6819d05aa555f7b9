"""``twin facilities``: the command group of facility operations (alarms, ...)."""

from __future__ import annotations

import typer

from cli.app import app

facilities_app = typer.Typer(help="Facility operations: alarms.", no_args_is_help=True)
app.add_typer(facilities_app, name="facilities")
