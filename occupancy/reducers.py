"""Every reducer of the leasing streams (``space:``, ``hold:``, ``lease:``, ``tenant:``,
``prospect:``), for the twin's composed ``apply`` (:mod:`twin.reducers`)."""

from __future__ import annotations

from assets.history import Reducer
from occupancy import agreements, bookings, pipeline, tenants

REDUCERS: dict[str, Reducer] = {
    **bookings.REDUCERS,
    **agreements.REDUCERS,
    **tenants.REDUCERS,
    **pipeline.REDUCERS,
}

CONFIDENTIAL_STREAM_PREFIXES = ("space:", "hold:", "lease:", "tenant:", "prospect:")
"""Streams whose events name tenants, rents, lease dates or holds: never shown to the public."""
