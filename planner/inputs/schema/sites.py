"""Internal State datacentres (sites) and their expansion blocks."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field, model_validator

from planner.inputs.schema.common import (
    Count,
    Id,
    Location,
    Months,
    NonNegative,
    PartialResources,
    Percent,
    Qualification,
    Resources,
    Strict,
)


class ExpansionBlock(Strict):
    """A block of capacity that can be built at a site (a rack, a room)."""

    id: Id
    adds: Resources
    capex_eur: NonNegative
    amortisation_months: Months
    opex_eur_month: NonNegative = 0.0
    max_blocks: Count = 1
    lead_time_months: Annotated[int, Field(ge=0, le=1200)] = 0  # order to use (roadmaps)

    @property
    def cost_eur_month(self) -> float:
        """Monthly cost of one block: amortised capex plus opex."""
        return self.capex_eur / self.amortisation_months + self.opex_eur_month


class CapacityChange(Strict):
    """From a day on, the site's capacity of the resources given is this (a room closes,
    a room opens)."""

    effective_from: date
    capacity: PartialResources


class Site(Strict):
    """An internal State cloud: capacity, cost formula, qualifications."""

    id: Id
    name: str | None = None
    description: str | None = None
    location: Location
    operation_24_7: bool
    qualifications: tuple[Qualification, ...] = ()
    capacity: Resources
    headroom_pct: Percent = 0.0
    unit_costs_eur_month: Resources
    overcommit: PartialResources = PartialResources()
    fixed_cost_eur_month: NonNegative = 0.0
    egress_eur_gib: NonNegative = 0.0
    expansion_blocks: tuple[ExpansionBlock, ...] = ()
    cost_source: str | None = None
    # dated fields, read by a roadmap
    capacity_changes: tuple[CapacityChange, ...] = ()
    closes_on: date | None = None  # first day the site takes no workload

    @model_validator(mode="after")
    def _changes_in_order(self) -> Site:
        days = [c.effective_from for c in self.capacity_changes]
        if days != sorted(set(days)):
            raise ValueError("capacity_changes are listed by effective_from, each day once")
        return self

    def usable(self, resource: str) -> float:
        """Capacity usable without expansion: capacity less headroom."""
        return self.capacity.get(resource) * (1.0 - self.headroom_pct / 100.0)

    def overcommit_ratio(self, resource: str) -> float:
        ratio = self.overcommit.get(resource)
        return 1.0 if ratio is None or ratio <= 0 else ratio


class SitesFile(Strict):
    """A `sites` catalog file."""

    sites: tuple[Site, ...]
