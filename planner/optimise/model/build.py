"""Candidates -> PuLP model: the only place the optimisation model is constructed.

Variables: x[u,p] (unit u on place p; binary, or integer 0..count for a class of identical
workloads), k[i,b] (expansion blocks of type b built at internal site i), y[p] (place p with a
fixed monthly cost is used), and, where the scenario buys commitments, c[o,t] (units of
commitment term t bought on offer o: continuous euros for a savings plan, whole instances for
reserved instances) with v[o,q] (what they cover of pool q). The objective and each constraint
family are documented where they are defined.

The model does not depend on the order of the catalogs: units (sorted by id in the
candidates), places, options and expansion blocks are numbered and added in id order, so the
same estate gives the same variables and rows, hence the same plan, whatever order its files
list it in.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pulp

from planner.candidates.commitments import pool_use
from planner.candidates.evaluate import Evaluator, Var, objective_eur_month, place_weight
from planner.candidates.evaluate import preference_weight as preference_weight
from planner.candidates.units import Candidates
from planner.inputs.frozen import Inputs
from planner.optimise.isolated import LpArrays
from planner.optimise.model import constraints as c
from planner.optimise.model.order import blocks_by_id, by_id, options_by_place
from planner.optimise.model.terms import Term, coefficients, expr
from planner.optimise.rows import RowKey


class Problem(pulp.LpProblem):  # type: ignore[misc]
    """A PuLP problem whose `variables()` walks its constraints only when some were added or
    grew, or the objective changed, since the last walk (PuLP walks every constraint and sorts
    every variable on each call: several times per solve). The list is the one PuLP makes:
    PuLP never forgets a variable once registered, so an unchanged model lists the same."""

    _seen: tuple[int, int, int] | None = None

    def setObjective(self, obj: Any) -> None:
        super().setObjective(obj)
        self._seen = None

    def variables(self) -> list[pulp.LpVariable]:
        rows = self._constraints
        objective = self.objective
        seen = (
            len(rows),
            sum(map(len, rows.values())),
            -1 if objective is None else len(objective),
        )
        if seen != self._seen:
            super().variables()
            self._seen = seen
        return self._variables  # type: ignore[no-any-return]


@dataclass
class Model:
    """The PuLP problem and the maps from variables back to decisions."""

    problem: pulp.LpProblem
    x: dict[tuple[str, str], pulp.LpVariable]
    k: dict[tuple[str, str], pulp.LpVariable]
    y: dict[str, pulp.LpVariable]
    c: dict[tuple[str, str], pulp.LpVariable] = field(default_factory=dict)  # (offer, term)
    v: dict[tuple[str, str], pulp.LpVariable] = field(default_factory=dict)  # (offer, pool)
    rows: dict[RowKey, str] = field(default_factory=dict)  # capacity, quota, cap row -> name
    tiebreak: list[Term] = field(default_factory=list)  # the move tie-break's objective terms
    # a roadmap's variables by period, for the solver's period-by-period start (none: today's)
    periods: list[list[pulp.LpVariable]] = field(default_factory=list)
    # the objective's coefficients without the move tie-break (the shadow prices' LP), in the
    # order the model without it would list them
    untied: dict[pulp.LpVariable, float] = field(default_factory=dict)
    # the model as handed to HiGHS (a highspy.HighsLp, columns in `problem.variables()` order),
    # kept by the solve for the shadow prices' LP; None until solved with HiGHS
    handed: Any = None
    # the problem as arrays when already made (a roadmap's): the solve hands them to HiGHS
    # rather than reading the problem again
    arrays: LpArrays | None = None
    # the problem's PuLP rows were dropped once in `arrays` (a roadmap's, for memory): the
    # solve reads the arrays and the values back by column, the neighbourhood search is off
    rows_released: bool = False

    def sorted_rows(self) -> list[tuple[RowKey, str]]:
        """The keyed rows in the order of their ids."""
        return sorted(self.rows.items(), key=lambda item: item[0].id)

    def var(self, v: Var) -> pulp.LpVariable:
        """The PuLP variable of one decision."""
        if v.kind == "x":
            return self.x[v.a, v.b]
        if v.kind == "k":
            return self.k[v.a, v.b]
        if v.kind == "c":
            return self.c[v.a, v.b]
        if v.kind == "v":
            return self.v[v.a, v.b]
        return self.y[v.a]

    def terms(self, coefficients: list[tuple[Var, float]]) -> list[Term]:
        """(decision, coefficient) pairs as (variable, coefficient) terms."""
        return [(self.var(v), coef) for v, coef in coefficients]


# A move costs this much more in the objective than staying, on top of its real move cost:
# among plans of equal cost the solver keeps workloads where they are (an applied plan,
# planned again, says "No changes."). A hundredth of a cent per moved workload, far below any
# price difference that matters, and never counted in a plan's costs.
MOVE_TIEBREAK_EUR_MONTH = 1e-4


def define_variables(cands: Candidates, problem_name: str) -> Model:
    problem = Problem(problem_name, pulp.LpMinimize)
    places = by_id(cands.places)
    place_index = {p.id: i for i, p in enumerate(places)}
    x: dict[tuple[str, str], pulp.LpVariable] = {}
    for ui, unit in enumerate(cands.units):
        for option in options_by_place(unit):
            pi = place_index[option.place_id]
            if unit.count == 1:
                var = problem.add_variable(f"x_{ui}_{pi}", cat=pulp.LpBinary)
            else:
                var = problem.add_variable(f"x_{ui}_{pi}", 0, unit.count, cat=pulp.LpInteger)
            x[unit.id, option.place_id] = var
    k: dict[tuple[str, str], pulp.LpVariable] = {}
    y: dict[str, pulp.LpVariable] = {}
    for pi, place in enumerate(places):
        if place.site is not None:
            for bi, block in enumerate(blocks_by_id(place.site)):
                if block.max_blocks > 0:
                    k[place.id, block.id] = problem.add_variable(
                        f"k_{pi}_{bi}", 0, block.max_blocks, cat=pulp.LpInteger
                    )
        if place.fixed_cost_eur_month > 0:
            y[place.id] = problem.add_variable(f"y_{pi}", cat=pulp.LpBinary)
    model = Model(problem, x, k, y)
    define_commitments(model, cands, place_index)
    return model


def define_commitments(model: Model, cands: Candidates, place_index: dict[str, int]) -> None:
    """c[o,t] for every term the scenario may buy (whole instances for an instance term, at
    most the instances of its flavour the offer could ever hold; euros for a spend term, at
    most the offer's largest compute spend) and v[o,q] for every pool they cover."""
    evaluator = Evaluator(cands)
    if not evaluator.terms:
        return
    most_spend: dict[str, float] = defaultdict(float)
    most_instances: dict[tuple[str, str], float] = defaultdict(float)
    for unit in cands.units:
        for o in unit.options:
            use = pool_use(unit.kind, o.member_compute_eur_month, o.member_flavour)
            most_spend[o.place_id] += unit.count * use.compute_eur_month
            for flavour, count in use.instances:
                most_instances[o.place_id, flavour] += unit.count * count
    problem = model.problem
    for ti, term in enumerate(evaluator.terms):
        pi = place_index[term.offer_id]
        if term.integral:
            assert term.flavour is not None
            top = most_instances.get((term.offer_id, term.flavour), 0.0)
            var = problem.add_variable(f"c_{pi}_{ti}", 0, top, cat=pulp.LpInteger)
        else:
            var = problem.add_variable(f"c_{pi}_{ti}", 0, most_spend.get(term.offer_id, 0.0))
        model.c[term.offer_id, term.key] = var
    for qi, (offer_id, pool, _provider, _value) in enumerate(evaluator.pools()):
        pi = place_index[offer_id]
        model.v[offer_id, pool] = problem.add_variable(f"v_{pi}_{qi}", 0)


def define_objective(
    model: Model, cands: Candidates, inputs: Inputs, tiebreak: bool = True
) -> None:
    """min sum w_p*run[u,p]*x + move[u,p]/H*x + sum block_cost*k + sum w_p*fixed[p]*y
           + t*moves[u,p]*x + sum w*(price_t + tail_t/H)*c[o,t] - sum w*od_q*v[o,q].

    w_p is the in-house preference weight on external places (1 on internal sites); one-off
    move costs are amortised over the scenario's horizon H (months); t is the move tie-break
    MOVE_TIEBREAK_EUR_MONTH (left out with `tiebreak=False`). A commitment term t costs its
    monthly price, plus what leaving it at the horizon's end would still cost (`tail_t`, zero
    for a term no longer than H) amortised over H; what it covers saves its on-demand value
    od_q (planner/candidates/commitments.py), both weighted as external spend.
    """
    objective = inputs.scenario.objective
    pct, horizon = objective.internal_preference_pct, objective.horizon_months
    evaluator = Evaluator(cands)
    terms: list[Term] = []
    for unit in cands.units:
        for option in unit.options:
            var = model.x[unit.id, option.place_id]
            place = evaluator.places[option.place_id]
            terms.append((var, objective_eur_month(place, option, pct, horizon)))
            if tiebreak and option.moves > 0:
                model.tiebreak.append((var, MOVE_TIEBREAK_EUR_MONTH * option.moves))
    others: list[Term] = []
    for site_id, block in evaluator.blocks():
        others.append((model.var(Var("k", site_id, block.id)), block.cost_eur_month))
    for place in evaluator.contracts():
        others.append((model.y[place.id], place_weight(place, pct) * place.fixed_cost_eur_month))
    weight = preference_weight(pct)  # commitments are external spend
    for term in evaluator.terms:
        others.append(
            (model.c[term.offer_id, term.key], weight * term.objective_eur_month(horizon))
        )
    for offer_id, pool, _provider, value in evaluator.pools():
        others.append((model.v[offer_id, pool], -weight * value))
    model.untied = coefficients(terms + others)
    model.problem.setObjective(expr(terms + model.tiebreak + others))


def build_model(
    inputs: Inputs,
    cands: Candidates,
    *,
    share_reference_eur: float | None = None,
    tiebreak: bool = True,
) -> Model:
    """The whole MILP of DESIGN.md for these candidates.

    The share caps are rows only when `share_reference_eur` (their denominator, the monthly
    spend of the plan made without them: see `constraints.add_caps`) is given; without it,
    this is the model of that first solve. `tiebreak=False` leaves out the move tie-break
    (for the LPs of shadow prices and the diagnosis, where it has no plan to keep stable).
    """
    model = define_variables(cands, "placement")
    define_objective(model, cands, inputs, tiebreak)
    c.add_assignment(model, cands)
    c.add_capacity(model, cands)
    c.add_quota(model, cands)
    c.add_activation(model, cands)
    c.add_anti_affinity(model, cands)
    c.add_commitments(model, cands)
    c.add_caps(model, cands, inputs, share_reference_eur)
    return model
