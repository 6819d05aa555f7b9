"""The facility event types the state folds, and the prefix of readings' idempotency keys."""

from __future__ import annotations

from assets.facilities.alerts import CLEARED, RAISED
from assets.facilities.reducers import STATUS_REPORTED

STATUS_TYPES = ("FacilityStatusChanged", STATUS_REPORTED)
FACILITY_TYPES = (*STATUS_TYPES, "FacilityPlanned", RAISED, CLEARED)
"""Event types the facility state folds (metric values are indexed apart, see series)."""
KEY_PREFIX = "reading:"
"""Readings' idempotency keys in the log, so they never collide with commands' keys."""
