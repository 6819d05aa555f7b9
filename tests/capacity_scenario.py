"""A worked data-centre scenario posted through the real API: power readings of feeds, PDUs
and rack rows, and a hold on racks (see tests/api/test_facilities_capacity_http.py for the
figures it gives, worked by hand). Shared by the API, CLI and viewer tests."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta

import httpx

T0 = (datetime.now(UTC) - timedelta(hours=3)).replace(minute=0, second=0, microsecond=0)
T1 = T0 + timedelta(hours=1)


def reading(facility: str, metric: str, value: float, when: datetime) -> dict:
    return {
        "facility": facility,
        "metric": metric,
        "value": value,
        "unit": "kW",
        "observed_at": when.isoformat(),
    }


def readings() -> list[dict]:
    out = []
    for hall in range(1, 7):
        kw = 190.0 if hall <= 5 else 120.0
        out += [reading(f"dc/hall-{hall}/row-{r:02d}", "load_kw", kw, T0) for r in range(1, 16)]
    out += [
        reading("dc/hall-6/pdu-a", "load_kw", 1000.0, T0),
        reading("dc/hall-6/pdu-b", "load_kw", 980.0, T0),
        reading("feed-a", "load_kw", 10_000.0, T0),
        reading("feed-b", "load_kw", 9_260.0, T0),
        reading("feed-a", "load_kw", 11_865.0, T1),
        reading("feed-b", "load_kw", 9_000.0, T1),
    ]
    return out + history()


def history() -> list[dict]:
    """The 24 hours before T0, hourly: the rows' load following a daily cycle (±5 %) and the
    feeds' a PUE between 1.18 and 1.30 (a day to chart; the latest values stay T0's)."""
    out = []
    for hour in range(1, 25):
        when = T0 - timedelta(hours=hour)
        cycle = 1 + 0.05 * math.sin(hour / 24 * 2 * math.pi)
        pue = 1.24 + 0.06 * math.cos(hour / 24 * 2 * math.pi)
        it = 0.0
        for hall in range(1, 7):
            kw = round((190.0 if hall <= 5 else 120.0) * cycle, 1)
            it += 15 * kw
            out += [
                reading(f"dc/hall-{hall}/row-{r:02d}", "load_kw", kw, when) for r in range(1, 16)
            ]
        out += [
            reading("feed-a", "load_kw", round(it * pue * 0.52, 1), when),
            reading("feed-b", "load_kw", round(it * pue * 0.48, 1), when),
        ]
    return out


def hold_racks(client: httpx.Client, leasing: dict) -> None:
    start = date(date.today().year + 1, 1, 1)
    body = {
        "spaces": [f"data-centre/H6/R01/K{k:02d}" for k in range(1, 21)],
        "tenant": "sample-05",
        "start": start.isoformat(),
        "end": start.replace(year=start.year + 2).isoformat(),
        "expires_at": (datetime.now(UTC) + timedelta(days=7)).isoformat(),
    }
    held = client.post("/api/v1/leasing/holds", json=body, headers=leasing)
    assert held.status_code == 201, held.text


def post_scenario(client: httpx.Client, ops: dict, leasing: dict) -> None:
    """Post :func:`readings` (operations token) and :func:`hold_racks` (leasing token)."""
    posted = client.post("/api/v1/facilities/readings", json={"readings": readings()}, headers=ops)
    assert posted.status_code == 200, posted.text
    assert posted.json()["accepted"] == len(readings())
    hold_racks(client, leasing)
