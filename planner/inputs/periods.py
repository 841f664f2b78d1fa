"""A roadmap's periods as dates: each period's name, first and last day and length in months."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from planner.inputs.schema.roadmap import (
    MONTHS_OF,
    Roadmap,
    add_months,
    months_between,
)


@dataclass(frozen=True)
class Period:
    """One period of a roadmap; its wave of moves happens on its first day."""

    index: int  # 0 for the first period
    name: str
    start: date
    end: date  # last day, inclusive
    months: int
    months_from_start: int  # from the horizon's first day to this period's

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end

    def months_in_year(self, year: int) -> int:
        """Months of this period that fall in a calendar year."""
        first = max(self.start, date(year, 1, 1))
        last = min(self.end, date(year, 12, 31))
        return 0 if last < first else months_between(first, last)


def _name(start: date, length: str) -> str:
    if length == "month":
        return f"{start.year}-{start.month:02d}"
    if length == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return str(start.year)


def periods_of(roadmap: Roadmap) -> tuple[Period, ...]:
    """The roadmap's periods in order."""
    spans: list[tuple[str, date, date]] = []
    if roadmap.periods is not None:
        gen = roadmap.periods
        step = MONTHS_OF[gen.length]
        for i in range(gen.count):
            start = add_months(gen.start, i * step)
            end = add_months(start, step) - timedelta(days=1)
            spans.append((_name(start, gen.length), start, end))
    else:
        assert roadmap.named_periods is not None
        spans = [(p.name, p.start, p.end) for p in roadmap.named_periods]
    first = spans[0][1]
    return tuple(
        Period(
            index=i,
            name=name,
            start=start,
            end=end,
            months=months_between(start, end),
            months_from_start=months_between(first, start) - 1,
        )
        for i, (name, start, end) in enumerate(spans)
    )


def discount_factor(period: Period, rate_pct: float) -> float:
    """What a euro spent in `period` weighs against one spent at the horizon's start."""
    return float((1.0 + rate_pct / 100.0) ** (-period.months_from_start / 12.0))
