"""Per-period candidates -> the roadmap MILP (DESIGN.md, "Time: the roadmap").

Variables, for periods t = 0..T-1 (the current placement comes before t = 0):
  x[t,u,p]  unit u on place p in period t (binary, or 0..count for a class; continuous after
            its first period for a unit moving at most once, below);
  K[t,i,b]  blocks b usable at site i in t (integer); o[t,i,b] >= 0 blocks ordered in t,
            usable from the first period starting at least the block's lead time after t's
            start: K[t] = sum of o[tau] delivered by t's start, sum_tau o[tau] <= max_blocks.
            Only the latest period ordering for each delivery period has an o (ordering as
            late as the delivery allows), so each o is a difference of two K: whole;
  y[t,p]    place p with a fixed monthly cost used in t;
  mv[t,u,p] members of u moving to p in t (binary, or 0..count for a class): the path
            formulation of a unit moving at most once, below;
  a[t,u,p]  >= x[t,u,p] - x[t-1,u,p]: a workload or group arriving on p at t (t > its first
            period); l[t,u,c] >= x[t-1,u,c] - x[t,u,c]: leaving its current place c while an
            exit fee is due.
A class of identical workloads moves each member at most once, and so does a workload when
`max_moves_per_workload` is 1 (the default): its path is "on its current place c until some
wave, then on p to the end". After its first period its placement is continuous and follows
its moves, x[t,u,p] = x[t-1,u,p] + mv[t,u,p] for every place p other than c (exact: x is
whole when the moves are), and every move of the unit over the horizon is in one row,
sum_{p != c} x[first,u,p] + sum_{t,p} mv[t,u,p] <= count. The objective's costs of its
continuous placements are moved onto the moves and first-period placements they equal (the
same value on every feasible point): HiGHS then sees one clique per unit among its costed
integers, where one per unit and period made its objective clique partition quadratic, and
took the whole time limit before its first LP. A unit without a current place stays where it
is first placed. Groups, and workloads that may move more than once, use the arrivals a. At
a unit's first period t = 0 its moves, one-off cost and moved demand are today's model's
(each option's, from the current placement); a unit starting later is placed, not moved.

Every family of today's model is built in each period from that period's candidates by the
same functions (assignment, capacity with K[t], quotas, activation with y[t], anti-affinity,
the caps but the migration budget and the move cap, which hold over the whole horizon).

Objective: sum_t D_t * L_t * (sum w_p run[t,u,p] x + sum cost_month[b] K + sum w_p fixed y)
+ sum_t A_t * one-off[t], with D_t = (1 + r)^(-months before t / 12), L_t the period's months,
w_p the in-house preference weight and one-off[t] the move costs and exit fees of t's wave.
A one-off cost is amortised over the scenario's `horizon_months` H from its wave on, as today's
model amortises it and as blocks' capex is: A_t = sum_{t' >= t} D_t' * (months of t' within H
months of t's start) / H, so a move late in the horizon bears only the months it has left in
it. The move tie-break is MOVE_TIEBREAK_EUR_MONTH * H * A_t per moved workload. With one period
the objective is today's times the period's months (the same optimum).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pulp

from planner.candidates.evaluate import Decision, Evaluator, place_weight
from planner.candidates.periods import PeriodCandidates
from planner.candidates.units import Option, Unit
from planner.inputs.frozen import Inputs
from planner.inputs.periods import discount_factor
from planner.inputs.schema.roadmap import add_months
from planner.optimise.caps import CapContext, cap_rows
from planner.optimise.isolated import Array, LpArrays, lp_arrays
from planner.optimise.memory import give_back_freed
from planner.optimise.model import Model
from planner.optimise.model import constraints as c
from planner.optimise.model.build import MOVE_TIEBREAK_EUR_MONTH
from planner.optimise.model.order import blocks_by_id, by_id, options_by_place
from planner.optimise.model.terms import Term, add_le, expr
from planner.optimise.roadmap.tracks import Track, moving_demand, tracks_of, whole_demand
from planner.optimise.roadmap.waves import RoadmapRow

# caps that hold over the whole horizon (their rows are the roadmap's own), not per period
HORIZON_CAPS = frozenset({"migration_budget", "max_moves"})


@dataclass
class RoadmapModel:
    """The roadmap's PuLP problem and its variables by (period index, ...)."""

    problem: pulp.LpProblem
    periods: tuple[PeriodCandidates, ...]
    tracks: dict[str, Track]
    units: list[dict[str, Unit]]  # per period: unit id -> the unit as that period has it
    x: dict[tuple[int, str, str], pulp.LpVariable] = field(default_factory=dict)
    usable: dict[tuple[int, str, str], pulp.LpVariable] = field(default_factory=dict)
    ordered: dict[tuple[int, str, str], pulp.LpVariable] = field(default_factory=dict)
    y: dict[tuple[int, str], pulp.LpVariable] = field(default_factory=dict)
    arrive: dict[tuple[int, str, str], pulp.LpVariable] = field(default_factory=dict)
    moves: dict[tuple[int, str, str], pulp.LpVariable] = field(default_factory=dict)
    # a continuous placement of the path formulation -> (terms on the placements before it
    # and its moves, constant): what it equals, by its path and assignment rows; read by
    # the objective's build only, then emptied (a large roadmap's millions of terms)
    path_of: dict[pulp.LpVariable, tuple[list[Term], float]] = field(default_factory=dict)
    leave: dict[tuple[int, str, str], pulp.LpVariable] = field(default_factory=dict)
    tiebreak: list[Term] = field(default_factory=list)
    rows: dict[str, RoadmapRow] = field(default_factory=dict)  # row name -> what it is
    # per period: its own rows (today's families on its candidates), in the order added
    period_rows: list[list[pulp.LpConstraint]] = field(default_factory=list)
    elastic: bool = False  # the diagnosis's model: each roadmap row has a slack
    slacks: dict[str, tuple[pulp.LpVariable, float]] = field(default_factory=dict)
    # the finished problem as arrays, made once for every solve of it (`as_arrays`)
    arrays: LpArrays | None = None
    # per period: the index in `arrays` of each of its own rows, once the rows are released
    period_row_index: list[Array] = field(default_factory=list)
    rows_released: bool = False

    @property
    def horizon_months(self) -> int:
        return sum(pc.period.months for pc in self.periods)

    def as_arrays(self) -> LpArrays:
        """The problem as arrays, in `problem.variables()` order: made on the first call, once
        the model is built (no row or bound changes after)."""
        if self.arrays is None:
            self.arrays = lp_arrays(self.problem, self.problem.variables())
        return self.arrays

    def release_rows(self) -> None:
        """Drop the problem's PuLP rows once it is in arrays (`as_arrays`): every later solve
        and the period bound read the arrays, and the rows are most of a large roadmap's
        memory (docs/benchmarks.md, section 12). The variables stay (their values are read
        back by column); each period's own rows are kept as their indices in the arrays, and
        what each roadmap row is (`rows`, read by the diagnosis of its own model) goes."""
        self.as_arrays()
        self.period_row_index = [
            np.array([row.index for row in rows], dtype=np.int64) for rows in self.period_rows
        ]
        self.period_rows = []
        self.problem._constraints.clear()
        self.problem.modifiedConstraints.clear()  # PuLP's list of every row added, for resolves
        self.rows = {}
        self.rows_released = True
        give_back_freed()

    def own_rows(self, t: int) -> Array:
        """Period t's own rows (today's families on its candidates) by their index in
        `as_arrays()`."""
        if self.rows_released:
            return self.period_row_index[t]
        self.as_arrays()
        return np.array([row.index for row in self.period_rows[t]], dtype=np.int64)

    def view(self, t: int) -> Model:
        """Period t's variables as today's `Model` has them (its own problem for the rows)."""
        x = {(u, p): v for (tt, u, p), v in self.x.items() if tt == t}
        k = {(s, b): v for (tt, s, b), v in self.usable.items() if tt == t}
        y = {p: v for (tt, p), v in self.y.items() if tt == t}
        return Model(pulp.LpProblem(f"period_{t}", pulp.LpMinimize), x, k, y)


def _delivered(pc: PeriodCandidates, order: PeriodCandidates, lead_months: int) -> bool:
    """A block ordered in `order` is usable in `pc`."""
    return add_months(order.period.start, lead_months) <= pc.period.start


def delivery(m: RoadmapModel, t: int, lead_months: int) -> int | None:
    """The first period a block ordered in period t is usable in (None: after the horizon)."""
    order = m.periods[t]
    return next((pc.period.index for pc in m.periods if _delivered(pc, order, lead_months)), None)


def _latest_order(m: RoadmapModel, t: int, lead_months: int) -> bool:
    """Period t is the latest to order a block for its delivery period (a block is ordered as
    late as its delivery allows: one order variable per delivery period, so an order is
    whole exactly when the usable counts are)."""
    due = delivery(m, t, lead_months)
    if due is None:
        return False
    return t + 1 >= len(m.periods) or delivery(m, t + 1, lead_months) != due


def _define(m: RoadmapModel) -> None:
    problem = m.problem
    for t, pc in enumerate(m.periods):
        place_index = {p.id: i for i, p in enumerate(by_id(pc.cands.places))}
        for ui, unit in enumerate(pc.cands.units):
            for o in options_by_place(unit):
                name = f"x_{t}_{ui}_{place_index[o.place_id]}"
                if unit.count == 1:
                    var = problem.add_variable(name, cat=pulp.LpBinary)
                else:
                    var = problem.add_variable(name, 0, unit.count, cat=pulp.LpInteger)
                m.x[t, unit.id, o.place_id] = var
        for place in by_id(pc.cands.places):
            pi = place_index[place.id]
            if place.fixed_cost_eur_month > 0:
                m.y[t, place.id] = problem.add_variable(f"y_{t}_{pi}", cat=pulp.LpBinary)
            if place.site is None:
                continue
            for bi, block in enumerate(blocks_by_id(place.site)):
                if block.max_blocks <= 0:
                    continue
                m.usable[t, place.id, block.id] = problem.add_variable(
                    f"K_{t}_{pi}_{bi}", 0, block.max_blocks, cat=pulp.LpInteger
                )
    for t, pc in enumerate(m.periods):
        for place in by_id(pc.cands.places):
            if place.site is None:
                continue
            for block in blocks_by_id(place.site):
                if block.max_blocks > 0 and _latest_order(m, t, block.lead_time_months):
                    m.ordered[t, place.id, block.id] = problem.add_variable(
                        f"o_{t}_{len(m.ordered)}", 0, block.max_blocks
                    )


def _add(m: RoadmapModel, name: str, terms: list[Term], rhs: float) -> str:
    return add_le(m.problem, name, terms, rhs)


def _blocks(m: RoadmapModel) -> None:
    """K[t,i,b] = sum of o[tau,i,b] delivered by t; sum_tau o[tau,i,b] <= max_blocks."""
    totals: dict[tuple[str, str], list[Term]] = defaultdict(list)
    limits: dict[tuple[str, str], int] = {}
    for (_tau, site, block_id), var in sorted(m.ordered.items()):
        totals[site, block_id].append((var, 1.0))
    for (t, site, block_id), var in sorted(m.usable.items()):
        pc = m.periods[t]
        place = next(p for p in pc.cands.places if p.id == site)
        assert place.site is not None
        block = next(b for b in place.site.expansion_blocks if b.id == block_id)
        limits[site, block_id] = block.max_blocks
        terms: list[Term] = [(var, 1.0)]
        for (tau, s, b), o in m.ordered.items():
            if (
                s == site
                and b == block_id
                and _delivered(pc, m.periods[tau], block.lead_time_months)
            ):
                terms.append((o, -1.0))
        m.problem.addConstraint(
            pulp.LpConstraint(expr(terms), pulp.LpConstraintEQ, f"built_{t}_{site}_{block_id}", 0)
        )
    for key, terms in sorted(totals.items()):
        if key in limits:
            _add(m, f"blocks_{key[0]}_{key[1]}", terms, float(limits[key]))


def _period_rows(
    m: RoadmapModel, inputs: Inputs, share_reference_eur: dict[int, float] | None
) -> None:
    """Every family of today's model in each period, from that period's candidates."""
    for t, pc in enumerate(m.periods):
        view = m.view(t)
        c.add_assignment(view, pc.cands)
        c.add_capacity(view, pc.cands)
        c.add_quota(view, pc.cands)
        c.add_activation(view, pc.cands)
        c.add_anti_affinity(view, pc.cands)
        reference = None if share_reference_eur is None else share_reference_eur.get(t)
        ctx = CapContext(pc.inputs, pc.cands, Evaluator(pc.cands), reference)
        for cap, row in cap_rows(ctx):
            if cap.code not in HORIZON_CAPS:
                add_le(view.problem, row.name, view.terms(row.terms), row.rhs)
        rows = list(view.problem._constraints.items())
        for name, constraint in rows:
            constraint.name = f"t{t}_{name}"
            m.problem.addConstraint(constraint)
        m.period_rows.append([constraint for _, constraint in rows])
    del inputs


def fee_due(member_ends_on: str | None, day: date) -> bool:
    """Leaving on `day` costs the exit fee (the contract still runs then)."""
    return member_ends_on is not None and day.isoformat() <= member_ends_on


@dataclass
class Wave:
    """Linear expressions of one unit's wave at t: workloads moved, whether it moves (a
    workload or group), one-off EUR (moves and exit fees) and demand moved per resource."""

    moved: list[Term] = field(default_factory=list)
    moves: list[Term] = field(default_factory=list)
    one_off: list[Term] = field(default_factory=list)
    demand: dict[str, list[Term]] = field(default_factory=lambda: defaultdict(list))


def _first_wave(m: RoadmapModel, track: Track, unit: Unit) -> Wave:
    """The wave of a unit at t = 0, from today's placement (today's model's coefficients)."""
    pc = m.periods[0]
    wave = Wave()
    members = track.members[:1] if track.kind == "class" else track.members
    for o in options_by_place(unit):
        var = m.x[0, unit.id, o.place_id]
        fee = sum(
            mb.exit_fee_eur
            for mb in members
            if mb.current not in (None, o.place_id)
            and fee_due(mb.contract_ends_on, pc.period.start)
        )
        if o.moves > 0:
            wave.moved.append((var, float(o.moves)))
            wave.moves.append((var, 1.0))
        if o.move_cost_eur + fee > 0:
            wave.one_off.append((var, o.move_cost_eur + fee))
        for r, amount in moving_demand(pc, track, o).items():
            if amount > 0:
                wave.demand[r].append((var, amount))
    return wave


def _class_wave(m: RoadmapModel, track: Track, t: int) -> Wave:
    """The wave at t > its first period of a unit moving at most once: its moves y[t,u,p]
    (the increases off its current place, by its path rows)."""
    wave = Wave()
    home = track.current
    if home is None:
        return wave
    pc = m.periods[t]
    unit = m.units[t][track.id]
    move_cost = _member_move_cost(m, track, t)
    demand = whole_demand(pc, track)
    places = {o.place_id for o in unit.options} | {
        o.place_id for o in m.units[t - 1][track.id].options
    }
    for p in sorted(places - {home}):
        move = m.moves.get((t, track.id, p))
        if move is None:
            continue
        diff: list[Term] = [(move, 1.0)]
        wave.moved.extend(diff)
        wave.moves.extend(diff)
        wave.one_off.extend((v, k * move_cost) for v, k in diff if move_cost > 0)
        for r, amount in demand.items():
            if amount > 0:
                wave.demand[r].extend((v, k * amount) for v, k in diff)
    member = track.members[0]
    if member.exit_fee_eur > 0 and fee_due(member.contract_ends_on, pc.period.start):
        for tt, k in ((t - 1, 1.0), (t, -1.0)):
            if (tt, track.id, home) in m.x:
                wave.one_off.append((m.x[tt, track.id, home], k * member.exit_fee_eur))
    return wave


def _member_move_cost(m: RoadmapModel, track: Track, t: int) -> float:
    """The one-off cost of moving one unit of the placement (every member of a group)."""
    workloads = m.periods[t].cands.workloads
    members = track.members[:1] if track.kind == "class" else track.members
    return sum(workloads[mb.id].move_cost_eur for mb in members)


def _unit_wave(m: RoadmapModel, track: Track, t: int) -> Wave:
    """A workload's or group's wave at t > its first period: its arrival variables."""
    wave = Wave()
    pc = m.periods[t]
    unit = m.units[t][track.id]
    move_cost = _member_move_cost(m, track, t)
    demand = whole_demand(pc, track)
    for o in options_by_place(unit):
        a = m.problem.add_variable(f"a_{t}_{len(m.arrive)}", 0, 1)
        m.arrive[t, track.id, o.place_id] = a
        terms: list[Term] = [(a, -1.0), (m.x[t, track.id, o.place_id], 1.0)]
        if (t - 1, track.id, o.place_id) in m.x:
            terms.append((m.x[t - 1, track.id, o.place_id], -1.0))
        _add(m, f"arrive_{t}_{len(m.arrive)}", terms, 0.0)
        wave.moved.append((a, float(track.size)))
        wave.moves.append((a, 1.0))
        if move_cost > 0:
            wave.one_off.append((a, move_cost))
        for r, amount in demand.items():
            if amount > 0:
                wave.demand[r].append((a, amount))
    fees: dict[str, float] = defaultdict(float)
    for mb in track.members:
        due = fee_due(mb.contract_ends_on, pc.period.start)
        if mb.current is not None and mb.exit_fee_eur > 0 and due:
            fees[mb.current] += mb.exit_fee_eur
    for home, fee in sorted(fees.items()):
        if (t - 1, track.id, home) not in m.x:
            continue
        leave = m.problem.add_variable(f"l_{t}_{len(m.leave)}", 0, 1)
        m.leave[t, track.id, home] = leave
        terms = [(leave, -1.0), (m.x[t - 1, track.id, home], 1.0)]
        if (t, track.id, home) in m.x:
            terms.append((m.x[t, track.id, home], -1.0))
        _add(m, f"leave_{t}_{len(m.leave)}", terms, 0.0)
        wave.one_off.append((leave, fee))
    return wave


def _paths(m: RoadmapModel, track: Track) -> None:
    """Members move at most once: off their current place, never back (a unit without a
    current place stays where it is first placed). The path formulation: after its first
    period a unit's placement is continuous, x[t,u,p] = x[t-1,u,p] + y[t,u,p] with y >= 0
    the (whole) members moving to p in t, and every move of the horizon in one row,
    sum_{p,t} y[t,u,p] + sum_{p != c} x[first,u,p] <= count (a clique HiGHS reads)."""
    home = track.current
    clique: list[Term] = []
    if home is not None:
        clique = [
            (var, 1.0)
            for (t, uid, p), var in _unit_x(m, track, track.first).items()
            if t == track.first and uid == track.id and p != home
        ]
    for prev, t in zip(track.periods, track.periods[1:], strict=False):
        places = {o.place_id for o in m.units[t][track.id].options} | {
            o.place_id for o in m.units[prev][track.id].options
        }
        for p in sorted(places):
            now = m.x.get((t, track.id, p))
            if now is not None:
                now.cat = pulp.LpContinuous
            before = m.x.get((prev, track.id, p))
            if p == home:
                continue
            if now is None:
                if before is not None:  # p is left out at t: never there before either
                    _add(m, f"once_{t}_{track.id}_{p}", [(before, 1.0)], 0.0)
                continue
            terms: list[Term] = [(now, 1.0)]
            if before is not None:
                terms.append((before, -1.0))
            if home is not None:
                move = m.problem.add_variable(
                    f"mv_{t}_{len(m.moves)}",
                    0,
                    track.count,
                    cat=pulp.LpBinary if track.count == 1 else pulp.LpInteger,
                )
                m.moves[t, track.id, p] = move
                terms.append((move, -1.0))
                clique.append((move, 1.0))
            m.problem.addConstraint(
                pulp.LpConstraint(expr(terms), pulp.LpConstraintEQ, f"path_{t}_{track.id}_{p}", 0)
            )
    if len(clique) > 1:
        _add(m, f"once_{track.id}", clique, float(track.count))
    _path_expressions(m, track)


def _path_expressions(m: RoadmapModel, track: Track) -> None:
    """`m.path_of` for the unit's placements after its first period, each by the period
    before it: x[t,u,p] for p != c is x[t-1,u,p] (where p was an option then) plus its move
    to p at t; x[t,u,c] is count minus the others at t (so x[t,u,p] is x[first,u,p] plus its
    moves to p up to t, unfolded by `_on_paths`)."""
    home = track.current
    for prev, t in zip(track.periods, track.periods[1:], strict=False):
        others: list[Term] = []
        for o in options_by_place(m.units[t][track.id]):
            p = o.place_id
            if p == home:
                continue
            before = m.x.get((prev, track.id, p))
            move = m.moves.get((t, track.id, p))
            terms = [(v, 1.0) for v in (before, move) if v is not None]
            now = m.x[t, track.id, p]
            m.path_of[now] = (terms, 0.0)
            others.append((now, -1.0))
        if home is not None and (t, track.id, home) in m.x:
            m.path_of[m.x[t, track.id, home]] = (others, float(track.count))


def _unit_x(m: RoadmapModel, track: Track, t: int) -> dict[tuple[int, str, str], pulp.LpVariable]:
    unit = m.units[t][track.id]
    return {(t, track.id, o.place_id): m.x[t, track.id, o.place_id] for o in unit.options}


def moves_once(track: Track, max_moves_per_workload: int) -> bool:
    """A unit whose members move at most once, by monotone rows: a class always, a workload
    when it may move at most once (the tighter formulation: no arrival variables)."""
    return track.kind == "class" or (track.kind == "workload" and max_moves_per_workload <= 1)


def waves_of(m: RoadmapModel, max_moves_per_workload: int) -> dict[tuple[int, str], Wave]:
    """Each unit's wave in each period it runs in (variables and rows added on the way)."""
    out: dict[tuple[int, str], Wave] = {}
    for track in m.tracks.values():
        once = moves_once(track, max_moves_per_workload)
        if once:
            _paths(m, track)
        for t in track.periods:
            if t == 0:
                out[t, track.id] = _first_wave(m, track, m.units[0][track.id])
            elif t == track.first:
                out[t, track.id] = Wave()  # arrives: placed, not moved
            elif once:
                out[t, track.id] = _class_wave(m, track, t)
            else:
                out[t, track.id] = _unit_wave(m, track, t)
    return out


def amortisation(m: RoadmapModel, horizon_months: int, rate_pct: float) -> list[float]:
    """A_t per period: the weight of a one-off euro spent in t's wave, amortised over
    `horizon_months` from t's start and discounted (see the module's docstring)."""
    out = []
    for pc in m.periods:
        start = pc.period.months_from_start
        weight = 0.0
        for later in m.periods[pc.period.index :]:
            offset = later.period.months_from_start - start
            months = min(later.period.months, max(0, horizon_months - offset))
            weight += discount_factor(later.period, rate_pct) * months / horizon_months
        out.append(weight)
    return out


def _objective(m: RoadmapModel, inputs: Inputs, waves: dict[tuple[int, str], Wave]) -> None:
    roadmap = inputs.scenario.roadmap
    rate = 0.0 if roadmap is None else roadmap.discount_rate_pct
    horizon = inputs.scenario.objective.horizon_months
    amortised = amortisation(m, inputs.scenario.objective.horizon_months, rate)
    terms: list[Term] = []
    for t in range(len(m.periods)):
        terms.extend(running_terms(m, inputs, t))
        for (tt, _uid), wave in waves.items():
            if tt == t:
                terms.extend((v, amortised[t] * k) for v, k in wave.one_off)
                tiebreak = MOVE_TIEBREAK_EUR_MONTH * horizon * amortised[t]
                m.tiebreak.extend((v, tiebreak * k) for v, k in wave.moved)
    terms.extend(m.tiebreak)
    m.problem.setObjective(_on_paths(m, terms))


def running_terms(m: RoadmapModel, inputs: Inputs, t: int) -> list[Term]:
    """Period t's running costs in the objective: D_t * L_t * (sum w_p run[t,u,p] x + sum
    cost_month[b] K + sum w_p fixed y), on the period's own placements (not yet on paths)."""
    pct = inputs.scenario.objective.internal_preference_pct
    roadmap = inputs.scenario.roadmap
    rate = 0.0 if roadmap is None else roadmap.discount_rate_pct
    pc = m.periods[t]
    factor = discount_factor(pc.period, rate) * float(pc.period.months)
    ev = Evaluator(pc.cands)
    terms: list[Term] = []
    for unit, o in ev.options():
        cost = place_weight(ev.places[o.place_id], pct) * o.run_cost_eur_month
        terms.append((m.x[t, unit.id, o.place_id], factor * cost))
    for place in ev.contracts():
        fixed = place_weight(place, pct) * place.fixed_cost_eur_month
        terms.append((m.y[t, place.id], factor * fixed))
    for site_id, block in ev.blocks():
        terms.append((m.usable[t, site_id, block.id], factor * block.cost_eur_month))
    return terms


def _on_paths(m: RoadmapModel, terms: list[Term]) -> pulp.LpAffineExpression:
    """The objective with each continuous placement of the path formulation replaced by what
    it equals (`m.path_of`): the same value on every feasible point, its costs on the
    integer decisions, where HiGHS's objective propagation reads them. Each placement is
    defined by earlier ones (`_path_expressions`), so its coefficient is handed down to them
    latest first: linear in the horizon where unfolding each path was quadratic."""
    coefficient: dict[pulp.LpVariable, float] = defaultdict(float)
    for var, k in terms:
        coefficient[var] += k
    constant = 0.0
    for var in reversed(m.path_of):
        k = coefficient.pop(var, 0.0)
        if k == 0.0:
            continue
        defined, offset = m.path_of[var]
        constant += k * offset
        for v, weight in defined:
            coefficient[v] += k * weight
    objective = expr(coefficient.items())
    objective.constant += constant
    return objective


def build_roadmap_model(
    inputs: Inputs,
    periods: tuple[PeriodCandidates, ...],
    *,
    share_reference_eur: dict[int, float] | None = None,
    elastic: bool = False,
) -> RoadmapModel:
    """The roadmap MILP (see the module's docstring). Each unit's wave expressions are the
    build's own: in rows and objective once built, and not kept (a large roadmap's
    millions of terms: docs/benchmarks.md, section 12).

    The share caps are rows only with `share_reference_eur` (period index -> the monthly spend
    of that period in the plan made without them). `elastic`: each wave, horizon and budget
    row gets a slack, and the objective is their sum relative to each row's limit (the
    diagnosis of a roadmap without a plan)."""
    from planner.optimise.roadmap.waves import add_wave_rules

    m = RoadmapModel(
        pulp.LpProblem("roadmap", pulp.LpMinimize),
        periods,
        tracks_of(periods),
        [{u.id: u for u in pc.cands.units} for pc in periods],
        elastic=elastic,
    )
    _define(m)
    _blocks(m)
    _period_rows(m, inputs, share_reference_eur)
    roadmap = inputs.scenario.roadmap
    waves = waves_of(m, 1 if roadmap is None else roadmap.waves.max_moves_per_workload)
    add_wave_rules(m, inputs, waves)
    _objective(m, inputs, waves)
    m.path_of = {}
    if elastic:
        m.problem.setObjective(
            expr([(slack, 1.0 / max(1.0, abs(rhs))) for slack, rhs in m.slacks.values()])
        )
        m.tiebreak = []
    return m


def spend_terms(m: RoadmapModel, t: int) -> list[Term]:
    """Period t's monthly spend (real costs, blocks amortised) on the model's variables."""
    view = m.view(t)
    ev = Evaluator(m.periods[t].cands)
    return [term for terms in ev.spend_coefficients().values() for term in view.terms(terms)]


def period_spend_eur_month(m: RoadmapModel, solved: object) -> dict[int, float]:
    """Each period's monthly spend (real costs) in a solved roadmap: the share caps'
    denominators."""
    from planner.optimise.roadmap.solve import RoadmapResult

    assert isinstance(solved, RoadmapResult)
    out = {}
    for t in range(len(m.periods)):
        ev = Evaluator(m.periods[t].cands)
        decision = Decision(solved.period_x(t), solved.period_k(t), solved.period_y(t))
        out[t] = ev.evaluate(decision).total_eur_month
    return out


def option_of(m: RoadmapModel, t: int, unit_id: str, place_id: str) -> Option:
    return next(o for o in m.units[t][unit_id].options if o.place_id == place_id)
