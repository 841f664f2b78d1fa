"""One function per constraint family; the maths of each is in its docstring."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from planner.candidates.commitments import SPEND, pool_flavour, pool_use
from planner.candidates.evaluate import Decision, Evaluator
from planner.candidates.units import Candidates
from planner.inputs.frozen import Inputs
from planner.inputs.schema import RESOURCES
from planner.optimise.caps import CapContext, cap_rows
from planner.optimise.model.order import by_id, options_by_place
from planner.optimise.model.terms import Term, add_eq, add_le
from planner.optimise.rows import capacity_key, quota_key

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
            model.rows[capacity_key(site.id, r)] = add_le(
                model.problem, name, terms, site.usable(r)
            )


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
        model.rows[quota_key(place_id, r)] = add_le(
            model.problem, f"quota_{place_id}_{r}", terms, limit
        )


def add_activation(model: Model, cands: Candidates) -> None:
    """x[u,p] <= count[u]*y[p] for each pair on a place with a fixed monthly cost.

    The per-pair form is tighter than the aggregated sum_u x[u,p] <= N*y[p].
    """
    n = 0
    for unit in cands.units:
        for o in options_by_place(unit):
            y = model.y.get(o.place_id)
            if y is not None:
                add_le(
                    model.problem,
                    f"act_{n}",
                    [(model.x[unit.id, o.place_id], 1.0), (y, -float(unit.count))],
                    0.0,
                )
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


def add_commitments(model: Model, cands: Candidates) -> None:
    """What commitments cover, on each offer o with a term the scenario may buy
    (planner/candidates/commitments.py):

        v[o,f] <= sum_u n_f[u,o]*x[u,o]                      (instances of flavour f used)
        v[o,f] <= sum_{t of f} c[o,t]                        (instances committed)
        v[o,s] + sum_f od_f*v[o,f] <= sum_u compute[u,o]*x[u,o]   (compute spend used)
        v[o,s] <= sum_{t spend} c[o,t]                       (spend committed)

    n_f[u,o] is how many members of u run flavour f on o, compute[u,o] their on-demand compute
    spend, od_f the flavour's on-demand price. The objective and the spend buckets pay c and
    save what v covers, so v is at its largest: min(use, commitment), with an instance
    covered once. Rows are named `commit_use_*` and `commit_cover_*`; they never make a model
    infeasible (c = v = 0 always meets them).
    """
    evaluator = Evaluator(cands)
    if not evaluator.terms:
        return
    offers = {t.offer_id for t in evaluator.terms}
    compute: dict[str, list[Term]] = defaultdict(list)
    instances: dict[tuple[str, str], list[Term]] = defaultdict(list)
    for unit in cands.units:
        for o in options_by_place(unit):
            if o.place_id not in offers:
                continue
            var = model.x[unit.id, o.place_id]
            use = pool_use(unit.kind, o.member_compute_eur_month, o.member_flavour)
            if use.compute_eur_month > 0:
                compute[o.place_id].append((var, use.compute_eur_month))
            for flavour, count in use.instances:
                instances[o.place_id, flavour].append((var, float(count)))
    committed: dict[tuple[str, str], list[Term]] = defaultdict(list)
    for term in evaluator.terms:
        committed[term.offer_id, term.pool].append((model.c[term.offer_id, term.key], -1.0))
    reserved: dict[str, list[Term]] = defaultdict(list)
    for n, (offer_id, pool, _provider, value) in enumerate(evaluator.pools()):
        v = model.v[offer_id, pool]
        add_le(model.problem, f"commit_cover_{n}", [(v, 1.0), *committed[offer_id, pool]], 0.0)
        if pool == SPEND:
            continue
        name = str(pool_flavour(pool))
        used = [(var, -coef) for var, coef in instances.get((offer_id, name), [])]
        add_le(model.problem, f"commit_use_{n}", [(v, 1.0), *used], 0.0)
        reserved[offer_id].append((v, value))
    for n, (offer_id, pool, _provider, _value) in enumerate(evaluator.pools()):
        if pool != SPEND:
            continue
        used = [(var, -coef) for var, coef in compute.get(offer_id, [])]
        add_le(
            model.problem,
            f"commit_use_{n}",
            [(model.v[offer_id, pool], 1.0), *reserved[offer_id], *used],
            0.0,
        )


def spend_terms(model: Model, cands: Candidates) -> dict[str, list[Term]]:
    """Monthly spend terms (real costs, no weights) by bucket: 'internal' and 'provider:<id>'
    (the evaluator's coefficients on the model's variables)."""
    return {
        bucket: model.terms(coefficients)
        for bucket, coefficients in Evaluator(cands).spend_coefficients().items()
    }


def spend_eur_month(cands: Candidates, decision: Decision) -> float:
    """Total monthly spend (real costs) of a decision, summed over the evaluator's terms."""
    return sum(
        coef * decision.value(var)
        for terms in Evaluator(cands).spend_coefficients().values()
        for var, coef in terms
    )


def has_share_caps(inputs: Inputs) -> bool:
    caps = inputs.scenario.caps
    return caps.max_outsourced_share_pct is not None or caps.max_provider_share_pct is not None


def add_caps(
    model: Model, cands: Candidates, inputs: Inputs, share_reference_eur: float | None = None
) -> None:
    """Policy caps, each only when the scenario sets it: each cap object of
    `planner.optimise.caps` builds its rows (their maths is in its module's docstring).

    `share_reference_eur` is the share caps' denominator, the monthly spend of the plan made
    without them (the pipeline's first solve); without it the share caps are left out.
    """
    ctx = CapContext(inputs, cands, Evaluator(cands), share_reference_eur)
    for _, row in cap_rows(ctx):
        model.rows[row.key] = add_le(model.problem, row.name, model.terms(row.terms), row.rhs)
