"""Readings reported by facilities, and the checks that admit or refuse each one.

A reading is either a *status* (``{"facility", "status", "observed_at"}``) or a *metric*
(``{"facility", "metric", "value", "unit", "observed_at"}``), with an optional
``idempotency_key`` (else one is derived from facility, metric or status, and time: the same
observation sent twice is one reading), an optional ``provenance`` (``measured``, the default,
or ``simulated``: made by ``twin simulate``, accepted only by a twin in simulation mode) and,
for a status, an optional ``note``. Each reading is
checked on its own; a refusal names a :data:`REASONS` code and says what to fix.
"""

from __future__ import annotations

import hashlib
import math
import sys
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from assets.facilities.kinds import STATUSES, UNIT_ALIASES
from assets.facilities.topology import Topology
from assets.text import MAX_ID, text_problem
from assets.text import MAX_NOTE as MAX_NOTE
from assets.units import quantity

REASONS = {
    "malformed": "not an object with the documented fields",
    "malformed_json": "the payload is not JSON",
    "oversized": "the payload or a field is too large",
    "bad_topic": "the MQTT topic is not <prefix>/<facility>/status or /metrics",
    "unknown_facility": "no facility has this id",
    "unknown_metric": "the facility does not report this metric",
    "wrong_unit": "the unit is not the metric's",
    "not_finite": "the value is NaN or infinite",
    "out_of_range": "the value is outside the metric's valid range",
    "expired": "the value is older than the kept raw readings (retention)",
    "bad_status": "not one of the facility statuses",
    "bad_time": "observed_at is not an ISO datetime with a time zone, or is implausible",
    "bad_key": "the idempotency key is empty, too long or not text",
    "bad_text": "a text field holds a lone surrogate or a NUL character (not storable Unicode)",
    "duplicate": "a reading with this idempotency key was already recorded",
    "bad_provenance": "provenance is not measured or simulated",
    "wrong_provenance": "a simulated reading where the twin or the series takes measured ones, "
    "or the reverse",
}
"""Why a reading is refused (or dropped, for ``duplicate``): code -> meaning."""
MAX_KEY = MAX_ID
EARLIEST = datetime(2019, 1, 1, tzinfo=UTC)
"""Nothing is observed before the campus's history begins."""
MAX_CLOCK_SKEW = timedelta(minutes=5)
"""How far in the future an observation may be (clocks of devices drift)."""
PROVENANCES = ("measured", "simulated")
STATUS_FIELDS = frozenset(
    {"facility", "status", "note", "observed_at", "idempotency_key", "provenance"}
)
METRIC_FIELDS = frozenset(
    {"facility", "metric", "value", "unit", "observed_at", "idempotency_key", "provenance"}
)


@dataclass(frozen=True)
class Reading:
    """An admitted reading: a status (``metric`` None) or a metric value in its unit;
    ``simulated`` when its provenance says so."""

    facility: str
    observed_at: datetime
    key: str
    status: str | None = None
    note: str | None = None
    metric: str | None = None
    value: float | None = None
    unit: str | None = None
    simulated: bool = False

    @property
    def stream(self) -> str:
        """Status reports go to ``facility:<id>``; values to ``metric:<id>:<metric>``."""
        if self.metric is None:
            return f"facility:{self.facility}"
        return metric_stream(self.facility, self.metric)


@dataclass(frozen=True)
class Refusal:
    """A refused reading: a :data:`REASONS` code and a sentence saying what is wrong."""

    reason: str
    detail: str
    facility: str | None = None
    key: str | None = None


def metric_stream(facility: str, metric: str) -> str:
    """The stream of one facility's metric, e.g. ``metric:dc/hall-1:supply_temp_c``."""
    return f"metric:{facility}:{metric}"


def parse_time(value: Any, now: datetime) -> datetime | str:
    """An aware UTC instant, or the reason it is not one."""
    if not isinstance(value, str):
        return "observed_at must be an ISO 8601 datetime string, e.g. 2025-06-01T08:00:00+08:00"
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return f"observed_at {value[:60]!r} is not an ISO 8601 datetime"
    if moment.tzinfo is None or moment.utcoffset() is None:
        return f"observed_at {value[:60]!r} has no time zone: add Z or an offset such as +08:00"
    moment = moment.astimezone(UTC)
    if moment < EARLIEST:
        return f"observed_at {value!r} is before the campus's history (2019)"
    if moment > now + MAX_CLOCK_SKEW:
        return f"observed_at {value!r} is in the future (now is {now.isoformat()})"
    return moment


def derived_key(facility: str, what: str, at: datetime) -> str:
    """The key of a reading sent without one: the same observation gets the same key."""
    digest = hashlib.sha256(f"{facility}|{what}|{at.isoformat()}".encode()).hexdigest()
    return f"auto:{digest[:32]}"


def _refuse(reason: str, detail: str, facility: Any = None, key: Any = None) -> Refusal:
    return Refusal(reason, detail, _echoed(facility), _echoed(key))


def _echoed(value: Any) -> str | None:
    """``value`` if it is safe text to repeat in an answer, else None."""
    return value if isinstance(value, str) and text_problem(value) is None else None


def _bad_text(raw: Mapping[str, Any]) -> tuple[str, str] | None:
    """The first text field of ``raw`` that could not be stored, and its problem.

    Readings come by the thousand: their names and text values are checked together first
    (one :func:`text_problem` of them joined), field by field only when that finds a problem."""
    texts = [*raw, *(value for value in raw.values() if isinstance(value, str))]
    if all(isinstance(text, str) for text in texts) and text_problem("".join(texts)) is None:
        return None
    for name, value in raw.items():
        if not isinstance(name, str) or text_problem(name) is not None:
            return ascii(name), "is a field name that is not storable text"
        if isinstance(value, str) and (problem := text_problem(value)) is not None:
            return name, problem
    return None


def check_reading(
    topology: Topology, raw: Any, now: datetime, facility: str | None = None
) -> Reading | Refusal:
    """Admit ``raw`` (a decoded JSON value) as a :class:`Reading` or refuse it.

    ``facility`` is given when the transport names it (an MQTT topic); the reading must then
    not name another.
    """
    if not isinstance(raw, Mapping):
        return _refuse("malformed", "a reading must be a JSON object", facility)
    fid = raw.get("facility", facility)
    key = raw.get("idempotency_key")
    bad = _bad_text(raw)
    if bad is not None:
        return _refuse("bad_text", f"{bad[0]} {bad[1]}", fid, key)
    if facility is not None and fid != facility:
        return _refuse("malformed", f"the topic names {facility!r}, the reading {fid!r}", fid, key)
    if not isinstance(fid, str) or not fid:
        return _refuse("malformed", "facility must be a facility id such as dc/hall-1", None, key)
    node = topology.facilities.get(fid[:MAX_KEY])
    if node is None:
        return _refuse("unknown_facility", f"no facility is called {fid[:80]!r}", fid, key)
    is_status = "status" in raw
    if is_status == ("metric" in raw):
        return _refuse(
            "malformed", "a reading has either status or metric, not both or neither", fid, key
        )
    extra = set(raw) - (STATUS_FIELDS if is_status else METRIC_FIELDS)
    if extra:
        return _refuse(
            "malformed", f"unknown field(s): {', '.join(sorted(map(str, extra)))}", fid, key
        )
    if key is not None and (not isinstance(key, str) or not key.strip() or len(key) > MAX_KEY):
        return _refuse("bad_key", f"idempotency_key must be text of 1 to {MAX_KEY} characters", fid)
    at = parse_time(raw.get("observed_at"), now)
    if isinstance(at, str):
        return _refuse("bad_time", at, fid, key)
    provenance = raw.get("provenance", "measured")
    if provenance not in PROVENANCES:
        detail = f"provenance {str(provenance)[:40]!r} is not one of {', '.join(PROVENANCES)}"
        return _refuse("bad_provenance", detail, fid, key)
    reading = (
        _check_status(fid, raw, at, key)
        if is_status
        else _check_metric(node.metrics, fid, raw, at, key)
    )
    if provenance == "simulated" and isinstance(reading, Reading):
        return replace(reading, simulated=True)
    return reading


def _check_status(
    fid: str, raw: Mapping[str, Any], at: datetime, key: str | None
) -> Reading | Refusal:
    status, note = raw["status"], raw.get("note")
    if status not in STATUSES:
        shown = str(status)[:40]
        return _refuse(
            "bad_status", f"status {shown!r} is not one of {', '.join(STATUSES)}", fid, key
        )
    if note is not None and (not isinstance(note, str) or len(note) > MAX_NOTE):
        return _refuse("oversized", f"note must be text of at most {MAX_NOTE} characters", fid, key)
    key = key or derived_key(fid, "status", at)
    return Reading(fid, at, key, status=status, note=note)


def _check_metric(
    specs: Mapping[str, Any], fid: str, raw: Mapping[str, Any], at: datetime, key: str | None
) -> Reading | Refusal:
    name, value, unit = raw["metric"], raw.get("value"), raw.get("unit")
    spec = specs.get(name) if isinstance(name, str) else None
    if spec is None:
        known = ", ".join(specs) or "none (status only)"
        return _refuse(
            "unknown_metric",
            f"{fid} reports no metric {str(name)[:60]!r}; it reports {known}",
            fid,
            key,
        )
    if isinstance(value, bool) or not isinstance(value, int | float):
        return _refuse("malformed", f"value must be a number, not {type(value).__name__}", fid, key)
    if isinstance(value, int) and abs(value) > sys.float_info.max:  # JSON allows 10**400
        return _refuse("not_finite", f"{name} is an integer beyond any float", fid, key)
    if not math.isfinite(value):
        return _refuse("not_finite", f"{name} = {value} is not a finite number", fid, key)
    if not isinstance(unit, str) or UNIT_ALIASES.get(unit, unit) != spec.unit:
        return _refuse("wrong_unit", f"{name} is in {spec.unit}, not {str(unit)[:20]!r}", fid, key)
    if not spec.low <= value <= spec.high:
        return _refuse(
            "out_of_range",
            f"{name} = {quantity(value, spec.unit)} is outside its valid range "
            f"{spec.low:g}..{quantity(spec.high, spec.unit)}",
            fid,
            key,
        )
    key = key or derived_key(fid, name, at)
    return Reading(fid, at, key, metric=name, value=float(value), unit=spec.unit)
