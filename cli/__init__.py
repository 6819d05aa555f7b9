"""The ``twin`` command line: the composition root of the twin (typer + rich)."""

from __future__ import annotations

from cli.app import app, main

__all__ = ["app", "main"]
