"""The roadmap's own rows: wave rules per period, limits over the horizon, yearly budgets.

  moves per period:          sum_u moved[t,u] <= N            (waves.max_moves)
  demand moved per period:   sum_u moved_demand[t,u,r] <= R_r (waves.max_moved)
  freeze:                    sum_u moved[t,u] <= 0            (waves.freeze)
  not before / not after:    moved[t,u] <= 0 for a period starting outside the dates
  anti-affinity:             sum_{u in g} moves[t,u] <= 1     (replicas move in different waves)
  moves per workload:        sum_t moves[t,u] <= K            (a class: once each, by its rows)
  whole horizon:             sum_t moved <= caps.max_moves
                             sum_t one_off <= caps.migration_budget_eur
  yearly budgets:            opex[Y] = sum_t months of t in Y * (run + contracts + blocks' opex)
                             capex[Y] = sum of the purchase price of blocks ordered in Y
                             migration[Y] = one-off moves and exit fees of waves starting in Y
An affinity group is one unit, so it moves in one wave by construction.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from planner.candidates.evaluate import Evaluator
from planner.inputs.frozen import Inputs
from planner.inputs.schema import RESOURCES
from planner.optimise.model.terms import Term, add_le

if TYPE_CHECKING:
    from planner.optimise.roadmap.model import RoadmapModel, Wave
    from planner.optimise.roadmap.tracks import Track


@dataclass(frozen=True)
class RoadmapRow:
    """What one roadmap row is. `kind`: 'wave' | 'budget' | 'horizon'; `what`: its rule
    ('max_moves', 'max_moved', 'freeze', 'dates', 'per_workload', 'apart', 'opex', 'capex',
    'migration', or a cap's code); `subject`: the resource of 'max_moved', the group of
    'apart'; `where`: a wave's period index, a budget's year, None over the horizon."""

    kind: str
    what: str
    where: int | None
    subject: str | None = None


def moves_once(track: Track, k: int) -> bool:
    from planner.optimise.roadmap.model import moves_once as once

    return once(track, k)


def _row(m: RoadmapModel, name: str, row: RoadmapRow, terms: list[Term], rhs: float) -> None:
    """Add one roadmap row; in an elastic model (the diagnosis) with its own slack."""
    if m.elastic:
        slack = m.problem.add_variable(f"slack_{len(m.slacks)}", 0)
        m.slacks[name] = (slack, rhs)
        terms = [*terms, (slack, -1.0)]
    m.rows[add_le(m.problem, name, terms, rhs)] = row


def _period_rules(m: RoadmapModel, inputs: Inputs, waves: dict[tuple[int, str], Wave]) -> None:
    roadmap = inputs.scenario.roadmap
    assert roadmap is not None
    rules = roadmap.waves
    frozen = set(rules.freeze)
    for t, pc in enumerate(m.periods):
        moved = [term for (tt, _), w in sorted(waves.items()) if tt == t for term in w.moved]
        if not moved:
            continue
        if pc.period.name in frozen:
            _row(m, f"freeze_{t}", RoadmapRow("wave", "freeze", t), moved, 0.0)
        elif rules.max_moves is not None:
            _row(
                m,
                f"wave_moves_{t}",
                RoadmapRow("wave", "max_moves", t),
                moved,
                float(rules.max_moves),
            )
        for r in RESOURCES:
            limit = rules.max_moved.get(r)
            if limit is None or pc.period.name in frozen:
                continue
            terms = [
                term
                for (tt, _), w in sorted(waves.items())
                if tt == t
                for term in w.demand.get(r, [])
            ]
            if terms:
                _row(m, f"wave_moved_{t}_{r}", RoadmapRow("wave", "max_moved", t, r), terms, limit)


def _workload_rules(m: RoadmapModel, inputs: Inputs, waves: dict[tuple[int, str], Wave]) -> None:
    roadmap = inputs.scenario.roadmap
    assert roadmap is not None
    k = roadmap.waves.max_moves_per_workload
    base = {w.id: w for w in inputs.workloads}
    for track in m.tracks.values():
        first = base[track.members[0].id]
        for t in track.periods:
            wave = waves[t, track.id]
            start = m.periods[t].period.start
            early = first.not_before is not None and start < first.not_before
            late = first.not_after is not None and start > first.not_after
            if (early or late) and wave.moved:
                _row(m, f"dates_{t}_{track.id}", RoadmapRow("wave", "dates", t), wave.moved, 0.0)
        if moves_once(track, k):
            if k == 0:
                moved = [term for t in track.periods for term in waves[t, track.id].moved]
                if moved:
                    _row(
                        m, f"stay_{track.id}", RoadmapRow("wave", "per_workload", None), moved, 0.0
                    )
            continue
        moves = [term for t in track.periods for term in waves[t, track.id].moves]
        if moves and k < len(track.periods):
            _row(
                m,
                f"per_workload_{track.id}",
                RoadmapRow("wave", "per_workload", None),
                moves,
                float(k),
            )


def _anti_affinity(m: RoadmapModel, waves: dict[tuple[int, str], Wave]) -> None:
    groups: dict[str, set[str]] = defaultdict(set)
    for pc in m.periods:
        for group, units in pc.cands.anti_affinity.items():
            groups[group].update(units)
    for gi, (group, members) in enumerate(sorted(groups.items())):
        for t in range(len(m.periods)):
            moving = [u for u in sorted(members) if (t, u) in waves and waves[t, u].moves]
            if len(moving) > 1:
                terms = [term for u in moving for term in waves[t, u].moves]
                _row(m, f"apart_{t}_{gi}", RoadmapRow("wave", "apart", t, group), terms, 1.0)


def _horizon_caps(m: RoadmapModel, inputs: Inputs, waves: dict[tuple[int, str], Wave]) -> None:
    caps = inputs.scenario.caps
    if caps.max_moves is not None:
        terms = [term for _, w in sorted(waves.items()) for term in w.moved]
        _row(m, "cap_moves", RoadmapRow("horizon", "max_moves", None), terms, float(caps.max_moves))
    if caps.migration_budget_eur is not None:
        terms = [term for _, w in sorted(waves.items()) for term in w.one_off]
        _row(
            m,
            "cap_migration",
            RoadmapRow("horizon", "migration_budget", None),
            terms,
            caps.migration_budget_eur,
        )


def opex_terms(m: RoadmapModel, t: int) -> list[Term]:
    """Period t's monthly opex: run costs, contracts and the usable blocks' opex (their
    purchase price is capex, counted when ordered)."""
    pc = m.periods[t]
    ev = Evaluator(pc.cands)
    terms: list[Term] = []
    for unit, o in ev.options():
        terms.append((m.x[t, unit.id, o.place_id], o.run_cost_eur_month))
    for place in ev.contracts():
        terms.append((m.y[t, place.id], place.fixed_cost_eur_month))
    for site_id, block in ev.blocks():
        if block.opex_eur_month > 0:
            terms.append((m.usable[t, site_id, block.id], block.opex_eur_month))
    return terms


def capex_terms(m: RoadmapModel, t: int) -> list[Term]:
    """The purchase price of the blocks ordered in period t."""
    terms: list[Term] = []
    for (tau, site_id, block_id), var in sorted(m.ordered.items()):
        if tau == t:
            terms.append((var, Evaluator(m.periods[t].cands).block(site_id, block_id).capex_eur))
    return terms


def _budgets(m: RoadmapModel, inputs: Inputs, waves: dict[tuple[int, str], Wave]) -> None:
    roadmap = inputs.scenario.roadmap
    assert roadmap is not None
    for key, budget in sorted(roadmap.budgets.items()):
        year = int(key)
        if budget.opex_eur is not None:
            terms = [
                (v, k * pc.period.months_in_year(year))
                for t, pc in enumerate(m.periods)
                if pc.period.months_in_year(year) > 0
                for v, k in opex_terms(m, t)
            ]
            _row(m, f"opex_{year}", RoadmapRow("budget", "opex", year), terms, budget.opex_eur)
        starting = [t for t, pc in enumerate(m.periods) if pc.period.start.year == year]
        if budget.capex_eur is not None:
            terms = [term for t in starting for term in capex_terms(m, t)]
            _row(m, f"capex_{year}", RoadmapRow("budget", "capex", year), terms, budget.capex_eur)
        if budget.migration_eur is not None:
            terms = [
                term for (t, _), w in sorted(waves.items()) if t in starting for term in w.one_off
            ]
            _row(
                m,
                f"migration_{year}",
                RoadmapRow("budget", "migration", year),
                terms,
                budget.migration_eur,
            )


def add_wave_rules(m: RoadmapModel, inputs: Inputs, waves: dict[tuple[int, str], Wave]) -> None:
    """Every row of the module's docstring that the scenario sets."""
    if inputs.scenario.roadmap is not None:
        _period_rules(m, inputs, waves)
        _workload_rules(m, inputs, waves)
        _budgets(m, inputs, waves)
    _anti_affinity(m, waves)
    _horizon_caps(m, inputs, waves)
