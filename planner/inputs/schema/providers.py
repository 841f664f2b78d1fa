"""External cloud providers and their offers."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field, model_validator

from planner.inputs.schema.common import (
    Id,
    Location,
    NonNegative,
    PartialResources,
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
