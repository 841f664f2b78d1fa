"""Places: internal sites and external offers seen through one interface."""

from __future__ import annotations

from dataclasses import dataclass

from planner.inputs.frozen import Inputs
from planner.inputs.schema import Location, Offer, Qualification, Site


@dataclass(frozen=True)
class Place:
    """Where a workload can run: an internal site or an external offer."""

    id: str
    internal: bool
    provider_id: str | None
    location: Location
    jurisdiction_zone: str
    jurisdiction_country: str
    extra_eu_law_exposure: bool
    operation_24_7: bool
    qualifications: tuple[Qualification, ...]
    fixed_cost_eur_month: float
    site: Site | None = None
    offer: Offer | None = None

    @property
    def kind(self) -> str:
        return "internal" if self.internal else "external"

    def qualification(self, name: str) -> Qualification | None:
        for qualification in self.qualifications:
            if qualification.name == name:
                return qualification
        return None


def build_places(inputs: Inputs) -> tuple[Place, ...]:
    """Internal sites first (catalog order), then offers (catalog order)."""
    places: list[Place] = [
        Place(
            id=site.id,
            internal=True,
            provider_id=None,
            location=site.location,
            jurisdiction_zone=site.location.zone,
            jurisdiction_country=site.location.country,
            extra_eu_law_exposure=False,
            operation_24_7=site.operation_24_7,
            qualifications=site.qualifications,
            fixed_cost_eur_month=site.fixed_cost_eur_month,
            site=site,
        )
        for site in inputs.sites
    ]
    for provider in inputs.providers:
        for offer in provider.offers:
            places.append(
                Place(
                    id=offer.id,
                    internal=False,
                    provider_id=provider.id,
                    location=offer.location,
                    jurisdiction_zone=provider.jurisdiction.zone,
                    jurisdiction_country=provider.jurisdiction.country,
                    extra_eu_law_exposure=provider.jurisdiction.extra_eu_law_exposure,
                    operation_24_7=offer.operation_24_7,
                    qualifications=offer.qualifications,
                    fixed_cost_eur_month=offer.fixed_cost_eur_month,
                    offer=offer,
                )
            )
    return tuple(places)
