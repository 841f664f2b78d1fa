"""The model as the incumbent search sees it: columns, rows and the placement units' columns.

Pure arrays (no solver): the objective, bounds and rows of the MILP HiGHS solves, which columns
belong to which placement unit and on which place each one puts it. `check` is the test every
plan of the search passes before it is used: integral, within bounds and within every row.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

Vector = np.ndarray[Any, np.dtype[np.float64]]
Indices = np.ndarray[Any, np.dtype[np.int64]]

# a row or bound may be exceeded by this much, relative to max(1, |its limit|): HiGHS's own
# primal feasibility tolerance is 1e-7 absolute
FEASIBILITY_REL = 1e-7
# at most this many units are freed in one neighbourhood (the rest of a place's units stay put)
MAX_FREE_UNITS = 150


def _slack(limits: Vector) -> Vector:
    """How far a value may pass each limit (an infinite limit cannot be passed)."""
    return FEASIBILITY_REL * np.maximum(1.0, np.abs(np.where(np.isfinite(limits), limits, 0.0)))


@dataclass(frozen=True)
class SearchSpace:
    """The MILP's arrays (rows row-wise) and the placement units' columns and places."""

    cost: Vector
    offset: float
    col_lower: Vector
    col_upper: Vector
    integral: np.ndarray[Any, np.dtype[np.bool_]]
    row_start: Indices
    row_index: Indices
    row_value: Vector
    row_lower: Vector
    row_upper: Vector
    unit_cols: tuple[Indices, ...]  # each unit's x columns
    col_place: Indices  # place number of each x column, -1 for other columns
    n_places: int

    @classmethod
    def build(
        cls,
        cost: Sequence[float],
        offset: float,
        col_lower: Sequence[float],
        col_upper: Sequence[float],
        integral: Sequence[bool],
        rows: Sequence[tuple[Sequence[tuple[int, float]], float, float]],
        units: Sequence[Sequence[tuple[int, str]]],
    ) -> SearchSpace:
        """From plain lists: rows as ((column, coefficient) pairs, lower, upper), units as
        (column, place id) pairs."""
        starts, index, value = [0], [], []
        for terms, _, _ in rows:
            for col, coef in terms:
                index.append(col)
                value.append(coef)
            starts.append(len(index))
        return cls.of_arrays(
            np.asarray(cost, dtype=np.float64),
            offset,
            np.asarray(col_lower, dtype=np.float64),
            np.asarray(col_upper, dtype=np.float64),
            np.asarray(integral, dtype=np.bool_),
            (
                np.asarray(starts, dtype=np.int64),
                np.asarray(index, dtype=np.int64),
                np.asarray(value, dtype=np.float64),
            ),
            np.asarray([lo for _, lo, _ in rows], dtype=np.float64),
            np.asarray([up for _, _, up in rows], dtype=np.float64),
            units,
        )

    @classmethod
    def of_arrays(
        cls,
        cost: Vector,
        offset: float,
        col_lower: Vector,
        col_upper: Vector,
        integral: np.ndarray[Any, np.dtype[np.bool_]],
        rowwise: tuple[Any, Any, Any],
        row_lower: Vector,
        row_upper: Vector,
        units: Sequence[Sequence[tuple[int, str]]],
    ) -> SearchSpace:
        """From the model's arrays (`rowwise`: starts, column indices, values of the rows);
        units as (column, place id) pairs. Places are numbered in id order."""
        place_ids = sorted({place for unit in units for _, place in unit})
        number = {p: i for i, p in enumerate(place_ids)}
        col_place = np.full(len(cost), -1, dtype=np.int64)
        unit_cols = []
        for unit in units:
            cols = np.array([c for c, _ in unit], dtype=np.int64)
            col_place[cols] = [number[p] for _, p in unit]
            unit_cols.append(cols)
        starts, index, value = rowwise
        return cls(
            cost=np.asarray(cost, dtype=np.float64),
            offset=float(offset),
            col_lower=np.asarray(col_lower, dtype=np.float64),
            col_upper=np.asarray(col_upper, dtype=np.float64),
            integral=np.asarray(integral, dtype=np.bool_),
            row_start=np.asarray(starts, dtype=np.int64),
            row_index=np.asarray(index, dtype=np.int64),
            row_value=np.asarray(value, dtype=np.float64),
            row_lower=np.asarray(row_lower, dtype=np.float64),
            row_upper=np.asarray(row_upper, dtype=np.float64),
            unit_cols=tuple(unit_cols),
            col_place=col_place,
            n_places=len(place_ids),
        )

    @property
    def n_cols(self) -> int:
        return len(self.cost)

    def objective(self, values: Vector) -> float:
        return float(self.cost @ values) + self.offset

    def activity(self, values: Vector) -> Vector:
        rows = np.repeat(np.arange(len(self.row_lower)), np.diff(self.row_start))
        out = np.zeros(len(self.row_lower))
        np.add.at(out, rows, self.row_value * values[self.row_index])
        return out

    def rounded(self, values: Sequence[float] | Vector) -> Vector:
        """The values with every integer column rounded to its nearest integer."""
        out = np.asarray(values, dtype=np.float64).copy()
        out[self.integral] = np.round(out[self.integral])
        return out

    def check(self, values: Vector) -> bool:
        """The values are integral where the model says so, within bounds and every row."""
        if len(values) != self.n_cols or not np.all(np.isfinite(values)):
            return False
        if np.any(values[self.integral] != np.round(values[self.integral])):
            return False

        def within(v: Vector, lower: Vector, upper: Vector) -> bool:
            return bool(np.all(v >= lower - _slack(lower)) and np.all(v <= upper + _slack(upper)))

        if not within(values, self.col_lower, self.col_upper):
            return False
        return within(self.activity(values), self.row_lower, self.row_upper)

    def neighbourhood(
        self, values: Vector, places: int, rng: random.Random
    ) -> tuple[Indices, Vector]:
        """Columns to fix, and their values, so that only the units on `places` places (drawn
        from `rng`) may move, among those places: every other x column keeps its value."""
        k = min(places, self.n_places)
        chosen = np.zeros(self.n_places, dtype=np.bool_)
        chosen[rng.sample(range(self.n_places), k)] = True
        on_chosen = [
            u
            for u, cols in enumerate(self.unit_cols)
            if np.any((values[cols] > 0.5) & chosen[self.col_place[cols]])
        ]
        if len(on_chosen) > MAX_FREE_UNITS:
            on_chosen = sorted(rng.sample(on_chosen, MAX_FREE_UNITS))
        free = np.zeros(self.n_cols, dtype=np.bool_)
        for u in on_chosen:
            cols = self.unit_cols[u]
            free[cols[chosen[self.col_place[cols]]]] = True
        fixed = np.flatnonzero((self.col_place >= 0) & ~free)
        return fixed, values[fixed]
