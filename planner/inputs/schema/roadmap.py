"""The `roadmap:` section of a scenario: periods, discounting, wave rules and yearly budgets.

A scenario with a roadmap is planned over its periods (a wave of moves at the start of each);
without one it is planned as one snapshot, as before. The periods are either generated (a
first month, a length and a count) or listed by name with their dates; every period covers
whole months, and listed periods follow each other without a gap.
"""

from __future__ import annotations

import calendar
from datetime import date
from typing import Annotated, Literal

from pydantic import Field, model_validator

from planner.inputs.schema.common import (
    MAX_COUNT,
    Count,
    Id,
    NonNegative,
    PartialResources,
    Strict,
)

MAX_PERIODS = 240  # twenty years of months
Length = Literal["month", "quarter", "year"]
MONTHS_OF: dict[str, int] = {"month": 1, "quarter": 3, "year": 12}
GrowthPct = Annotated[float, Field(gt=-100, le=1000, allow_inf_nan=False)]
RatePct = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]


def last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: date, months: int) -> date:
    """The first day of the month `months` after `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def months_between(start: date, end: date) -> int:
    """Whole months from the first day `start` to the last day `end` (inclusive)."""
    return (end.year - start.year) * 12 + end.month - start.month + 1


class GeneratedPeriods(Strict):
    """`count` consecutive periods of one `length`, the first starting on `start` (a first of
    a month; of a quarter's first month for quarters, of January for years)."""

    start: date
    length: Length
    count: Annotated[int, Field(ge=1, le=MAX_PERIODS)]

    @model_validator(mode="after")
    def _aligned(self) -> GeneratedPeriods:
        if self.start.day != 1:
            raise ValueError(f"periods start on the first day of a month, not {self.start}")
        if self.length == "quarter" and self.start.month % 3 != 1:
            raise ValueError(
                f"quarterly periods start on the first day of a quarter, not {self.start}"
            )
        if self.length == "year" and self.start.month != 1:
            raise ValueError(f"yearly periods start on 1 January, not {self.start}")
        return self


class NamedPeriod(Strict):
    """One listed period: its name and its first and last days (whole months)."""

    name: Id
    start: date
    end: date

    @model_validator(mode="after")
    def _whole_months(self) -> NamedPeriod:
        if self.end < self.start:
            raise ValueError(f"period '{self.name}' ends on {self.end}, before its start")
        if self.start.day != 1:
            raise ValueError(f"period '{self.name}' starts on {self.start}, not a first of month")
        if self.end != last_day(self.end.year, self.end.month):
            raise ValueError(
                f"period '{self.name}' ends on {self.end}, not the last day of a month"
            )
        return self


class Waves(Strict):
    """The rules every wave (the moves at the start of a period) obeys."""

    max_moves: Count | None = None  # workloads moved per period
    max_moved: PartialResources = PartialResources()  # demand moved per period, per resource
    freeze: tuple[Id, ...] = ()  # names of periods without any move
    max_moves_per_workload: Annotated[int, Field(ge=0, le=MAX_COUNT)] = 1  # over the horizon


class YearBudget(Strict):
    """What one budget year allows (each absent figure: no ceiling)."""

    opex_eur: NonNegative | None = None  # run costs, contracts and blocks' opex of the year
    capex_eur: NonNegative | None = None  # purchase price of the blocks ordered in the year
    migration_eur: NonNegative | None = None  # one-off moves and exit fees of the year


class Roadmap(Strict):
    """Plan the horizon period by period instead of one snapshot."""

    # the periods: generated (`periods`) or listed by name (`named_periods`), one of the two
    periods: GeneratedPeriods | None = None
    named_periods: tuple[NamedPeriod, ...] | None = None
    discount_rate_pct: RatePct = 0.0  # a year, for costs of later periods
    growth_pct_year: dict[Id, GrowthPct] = {}  # data class -> demand growth a year
    waves: Waves = Waves()
    budgets: dict[Annotated[str, Field(pattern=r"^[0-9]{4}$")], YearBudget] = {}  # by year

    def budget_of(self, year: int) -> YearBudget | None:
        """The budget of a calendar year, if one is set."""
        return self.budgets.get(f"{year:04d}")

    @model_validator(mode="after")
    def _periods_follow(self) -> Roadmap:
        if (self.periods is None) == (self.named_periods is None):
            raise ValueError("a roadmap gives either periods or named_periods")
        if self.named_periods is not None:
            if not self.named_periods:
                raise ValueError("named_periods lists at least one period")
            if len(self.named_periods) > MAX_PERIODS:
                raise ValueError(f"at most {MAX_PERIODS} periods")
            names = [p.name for p in self.named_periods]
            twice = sorted({n for n in names if names.count(n) > 1})
            if twice:
                raise ValueError(f"period name '{twice[0]}' is used more than once")
            for before, after in zip(self.named_periods, self.named_periods[1:], strict=False):
                if add_months(before.end, 1) != after.start:
                    raise ValueError(
                        f"period '{after.name}' starts on {after.start}; the periods follow "
                        f"each other, so it should start on {add_months(before.end, 1)}"
                    )
        return self
