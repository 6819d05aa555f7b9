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
        return cls(database_url=url, data_dir=Path(data) if data else EMBEDDED)

    def with_database(self, url: str) -> Settings:
        return replace(self, database_url=url)
