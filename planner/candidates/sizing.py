"""Inputs -> sized demand: each workload planned at its provisioned size or at its observed use.

This stage runs once, before candidates: the model places the sized demand and the cost of a
place (flavours included, `costs.py`) is that of the sized demand. Under a `performance` rule
(planner/inputs/schema/sizing.py) a workload's vCPU and memory become

    sized = min(provisioned, max(floor, round_up(used at the percentile x comfort factor)))

where `used` is the observed percentile (a percentage of the provisioned size, or an amount),
rounded up to a whole vCPU and to half a GiB of memory: a hypervisor gives whole vCPUs, and
half a GiB keeps memory close to its use while staying a size people write. Storage, under
`storage: in_use`, becomes its use x the comfort factor rounded up to a whole GiB (never above
what is provisioned); GPUs are whole devices and never sized. Sizing never raises a workload
above what it is given (a workload used beyond provisioned / comfort keeps its size), nor
lowers a resource below one step (1 vCPU, 0.5 GiB, 1 GiB) whatever the floors say.

A workload keeps its provisioned size, and its record says why, when its rule is
`as_provisioned`, when it has no observations (`no_history`), when its observation window is
shorter than the rule's minimum (`short_history`), or when it is pinned or needs 24/7 and the
rule keeps those (`kept_pinned`, `kept_24_7`). A resource without an observation at the
rule's percentile keeps its size (`no_data`). Retired workloads are not sized (they leave).
A per-site demand override (`site_overrides.*.demand`) is a stated size and is left as it is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Literal

from pydantic import BaseModel, ConfigDict

from planner.inputs.frozen import Inputs
from planner.inputs.schema import Amounts, ResolvedRule, Resources, Workload

VCPU_STEP = 1.0  # vCPU are sized up to a whole vCPU
RAM_STEP_GIB = 0.5  # memory up to the next half GiB
STORAGE_STEP_GIB = 1.0  # storage up to the next whole GiB
SIZED = ("vcpu", "ram_gib", "storage_gib")  # the resources sizing may change (not gpu)

Outcome = Literal[
    "sized",  # at least one resource changed
    "unchanged",  # measured, and the rule gives the provisioned size back
    "no_history",  # no observation at all
    "short_history",  # a window shorter than the rule's minimum
    "kept_pinned",
    "kept_24_7",
]
# what set a resource's sized amount
Driver = Literal["percentile", "floor", "provisioned", "in_use", "no_data", "kept"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ResourceSizing(_Frozen):
    """One resource of one workload: provisioned and sized amounts, the observed use the size
    came from (None when none), and what set it."""

    provisioned: float
    sized: float
    observed: float | None
    driver: Driver


class WorkloadSizing(_Frozen):
    """How one workload under a performance rule was sized (a typed fact, worded by
    planner/render/wording.py)."""

    workload: str
    outcome: Outcome
    percentile: str | None
    comfort_factor: float | None
    window_days: int | None
    min_window_days: int | None
    vcpu: ResourceSizing
    ram_gib: ResourceSizing
    storage_gib: ResourceSizing

    @property
    def changed(self) -> bool:
        return self.outcome == "sized"

    def resource(self, name: str) -> ResourceSizing:
        value = getattr(self, name)
        assert isinstance(value, ResourceSizing)
        return value


@dataclass(frozen=True)
class SizedDemand:
    """What the sizing stage gives: the inputs the model plans (each workload at its sized
    demand), the inputs as provisioned (today's costs), and one record per workload under a
    performance rule (None: no rule sizes anything, the inputs are planned as they are)."""

    inputs: Inputs
    provisioned: Inputs
    records: tuple[WorkloadSizing, ...] | None

    @property
    def in_play(self) -> bool:
        return self.records is not None


def round_up(amount: float, step: float) -> float:
    """`amount` up to a multiple of `step` (a float's last bits never add a step)."""
    return math.ceil(amount / step - 1e-9) * step


def size_resource(
    provisioned: float, observed: float | None, comfort: float, floor: float, step: float
) -> ResourceSizing:
    """One resource sized from its observed use (the formula of the module docstring)."""
    if observed is None:
        return ResourceSizing(
            provisioned=provisioned, sized=provisioned, observed=None, driver="no_data"
        )
    wanted = max(step, round_up(observed * comfort, step))  # never sized to nothing
    if wanted >= provisioned or floor >= provisioned:
        return ResourceSizing(
            provisioned=provisioned, sized=provisioned, observed=observed, driver="provisioned"
        )
    if floor > wanted:
        return ResourceSizing(
            provisioned=provisioned, sized=floor, observed=observed, driver="floor"
        )
    return ResourceSizing(
        provisioned=provisioned, sized=wanted, observed=observed, driver="percentile"
    )


def _kept(provisioned: float, driver: Driver = "kept") -> ResourceSizing:
    return ResourceSizing(provisioned=provisioned, sized=provisioned, observed=None, driver=driver)


def size_workload(workload: Workload, rule: ResolvedRule) -> WorkloadSizing:
    """The sizing of one workload under a performance rule."""
    demand = workload.demand
    use = workload.utilisation
    window = None if use is None else use.window_days
    common = {
        "workload": workload.id,
        "percentile": rule.percentile,
        "comfort_factor": rule.comfort_factor,
        "window_days": window,
        "min_window_days": rule.min_window_days,
    }
    kept: Outcome | None = None
    if rule.keep_pinned and workload.pin is not None:
        kept = "kept_pinned"
    elif rule.keep_24_7 and workload.needs_24_7:
        kept = "kept_24_7"
    elif use is None:
        kept = "no_history"
    elif window is not None and rule.min_window_days is not None and window < rule.min_window_days:
        kept = "short_history"
    if kept is not None or use is None:
        outcome: Outcome = kept or "no_history"
        return WorkloadSizing(**common, outcome=outcome, **{r: _kept(demand.get(r)) for r in SIZED})
    assert rule.percentile is not None and rule.comfort_factor is not None
    comfort = rule.comfort_factor
    vcpu = size_resource(
        demand.vcpu, use.cpu_at(rule.percentile, demand.vcpu), comfort, rule.min_vcpu, VCPU_STEP
    )
    ram = size_resource(
        demand.ram_gib,
        use.ram_at(rule.percentile, demand.ram_gib),
        comfort,
        rule.min_ram_gib,
        RAM_STEP_GIB,
    )
    storage = _kept(demand.storage_gib)
    if rule.storage == "in_use":
        storage = size_resource(
            demand.storage_gib, use.storage_used_gib, comfort, 0.0, STORAGE_STEP_GIB
        )
        if storage.driver == "percentile":
            storage = storage.model_copy(update={"driver": "in_use"})
    sized = any(r.sized != r.provisioned for r in (vcpu, ram, storage))
    if not sized and all(r.observed is None for r in (vcpu, ram, storage)):
        outcome = "no_history"  # nothing observed that this rule reads
    else:
        outcome = "sized" if sized else "unchanged"
    return WorkloadSizing(**common, outcome=outcome, vcpu=vcpu, ram_gib=ram, storage_gib=storage)


def sized_amounts(record: WorkloadSizing, provisioned: Amounts) -> Amounts:
    """A workload's demand with its sized vCPU, memory and storage (GPU as provisioned)."""
    return Amounts.of(lambda r: record.resource(r).sized if r in SIZED else provisioned.get(r))


def size_demand(inputs: Inputs) -> SizedDemand:
    """The sizing stage: every live workload under a performance rule sized (module
    docstring); the inputs unchanged when the scenario sizes nothing."""
    sizing = inputs.scenario.sizing
    if not sizing.in_play():
        return SizedDemand(inputs, inputs, None)
    records: list[WorkloadSizing] = []
    workloads: list[Workload] = []
    for w in inputs.workloads:
        rule = sizing.rule_for(w.id, w.data_class)
        if w.retire or rule.policy != "performance":
            workloads.append(w)
            continue
        record = size_workload(w, rule)
        records.append(record)
        if record.changed:
            amounts = sized_amounts(record, w.demand.amounts())
            demand = Resources(**dict(amounts.items()))
            w = w.model_copy(update={"demand": demand})
        workloads.append(w)
    records.sort(key=lambda r: r.workload)
    return SizedDemand(replace(inputs, workloads=tuple(workloads)), inputs, tuple(records))
