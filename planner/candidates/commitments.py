"""Commitments an offer sells (savings plans, reserved instances) and the bill they make.

A *term* is one commitment that may be bought: `c` units of it cost `price * c` a month whether
used or not. A *pool* is what terms cover on one offer: its compute spend (`spend` terms, in
on-demand euros: one unit covers one on-demand euro a month) or its instances of one flavour
(`instances` terms: one unit covers one instance of that flavour). Use above what is committed
is paid on demand.

On offer o, with on-demand compute spend C (the flavours or vCPU/RAM/GPU unit prices of its
workloads; storage, egress and per-site overrides are never covered), N_f instances of
flavour f (on-demand price p_f), the covered amounts are

    v_f <= N_f,  v_f <= sum_t c_t  (instance terms t of f)
    v_s + sum_f p_f * v_f <= C,  v_s <= sum_t c_t  (spend terms t)

and the offer's monthly bill is its on-demand bill + sum_t price_t * c_t - v_s - sum_f p_f v_f.
An instance covered by a reserved instance is not covered again by a savings plan. For given
placements and commitments the bill takes the largest covered amounts (`bill`); the model's
rows (planner.optimise.model.constraints.add_commitments) reach the same at its optimum.

A term of T months against the scenario's horizon H: its monthly price is paid for the whole
horizon (a term shorter than H is taken as renewed at the same price, the plan's load being the
same all along). A term longer than H is used for the H months inside the horizon only: what
it still commits after the horizon, price * (T - H) per unit, times the share its early-exit
rule makes one owe on leaving (all of it for `owed`, `fee_pct` for `fee`), is a one-off cost of
the decision, amortised over H in the objective as one-off move costs are (`tail_eur`). The
monthly bill does not include it; the plan reports it as owed beyond the horizon.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from planner.candidates.places import Place
from planner.inputs.schema import CommitmentTerm

if TYPE_CHECKING:
    from planner.candidates.units import Candidates

SPEND = "spend"  # the pool of an offer's compute spend (savings plans)


def flavour_pool(flavour: str) -> str:
    """The pool of an offer's instances of one flavour (reserved instances)."""
    return f"flavour:{flavour}"


def pool_flavour(pool: str) -> str | None:
    """The flavour of an instance pool (None: the spend pool)."""
    return None if pool == SPEND else pool.split(":", 1)[1]


@dataclass(frozen=True)
class Term:
    """One commitment that may be bought on an offer."""

    offer_id: str
    provider_id: str
    index: int  # its position in the offer's `commitments`
    term_months: int
    unit: str  # "spend" | "instances"
    flavour: str | None  # the flavour of an instance term
    price_eur_month: float  # what one unit costs a month, used or not
    covers_eur_month: float  # the on-demand value of what one unit covers
    owed_share: float  # share of the rest of the term owed on leaving early (0 to 1)
    early_exit: str  # "owed" | "fee"
    source: str
    source_date: str

    @property
    def key(self) -> str:
        """Its id among the offer's terms: '12m:spend', '36m:instances:b3-8'."""
        base = f"{self.term_months}m:{self.unit}"
        return base if self.flavour is None else f"{base}:{self.flavour}"

    @property
    def pool(self) -> str:
        return SPEND if self.flavour is None else flavour_pool(self.flavour)

    @property
    def integral(self) -> bool:
        """Instances are bought whole."""
        return self.flavour is not None

    @property
    def discount_pct(self) -> float:
        return 100.0 * (1.0 - self.price_eur_month / self.covers_eur_month)

    def months_beyond(self, months: int) -> int:
        """How many of its months lie beyond `months` from the plan's start."""
        return max(0, self.term_months - months)

    def tail_eur(self, horizon_months: int) -> float:
        """Per unit: what leaving at the horizon's end costs (see the module docstring)."""
        return self.owed_share * self.price_eur_month * self.months_beyond(horizon_months)

    def objective_eur_month(self, horizon_months: int) -> float:
        """Per unit, before the in-house preference weight: its price plus its tail amortised
        over the horizon."""
        return self.price_eur_month + self.tail_eur(horizon_months) / horizon_months


def _term(
    place: Place, i: int, term: CommitmentTerm, flavour: str | None, price: float, covers: float
) -> Term:
    return Term(
        offer_id=place.id,
        provider_id=place.provider_id or "",
        index=i,
        term_months=term.term_months,
        unit=term.unit,
        flavour=flavour,
        price_eur_month=price,
        covers_eur_month=covers,
        owed_share=term.early_exit.owed_share,
        early_exit=term.early_exit.rule,
        source=term.source,
        source_date=term.source_date.isoformat(),
    )


def offer_terms(place: Place) -> list[Term]:
    """The terms an offer sells, in the catalog's order (instance terms by a discount: one per
    flavour of the offer; by prices: one per flavour priced)."""
    offer = place.offer
    if offer is None or place.provider_id is None:
        return []
    prices = {f.name: f.price_eur_month for f in offer.flavours}
    out: list[Term] = []
    for i, term in enumerate(offer.commitments):
        share = None if term.discount_pct is None else 1.0 - term.discount_pct / 100.0
        if term.unit == "spend":
            assert share is not None
            out.append(_term(place, i, term, None, share, 1.0))
            continue
        priced = (
            sorted(term.prices_eur_month.items())
            if term.prices_eur_month
            else sorted((name, (share or 0.0) * p) for name, p in prices.items())
        )
        for name, price in priced:
            if prices.get(name, 0.0) > 0:
                out.append(_term(place, i, term, name, price, prices[name]))
    return out


def buyable_terms(cands: Candidates) -> list[Term]:
    """Every term the model may buy (none unless the scenario buys commitments), offers in id
    order, then terms by key."""
    if not cands.buy_commitments:
        return []
    out: list[Term] = []
    for place in sorted(cands.places, key=lambda p: p.id):
        out.extend(sorted(offer_terms(place), key=lambda t: t.key))
    return out


def committed_offers(cands: Candidates) -> set[str]:
    """The offers with a term the model may buy."""
    return {t.offer_id for t in buyable_terms(cands)}


@dataclass(frozen=True)
class PoolUse:
    """What one unit of a placement decision x[u,o] adds to the pools of its offer: on-demand
    compute spend (EUR / month) and instances per flavour."""

    compute_eur_month: float
    instances: tuple[tuple[str, int], ...]


def pool_use(
    unit_kind: str, member_compute: tuple[float, ...], member_flavour: tuple[str | None, ...]
) -> PoolUse:
    """Per unit of x: a class's one member, a group's members together."""
    compute = member_compute[:1] if unit_kind == "class" else member_compute
    flavours = member_flavour[:1] if unit_kind == "class" else member_flavour
    counts: dict[str, int] = defaultdict(int)
    for f in flavours:
        if f is not None:
            counts[f] += 1
    return PoolUse(sum(compute), tuple(sorted(counts.items())))


@dataclass(frozen=True)
class Bought:
    """One term bought: its amount (on-demand euros a month for spend, instances for
    instances), what it costs a month and the on-demand value it covers in this plan."""

    term: Term
    amount: float

    @property
    def cost_eur_month(self) -> float:
        return self.term.price_eur_month * self.amount


@dataclass(frozen=True)
class OfferBill:
    """One offer's compute bill with its commitments."""

    offer_id: str
    bucket: str
    on_demand_compute_eur_month: float  # its compute at on-demand prices
    covered_eur_month: float  # on-demand value the commitments cover
    committed_eur_month: float  # what the commitments cost a month, used or not
    bought: tuple[Bought, ...]
    # per pool, what is covered in its own unit (on-demand euros, or instances)
    pools: tuple[tuple[str, float], ...] = ()

    @property
    def saving_eur_month(self) -> float:
        """Against the same placements on demand (negative: the commitments cost more)."""
        return self.covered_eur_month - self.committed_eur_month


def bill(
    cands: Candidates,
    x: Mapping[tuple[str, str], float],
    c: Mapping[tuple[str, str], float],
    terms: list[Term] | None = None,
) -> list[OfferBill]:
    """Per offer with a term bought: its on-demand compute, what its commitments cover (the
    most they may: reserved instances first, then savings plans) and cost."""
    terms = buyable_terms(cands) if terms is None else terms
    by_offer: dict[str, list[Bought]] = defaultdict(list)
    for term in terms:
        amount = c.get((term.offer_id, term.key), 0.0)
        if amount > 0:
            by_offer[term.offer_id].append(Bought(term, amount))
    if not by_offer:
        return []
    compute: dict[str, float] = defaultdict(float)
    instances: dict[tuple[str, str], float] = defaultdict(float)
    for unit in cands.units:
        for o in unit.options:
            if o.place_id not in by_offer:
                continue
            n = x.get((unit.id, o.place_id), 0.0)
            if n <= 0:
                continue
            use = pool_use(unit.kind, o.member_compute_eur_month, o.member_flavour)
            compute[o.place_id] += n * use.compute_eur_month
            for flavour, count in use.instances:
                instances[o.place_id, flavour] += n * count
    out = []
    for offer_id in sorted(by_offer):
        bought = by_offer[offer_id]
        reserved: dict[str, float] = defaultdict(float)
        plans = 0.0
        for b in bought:
            if b.term.flavour is None:
                plans += b.amount
            else:
                reserved[b.term.flavour] += b.amount
        covered = 0.0
        pools: list[tuple[str, float]] = []
        for name, held in sorted(reserved.items()):
            price = next(b.term.covers_eur_month for b in bought if b.term.flavour == name)
            used = min(held, instances.get((offer_id, name), 0.0))
            pools.append((flavour_pool(name), used))
            covered += price * used
        if plans > 0:
            used = min(plans, max(0.0, compute[offer_id] - covered))
            pools.append((SPEND, used))
            covered += used
        out.append(
            OfferBill(
                offer_id=offer_id,
                bucket=f"provider:{bought[0].term.provider_id}",
                on_demand_compute_eur_month=compute[offer_id],
                covered_eur_month=covered,
                committed_eur_month=sum(b.cost_eur_month for b in bought),
                bought=tuple(bought),
                pools=tuple(pools),
            )
        )
    return out
