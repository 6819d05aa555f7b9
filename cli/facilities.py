"""``twin facilities ...``: the command group of facility operations (alarms, work orders;
their commands live in their own modules, e.g. :mod:`cli.work_orders`)."""

from __future__ import annotations

import typer

from cli.app import app

facilities_app = typer.Typer(
    help="Facility operations: alarms, work orders and maintenance, PUE and power capacity.",
    no_args_is_help=True,
)
app.add_typer(facilities_app, name="facilities")
