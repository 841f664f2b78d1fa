"""The sweep file: a base scenario and its variations, as strict data."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from planner.inputs.schema.common import MAX_AMOUNT, Strict

MAX_VARIANTS = 100_000  # per variation: beyond this a sweep is a typo, not a plan
MAX_BISECTION_STEPS = 60

Finite = Annotated[float, Field(ge=-MAX_AMOUNT, le=MAX_AMOUNT, allow_inf_nan=False)]
Positive = Annotated[float, Field(gt=0, le=MAX_AMOUNT, allow_inf_nan=False)]
Name = Annotated[str, Field(min_length=1, max_length=120, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")]
Address = Annotated[str, Field(min_length=1, max_length=400)]
Op = Literal["set", "multiply", "add"]


class Change(Strict):
    """One fixed change applied to every variant of a variation."""

    address: Address
    op: Op = "set"
    value: Any


class GridParameter(Strict):
    address: Address
    op: Op = "set"
    values: Annotated[tuple[Any, ...], Field(min_length=1, max_length=MAX_VARIANTS)]


class Uniform(Strict):
    uniform: tuple[Finite, Finite]  # [low, high]

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if self.uniform[0] > self.uniform[1]:
            raise ValueError("uniform: low is above high")
        return self


class Triangular(Strict):
    triangular: tuple[Finite, Finite, Finite]  # [low, mode, high]

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        low, mode, high = self.triangular
        if not low <= mode <= high or low == high:
            raise ValueError("triangular: needs low <= mode <= high and low < high")
        return self


class Normal(Strict):
    normal: tuple[Finite, Annotated[float, Field(gt=0, le=MAX_AMOUNT)], Finite, Finite]
    # [mean, standard deviation, low bound, high bound]: drawn again until within the bounds

    @model_validator(mode="after")
    def _bounded(self) -> Normal:
        mean, _sd, low, high = self.normal
        if not low < high:
            raise ValueError("normal: the low bound must be below the high bound")
        if not low <= mean <= high:
            raise ValueError("normal: the mean must be within the bounds")
        return self


Distribution = Uniform | Triangular | Normal


class SampleParameter(Strict):
    address: Address
    op: Literal["set", "multiply", "add"] = "multiply"
    distribution: Distribution


class _Variation(Strict):
    name: Name | None = None
    changes: tuple[Change, ...] = ()  # applied to every variant of the variation first


class Grid(_Variation):
    """Every combination of the parameters' values (`one_at_a_time`: each parameter alone,
    the others as in the base: the tornado's sensitivities)."""

    kind: Literal["grid"]
    one_at_a_time: bool = False
    parameters: Annotated[tuple[GridParameter, ...], Field(min_length=1)]


class Samples(_Variation):
    """`count` seeded draws, one value per parameter and draw (applied to every address match)."""

    kind: Literal["samples"]
    count: Annotated[int, Field(ge=1, le=MAX_VARIANTS)]
    seed: Annotated[int, Field(ge=0, le=2**63 - 1)]
    parameters: Annotated[tuple[SampleParameter, ...], Field(min_length=1)]


class Each(_Variation):
    """One variant per member: an internal site lost, a provider's qualifications withdrawn,
    an offer withdrawn (all of them, or those listed)."""

    kind: Literal["each"]
    member: Literal["site_lost", "provider_unqualified", "offer_withdrawn"]
    ids: tuple[Name, ...] | None = None


CapName = Literal["max_outsourced_share_pct", "max_provider_share_pct", "monthly_budget_eur"]


class Pareto(_Variation):
    """The epsilon-constraint front: one variant per value of one cap."""

    kind: Literal["pareto"]
    cap: CapName
    values: Annotated[tuple[Annotated[float, Field(ge=0, le=MAX_AMOUNT)], ...], Field(min_length=1)]


class Watch(Strict):
    """What must change place: one workload, or the places of a data class's workloads."""

    workload: Name | None = None
    data_class: Name | None = None

    @model_validator(mode="after")
    def _one(self) -> Watch:
        if (self.workload is None) == (self.data_class is None):
            raise ValueError("give exactly one of 'workload' and 'data_class'")
        return self


class BreakEven(_Variation):
    """Bisection of one parameter's value between `low` and `high` for the value at which
    `watch` changes place, to `tolerance` (assumes one switch in the interval)."""

    kind: Literal["break_even"]
    address: Address
    op: Op = "multiply"
    low: Finite
    high: Finite
    tolerance: Positive
    watch: Watch

    @model_validator(mode="after")
    def _interval(self) -> BreakEven:
        if not self.low < self.high:
            raise ValueError("low must be below high")
        return self


Variation = Annotated[Grid | Samples | Each | Pareto | BreakEven, Field(discriminator="kind")]


class SweepFile(Strict):
    """A sweep: the base scenario (relative to this file) and its variations."""

    name: Name
    description: str | None = None
    base: Annotated[str, Field(min_length=1)]
    time_limit_s: Annotated[float, Field(gt=0, le=1e6, allow_inf_nan=False)] | None = None
    gap_rel: Annotated[float, Field(ge=0, lt=1, allow_inf_nan=False)] | None = None
    variations: Annotated[tuple[Variation, ...], Field(min_length=1)]

    @model_validator(mode="after")
    def _unique_names(self) -> SweepFile:
        names = [v.name for v in self.variations if v.name is not None]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"variation names must be unique: {', '.join(duplicates)}")
        return self
