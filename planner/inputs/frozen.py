"""The validated, frozen inputs of one scenario: what every later stage reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from planner.inputs.schema import Offer, Policy, Provider, Scenario, Site, Workload
from planner.inputs.source import Pos


@dataclass(frozen=True)
class Inputs:
    """Everything a scenario resolves to, after overrides and validation."""

    scenario: Scenario
    scenario_file: str
    sites: tuple[Site, ...]
    providers: tuple[Provider, ...]
    workloads: tuple[Workload, ...]
    policy: Policy
    sources: dict[str, Pos] = field(default_factory=dict)
    catalog_digests: dict[str, str] = field(default_factory=dict)
    overrides_applied: tuple[str, ...] = ()
    # a roadmap period's last day: eligibility must then hold from the reference date (the
    # period's first day) to this one (None: a snapshot, on the reference date only)
    period_end: date | None = None

    @property
    def offers(self) -> tuple[Offer, ...]:
        return tuple(offer for provider in self.providers for offer in provider.offers)

    def where(self, key: str) -> Pos:
        """Source position of an object, e.g. `where('workload:ft-diag')`."""
        return self.sources.get(key, Pos(self.scenario_file, 1))
