"""One function per constraint family; the maths of each is in its docstring."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from planner.candidates.evaluate import Decision, Evaluator
from planner.candidates.units import Candidates
from planner.inputs.frozen import Inputs
from planner.inputs.schema import RESOURCES
from planner.optimise.model.order import by_id, options_by_place
from planner.optimise.model.terms import Term, add_eq, add_le

if TYPE_CHECKING:
    from planner.optimise.model.build import Model


def add_assignment(model: Model, cands: Candidates) -> None:
    """sum_p x[u,p] = count[u] for every unit u (each workload placed exactly once)."""
    for ui, unit in enumerate(cands.units):
        terms = [(model.x[unit.id, o.place_id], 1.0) for o in options_by_place(unit)]
        add_eq(model.problem, f"assign_{ui}", terms, float(unit.count))


def add_capacity(model: Model, cands: Candidates) -> None:
    """sum_u use[u,i,r]*x[u,i] <= cap[i,r]*(1-headroom[i]) + sum_b adds[b,r]*k[i,b].

    One row per internal site i and resource r that some unit uses there.
    """
    rows: dict[tuple[str, str], list[Term]] = defaultdict(list)
    internal = {p.id for p in cands.places if p.internal}
    for unit in cands.units:
        for o in options_by_place(unit):
            if o.place_id in internal:
                for r, amount in zip(RESOURCES, o.use, strict=True):
                    if amount > 0:
                        rows[o.place_id, r].append((model.x[unit.id, o.place_id], amount))
    for place in by_id(cands.places):
        site = place.site
        if site is None:
            continue
        for r in RESOURCES:
            terms = rows.get((site.id, r))
            if not terms:
                continue
            for block in sorted(site.expansion_blocks, key=lambda b: b.id):
                added = block.adds.get(r)
                if added > 0 and (site.id, block.id) in model.k:
                    terms.append((model.k[site.id, block.id], -added))
            name = f"cap_{site.id}_{r}"
            model.rows[f"capacity:{site.id}:{r}"] = add_le(model.problem, name, terms,
                                                           site.usable(r))


def add_quota(model: Model, cands: Candidates) -> None:
    """sum_u use[u,e,r]*x[u,e] <= quota[e,r] for every external offer e with a quota on r."""
    quotas = {p.id: p.offer.quota for p in cands.places if p.offer is not None}
    rows: dict[tuple[str, str], list[Term]] = defaultdict(list)
    for unit in cands.units:
        for o in options_by_place(unit):
            quota = quotas.get(o.place_id)
            if quota is None:
                continue
            for r, amount in zip(RESOURCES, o.use, strict=True):
                if amount > 0 and quota.get(r) is not None:
                    rows[o.place_id, r].append((model.x[unit.id, o.place_id], amount))
    for (place_id, r), terms in sorted(rows.items()):
        limit = quotas[place_id].get(r)
        assert limit is not None
        model.rows[f"quota:{place_id}:{r}"] = add_le(model.problem, f"quota_{place_id}_{r}",
                                                     terms, limit)


def add_activation(model: Model, cands: Candidates) -> None:
    """x[u,p] <= count[u]*y[p] for each pair on a place with a fixed monthly cost.

    The per-pair form is tighter than the aggregated sum_u x[u,p] <= N*y[p].
    """
    n = 0
    for unit in cands.units:
        for o in options_by_place(unit):
            y = model.y.get(o.place_id)
            if y is not None:
                add_le(model.problem, f"act_{n}", [(model.x[unit.id, o.place_id], 1.0),
                                                   (y, -float(unit.count))], 0.0)
                n += 1


def add_anti_affinity(model: Model, cands: Candidates) -> None:
    """sum_{u in g} x[u,p] <= 1 for every anti-affinity group g and place p."""
    units = {u.id: u for u in cands.units}
    for gi, (group, unit_ids) in enumerate(cands.anti_affinity.items()):
        by_place: dict[str, list[Term]] = defaultdict(list)
        for uid in sorted(unit_ids):
            for o in options_by_place(units[uid]):
                by_place[o.place_id].append((model.x[uid, o.place_id], 1.0))
        for place_id, terms in sorted(by_place.items()):
            if len(terms) > 1:
                add_le(model.problem, f"anti_{gi}_{place_id}", terms, 1.0)
        del group


def spend_terms(model: Model, cands: Candidates) -> dict[str, list[Term]]:
    """Monthly spend terms (real costs, no weights) by bucket: 'internal' and 'provider:<id>'
    (the evaluator's coefficients on the model's variables)."""
    return {bucket: model.terms(coefficients)
            for bucket, coefficients in Evaluator(cands).spend_coefficients().items()}


def spend_eur_month(cands: Candidates, decision: Decision) -> float:
    """Total monthly spend (real costs) of a decision, summed over the evaluator's terms."""
    return sum(coef * decision.value(var)
               for terms in Evaluator(cands).spend_coefficients().values()
               for var, coef in terms)


def has_share_caps(inputs: Inputs) -> bool:
    caps = inputs.scenario.caps
    return caps.max_outsourced_share_pct is not None or caps.max_provider_share_pct is not None


def add_caps(model: Model, cands: Candidates, inputs: Inputs,
             share_reference_eur: float | None = None) -> None:
    """Policy caps, each only when the scenario sets it.

    outsourced share:  sum_ext spend <= alpha * S
    provider share:    spend with provider q <= beta * S, for every q
    monthly budget:    total spend <= B
    migration budget:  sum move_cost[u,p]*x[u,p] <= M (one-off)
    maximum moves:     sum moves[u,p]*x[u,p] <= K

    S, the shares' denominator, is `share_reference_eur`: the monthly spend of the plan made
    without the share caps (the pipeline's first solve). It is a fixed figure, not the plan's
    own total: a share of its own total could be met by spending more elsewhere (keeping
    unrelated workloads on dearer places to dilute it). Without it the share caps are left out.
    """
    caps = inputs.scenario.caps
    buckets = spend_terms(model, cands)
    total = [t for terms in buckets.values() for t in terms]
    external = [t for name, terms in buckets.items() if name != "internal" for t in terms]
    if share_reference_eur is not None:
        _add_share_caps(model, inputs, buckets, external, share_reference_eur)
    if caps.monthly_budget_eur is not None:
        model.rows["cap:monthly_budget"] = add_le(model.problem, "cap_budget", total,
                                                  caps.monthly_budget_eur)
    moves = [(model.x[u.id, o.place_id], o) for u in cands.units for o in options_by_place(u)]
    if caps.migration_budget_eur is not None:
        terms = [(x, o.move_cost_eur) for x, o in moves if o.move_cost_eur > 0]
        model.rows["cap:migration_budget"] = add_le(model.problem, "cap_migration", terms,
                                                    caps.migration_budget_eur)
    if caps.max_moves is not None:
        terms = [(x, float(o.moves)) for x, o in moves if o.moves > 0]
        model.rows["cap:max_moves"] = add_le(model.problem, "cap_moves", terms,
                                             float(caps.max_moves))


def _add_share_caps(model: Model, inputs: Inputs, buckets: dict[str, list[Term]],
                    external: list[Term], reference_eur: float) -> None:
    caps = inputs.scenario.caps
    if caps.max_outsourced_share_pct is not None:
        limit = caps.max_outsourced_share_pct / 100.0 * reference_eur
        model.rows["cap:outsourced_share"] = add_le(model.problem, "cap_outsourced", external,
                                                    limit)
    if caps.max_provider_share_pct is not None:
        limit = caps.max_provider_share_pct / 100.0 * reference_eur
        for name, own in sorted(buckets.items()):
            if name == "internal":
                continue
            provider = name.split(":", 1)[1]
            model.rows[f"cap:provider_share:{provider}"] = add_le(
                model.problem, f"cap_provider_{provider}", own, limit)
