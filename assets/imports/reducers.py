"""The geometry history: one stream per zone, parcel or building an import changed.

Stream ``geometry:<kind>:<id>``; each event carries the entity's whole dataset model as it
stands from its effective date (``GeometryDefined``) or says it is gone (``GeometryRemoved``),
so the campus at an instant is the embedded dataset with each stream's latest state laid over.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from assets.history import Reducer, State

STREAM_PREFIX = "geometry:"
DEFINED, REMOVED = "GeometryDefined", "GeometryRemoved"


def geometry_stream(kind: str, entity_id: str) -> str:
    """``geometry:building:fish-head-t1``."""
    return f"{STREAM_PREFIX}{kind}:{entity_id}"


def _defined(state: State, data: Mapping[str, Any], at: datetime) -> State:
    return {"kind": data["kind"], "model": data["model"], "import": data.get("import")}


def _removed(state: State, data: Mapping[str, Any], at: datetime) -> State:
    return {"kind": data["kind"], "removed": True, "import": data.get("import")}


REDUCERS: dict[str, Reducer] = {DEFINED: _defined, REMOVED: _removed}
