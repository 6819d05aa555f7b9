"""The typer application and its error handling: one line per error, no traceback."""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from assets.errors import DatasetError

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
    from twin.cli import export, info, render, serve  # noqa: F401  (commands register themselves)


def main() -> None:
    """Entry point of the ``twin`` console script."""
    _register()
    try:
        app()
    except (CliError, DatasetError, OSError, ValueError) as exc:
        errors.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
        sys.exit(1)
