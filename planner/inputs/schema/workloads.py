"""Workloads: what has to run somewhere."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Annotated

from pydantic import Field, ValidationInfo, field_validator, model_validator

from planner.inputs.schema.common import (
    Id,
    NonNegative,
    PartialResources,
    Percent,
    Resources,
    Strict,
)

GrowthPct = Annotated[float, Field(gt=-100, le=1000, allow_inf_nan=False)]
MAX_WINDOW_DAYS = 3660  # ten years of observations
WindowDays = Annotated[int, Field(ge=1, le=MAX_WINDOW_DAYS)]
PERCENTILES: tuple[str, ...] = ("p50", "p95", "p99")


def _utilisation_columns() -> dict[str, tuple[str, str | None]]:
    """Flat inventory column -> (field of `Utilisation`, percentile or None)."""
    columns: dict[str, tuple[str, str | None]] = {"util_window_days": ("window_days", None)}
    for resource, forms in (("cpu", ("pct", "vcpu")), ("ram", ("pct", "gib"))):
        for form in forms:
            for percentile in PERCENTILES:
                columns[f"{resource}_{percentile}_{form}"] = (f"{resource}_{form}", percentile)
    columns["storage_used_gib"] = ("storage_used_gib", None)
    return columns


# the utilisation of a workload as inventory columns (CSV and mapped inventories alike)
UTILISATION_COLUMNS: dict[str, tuple[str, str | None]] = _utilisation_columns()
# a column's name from its place in `Utilisation` (for errors located at a CSV cell)
UTILISATION_COLUMN_OF: dict[tuple[str, str | None], str] = {
    v: k for k, v in UTILISATION_COLUMNS.items()
}


def utilisation_of(flat: dict[str, object]) -> dict[str, object]:
    """The nested `utilisation` of a row's flat utilisation cells."""
    nested: dict[str, object] = {}
    for column, value in flat.items():
        name, percentile = UTILISATION_COLUMNS[column]
        if percentile is None:
            nested[name] = value
        elif name in nested:
            nested[name][percentile] = value  # type: ignore[index]
        else:
            nested[name] = {percentile: value}
    return nested


class _Percentiles(Strict):
    """Observed use at some percentiles of the observation window; a lower percentile is
    never above a higher one."""

    p50: float | None = None
    p95: float | None = None
    p99: float | None = None

    def out_of_order(self) -> str | None:
        """'p50 (60) is above p95 (40)' when a lower percentile is above a higher one."""
        given = [(name, v) for name in PERCENTILES if (v := getattr(self, name)) is not None]
        for (low, a), (high, b) in itertools.pairwise(given):
            if a > b:
                return f"{low} ({a:g}) is above {high} ({b:g})"
        return None

    def at(self, percentile: str) -> float | None:
        value = getattr(self, percentile)
        return None if value is None else float(value)


class PercentPercentiles(_Percentiles):
    """Percentiles as a percentage of the provisioned size (0 to 100)."""

    p50: Percent | None = None
    p95: Percent | None = None
    p99: Percent | None = None


class AmountPercentiles(_Percentiles):
    """Percentiles as absolute amounts (vCPU or GiB), at most the provisioned size."""

    p50: NonNegative | None = None
    p95: NonNegative | None = None
    p99: NonNegative | None = None


class Utilisation(Strict):
    """What a workload was observed to use over `window_days` days: CPU and memory at some
    percentiles, each either as % of its provisioned size (`cpu_pct`, `ram_pct`) or as an
    amount (`cpu_vcpu`, `ram_gib`), and the storage in use (`storage_used_gib`). A sizing
    policy of the scenario reads it (planner/candidates/sizing.py)."""

    window_days: WindowDays | None = None  # (as an inventory column: util_window_days)
    cpu_pct: PercentPercentiles | None = None
    cpu_vcpu: AmountPercentiles | None = None
    ram_pct: PercentPercentiles | None = None
    ram_gib: AmountPercentiles | None = None
    storage_used_gib: NonNegative | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_columns(cls, data: object) -> object:
        """The inventory columns' flat names (`cpu_p95_pct: 35`, as csv_file.py reads them:
        one small mapping a row) nested as the fields above."""
        if isinstance(data, dict) and any(k in UTILISATION_COLUMNS for k in data):
            flat = {k: v for k, v in data.items() if k in UTILISATION_COLUMNS}
            rest = {k: v for k, v in data.items() if k not in UTILISATION_COLUMNS}
            return {**rest, **utilisation_of(flat)}
        return data

    @model_validator(mode="after")
    def _consistent(self) -> Utilisation:
        """One form per resource, percentiles in order, and the window they cover (one check
        per workload: inventories validate one of these a row)."""
        if self.cpu_pct is not None and self.cpu_vcpu is not None:
            raise ValueError("give CPU use as cpu_pct or as cpu_vcpu, not both")
        if self.ram_pct is not None and self.ram_gib is not None:
            raise ValueError("give memory use as ram_pct or as ram_gib, not both")
        observed = (self.cpu_pct, self.cpu_vcpu, self.ram_pct, self.ram_gib)
        for name, section in zip(
            ("cpu_pct", "cpu_vcpu", "ram_pct", "ram_gib"), observed, strict=True
        ):
            wrong = None if section is None else section.out_of_order()
            if wrong is not None:
                raise ValueError(f"{name}: {wrong}")
        if self.window_days is None and any(
            o is not None and any(o.at(p) is not None for p in PERCENTILES) for o in observed
        ):
            raise ValueError("percentiles need the observation window they cover: window_days")
        return self

    def cpu_at(self, percentile: str, provisioned_vcpu: float) -> float | None:
        """vCPU in use at the percentile (None: not observed)."""
        if self.cpu_vcpu is not None:
            return self.cpu_vcpu.at(percentile)
        pct = None if self.cpu_pct is None else self.cpu_pct.at(percentile)
        return None if pct is None else pct / 100.0 * provisioned_vcpu

    def ram_at(self, percentile: str, provisioned_gib: float) -> float | None:
        """GiB of memory in use at the percentile (None: not observed)."""
        if self.ram_gib is not None:
            return self.ram_gib.at(percentile)
        pct = None if self.ram_pct is None else self.ram_pct.at(percentile)
        return None if pct is None else pct / 100.0 * provisioned_gib


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
    utilisation: Utilisation | None = None  # observed use, read by a sizing policy

    @field_validator("utilisation")
    @classmethod
    def _used_within_provisioned(
        cls, u: Utilisation | None, info: ValidationInfo
    ) -> Utilisation | None:
        """A VM cannot use more vCPU, memory or disk than it is given (the hypervisor caps
        it; a thin-provisioned disk reports its use below its size)."""
        demand = info.data.get("demand")
        if u is None or not isinstance(demand, Resources):
            return u
        for name, given, resource in (
            ("cpu_vcpu", u.cpu_vcpu, "vcpu"),
            ("ram_gib", u.ram_gib, "ram_gib"),
        ):
            for percentile in PERCENTILES:
                value = None if given is None else given.at(percentile)
                if value is not None and value > demand.get(resource) + 1e-9:
                    raise ValueError(
                        f"{name}.{percentile} ({value:g}) is above the provisioned "
                        f"{resource} ({demand.get(resource):g})"
                    )
        used = u.storage_used_gib
        if used is not None and used > demand.storage_gib + 1e-9:
            raise ValueError(
                f"storage_used_gib ({used:g}) is above the provisioned storage_gib "
                f"({demand.storage_gib:g})"
            )
        return u

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
