"""External cloud providers and their offers."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field

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


class Provider(Strict):
    """An external cloud provider."""

    id: Id
    name: str | None = None
    jurisdiction: Jurisdiction
    offers: tuple[Offer, ...]


class ProvidersFile(Strict):
    """A `providers` catalog file."""

    providers: tuple[Provider, ...]
