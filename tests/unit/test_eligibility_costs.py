"""Policy rules and prices, place by place."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from planner.candidates.costs import Pricing, offer_pricing, site_pricing
from planner.candidates.eligibility import Refusal
from planner.candidates.units import refusals_for
from planner.inputs import load_inputs
from planner.inputs.schema import Amounts, Offer, Site
from tests.helpers import offer, provider, site, workload, write_scenario


def verdicts(tmp_path: Path, w: dict[str, object], **kw: Any) -> dict[str, Refusal | Pricing]:
    qualified = [{"name": "secnumcloud", "status": "qualified", "valid_until": date(2027, 1, 1)}]
    expired = [{"name": "secnumcloud", "status": "qualified", "valid_until": date(2026, 1, 1)}]
    pending = [{"name": "secnumcloud", "status": "in_progress"}]
    hds = [{"name": "hds", "activities": [1, 2]}]
    path = write_scenario(
        tmp_path,
        sites=[site("alpha"), site("night", operation_24_7=False)],
        providers=[
            provider(
                "eu",
                [
                    offer("snc", qualifications=qualified),
                    offer("old", qualifications=expired),
                    offer("soon", qualifications=pending),
                    offer("hds2", qualifications=hds),
                ],
            ),
            provider("us", [offer("aws", qualifications=qualified + hds)], eu=False),
        ],
        workloads=[w],
        **kw,
    )
    inputs = load_inputs(path)
    return refusals_for(inputs, inputs.workloads[0])


def reason(v: Refusal | Pricing) -> str:
    assert isinstance(v, Refusal), v
    return v.reason


def test_sensitive_rules(tmp_path: Path) -> None:
    v = verdicts(tmp_path, workload("w", data_class="sensitive"))
    assert isinstance(v["alpha"], Pricing) and isinstance(v["snc"], Pricing)
    assert "secnumcloud expired on 2026-01-01" in reason(v["old"])
    assert "secnumcloud status is in_progress" in reason(v["soon"])
    assert "under US (non-EU) jurisdiction" in reason(v["aws"])
    assert "exposed to extra-EU law" in reason(v["aws"])
    assert "no secnumcloud qualification" in reason(v["hds2"])


def test_health_needs_activities(tmp_path: Path) -> None:
    v = verdicts(tmp_path, workload("w", data_class="health"))
    assert "hds lacks activity 3" in reason(v["hds2"])
    assert "hds lacks activity 3" in reason(v["aws"])
    assert "no hds qualification" in reason(v["alpha"])


def test_workload_constraints(tmp_path: Path) -> None:
    v = verdicts(tmp_path, workload("w", needs_24_7=True, exclude=["snc"]))
    assert v["night"] == Refusal("no_24_7", reason(v["night"]))
    assert reason(v["snc"]) == "excluded by the workload's catalog entry"
    assert isinstance(v["aws"], Pricing)
    pinned = verdicts(tmp_path / "p", workload("w", pin="aws"))
    assert all(
        isinstance(x, Refusal) and x.code == "pinned_elsewhere"
        for k, x in pinned.items()
        if k != "aws"
    )


def _offer(**kw: Any) -> Offer:
    data = offer("o", **kw)
    data["price_date"] = date(2026, 11, 1)
    return Offer.model_validate(
        {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}
    )


def test_cheapest_fitting_flavour_plus_storage_and_egress() -> None:
    flavours = (
        {"name": "s", "vcpu": 2, "ram_gib": 8, "price_eur_month": 37.38},
        {"name": "m", "vcpu": 4, "ram_gib": 16, "price_eur_month": 74.68},
        {"name": "mm", "vcpu": 4, "ram_gib": 16, "price_eur_month": 70.00},
    )
    o = _offer(flavours=flavours, unit_prices_eur_month={"storage_gib": 0.04}, egress_eur_gib=0.01)
    priced = offer_pricing(o, Amounts(3.0, 8.0, 100.0, 0.0), egress_gib_month=1000)
    assert isinstance(priced, Pricing) and priced.basis == "flavour mm"
    assert priced.run_cost_eur_month == pytest.approx(70.00 + 4.0 + 10.0)
    too_big = offer_pricing(o, Amounts(16.0, 64.0, 0.0, 0.0), 0)
    assert isinstance(too_big, Refusal) and too_big.code == "no_price"


def test_unit_prices_beat_flavour_when_cheaper_and_missing_price_refuses() -> None:
    o = _offer(
        flavours=({"name": "s", "vcpu": 2, "ram_gib": 8, "price_eur_month": 50},),
        unit_prices_eur_month={"vcpu": 10, "ram_gib": 1, "storage_gib": 0.1},
    )
    priced = offer_pricing(o, Amounts(2.0, 8.0, 0.0, 0.0), 0)
    assert isinstance(priced, Pricing) and priced.run_cost_eur_month == 28
    gpu = offer_pricing(o, Amounts(2.0, 8.0, 0.0, 1.0), 0)
    assert isinstance(gpu, Refusal) and "GPU" in gpu.reason


def test_site_overcommit_divides_capacity_use_and_cost() -> None:
    data = site("alpha", overcommit={"vcpu": 4.0})
    s = Site.model_validate(data)
    priced = site_pricing(s, Amounts(8.0, 16.0, 0.0, 0.0), 0)
    assert priced.capacity_use == (2.0, 16.0, 0.0, 0.0)
    assert priced.run_cost_eur_month == 2 * 10 + 16 * 1


def test_per_site_override_of_cost_and_demand(tmp_path: Path) -> None:
    v = verdicts(
        tmp_path,
        workload(
            "w",
            2,
            8,
            site_overrides={"alpha": {"cost_eur_month": 5.0}, "snc": {"demand": {"vcpu": 1}}},
        ),
    )
    assert isinstance(v["alpha"], Pricing) and v["alpha"].run_cost_eur_month == 5.0
    assert isinstance(v["snc"], Pricing) and v["snc"].run_cost_eur_month == 1 * 20 + 8 * 2
