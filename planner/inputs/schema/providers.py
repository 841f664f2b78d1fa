"""External cloud providers and their offers."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, model_validator

from planner.inputs.schema.common import (
    Id,
    Location,
    Months,
    NonNegative,
    PartialResources,
    Percent,
    Qualification,
    Strict,
    Zone,
)


class Jurisdiction(Strict):
    """Which law the provider answers to."""

    zone: Zone
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
    extra_eu_law_exposure: bool


class Flavour(Strict):
    """A fixed-size instance type with a monthly list price."""

    name: Annotated[str, Field(min_length=1)]
    vcpu: NonNegative
    ram_gib: NonNegative
    gpu: NonNegative = 0.0
    price_eur_month: NonNegative


class PriceChange(Strict):
    """From a day on, the offer's prices change: by `pct` (unit prices, flavours and the fixed
    cost alike), or to the unit prices given."""

    effective_from: date
    pct: Annotated[float, Field(gt=-100, le=1000, allow_inf_nan=False)] | None = None
    unit_prices_eur_month: PartialResources | None = None

    @model_validator(mode="after")
    def _one_way(self) -> PriceChange:
        if (self.pct is None) == (self.unit_prices_eur_month is None):
            raise ValueError("a price change gives either pct or unit_prices_eur_month")
        return self


class EarlyExit(Strict):
    """What leaving a commitment before its term ends costs: `owed` (the rest of the term is
    owed, as most savings plans and reserved instances say), or `fee` (a share `fee_pct` of the
    commitment still to run)."""

    rule: Literal["owed", "fee"]
    fee_pct: Percent | None = None

    @model_validator(mode="after")
    def _fee_given(self) -> EarlyExit:
        if (self.rule == "fee") != (self.fee_pct is not None):
            raise ValueError("an early exit 'fee' gives fee_pct; 'owed' gives none")
        return self

    @property
    def owed_share(self) -> float:
        """The share of the commitment still to run that leaving early costs (0 to 1)."""
        return 1.0 if self.rule == "owed" else (self.fee_pct or 0.0) / 100.0


# a discount off the on-demand price: more than 0 %, less than 100 %
Discount = Annotated[float, Field(gt=0, lt=100, allow_inf_nan=False)]


class CommitmentTerm(Strict):
    """A commitment the provider sells on this offer, for `term_months`.

    `unit: spend` (a savings plan): a spend per month, in on-demand euros of the offer's
    compute (flavours or vCPU/RAM/GPU unit prices; not storage nor egress), paid at
    `discount_pct` off whether used or not. `unit: instances` (reserved instances): a number
    of instances of a flavour, each paid at its price in `prices_eur_month` (or at
    `discount_pct` off the flavour's price, for every flavour of the offer) whether used or
    not. Use above the commitment is paid on demand."""

    term_months: Months
    unit: Literal["spend", "instances"]
    discount_pct: Discount | None = None
    prices_eur_month: dict[Annotated[str, Field(min_length=1)], NonNegative] = {}
    early_exit: EarlyExit
    source: Annotated[str, Field(min_length=1)]
    source_date: date

    @model_validator(mode="after")
    def _priced_once(self) -> CommitmentTerm:
        if self.unit == "spend" and (self.discount_pct is None or self.prices_eur_month):
            raise ValueError("a spend commitment gives discount_pct and no prices_eur_month")
        if self.unit == "instances" and (self.discount_pct is None) == (not self.prices_eur_month):
            raise ValueError("an instance commitment gives either discount_pct or prices_eur_month")
        return self


class Offer(Strict):
    """One service offer of a provider; qualifications belong to offers, not providers."""

    id: Id
    name: str | None = None
    location: Location
    operation_24_7: bool = True
    qualifications: tuple[Qualification, ...] = ()
    unit_prices_eur_month: PartialResources = PartialResources()
    flavours: tuple[Flavour, ...] = ()
    egress_eur_gib: NonNegative
    quota: PartialResources = PartialResources()
    fixed_cost_eur_month: NonNegative = 0.0
    price_source: Annotated[str, Field(min_length=1)]
    price_date: date
    price_changes: tuple[PriceChange, ...] = ()  # dated, read by a roadmap
    commitments: tuple[CommitmentTerm, ...] = ()  # bought where a scenario says so

    @model_validator(mode="after")
    def _changes_in_order(self) -> Offer:
        days = [c.effective_from for c in self.price_changes]
        if days != sorted(set(days)):
            raise ValueError("price_changes are listed by effective_from, each day once")
        return self


class Provider(Strict):
    """An external cloud provider."""

    id: Id
    name: str | None = None
    jurisdiction: Jurisdiction
    offers: tuple[Offer, ...]


class ProvidersFile(Strict):
    """A `providers` catalog file."""

    providers: tuple[Provider, ...]
