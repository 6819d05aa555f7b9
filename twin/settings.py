"""Settings of a twin instance, from arguments or ``TWIN_*`` environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from assets.dataset import EMBEDDED

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
        )

    def with_database(self, url: str) -> Settings:
        return replace(self, database_url=url)
