"""The sizing policy of a scenario: plan each workload as provisioned, or at its observed use.

`sizing.policy: performance` sizes a workload's vCPU and memory at a percentile of its observed
use (`percentile`) times a comfort factor, never below the floors (`min_vcpu`, `min_ram_gib`)
nor above what it is given, and only from an observation window of at least
`min_window_days`; pinned or 24/7 workloads may keep their size (`keep_pinned`,
`keep_24_7`), and storage may be sized to its use (`storage: in_use`). `data_classes` and
`workloads` override any of these for one data class or one workload (a workload's own rule
wins over its data class's, which wins over the scenario's). The default, `as_provisioned`,
plans every workload at its catalog demand, as a scenario without `sizing` always did.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from planner.inputs.schema.common import MAX_AMOUNT, Strict
from planner.inputs.schema.workloads import MAX_WINDOW_DAYS

SizingPolicy = Literal["as_provisioned", "performance"]
Percentile = Literal["p50", "p95", "p99"]
ComfortFactor = Annotated[float, Field(ge=1, le=10, allow_inf_nan=False)]
Floor = Annotated[float, Field(ge=0, le=MAX_AMOUNT, allow_inf_nan=False)]
WindowDays = Annotated[int, Field(ge=1, le=MAX_WINDOW_DAYS)]
StorageSizing = Literal["as_provisioned", "in_use"]
# what a performance rule must say (no silent default for the figures a saving rests on)
PERFORMANCE_NEEDS: tuple[str, ...] = ("percentile", "comfort_factor", "min_window_days")


class SizingRule(Strict):
    """Any part of a sizing policy, for one data class or one workload: what it does not
    say it takes from the rule above it."""

    policy: SizingPolicy | None = None
    percentile: Percentile | None = None
    comfort_factor: ComfortFactor | None = None
    min_window_days: WindowDays | None = None
    min_vcpu: Floor | None = None
    min_ram_gib: Floor | None = None
    keep_pinned: bool | None = None
    keep_24_7: bool | None = None
    storage: StorageSizing | None = None


class ResolvedRule(Strict):
    """The sizing rule one workload is planned under (every part known)."""

    policy: SizingPolicy
    percentile: Percentile | None
    comfort_factor: ComfortFactor | None
    min_window_days: WindowDays | None
    min_vcpu: Floor
    min_ram_gib: Floor
    keep_pinned: bool
    keep_24_7: bool
    storage: StorageSizing


class Sizing(Strict):
    """The scenario's sizing policy (module docstring), with its per data class and per
    workload overrides."""

    policy: SizingPolicy = "as_provisioned"
    percentile: Percentile | None = None
    comfort_factor: ComfortFactor | None = None
    min_window_days: WindowDays | None = None
    min_vcpu: Floor = 1.0
    min_ram_gib: Floor = 2.0
    keep_pinned: bool = False
    keep_24_7: bool = False
    storage: StorageSizing = "as_provisioned"
    data_classes: dict[str, SizingRule] = {}
    workloads: dict[str, SizingRule] = {}

    @model_validator(mode="after")
    def _performance_says_how(self) -> Sizing:
        """Every rule that sizes on performance, once resolved, names its percentile,
        comfort factor and shortest observation window."""
        scopes: list[tuple[str, tuple[SizingRule, ...]]] = [("sizing", ())]
        scopes += [(f"sizing.data_classes.{k}", (r,)) for k, r in sorted(self.data_classes.items())]
        scopes += [(f"sizing.workloads.{k}", (r,)) for k, r in sorted(self.workloads.items())]
        for where, rules in scopes:
            rule = self.resolve(*rules)
            if rule.policy != "performance":
                continue
            missing = [name for name in PERFORMANCE_NEEDS if getattr(rule, name) is None]
            if missing:
                raise ValueError(
                    f"{where}: a performance sizing policy names its "
                    + ", ".join(missing)
                    + " (e.g. percentile: p95, comfort_factor: 1.3, min_window_days: 30)"
                )
        return self

    def resolve(self, *rules: SizingRule | None) -> ResolvedRule:
        """This policy with `rules` applied in order (a data class's, then a workload's)."""
        values = {name: getattr(self, name) for name in ResolvedRule.model_fields}
        for rule in rules:
            if rule is None:
                continue
            for name in ResolvedRule.model_fields:
                given = getattr(rule, name)
                if given is not None:
                    values[name] = given
        return ResolvedRule(**values)

    def rule_for(self, workload_id: str, data_class: str) -> ResolvedRule:
        """The rule a workload is sized under: its own over its data class's over this."""
        return self.resolve(self.data_classes.get(data_class), self.workloads.get(workload_id))

    def in_play(self) -> bool:
        """True when some workload may be planned at another size than provisioned."""
        rules = (*self.data_classes.values(), *self.workloads.values())
        return self.policy == "performance" or any(r.policy == "performance" for r in rules)
