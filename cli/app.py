"""The typer application and its error handling: one line per error, no traceback."""

from __future__ import annotations

import sys

import typer
from rich.console import Console
from typer.exceptions import TyperException

from assets.errors import DatasetError
from twin.eventlog import EventLogError

app = typer.Typer(
    name="twin",
    help="Digital twin of the Information Flying Fish campus (Lingang, Shanghai).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
# Piped output (CI logs, tests) gets a width that keeps ids whole; a terminal keeps its own.
console = Console(width=None if sys.stdout.isatty() else 140)
errors = Console(stderr=True, width=None if sys.stderr.isatty() else 200)


class CliError(Exception):
    """A user-facing failure of a command: printed as one line, exit status 1."""


def _register() -> None:
    from cli import (  # noqa: F401  (commands register themselves)  # noqa: F401
        alarms,
        construction,
        construction_evidence,
        construction_write,
        export,
        facilities,
        facilities_ops,
        gantt,
        history,
        imports,
        info,
        ingest,
        leasing,
        leasing_brochure,
        leasing_economics,
        leasing_pipeline,
        leasing_proposals,
        leasing_sheets,
        render,
        schedule,
        serve,
        simulate,
        synth,
        tokens,
        view,
        work_orders,
    )


def main() -> None:
    """Entry point of the ``twin`` console script."""
    _register()
    try:
        app(standalone_mode=False)
    except typer.Abort:
        _fail("aborted", 130)
    except typer.Exit as exc:  # --help and explicit exits
        sys.exit(exc.exit_code)
    except TyperException as exc:  # usage errors: bad option values, unknown commands
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        _fail(f"{message} (see --help)", 2)
    except (CliError, DatasetError, EventLogError, OSError, ValueError) as exc:
        _fail(str(exc), 1)


def _fail(message: str, status: int) -> None:
    errors.print(f"[bold red]error:[/] {message}", markup=True, highlight=False, soft_wrap=True)
    sys.exit(status)
