"""Shadow prices: what one more unit of a binding capacity or cap is worth per month.

The MILP has no duals. After it is solved, the model is built again with the structural
integer decisions fixed at the plan's values (expansion blocks k, contracts y) and the
placements x relaxed to continuous, and that LP is solved with HiGHS. The dual of each
capacity, quota and cap row is then the change of the objective per unit of its right-hand
side: "1 vCPU more at alpha is worth € 16.50 / month" means that, with placements divisible,
the objective falls by € 16.50 for each extra vCPU, as long as the LP basis does not change.
A whole workload needs its whole demand free, so the MILP optimum moves in steps; these values
are the slope of those steps. Values are in objective terms: external spend weighted by the
in-house preference, one-off move costs amortised over the horizon.
"""

from __future__ import annotations

import pulp

from planner.candidates import Candidates
from planner.inputs import Inputs
from planner.model import Model, build_model
from planner.model.constraints import spend_terms
from planner.model.terms import constraint
from planner.plan import ShadowPrice
from planner.solve import SolveResult, _QuietHiGHS

MIN_VALUE_EUR = 1e-6


def fixed_lp(inputs: Inputs, cands: Candidates, result: SolveResult) -> Model:
    """The model with k and y fixed at the solution's values and x continuous."""
    model = build_model(inputs, cands)
    for var in model.x.values():
        var.cat = pulp.LpContinuous
    fixed = [(var, result.k.get(key, 0.0)) for key, var in model.k.items()]
    fixed += [(var, result.y.get(place, 0.0)) for place, var in model.y.items()]
    for var, value in fixed:
        var.cat = pulp.LpContinuous
        var.lowBound = var.upBound = float(value)
    return model


def solve_lp(model: Model, time_limit_s: float) -> bool:
    """Solve the LP in place; True if HiGHS proved it optimal (duals are then valid)."""
    import highspy

    if not model.problem.variables():
        return False
    model.problem.solve(_QuietHiGHS(msg=False, timeLimit=time_limit_s))
    highs = model.problem.solverModel
    return bool(highs.getModelStatus() == highspy.HighsModelStatus.kOptimal)


def _money(value: float) -> str:
    return f"€{value:,.2f}" if abs(value) >= 1 else f"€{value:.4f}"


def _describe(meaning: str, value: float, total_spend: float) -> ShadowPrice | None:
    parts = meaning.split(":")
    if parts[0] in ("capacity", "quota"):
        place, resource = parts[1], parts[2]
        where = "at" if parts[0] == "capacity" else "of quota on"
        return ShadowPrice(
            constraint=meaning, kind="capacity" if parts[0] == "capacity" else "quota",
            place=place, resource=resource, unit=resource, value_eur_month=round(value, 6),
            text=f"1 {resource} more {where} {place} is worth {_money(value)} / month")
    name = parts[1]
    if name in ("outsourced_share", "provider_share"):
        per_point = value * total_spend / 100.0
        what = ("the outsourced share cap" if name == "outsourced_share"
                else f"the share cap of provider '{parts[2]}'")
        return ShadowPrice(
            constraint=meaning, kind="cap", place=None, resource=None, unit="percentage point",
            value_eur_month=round(per_point, 6),
            text=f"raising {what} by 1 percentage point saves {_money(per_point)} / month")
    units = {"monthly_budget": ("EUR", "the monthly budget by €1"),
             "migration_budget": ("EUR", "the one-off migration budget by €1"),
             "max_moves": ("move", "the maximum number of moves by 1")}
    if name not in units:
        return None
    unit, what = units[name]
    return ShadowPrice(constraint=meaning, kind="cap", place=None, resource=None, unit=unit,
                       value_eur_month=round(value, 6),
                       text=f"raising {what} saves {_money(value)} / month")


def shadow_prices(inputs: Inputs, cands: Candidates, result: SolveResult,
                  time_limit_s: float = 60.0) -> tuple[ShadowPrice, ...]:
    """Binding capacities, quotas and caps with the monthly value of one more unit of each."""
    if not result.has_solution or not result.x:
        return ()
    model = fixed_lp(inputs, cands, result)
    if not solve_lp(model, time_limit_s):
        return ()
    problem = model.problem
    total_spend = sum(coef * (var.varValue or 0.0)
                      for terms in spend_terms(model, cands).values() for var, coef in terms)
    out = []
    for meaning, name in sorted(model.rows.items()):
        pi = constraint(problem, name).pi
        value = -float(pi) if pi is not None else 0.0  # <= rows of a min: pi <= 0 if binding
        if value > MIN_VALUE_EUR:
            price = _describe(meaning, value, total_spend)
            if price is not None:
                out.append(price)
    return tuple(out)
