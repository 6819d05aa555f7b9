"""Settings of a twin instance, from arguments or ``TWIN_*`` environment variables."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from assets.dataset import EMBEDDED
from assets.facilities.alarms import DELAYS_S, ESCALATION_S, SEVERITIES, AlarmPolicy
from assets.facilities.alerts import RULES
from assets.facilities.work_orders import Sla

DEFAULT_DB = Path("var") / "twin.db"


@dataclass(frozen=True)
class Settings:
    """Where the twin keeps its log and which dataset it starts from.

    Attributes
    ----------
    database_url : SQLAlchemy URL of the event log: a SQLite file by default,
        PostgreSQL when ``TWIN_DATABASE_URL`` names one.
    data_dir : the campus dataset directory (default: the embedded Flying Fish).
    """

    database_url: str
    data_dir: Path
    database_read_url: str | None = None
    """A PostgreSQL read replica of ``database_url`` for history (metric histories,
    SensorThings Observations); decisions and the log stay on the primary; env
    TWIN_DATABASE_READ_URL."""
    anon_rate: float = 50.0
    """Requests a second each anonymous client may make (0: unlimited); env TWIN_ANON_RATE."""
    anon_burst: int = 200
    """Requests an anonymous client may make at once; env TWIN_ANON_BURST."""
    max_body_bytes: int = 1_048_576
    """Largest request body accepted, bytes; env TWIN_MAX_BODY_BYTES."""
    # --- rate limits by token, trusted proxies (docs/deploy.md "Rate limits and proxies") ---
    token_rate: float = 200.0
    """Requests a second each valid bearer token may make (0: unlimited); env TWIN_TOKEN_RATE."""
    token_burst: int = 1000
    """Requests a valid bearer token may make at once; env TWIN_TOKEN_BURST."""
    trusted_proxies: tuple[str, ...] = ()
    """Addresses or networks (CIDR) of reverse proxies whose X-Forwarded-For names the client;
    env TWIN_TRUSTED_PROXIES, comma-separated (default: none, the peer is the client)."""
    # --- end rate limits by token, trusted proxies ---
    # --- server limits (docs/deploy.md "Limits") ---
    header_timeout_s: float = 10.0
    """Seconds a client has to send a request's headers (else 408); env TWIN_HEADER_TIMEOUT."""
    body_timeout_s: float = 30.0
    """Seconds a client has to send a request's body once its headers are in (else 408);
    env TWIN_BODY_TIMEOUT."""
    sse_per_client: int = 8
    """Live streams (SSE) open at once per client address, per process (more: 429);
    env TWIN_SSE_PER_CLIENT."""
    sse_total: int = 500
    """Live streams (SSE) open at once per process (more: 503); env TWIN_SSE_TOTAL."""
    render_queue: int = 4
    """Pictures (render.png) that may wait while one is drawn, per process (more: 503);
    env TWIN_RENDER_QUEUE."""
    # --- end server limits ---
    # --- measurements store (docs/operations.md "Readings and retention") ---
    readings_raw_days: int = 90
    """Days raw metric readings are kept (older ones dropped; their rollups kept);
    env TWIN_READINGS_RAW_DAYS."""
    reading_keys_days: int = 7
    """Days a metric reading's idempotency key is kept after it was recorded;
    env TWIN_READING_KEYS_DAYS."""
    retention_interval_s: float = 3600.0
    """Seconds between two retention passes of ``twin serve`` (0: none);
    env TWIN_RETENTION_INTERVAL."""
    # --- end measurements store ---
    # --- construction evidence (docs/construction.md "Evidence") ---
    evidence_dir: Path = Path("var") / "evidence"
    """Folder of site photos and documents, stored by SHA-256 (ab/cd/<hash>); relative to the
    working directory; env TWIN_EVIDENCE_DIR."""
    evidence_max_bytes: int = 20_000_000
    """Largest evidence file accepted, bytes (its upload alone may exceed max_body_bytes);
    env TWIN_EVIDENCE_MAX_BYTES."""
    evidence_s3_bucket: str | None = None
    """An S3-compatible bucket to keep evidence in instead of the folder; env
    TWIN_EVIDENCE_S3_BUCKET (credentials as boto3 finds them, never in settings)."""
    evidence_s3_endpoint: str | None = None
    """The S3-compatible server's URL (default: AWS); env TWIN_EVIDENCE_S3_ENDPOINT."""
    # --- end construction evidence ---
    simulation: bool = False
    """Simulation mode: the twin records simulated readings only (``twin simulate``), and
    every view says its telemetry is simulated; env TWIN_SIMULATION=1."""
    # --- alarms (docs/operations.md "Alarms") ---
    alarm_delays_s: tuple[tuple[str, float], ...] = DELAYS_S
    """Seconds a rule's condition must hold before it raises an alarm, by rule (others: 0);
    env TWIN_ALARM_DELAYS, e.g. ``metric-limit=300,feed-down=0``."""
    alarm_escalation_s: tuple[tuple[str, float], ...] = ESCALATION_S
    """Seconds an unacknowledged alarm waits before each escalation, by severity (others:
    never); env TWIN_ALARM_ESCALATION, e.g. ``critical=300,major=900,warning=3600``."""
    alarm_sweep_interval_s: float = 30.0
    """Seconds between two alarm sweeps of ``twin serve`` (0: none); env
    TWIN_ALARM_SWEEP_INTERVAL."""
    # --- end alarms ---

    @classmethod
    def from_env(cls, db: str | Path | None = None, data_dir: str | Path | None = None) -> Settings:
        """Settings from arguments, else the environment, else defaults.

        ``db`` may be a SQLAlchemy URL or a path to a SQLite file.
        """
        url = str(db) if db is not None else os.environ.get("TWIN_DATABASE_URL")
        if url is None:
            url = str(DEFAULT_DB)
        if "://" not in url:
            url = f"sqlite:///{Path(url).expanduser().resolve()}"
        data = data_dir if data_dir is not None else os.environ.get("TWIN_DATA_DIR")
        env = os.environ
        return cls(
            database_url=url,
            data_dir=Path(data) if data else EMBEDDED,
            anon_rate=float(env.get("TWIN_ANON_RATE", cls.anon_rate)),
            anon_burst=int(env.get("TWIN_ANON_BURST", cls.anon_burst)),
            max_body_bytes=int(env.get("TWIN_MAX_BODY_BYTES", cls.max_body_bytes)),
            token_rate=float(env.get("TWIN_TOKEN_RATE", cls.token_rate)),
            token_burst=int(env.get("TWIN_TOKEN_BURST", cls.token_burst)),
            trusted_proxies=tuple(
                p.strip() for p in env.get("TWIN_TRUSTED_PROXIES", "").split(",") if p.strip()
            ),
            **_server_limits(env),
        ).with_read_database(env.get("TWIN_DATABASE_READ_URL") or None)

    def with_database(self, url: str) -> Settings:
        return replace(self, database_url=url)

    def with_read_database(self, url: str | None) -> Settings:
        """These settings reading history from the replica at ``url`` (None: the primary)."""
        if url is not None and not (
            url.startswith("postgresql") and self.database_url.startswith("postgresql")
        ):
            raise ValueError(
                "TWIN_DATABASE_READ_URL names a PostgreSQL read replica of a PostgreSQL "
                f"primary; the primary is {self.database_url.split(':', 1)[0]} and the "
                f"replica {url.split(':', 1)[0]}"
            )
        return replace(self, database_read_url=url)

    def alarm_policy(self) -> AlarmPolicy:
        """The alarms' delays and escalation intervals."""
        return AlarmPolicy(dict(self.alarm_delays_s), dict(self.alarm_escalation_s))


def _flag(value: str) -> bool:
    """An environment flag: 1, true, yes or on (any case) is set; 0, false, no, off or empty
    is not; anything else is an error naming it."""
    if value.strip().lower() in ("1", "true", "yes", "on"):
        return True
    if value.strip().lower() in ("", "0", "false", "no", "off"):
        return False
    raise ValueError(f"TWIN_SIMULATION={value!r}: use 1 (simulation mode) or 0")


def _seconds_by(text: str, known: Iterable[str], what: str) -> tuple[tuple[str, float], ...]:
    """``name=seconds,...`` as pairs; a name not in ``known`` is refused, naming it."""
    pairs = [p.split("=", 1) for p in text.split(",") if p.strip()]
    out = tuple((name.strip(), float(value)) for name, value in pairs)
    unknown = sorted({name for name, _ in out} - set(known))
    if unknown:
        raise ValueError(f"unknown {what} {', '.join(unknown)} (known: {', '.join(known)})")
    return out


def _server_limits(env: Mapping[str, str]) -> dict[str, Any]:
    """The server limits set in ``env`` (unset ones keep their defaults)."""
    names: dict[str, tuple[str, Callable[[str], Any]]] = {
        "header_timeout_s": ("TWIN_HEADER_TIMEOUT", float),
        "body_timeout_s": ("TWIN_BODY_TIMEOUT", float),
        "sse_per_client": ("TWIN_SSE_PER_CLIENT", int),
        "sse_total": ("TWIN_SSE_TOTAL", int),
        "render_queue": ("TWIN_RENDER_QUEUE", int),
        "readings_raw_days": ("TWIN_READINGS_RAW_DAYS", int),
        "reading_keys_days": ("TWIN_READING_KEYS_DAYS", int),
        "retention_interval_s": ("TWIN_RETENTION_INTERVAL", float),
        "evidence_dir": ("TWIN_EVIDENCE_DIR", Path),
        "evidence_max_bytes": ("TWIN_EVIDENCE_MAX_BYTES", int),
        "evidence_s3_bucket": ("TWIN_EVIDENCE_S3_BUCKET", str),
        "evidence_s3_endpoint": ("TWIN_EVIDENCE_S3_ENDPOINT", str),
        "simulation": ("TWIN_SIMULATION", _flag),
        "alarm_sweep_interval_s": ("TWIN_ALARM_SWEEP_INTERVAL", float),
        "alarm_delays_s": ("TWIN_ALARM_DELAYS", lambda v: _seconds_by(v, RULES, "rule")),
        "alarm_escalation_s": (
            "TWIN_ALARM_ESCALATION",
            lambda v: _seconds_by(v, SEVERITIES, "severity"),
        ),
    }
    return {field: kind(env[var]) for field, (var, kind) in names.items() if var in env}


# --- work orders (docs/operations.md "Work orders and maintenance") ---
WORK_ORDER_SLA: dict[str, Sla] = {
    "P1": Sla(start_h=4, finish_h=24),
    "P2": Sla(start_h=8, finish_h=72),
    "P3": Sla(start_h=24, finish_h=168),
    "P4": Sla(start_h=72, finish_h=720),
}
"""Hours to start and to finish a work order, by priority: schematic defaults, not a contract
of the campus (a corrective order counts from when it opened; a planned one is due to start
at its planned start, see :mod:`assets.facilities.work_orders`)."""
# --- end work orders ---
