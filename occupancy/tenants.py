"""Tenants: the enterprises and institutions that hold or lease space (F9), on ``tenant:<id>``.

A tenant has a name in Chinese and English, a category (F9: platform enterprises, ecosystem
enterprises, international-cooperation institutions), whether it counts towards the 100 head
enterprises of 2025 (F2), and whether it consents to be named in public. Without consent the
public never sees its name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from assets.events import DomainEvent
from assets.history import Reducer, State
from occupancy.errors import LeasingInvalid, LeasingRefused

Category = Literal["platform", "ecosystem", "international_cooperation"]
CATEGORIES: tuple[Category, ...] = ("platform", "ecosystem", "international_cooperation")
CATEGORY_NAMES = {
    "platform": ("平台类企业", "Platform enterprise"),
    "ecosystem": ("生态类企业", "Ecosystem enterprise"),
    "international_cooperation": ("国际合作机构", "International-cooperation institution"),
}
TENANT_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
HEAD_ENTERPRISE_TARGET = 100
"""F2: 100 head enterprises by 2025."""


@dataclass(frozen=True)
class Tenant:
    id: str
    name_zh: str
    name_en: str
    category: Category
    head_enterprise: bool
    public: bool
    provenance: str


def stream_of(tenant_id: str) -> str:
    return f"tenant:{tenant_id}"


def tenant_of(tenant_id: str, state: State) -> Tenant | None:
    """The tenant a ``tenant:<id>`` state describes, or None before it is registered."""
    if "name" not in state:
        return None
    return Tenant(
        id=tenant_id,
        name_zh=state["name"]["zh"],
        name_en=state["name"]["en"],
        category=state["category"],
        head_enterprise=bool(state.get("head_enterprise", False)),
        public=bool(state.get("public", False)),
        provenance=state.get("provenance", "recorded"),
    )


def register(
    state: State,
    tenant_id: str,
    name_zh: str,
    name_en: str,
    category: str,
    head_enterprise: bool,
    public: bool,
    now: datetime,
    provenance: str = "recorded",
) -> list[DomainEvent]:
    """Events registering a new tenant.

    Raises
    ------
    LeasingInvalid
        For a malformed id, an empty name or an unknown category.
    LeasingRefused
        If the id is taken.
    """
    if not TENANT_ID.match(tenant_id):
        raise LeasingInvalid("id", "use 1-64 lower-case letters, digits and hyphens")
    if not name_zh.strip() or not name_en.strip():
        raise LeasingInvalid("name", "give the name in Chinese and in English")
    if category not in CATEGORIES:
        raise LeasingInvalid("category", f"use one of {', '.join(CATEGORIES)}")
    if "name" in state:
        raise LeasingRefused(f"tenant {tenant_id!r} is already registered")
    return [
        DomainEvent(
            stream_of(tenant_id),
            "TenantRegistered",
            now,
            {
                "tenant": tenant_id,
                "name": {"zh": name_zh.strip(), "en": name_en.strip()},
                "category": category,
                "head_enterprise": head_enterprise,
                "public": public,
                "provenance": provenance,
            },
        )
    ]


def tenant_registered(state: State, data: Mapping[str, Any], at: datetime) -> State:
    return {
        **state,
        "name": dict(data["name"]),
        "category": data["category"],
        "head_enterprise": bool(data.get("head_enterprise", False)),
        "public": bool(data.get("public", False)),
        "provenance": data.get("provenance", "recorded"),
        "since": at.isoformat(),
    }


def tenant_consent_changed(state: State, data: Mapping[str, Any], at: datetime) -> State:
    return {**state, "public": bool(data["public"])}


REDUCERS: dict[str, Reducer] = {
    "TenantRegistered": tenant_registered,
    "TenantConsentChanged": tenant_consent_changed,
}
