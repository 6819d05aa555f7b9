"""OGC SensorThings API 1.1, Sensing, read-only, at ``/sta/v1.1``.

Resource paths (``/Things('dc/hall-1')/Datastreams``) are parsed here, the query options in
:mod:`api.sta.odata`, the entities in :mod:`api.sta.entities`. Things, Locations and
HistoricalLocations are public (a Thing's operator note only with an operations token);
Sensors, ObservedProperties, Datastreams and Observations need an operations token, as the
metrics under ``/api/v1/facilities`` do.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import numpy as np
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse
from odata_query import ast

from api.auth import CHALLENGE, WhoDep
from api.deps import TwinDep
from api.problems import problem_responses
from api.sta.entities import LINKS, OPERATIONS_ONLY, SETS, Catalogue, split_observation
from api.sta.odata import (
    Options,
    Table,
    bad,
    evaluate,
    order,
    parse_options,
    time_bounds,
    time_only,
)

router = APIRouter(prefix="/sta/v1.1", tags=["sensorthings"])
TIME = "phenomenonTime"
CONFORMANCE = [
    "http://www.opengis.net/spec/iot_sensing/1.1/req/datamodel",
    "http://www.opengis.net/spec/iot_sensing/1.1/req/resource-path/resource-path-to-entities",
    "http://www.opengis.net/spec/iot_sensing/1.1/req/request-data",
]
_SEGMENT = re.compile(r"([A-Za-z]+)(?:\((?:'((?:[^']|'')*)'|(\d+))\))?(?:/|$)")
RESPONSES = problem_responses(
    400,
    401,
    described={403: "Not the operations role", 404: "No such entity set, entity or property"},
)


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/") + router.prefix


def _link(base: str, entity_set: str, iot_id: str) -> str:
    escaped = quote(iot_id.replace("'", "''"), safe="/:@-._~")
    return f"{base}/{entity_set}('{escaped}')"


class Reader:
    """One request's reads: the catalogue, who asks and the base URL of links."""

    def __init__(self, catalogue: Catalogue, base: str, role: str, may: bool):
        self.cat, self.base, self.role, self.ops = catalogue, base, role, may

    def allow(self, entity_set: str) -> None:
        if entity_set in OPERATIONS_ONLY and not self.ops:
            if self.role == "public":
                raise HTTPException(
                    401,
                    f"{entity_set} need a bearer token with the operations role",
                    headers=CHALLENGE,
                )
            raise HTTPException(403, f"{entity_set} need the operations role, not {self.role}")

    def table(self, entity_set: str, where: ast._Node | None = None) -> Table:
        """An entity set; Observations only as far as ``where`` bounds their time."""
        self.allow(entity_set)
        if entity_set == "Observations":
            return self.cat.observations(None, time_bounds(where, "phenomenonTime"))
        return self.cat.table(entity_set)

    def find(self, entity_set: str, iot_id: str) -> tuple[Table, int]:
        """The table holding the entity and its row (404 if there is none)."""
        self.allow(entity_set)
        if entity_set == "Observations":
            found = split_observation(iot_id)
            if found and found[0] in set(self.cat.table("Datastreams").column("@iot.id")):
                moment = found[1] / 1e6
                table = self.cat.observations([found[0]], (moment - 0.001, moment + 0.001))
                hits = np.nonzero(np.round(table.column("phenomenonTime") * 1e6) == found[1])
                if len(hits[0]):
                    return table, int(hits[0][0])
        else:
            table = self.cat.table(entity_set)
            hits = np.nonzero(table.column("@iot.id") == iot_id)
            if len(hits[0]):
                return table, int(hits[0][0])
        raise HTTPException(404, f"no {entity_set} has the id {iot_id!r}")

    def navigate(
        self,
        entity_set: str,
        table: Table,
        i: int,
        nav: str,
        where: ast._Node | None = None,
        opts: Options | None = None,
    ) -> tuple[str, Table, np.ndarray]:
        """The entities ``nav`` of row ``i``: their set, table and rows (Observations only as
        far as the filter ``where`` bounds their time, and only as many as the page ``opts``
        needs when the store can read them in its order: see :func:`_in_time_order`)."""
        link = LINKS[entity_set].get(nav)
        if link is None:
            raise HTTPException(404, f"{entity_set} have no navigation property {nav!r}")
        self.allow(link.target)
        key = table.column(link.source_key)[i]
        if link.target == "Observations":
            target = self._observations_page(key, where, opts)
            return link.target, target, np.arange(target.n)
        target = self.cat.table(link.target)
        return link.target, target, np.nonzero(target.column(link.target_key) == key)[0]

    def _observations_page(
        self, datastream: str, where: ast._Node | None, opts: Options | None
    ) -> Table:
        """One Datastream's Observations: all those ``where`` may select, or, when the page
        is in time order, the first ``skip + top + 1`` that ``where`` keeps (the one more
        says whether more remain), read in that order from the store's (series, time) key.
        Readings at the edges of ``where``'s time bounds that it drops are read again with
        a larger limit, so the page is the one reading everything would give."""
        bounds = time_bounds(where, "phenomenonTime")
        newest_first = _in_time_order(opts, where)
        if newest_first is None or opts is None:
            return self.cat.observations([datastream], bounds)
        need = opts.skip + opts.top + 1
        while True:
            found = self.cat.observations(
                [datastream], bounds, limit=need, newest_first=newest_first
            )
            kept = found.n if where is None else int(evaluate(found, where).sum())
            if found.n < need or kept >= opts.skip + opts.top + 1:
                return found
            need *= 4

    def page(self, table: Table, rows: np.ndarray, opts: Options) -> tuple[np.ndarray, int]:
        """The rows of one page and how many match in all."""
        if opts.filter is not None:
            rows = rows[evaluate(table, opts.filter)[rows]]
        rows = order(table, rows, opts.orderby or list(table.default_order))
        return rows[opts.skip : opts.skip + opts.top], len(rows)

    def entity(self, entity_set: str, table: Table, i: int, opts: Options) -> dict[str, Any]:
        """Row ``i`` as JSON with its links, ``$select`` and ``$expand`` applied."""
        row = dict(table.row(i))
        iot_id = row.pop("@iot.id")
        self_link = _link(self.base, entity_set, iot_id)
        out: dict[str, Any] = {"@iot.id": iot_id, "@iot.selfLink": self_link, **row}
        for nav in LINKS[entity_set]:
            out[f"{nav}@iot.navigationLink"] = f"{self_link}/{nav}"
        if opts.select is not None:
            out = self._select(entity_set, out, opts.select)
        for nav, sub in opts.expand.items():
            target_set, target, rows = self.navigate(entity_set, table, i, nav, sub.filter, sub)
            if LINKS[entity_set][nav].single:
                out[nav] = self.entity(target_set, target, int(rows[0]), sub) if len(rows) else None
                continue
            shown, total = self.page(target, rows, sub)
            out[nav] = [self.entity(target_set, target, int(j), sub) for j in shown]
            if sub.count:
                out[f"{nav}@iot.count"] = total
            if sub.top and sub.skip + len(shown) < total:
                out[f"{nav}@iot.nextLink"] = (
                    f"{self_link}/{nav}?$top={sub.top}&$skip={sub.skip + sub.top}"
                )
        return out

    @staticmethod
    def _select(entity_set: str, out: dict[str, Any], names: list[str]) -> dict[str, Any]:
        alias = {"id": "@iot.id", "selfLink": "@iot.selfLink"}
        keep = set()
        for name in names:
            key = alias.get(name, name)
            if key in LINKS[entity_set]:
                key = f"{key}@iot.navigationLink"
            if key not in out:
                raise bad(f"$select: {entity_set} have no property {name!r}")
            keep.add(key)
        return {k: v for k, v in out.items() if k in keep}


def _in_time_order(opts: Options | None, where: ast._Node | None) -> bool | None:
    """Whether a page of Observations is the first ones in time order, newest first (True)
    or oldest first (False), so the store can read just them; None when it needs them all
    (another order, a filter on more than the time, or ``$count``)."""
    if opts is None or opts.count or (where is not None and not time_only(where, TIME)):
        return None
    if opts.orderby in ([], [(TIME, False)]):
        return False
    return True if opts.orderby == [(TIME, True)] else None


def _segments(resource: str) -> list[tuple[str, str | None]]:
    """``Things('a/b')/Datastreams`` -> [("Things", "a/b"), ("Datastreams", None)]."""
    out, at = [], 0
    while at < len(resource):
        m = _SEGMENT.match(resource, at)
        if m is None:
            raise HTTPException(404, f"not a SensorThings resource path: {resource!r}")
        quoted = m.group(2)
        out.append((m.group(1), quoted.replace("''", "'") if quoted is not None else m.group(3)))
        at = m.end()
    return out


def _options(request: Request) -> Options:
    given: dict[str, str] = {}
    for key, value in request.query_params.multi_items():
        if key in given:
            raise bad(f"query option {key!r} is given more than once")
        given[key] = value
    return parse_options(given)


@router.get("", operation_id="getSensorThingsRoot", summary="SensorThings: the entity sets")
def root(request: Request) -> JSONResponse:
    """The entity sets and the conformance classes this server meets."""
    if request.query_params:
        raise bad("the service root takes no query options")
    base = _base(request)
    return JSONResponse(
        {
            "value": [{"name": s, "url": f"{base}/{s}"} for s in SETS],
            "serverSettings": {"conformance": CONFORMANCE},
        }
    )


@router.get(
    "/{resource:path}",
    operation_id="getSensorThingsResource",
    summary="SensorThings: an entity set, an entity, its navigation or a property",
    responses=RESPONSES,
)
def resource(resource: str, request: Request, who: WhoDep, twin: TwinDep) -> JSONResponse:
    """A collection (`/Things`, `/Datastreams('dc/hall-1:supply_temp_c')/Observations`) with
    `$filter`, `$orderby`, `$top` (default 100, at most 10,000), `$skip`, `$count`, `$select`
    and `$expand`, and `@iot.nextLink` while more remain; or one entity (`/Things('feed-a')`)
    with `$select` and `$expand`; or one property of it (`/Things('feed-a')/name`)."""
    opts = _options(request)
    reader = Reader(
        Catalogue(twin, who.may("operations")), _base(request), who.role, who.may("operations")
    )
    steps = _segments(resource)
    if not steps:
        raise HTTPException(404, f"name an entity set after {router.prefix}/: {', '.join(SETS)}")
    name, iot_id = steps[0]
    if name not in SETS:
        raise HTTPException(404, f"no entity set {name!r}: use one of {', '.join(SETS)}")
    entity_set = name
    table = reader.table(name, opts.filter) if iot_id is None else None
    rows = np.arange(table.n) if table is not None else np.empty(0, dtype=np.int64)
    current: int | None = None
    if iot_id is not None:
        table, current = reader.find(name, iot_id)
    for index, (step, step_id) in enumerate(steps[1:], start=1):
        if current is None or table is None:
            raise HTTPException(404, f"{step!r} follows a collection: name one entity first")
        if step not in LINKS[entity_set]:
            value = table.row(current)
            if index == len(steps) - 1 and step_id is None and step in value:
                return JSONResponse({step: value[step]})
            raise HTTPException(404, f"{entity_set} have no property or navigation {step!r}")
        single = LINKS[entity_set][step].single
        where = opts.filter if index == len(steps) - 1 else None
        last = index == len(steps) - 1
        entity_set, table, rows = reader.navigate(
            entity_set, table, current, step, where, opts if last else None
        )
        current = None
        if single:
            if not len(rows):
                raise HTTPException(404, f"no {step} is linked")
            current = int(rows[0])
        elif step_id is not None:
            ids = table.column("@iot.id")[rows]
            hits = rows[ids == step_id]
            if not len(hits):
                raise HTTPException(404, f"no {entity_set} {step_id!r} under this path")
            current = int(hits[0])
    assert table is not None
    if current is not None:
        return JSONResponse(reader.entity(entity_set, table, current, opts))
    shown, total = reader.page(table, rows, opts)
    body: dict[str, Any] = {}
    if opts.count:
        body["@iot.count"] = total
    if opts.top and opts.skip + len(shown) < total:
        body["@iot.nextLink"] = str(
            request.url.include_query_params(**{"$skip": opts.skip + len(shown), "$top": opts.top})
        )
    body["value"] = [reader.entity(entity_set, table, int(i), opts) for i in shown]
    return JSONResponse(body)
