"""The dictionary of series: (facility, metric) -> id, unit and kind, kept in memory.

``reading_series`` holds one row a facility metric (a few thousand on a campus), and a committed
row never changes: its id, unit and kind (measured or simulated, :mod:`.provenance`) are set in
the transaction that makes it. So every process keeps the rows it has read and reads the table
again only when it meets a series it does not know (one made since, by itself or by another
instance). The write path asks while it holds the log's write lock, so what it reads is
committed and final; a series it makes is not kept until it is read back after its commit
(a rolled-back transaction leaves no id behind).
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from sqlalchemy import Connection, Engine

Name = tuple[str, str]
"""(facility, metric)."""


@dataclass(frozen=True)
class Series:
    """A committed row of ``reading_series``."""

    id: int
    facility: str
    metric: str
    unit: str
    simulated: bool


class SeriesCatalogue:
    """The series of the store on ``engine`` that this process has read."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._by_name: dict[Name, Series] = {}
        self._by_id: dict[int, Series] = {}
        self._lock = threading.Lock()

    def refresh(self, conn: Connection | None = None) -> None:
        """Read the whole table again (on ``conn``, else a connection of its own)."""
        if conn is None:
            with self.engine.connect() as own:
                return self.refresh(own)
        rows = conn.exec_driver_sql(
            "SELECT id, facility, metric, unit, simulated FROM reading_series"
        )
        by_id = {int(i): Series(int(i), f, m, u, bool(s)) for i, f, m, u, s in rows}
        with self._lock:
            self._by_id = by_id
            self._by_name = {(s.facility, s.metric): s for s in by_id.values()}

    def get(self, name: Name) -> Series | None:
        """The series named ``name``, reading the table again if it is not known yet (None:
        nothing recorded for it)."""
        found = self._by_name.get(name)
        if found is None:
            self.refresh()
            found = self._by_name.get(name)
        return found

    def by_id(self, series: int) -> Series:
        """The series with id ``series`` (one that readings refer to: it exists)."""
        found = self._by_id.get(series)
        if found is None:
            self.refresh()
            found = self._by_id[series]
        return found

    def kinds(self, names: Collection[Name]) -> dict[Name, bool]:
        """Whether each of ``names`` that exists is simulated (one read of the table at most,
        when one of them is not known)."""
        if any(n not in self._by_name for n in names):
            self.refresh()
        known = self._by_name
        return {n: known[n].simulated for n in names if n in known}

    def ids_for_writing(self, conn: Connection, units: Mapping[Name, str]) -> dict[Name, int]:
        """The ids of the series in ``units`` (name -> unit), made for new ones, on ``conn``
        which holds the log's write lock."""
        if any(n not in self._by_name for n in units):
            self.refresh(conn)
        known = self._by_name
        mark = "?" if conn.dialect.name == "sqlite" else "%s"
        out: dict[Name, int] = {}
        for (facility, metric), unit in units.items():
            found = known.get((facility, metric))
            out[facility, metric] = (
                found.id
                if found is not None
                else int(
                    conn.exec_driver_sql(
                        "INSERT INTO reading_series (facility, metric, unit) "
                        f"VALUES ({mark}, {mark}, {mark}) RETURNING id",
                        (facility, metric, unit),
                    ).scalar_one()
                )
            )
        return out
