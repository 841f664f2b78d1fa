"""Workloads: what has to run somewhere."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field, model_validator

from planner.inputs.schema.common import Id, NonNegative, PartialResources, Resources, Strict

GrowthPct = Annotated[float, Field(gt=-100, le=1000, allow_inf_nan=False)]


class SiteOverride(Strict):
    """Per-(workload, site) override of the computed cost or demand."""

    cost_eur_month: NonNegative | None = None
    demand: PartialResources | None = None


class Contract(Strict):
    """The contract of a workload's current placement: leaving before it ends costs the exit
    fee; after it, nothing. Without renewal the workload may not stay past its last day."""

    ends_on: date  # the contract's last day
    exit_fee_eur: NonNegative
    renew: bool


class Workload(Strict):
    """One workload (an application, a VM group) with its demand and constraints."""

    id: Id
    name: str | None = None
    owner: str | None = None
    data_class: Id
    needs_24_7: bool = False
    demand: Resources
    current_site: Id | None = None
    retire: bool = False
    affinity_group: Id | None = None
    anti_affinity_group: Id | None = None
    pin: Id | None = None
    exclude: tuple[Id, ...] = ()
    egress_gib_month: NonNegative = 0.0
    move_cost_eur: NonNegative = 0.0
    site_overrides: dict[str, SiteOverride] = Field(
        default_factory=dict, json_schema_extra={"default": {}}
    )
    # dated fields, read by a roadmap (a snapshot plans the estate as it is)
    starts_on: date | None = None  # first day it runs (a new project)
    retires_on: date | None = None  # first day it no longer runs
    growth_pct_year: GrowthPct | None = None  # demand growth a year (over its data class's)
    not_before: date | None = None  # no move in a period starting before this day
    not_after: date | None = None  # no move in a period starting after this day
    contract: Contract | None = None

    @model_validator(mode="after")
    def _pin_not_excluded(self) -> Workload:
        if self.pin is not None and self.pin in self.exclude:
            raise ValueError(f"pinned to '{self.pin}' and also excludes it")
        return self

    @model_validator(mode="after")
    def _dates_in_order(self) -> Workload:
        if self.starts_on and self.retires_on and self.retires_on <= self.starts_on:
            raise ValueError(
                f"retires_on {self.retires_on} is not after starts_on {self.starts_on}"
            )
        if self.not_before and self.not_after and self.not_after < self.not_before:
            raise ValueError(f"not_after {self.not_after} is before not_before {self.not_before}")
        if self.contract is not None and self.current_site is None:
            raise ValueError("a contract belongs to a current placement: current_site is not set")
        return self


class WorkloadsFile(Strict):
    """A `workloads` catalog file (YAML); CSV inventories map to the same model."""

    workloads: tuple[Workload, ...]
