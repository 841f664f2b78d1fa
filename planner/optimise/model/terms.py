"""Linear expressions built from (variable, coefficient) lists: no quadratic Python sums."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pulp

Term = tuple[Any, float]


def coefficients(terms: Iterable[Term]) -> dict[Any, float]:
    """Variable -> coefficient, in the order variables first appear; coefficients of a
    repeated variable are added up, zero terms left out."""
    out: dict[Any, float] = {}
    for var, coef in terms:
        if coef:
            out[var] = out.get(var, 0.0) + coef
    return out


def expr(terms: Iterable[Term], constant: float = 0.0) -> pulp.LpAffineExpression:
    """An affine expression; coefficients of a repeated variable are added up."""
    return pulp.LpAffineExpression(coefficients(terms), constant=constant)


def add_le(problem: pulp.LpProblem, name: str, terms: Iterable[Term], rhs: float) -> str:
    """Add `sum(terms) <= rhs`; returns the constraint's name."""
    problem.addConstraint(pulp.LpConstraint(expr(terms), pulp.LpConstraintLE, name, rhs))
    return name


def add_eq(problem: pulp.LpProblem, name: str, terms: Iterable[Term], rhs: float) -> str:
    """Add `sum(terms) == rhs`; returns the constraint's name."""
    problem.addConstraint(pulp.LpConstraint(expr(terms), pulp.LpConstraintEQ, name, rhs))
    return name


def constraint(problem: pulp.LpProblem, name: str) -> pulp.LpConstraint:
    """The constraint added under `name` (PuLP stores names with '-', ' ' etc. as '_')."""
    found = problem.get_constraint_by_name(name)
    if found is None:
        found = problem.get_constraint_by_name(name.translate(pulp.LpElement.trans))
    if found is None:
        raise KeyError(name)
    return found
