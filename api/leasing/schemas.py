"""Request and response models of the leasing API.

Public models are allow-lists: they name only what the public may see (whether a space is
available; names of tenants who consented). Staff models (role ``leasing`` or ``admin``) add
tenants, holds, lease dates and rents. Dates are campus-local ISO dates; a period is
``[start, end)``: ``end`` is the first day no longer covered.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from api.schemas import IsoDate, LocalisedName
from assets.text import SafeId, SafeName

SPACE_EXAMPLES = ["office-building/L03/U02", "data-centre/H1/R03/K12"]
Category = Literal["platform", "ecosystem", "international_cooperation"]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


# -- requests --------------------------------------------------------------------------------


class LocalisedNameIn(_In):
    """A name in Chinese and English, each safe text of at most ``MAX_NAME`` characters."""

    zh: SafeName
    en: SafeName


class TenantIn(_In):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$", examples=["example-data-co"])
    name: LocalisedNameIn
    category: Category = Field(description="F9: platform, ecosystem or international cooperation")
    head_enterprise: bool = Field(False, description="Counts towards F2's 100 head enterprises")
    public: bool = Field(False, description="Consents to be named in public")


class StepIn(_In):
    year: int = Field(ge=2, le=100, description="From this lease year (1 = the first)")
    rent: float = Field(gt=0, le=100_000, description="Face rent from then, in `rent_unit`")


class TermsIn(_In):
    """Money terms: face rent in the local convention (元/㎡/天 for office units, 元 per rack
    per month for racks), rent-free months at the start, escalation on each anniversary,
    deposit (months of the first year's rent) and service charge (元/㎡/月)."""

    rent: float = Field(gt=0, le=100_000, examples=[3.5], description="Face rent, in `rent_unit`")
    rent_unit: Literal["cny_per_m2_day", "cny_per_rack_month"] = Field(
        examples=["cny_per_m2_day"],
        description="Offices: cny_per_m2_day; racks: cny_per_rack_month",
    )
    rent_free_months: int = Field(0, ge=0, le=60)
    escalation: Literal["none", "fixed", "stepped"] = "none"
    escalation_percent: float = Field(
        0, ge=0, le=20, description="Fixed escalation: percent a year, compounded"
    )
    steps: list[StepIn] = Field([], max_length=50, description="Stepped escalation: rents by year")
    deposit_months: float = Field(0, ge=0, le=24)
    service_charge_cny_per_m2_month: float = Field(0, ge=0, le=500)
    confirm_unusual_rent: bool = Field(
        False,
        description="A rent far outside the building's range (under half its lowest or over "
        "twice its highest rent in force) is refused with 409 until confirmed",
    )


class TermsOut(BaseModel):
    rent: float
    rent_unit: Literal["cny_per_m2_day", "cny_per_rack_month"]
    rent_free_months: int
    escalation: Literal["none", "fixed", "stepped"]
    escalation_percent: float
    steps: list[dict[str, float]]
    deposit_months: float
    service_charge_cny_per_m2_month: float
    provenance: str


class HoldIn(_In):
    """Hold spaces for a tenant (or a prospect, by its id) over ``[start, end)`` until
    ``expires_at``, with the terms proposed if any."""

    spaces: list[SafeId] = Field(min_length=1, max_length=500, examples=[SPACE_EXAMPLES[:1]])
    tenant: SafeId = Field(min_length=1, max_length=64, examples=["sample-05"])
    start: IsoDate = Field(examples=["2026-01-01"])
    end: IsoDate = Field(description="First day no longer held", examples=["2029-01-01"])
    expires_at: AwareDatetime = Field(
        description="When the hold lapses by itself (with offset)",
        examples=["2026-01-15T18:00:00+08:00"],
    )
    terms: TermsIn | None = Field(None, description="The terms proposed (optional on a hold)")


class LeaseTermsIn(_In):
    pre_lease: bool = Field(
        False, description="Signed before the building is in use; may start before it is"
    )
    terms: TermsIn | None = Field(
        None, description="Required, unless the hold signed carries a proposal (then its terms)"
    )


class LeaseIn(LeaseTermsIn):
    """Sign a lease: on a live hold's terms (``hold``), or on spaces, tenant and period."""

    hold: SafeId | None = Field(None, examples=["H-3F9A2B7C1D"])
    spaces: list[SafeId] | None = Field(None, min_length=1, max_length=500)
    tenant: SafeId | None = Field(None, min_length=1, max_length=64)
    start: IsoDate | None = None
    end: IsoDate | None = None

    @model_validator(mode="after")
    def _hold_or_terms(self) -> LeaseIn:
        terms = {"spaces": self.spaces, "tenant": self.tenant, "start": self.start, "end": self.end}
        if self.hold is not None:
            given = [k for k, v in terms.items() if v is not None]
            if given:
                raise ValueError(f"{', '.join(given)}: comes from the hold; leave it out")
        else:
            missing = [k for k, v in terms.items() if v is None]
            if missing:
                raise ValueError(f"{', '.join(missing)}: required without a hold")
        return self


class TerminateIn(_In):
    on: IsoDate = Field(description="First day the spaces are free again", examples=["2027-06-30"])


# -- staff responses -------------------------------------------------------------------------


class TenantOut(BaseModel):
    id: str
    name: LocalisedName
    category: Category
    head_enterprise: bool
    public: bool = Field(description="Consents to be named in public")
    provenance: str = Field(description="sample (invented sample data) or recorded")


class AgreementOut(BaseModel):
    id: str = Field(examples=["L-3F9A2B7C1D"])
    status: str = Field(
        description="hold: held, expired, released, signed; lease: signed, active, terminated"
    )
    tenant: str
    spaces: list[str]
    area_m2: float = Field(description="Area of the spaces, m²")
    start: date
    end: date
    recorded_at: str
    provenance: str


class HoldOut(AgreementOut):
    expires_at: AwareDatetime
    lease: str | None = Field(description="The lease it was signed into")
    terms: TermsOut | None = Field(description="The terms proposed")


class LeaseOut(AgreementOut):
    pre_lease: bool
    terms: TermsOut | None = Field(description="Its money terms (null: recorded without)")
    hold: str | None = Field(description="The hold it was signed from")
    started_on: date | None
    terminated_on: date | None


class HoldList(BaseModel):
    at: str
    total: int
    items: list[HoldOut]


class LeaseList(BaseModel):
    at: str
    total: int
    items: list[LeaseOut]


# -- availability ----------------------------------------------------------------------------


class PublicSpace(BaseModel):
    """A space anyone may take: where it is, how big, and since when it can be used."""

    id: str = Field(examples=SPACE_EXAMPLES)
    kind: Literal["office", "rack"]
    parcel: str
    building: str
    floor: str
    level: int
    hall: str | None = Field(description="The data hall of a rack")
    area_m2: float = Field(description="Net area (a rack: its footprint), m²")
    status: Literal["available", "not_ready"] = Field(
        description="not_ready: its building is not in use yet (pre-lease)"
    )
    ready_on: date | None = Field(
        description="Day its building entered use, else the construction forecast of that day"
    )
    two_n: bool | None = Field(description="A rack fed by both external feeds (2N)")
    block: str = Field(description="Its contiguous block: touching units of a floor, or a hall")
    block_area_m2: float
    block_spaces: int


class StaffSpace(PublicSpace):
    status: Literal["available", "held", "leased", "not_ready"]  # type: ignore[assignment]
    free_from: date = Field(description="First day from which no hold or lease takes it")


class PublicAvailability(BaseModel):
    at: str = Field(description="The instant answered for")
    total: int = Field(description="Matching spaces (all pages)")
    total_area_m2: float = Field(description="Their area, m²")
    racks: int
    racks_two_n: int
    blocks: int = Field(description="Contiguous blocks among them")
    offset: int
    limit: int
    items: list[PublicSpace]


class StaffAvailability(PublicAvailability):
    items: list[StaffSpace]  # type: ignore[assignment]


class PublicTenant(BaseModel):
    """A tenant that consented to be named in public."""

    name: LocalisedName
    category: Category


class PublicTenantList(BaseModel):
    at: str
    total: int = Field(description="Tenants registered by then, named or not (F9)")
    named: list[PublicTenant]


class StaffTenantList(BaseModel):
    at: str
    total: int
    items: list[TenantOut]
