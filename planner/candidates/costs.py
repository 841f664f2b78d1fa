"""Monthly cost of a workload on a place, and the demand it puts on that place's capacity.

Internal site: sum over resources of unit cost x demand / overcommit ratio, plus egress.
External offer: the cheaper of (cheapest flavour that fits vCPU, RAM and GPU) and (unit prices
for those resources), plus storage at the storage unit price, plus egress. A price the workload
needs and the catalog does not give is never taken as zero: the pair is refused with that reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.candidates.eligibility import UNPRICED, Refusal, refused
from planner.candidates.places import Place
from planner.inputs.schema import Amounts, Offer, Site, Workload

COMPUTE: tuple[str, ...] = ("vcpu", "ram_gib", "gpu")  # what a flavour sizes (Flavour fields)


def demand_on(workload: Workload, place_id: str) -> Amounts:
    """The workload's demand on one place: its catalog demand, with that place's override."""
    demand = workload.demand.amounts()
    override = workload.site_overrides.get(place_id)
    if override is None or override.demand is None:
        return demand
    given = override.demand
    return Amounts.of(lambda r: demand.get(r) if (g := given.get(r)) is None else g)


def site_use(site: Site, demand: Amounts) -> Amounts:
    """What a demand takes of a site's capacity (demand / overcommit ratio)."""
    return Amounts.of(lambda r: demand.get(r) / site.overcommit_ratio(r))


@dataclass(frozen=True)
class Pricing:
    """Run cost of one demand on one place, and how it was priced."""

    run_cost_eur_month: float
    basis: str  # "unit costs", "flavour b3-16", "unit prices"
    capacity_use: Amounts  # what it consumes of the place's capacity or quota
    # the part of the run cost a commitment may cover (an offer's flavour or vCPU/RAM/GPU
    # unit prices; not storage, egress or a per-site override) and the flavour it runs on
    compute_eur_month: float = 0.0
    flavour: str | None = None


def site_pricing(site: Site, demand: Amounts, egress_gib_month: float) -> Pricing:
    use = site_use(site, demand)
    cost = sum(site.unit_costs_eur_month.get(r) * u for r, u in use.items())
    cost += egress_gib_month * site.egress_eur_gib
    return Pricing(cost, "unit costs", use)


FLAVOUR_BASIS = "flavour "  # the basis of a flavour's pricing, before its name


def _flavour_cost(offer: Offer, demand: Amounts) -> tuple[float, str] | None:
    best: tuple[float, str] | None = None
    for flavour in offer.flavours:
        if all(getattr(flavour, r) >= demand.get(r) for r in COMPUTE):
            candidate = (flavour.price_eur_month, f"{FLAVOUR_BASIS}{flavour.name}")
            if best is None or candidate < best:
                best = candidate
    return best


def _unit_cost(offer: Offer, demand: Amounts, resources: tuple[str, ...]) -> float | None:
    total = 0.0
    for r in resources:
        amount = demand.get(r)
        if amount <= 0:
            continue
        price = offer.unit_prices_eur_month.get(r)
        if price is None:
            return None
        total += price * amount
    return total


def offer_pricing(offer: Offer, demand: Amounts, egress_gib_month: float) -> Pricing | Refusal:
    options: list[tuple[float, str]] = []
    flavour = _flavour_cost(offer, demand)
    if flavour is not None:
        options.append(flavour)
    by_unit = _unit_cost(offer, demand, COMPUTE)
    if by_unit is not None:
        options.append((by_unit, "unit prices"))
    if not options:
        size = f"{demand.vcpu:g} vCPU / {demand.ram_gib:g} GiB" + (
            f" / {demand.gpu:g} GPU" if demand.gpu else ""
        )
        missing = [
            r for r in COMPUTE if demand.get(r) > 0 and offer.unit_prices_eur_month.get(r) is None
        ]
        unpriced = UNPRICED.format(resources=", ".join(missing))
        if offer.flavours:
            return refused("no_price", "no_flavour", size=size, unpriced=unpriced)
        return refused("no_price", size=size, unpriced=unpriced)
    cost, basis = min(options)
    compute = cost
    runs_on = basis[len(FLAVOUR_BASIS) :] if basis.startswith(FLAVOUR_BASIS) else None
    storage = demand.storage_gib
    if storage > 0:
        price = offer.unit_prices_eur_month.get("storage_gib")
        if price is None:
            return refused("no_price", "no_storage_price")
        cost += price * storage
    cost += egress_gib_month * offer.egress_eur_gib
    return Pricing(cost, basis, demand, compute, runs_on)


def pricing(place: Place, demand: Amounts, egress_gib_month: float) -> Pricing | Refusal:
    """Run cost and capacity use of `demand` on `place`, or why it cannot be priced."""
    if place.site is not None:
        return site_pricing(place.site, demand, egress_gib_month)
    assert place.offer is not None
    return offer_pricing(place.offer, demand, egress_gib_month)
