"""Workloads: what has to run somewhere."""

from __future__ import annotations

from pydantic import model_validator

from planner.inputs.schema.common import Id, NonNegative, PartialResources, Resources, Strict


class SiteOverride(Strict):
    """Per-(workload, site) override of the computed cost or demand."""

    cost_eur_month: NonNegative | None = None
    demand: PartialResources | None = None


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
    site_overrides: dict[str, SiteOverride] = {}

    @model_validator(mode="after")
    def _pin_not_excluded(self) -> Workload:
        if self.pin is not None and self.pin in self.exclude:
            raise ValueError(f"pinned to '{self.pin}' and also excludes it")
        return self


class WorkloadsFile(Strict):
    """A `workloads` catalog file (YAML); CSV inventories map to the same model."""

    workloads: tuple[Workload, ...]
