"""Shared building blocks of the catalog schemas."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Amounts(NamedTuple):
    """One amount per resource: a demand, a capacity use, a limit. The one list of resources:
    adding a resource is a field here and in `Resources`/`PartialResources` below."""

    vcpu: float
    ram_gib: float
    storage_gib: float
    gpu: float

    @classmethod
    def of(cls, amount: Callable[[str], float]) -> Amounts:
        """`amount(resource)` for each resource."""
        return tuple.__new__(cls, [amount(r) for r in cls._fields])

    @classmethod
    def zero(cls) -> Amounts:
        return cls.of(lambda r: 0.0)

    def get(self, resource: str) -> float:
        return float(getattr(self, resource))

    def plus(self, other: Amounts) -> Amounts:
        return Amounts._make(a + b for a, b in zip(self, other, strict=True))

    def items(self) -> list[tuple[str, float]]:
        return list(zip(self._fields, self, strict=True))


RESOURCES: tuple[str, ...] = Amounts._fields

Id = Annotated[str, Field(min_length=1, max_length=120, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")]

# Every number of the inputs is finite and in a sane range, checked at load (YAML and CSV alike):
MAX_AMOUNT = 1e12  # euros, resources, GiB: no amount above a trillion
MAX_MONTHS = 1200  # a hundred years
MAX_COUNT = 1_000_000_000  # blocks, moves, activity numbers
NonNegative = Annotated[float, Field(ge=0, le=MAX_AMOUNT, allow_inf_nan=False)]
Percent = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
Months = Annotated[int, Field(ge=1, le=MAX_MONTHS)]
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]


class Strict(BaseModel):
    """Base of every input model: unknown fields rejected, values immutable, no coercion."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Resources(Strict):
    """An amount of each resource; a missing resource counts as zero."""

    vcpu: NonNegative = 0.0
    ram_gib: NonNegative = 0.0
    storage_gib: NonNegative = 0.0
    gpu: NonNegative = 0.0

    def get(self, resource: str) -> float:
        return float(getattr(self, resource))

    def items(self) -> list[tuple[str, float]]:
        return [(r, self.get(r)) for r in RESOURCES]

    def amounts(self) -> Amounts:
        return tuple.__new__(Amounts, [float(getattr(self, r)) for r in RESOURCES])


class PartialResources(Strict):
    """Per-resource values where a missing resource means 'not given' (not zero)."""

    vcpu: NonNegative | None = None
    ram_gib: NonNegative | None = None
    storage_gib: NonNegative | None = None
    gpu: NonNegative | None = None

    def get(self, resource: str) -> float | None:
        value = getattr(self, resource)
        return None if value is None else float(value)


Zone = Literal["EU", "EEA", "non-EU"]


class Location(Strict):
    """Where the machines are."""

    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
    zone: Zone
    region: str | None = None


QualificationStatus = Literal["qualified", "in_progress", "suspended", "withdrawn"]


class Qualification(Strict):
    """A qualification, certification or homologation held by one site or offer."""

    name: Annotated[str, Field(min_length=1)]
    status: QualificationStatus = "qualified"
    valid_until: date | None = None
    valid_from: date | None = None  # first day in force (a qualification obtained later)
    activities: tuple[Count, ...] = ()
    reference: str | None = None

    @model_validator(mode="after")
    def _valid_in_order(self) -> Qualification:
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValueError(
                f"valid_until {self.valid_until} is before valid_from {self.valid_from}"
            )
        return self

    def holds_on(self, day: date) -> bool:
        """True if the qualification is in force on that day."""
        return (
            self.status == "qualified"
            and (self.valid_until is None or day <= self.valid_until)
            and (self.valid_from is None or day >= self.valid_from)
        )
