"""Monthly cost of a workload on a place, and the demand it puts on that place's capacity.

Internal site: sum over resources of unit cost x demand / overcommit ratio, plus egress.
External offer: the cheaper of (cheapest flavour that fits vCPU, RAM and GPU) and (unit prices
for those resources), plus storage at the storage unit price, plus egress. A price the workload
needs and the catalog does not give is never taken as zero: the pair is refused with that reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.candidates.eligibility import Refusal
from planner.candidates.places import Place
from planner.inputs.schema import RESOURCES, Offer, Resources, Site, Workload

COMPUTE: tuple[str, ...] = ("vcpu", "ram_gib", "gpu")
Demand = tuple[float, float, float, float]  # in RESOURCES order


def as_demand(resources: Resources) -> Demand:
    return (resources.vcpu, resources.ram_gib, resources.storage_gib, resources.gpu)


def demand_on(workload: Workload, place_id: str) -> Demand:
    """The workload's demand on one place: its catalog demand, with that place's override."""
    demand = as_demand(workload.demand)
    override = workload.site_overrides.get(place_id)
    if override is None or override.demand is None:
        return demand
    given = override.demand
    return tuple(  # type: ignore[return-value]
        d if given.get(r) is None else float(given.get(r) or 0.0)
        for r, d in zip(RESOURCES, demand, strict=True)
    )


def site_use(site: Site, demand: Demand) -> Demand:
    """What a demand takes of a site's capacity (demand / overcommit ratio)."""
    return tuple(  # type: ignore[return-value]
        d / site.overcommit_ratio(r) for r, d in zip(RESOURCES, demand, strict=True))


@dataclass(frozen=True)
class Pricing:
    """Run cost of one demand on one place, and how it was priced."""

    run_cost_eur_month: float
    basis: str  # "unit costs", "flavour b3-16", "unit prices"
    capacity_use: Demand  # what it consumes of the place's capacity or quota


def site_pricing(site: Site, demand: Demand, egress_gib_month: float) -> Pricing:
    use = site_use(site, demand)
    cost = sum(site.unit_costs_eur_month.get(r) * u for r, u in zip(RESOURCES, use, strict=True))
    cost += egress_gib_month * site.egress_eur_gib
    return Pricing(cost, "unit costs", use)


def _flavour_cost(offer: Offer, demand: Demand) -> tuple[float, str] | None:
    vcpu, ram, _, gpu = demand
    best: tuple[float, str] | None = None
    for flavour in offer.flavours:
        if flavour.vcpu >= vcpu and flavour.ram_gib >= ram and flavour.gpu >= gpu:
            candidate = (flavour.price_eur_month, f"flavour {flavour.name}")
            if best is None or candidate < best:
                best = candidate
    return best


def _unit_cost(offer: Offer, demand: Demand, resources: tuple[str, ...]) -> float | None:
    total = 0.0
    for r in resources:
        amount = demand[RESOURCES.index(r)]
        if amount <= 0:
            continue
        price = offer.unit_prices_eur_month.get(r)
        if price is None:
            return None
        total += price * amount
    return total


def offer_pricing(offer: Offer, demand: Demand, egress_gib_month: float) -> Pricing | Refusal:
    options: list[tuple[float, str]] = []
    flavour = _flavour_cost(offer, demand)
    if flavour is not None:
        options.append(flavour)
    by_unit = _unit_cost(offer, demand, COMPUTE)
    if by_unit is not None:
        options.append((by_unit, "unit prices"))
    if not options:
        vcpu, ram, _, gpu = demand
        size = f"{vcpu:g} vCPU / {ram:g} GiB" + (f" / {gpu:g} GPU" if gpu else "")
        missing = [r for r in COMPUTE if demand[RESOURCES.index(r)] > 0
                   and offer.unit_prices_eur_month.get(r) is None]
        unpriced = f"no unit price for {', '.join(missing)}"
        if offer.flavours:
            return Refusal("no_price", f"no flavour fits {size} and {unpriced}")
        return Refusal("no_price", f"no price for {size}: no flavours and {unpriced}")
    cost, basis = min(options)
    storage = demand[2]
    if storage > 0:
        price = offer.unit_prices_eur_month.get("storage_gib")
        if price is None:
            return Refusal("no_price", "no storage price (unit_prices_eur_month.storage_gib)")
        cost += price * storage
    cost += egress_gib_month * offer.egress_eur_gib
    return Pricing(cost, basis, demand)


def pricing(place: Place, demand: Demand, egress_gib_month: float) -> Pricing | Refusal:
    """Run cost and capacity use of `demand` on `place`, or why it cannot be priced."""
    if place.site is not None:
        return site_pricing(place.site, demand, egress_gib_month)
    assert place.offer is not None
    return offer_pricing(place.offer, demand, egress_gib_month)

