"""Every reducer of the leasing streams (``space:``, ``hold:``, ``lease:``, ``tenant:``), for
the twin's composed ``apply`` (:mod:`twin.reducers`)."""

from __future__ import annotations

from assets.history import Reducer
from occupancy import agreements, bookings, tenants

REDUCERS: dict[str, Reducer] = {
    **bookings.REDUCERS,
    **agreements.REDUCERS,
    **tenants.REDUCERS,
}

CONFIDENTIAL_STREAM_PREFIXES = ("space:", "hold:", "lease:", "tenant:")
"""Streams whose events name tenants, rents, lease dates or holds: never shown to the public."""
