"""One evaluator of a plan's spend, loads and limits.

A decision gives x[u,p] (how many of unit u's members go to place p), k[i,b] (expansion blocks
b built at site i), y[p] (place p with a fixed monthly cost opened), and, where the scenario
buys commitments, c[o,t] (units of commitment term t bought on offer o) with v[o,q] (what
they cover of pool q of offer o: planner/candidates/commitments.py). This module says what
one unit of each adds to the monthly spend of each bucket ('internal', 'provider:<id>'), to the
moves, the one-off migration cost and the load of each (place, resource); and what each place
can hold. The model's terms, extraction, reasons, shadow prices and diagnosis all read these
figures here, so they cannot drift apart. Real costs only: the in-house preference weighs the
objective (`objective_eur_month`), never a bucket.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, NamedTuple

from planner.candidates.commitments import OfferBill, Term, bill, buyable_terms
from planner.candidates.places import Place
from planner.inputs.schema import RESOURCES, Amounts, ExpansionBlock

if TYPE_CHECKING:
    from planner.candidates.units import Candidates, Option, Unit

INTERNAL = "internal"


class Var(NamedTuple):
    """One decision: ('x', unit, place), ('k', site, block), ('y', place, ''), ('c', offer,
    term key) or ('v', offer, pool)."""

    kind: Literal["x", "k", "y", "c", "v"]
    a: str
    b: str = ""


def bucket_of(place: Place) -> str:
    """The spend bucket of a place: 'internal' or 'provider:<id>'."""
    return INTERNAL if place.internal else f"provider:{place.provider_id}"


def preference_weight(internal_preference_pct: float) -> float:
    """Weight on external costs so an external place wins only if > pct % cheaper.

    An external cost e beats an internal cost i when e < (1 - pct/100) * i, that is when
    e / (1 - pct/100) < i: external costs are weighted by 1 / (1 - pct/100) in the objective.
    """
    return 1.0 / (1.0 - internal_preference_pct / 100.0)


def place_weight(place: Place, internal_preference_pct: float) -> float:
    """The objective's weight on a place's run and fixed costs (1 on internal sites)."""
    return 1.0 if place.internal else preference_weight(internal_preference_pct)


def objective_eur_month(
    place: Place, option: Option, internal_preference_pct: float, horizon_months: int
) -> float:
    """What one unit of x[u,p] adds to the objective: weighted run cost + amortised move."""
    return (
        place_weight(place, internal_preference_pct) * option.run_cost_eur_month
        + option.move_cost_eur / horizon_months
    )


def place_limit(
    place: Place, resource: str, built: Mapping[str, float] | None = None
) -> float | None:
    """What a place can hold of a resource: a site's usable capacity plus its built blocks
    (`built`: block id -> count; None: every block at its maximum); an offer's quota (None:
    no quota, unbounded)."""
    if place.site is not None:
        site = place.site
        return site.usable(resource) + sum(
            b.adds.get(resource) * (b.max_blocks if built is None else built.get(b.id, 0.0))
            for b in site.expansion_blocks
        )
    assert place.offer is not None
    quota = place.offer.quota.get(resource)
    return None if quota is None else float(quota)


def max_capacity(place: Place) -> Amounts | None:
    """The most a place could ever hold of each resource (None: an offer without any quota;
    inf for a resource it has no quota on)."""
    limits = {r: place_limit(place, r) for r in RESOURCES}
    if place.site is None and all(v is None for v in limits.values()):
        return None
    return Amounts.of(lambda r: float("inf") if (v := limits[r]) is None else v)


@dataclass(frozen=True)
class Decision:
    """Values of the decisions: x per (unit, place), k per (site, block), y per place, c per
    (offer, term key) and v per (offer, pool) (`Evaluator.decision` fills v from x and c)."""

    x: Mapping[tuple[str, str], float]
    k: Mapping[tuple[str, str], float] = field(default_factory=dict)
    y: Mapping[str, float] = field(default_factory=dict)
    c: Mapping[tuple[str, str], float] = field(default_factory=dict)
    v: Mapping[tuple[str, str], float] = field(default_factory=dict)

    def value(self, var: Var) -> float:
        if var.kind == "x":
            return self.x.get((var.a, var.b), 0.0)
        if var.kind == "k":
            return self.k.get((var.a, var.b), 0.0)
        if var.kind == "c":
            return self.c.get((var.a, var.b), 0.0)
        if var.kind == "v":
            return self.v.get((var.a, var.b), 0.0)
        return self.y.get(var.a, 0.0)


@dataclass(frozen=True)
class Evaluation:
    """A decision's spend by bucket, moves, one-off migration cost and loads."""

    spend: dict[str, float]  # EUR / month by bucket (placements, contracts, blocks)
    moves: float
    migration_eur: float
    load: dict[str, list[float]]  # place -> use of each resource (RESOURCES order)
    # per offer with commitments bought: its compute bill with them (counted in `spend`)
    commitments: tuple[OfferBill, ...] = ()

    @property
    def total_eur_month(self) -> float:
        return sum(self.spend.values())

    @property
    def external_eur_month(self) -> float:
        return self.total_eur_month - self.spend.get(INTERNAL, 0.0)

    def used(self, place_id: str, resource: str) -> float:
        return self.load.get(place_id, [0.0] * len(RESOURCES))[RESOURCES.index(resource)]


class Evaluator:
    """Coefficients and values of spend, moves and loads for one set of candidates."""

    def __init__(self, cands: Candidates) -> None:
        self.cands = cands
        self.places = {p.id: p for p in cands.places}
        self.terms: list[Term] = buyable_terms(cands)

    def bucket(self, place_id: str) -> str:
        return bucket_of(self.places[place_id])

    def block(self, site_id: str, block_id: str) -> ExpansionBlock:
        site = self.places[site_id].site
        assert site is not None
        return next(b for b in site.expansion_blocks if b.id == block_id)

    # -- coefficients: what one unit of a decision adds ------------------------------------

    def options(self) -> list[tuple[Unit, Option]]:
        """Every (unit, option) pair, units in candidate order, options in place id order."""
        return [
            (u, o) for u in self.cands.units for o in sorted(u.options, key=lambda o: o.place_id)
        ]

    def blocks(self) -> list[tuple[str, ExpansionBlock]]:
        """Every buildable (site id, block), sites and blocks in id order."""
        return [
            (p.id, b)
            for p in sorted(self.cands.places, key=lambda p: p.id)
            if p.site is not None
            for b in sorted(p.site.expansion_blocks, key=lambda b: b.id)
            if b.max_blocks > 0
        ]

    def contracts(self) -> list[Place]:
        """Every place with a fixed monthly cost, in id order."""
        return [
            p for p in sorted(self.cands.places, key=lambda p: p.id) if p.fixed_cost_eur_month > 0
        ]

    def spend_coefficients(self) -> dict[str, list[tuple[Var, float]]]:
        """Monthly spend (real costs) per unit of each decision, by bucket: placements, then
        contracts, then blocks."""
        buckets: dict[str, list[tuple[Var, float]]] = defaultdict(list)
        for unit, o in self.options():
            buckets[self.bucket(o.place_id)].append(
                (Var("x", unit.id, o.place_id), o.run_cost_eur_month)
            )
        for place in self.contracts():
            buckets[bucket_of(place)].append((Var("y", place.id), place.fixed_cost_eur_month))
        for site_id, block in self.blocks():
            buckets[INTERNAL].append((Var("k", site_id, block.id), block.cost_eur_month))
        for term in self.terms:  # commitments: paid whether used or not ...
            bucket = f"provider:{term.provider_id}"
            buckets[bucket].append((Var("c", term.offer_id, term.key), term.price_eur_month))
        for offer_id, pool, provider_id, value in self.pools():  # ... what they cover is not
            buckets[f"provider:{provider_id}"].append((Var("v", offer_id, pool), -value))
        return dict(buckets)

    def pools(self) -> list[tuple[str, str, str, float]]:
        """(offer, pool, provider, on-demand value of one unit covered) for every pool some
        buyable term covers, offers in id order, then pools."""
        seen: dict[tuple[str, str], tuple[str, float]] = {}
        for term in self.terms:
            seen.setdefault((term.offer_id, term.pool), (term.provider_id, term.covers_eur_month))
        return [(o, q, p, value) for (o, q), (p, value) in sorted(seen.items())]

    def decision(
        self,
        x: Mapping[tuple[str, str], float],
        k: Mapping[tuple[str, str], float] | None = None,
        y: Mapping[str, float] | None = None,
        c: Mapping[tuple[str, str], float] | None = None,
    ) -> Decision:
        """A decision with what its commitments cover (v) worked out from x and c."""
        c = c or {}
        v = {
            (b.offer_id, pool): amount
            for b in bill(self.cands, x, c, self.terms)
            for pool, amount in b.pools
        }
        return Decision(x, k or {}, y or {}, c, v)

    def workload_spend(self, unit: Unit, option: Option) -> list[tuple[str, float]]:
        """(workload id, monthly run cost) that one unit of x[u,p] adds per member: each
        member of a group, the first one standing for the member placed of a class."""
        members = unit.members[:1] if unit.kind == "class" else unit.members
        return list(zip(members, option.member_costs_eur_month, strict=True))

    def move_coefficients(self) -> list[tuple[Var, Option]]:
        """Each placement decision with its option (moves and one-off move cost per unit)."""
        return [(Var("x", u.id, o.place_id), o) for u, o in self.options()]

    # -- values of a decision --------------------------------------------------------------

    def evaluate(self, decision: Decision) -> Evaluation:
        """Spend by bucket, moves, migration cost and loads of a decision."""
        spend: dict[str, float] = defaultdict(float)
        load: dict[str, list[float]] = defaultdict(lambda: [0.0] * len(RESOURCES))
        moves = migration = 0.0
        for unit in self.cands.units:
            for o in unit.options:
                n = decision.x.get((unit.id, o.place_id), 0.0)
                if n <= 0:
                    continue
                for i, amount in enumerate(o.use):
                    load[o.place_id][i] += n * amount
                spend[self.bucket(o.place_id)] += n * o.run_cost_eur_month
                moves += n * o.moves
                migration += n * o.move_cost_eur
        for place_id, y in decision.y.items():
            if y > 0:
                spend[self.bucket(place_id)] += self.places[place_id].fixed_cost_eur_month
        for (site_id, block_id), k in decision.k.items():
            spend[INTERNAL] += k * self.block(site_id, block_id).cost_eur_month
        bills = tuple(bill(self.cands, decision.x, decision.c, self.terms)) if decision.c else ()
        for b in bills:  # committed spend, used or not, less the on-demand spend it covers
            spend[b.bucket] += b.committed_eur_month - b.covered_eur_month
        return Evaluation(dict(spend), moves, migration, load, bills)

    def limit(self, place_id: str, resource: str, decision: Decision | None = None) -> float | None:
        """A place's capacity for a resource with the decision's blocks built (None: with
        every block at its maximum); None for an offer without a quota on it."""
        built = (
            None
            if decision is None
            else {b: n for (s, b), n in decision.k.items() if s == place_id}
        )
        return place_limit(self.places[place_id], resource, built)


def today_run_costs_eur_month(cands: Candidates, sized: bool) -> dict[str, float]:
    """Each workload's monthly run cost on its current place: as provisioned (what it costs
    today), or at its sized demand (`sized`: today's placements with the demand the model
    plans; the same figures when the scenario sizes nothing)."""
    pricing = cands.sized_current_pricing if sized and cands.sizing else cands.current_pricing
    return {wid: p.run_cost_eur_month for wid, p in sorted(pricing.items())}
