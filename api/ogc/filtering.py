"""A CQL2 filter applied to one collection at one instant (time-dependent properties included)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from fastapi import HTTPException

from api.ogc.catalog import CollectionData
from api.ogc.cql2 import FilterError, evaluate
from api.ogc.live import Live, live_values
from api.ogc.params import ItemsQuery


def frame_at(data: CollectionData, live: Live) -> pd.DataFrame:
    """The collection's property frame with its time-dependent columns (stage, status) as
    they are in ``live``."""
    if data.spec.live is None:
        return data.frame
    rows = [live_values(data.spec, live, f["id"]) for f in data.features]
    columns = {name: [row[name] for row in rows] for name in data.spec.live_properties}
    frame = data.frame.assign(**columns)
    frame.attrs["types"] = {**data.frame.attrs["types"], **data.spec.live_properties}
    return frame


def filtered(
    data: CollectionData, matched: Sequence[int], query: ItemsQuery, live: Live
) -> list[int]:
    """The positions of ``matched`` whose features meet ``query.filter``; 400 naming what is
    wrong with a filter that cannot be evaluated (an unknown property, a bad type...)."""
    assert query.filter is not None
    try:
        mask = evaluate(query.filter, frame_at(data, live), data.shapes, query.at, query.filter_crs)
    except FilterError as exc:
        raise HTTPException(400, str(exc)) from None
    chosen = np.asarray(matched, dtype=np.int64)
    return [int(i) for i in chosen[mask[chosen]]] if len(chosen) else []
