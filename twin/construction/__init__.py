"""Construction in the running twin: views of the history at any instant, and commands
decided by :mod:`assets.construction` and appended through :mod:`twin.commands`."""

from twin.construction.commands import run
from twin.construction.queries import ConstructionView, view

__all__ = ["ConstructionView", "run", "view"]
