"""Build small scenarios on disk for tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import yaml

from planner.analysis.explain import Explanation
from planner.render.explain import explanation_data

POLICY: dict[str, Any] = {
    "public": {},
    "personal": {"any_of": [{"location_zone_in": ["EU", "EEA"]}]},
    "sensitive": {
        "any_of": [
            {"internal": True},
            {
                "qualifications": ["secnumcloud"],
                "jurisdiction_zone_in": ["EU"],
                "no_extra_eu_law_exposure": True,
            },
        ]
    },
    "health": {"any_of": [{"qualifications": ["hds"], "activities": {"hds": [1, 2, 3]}}]},
    "classified": {"placeable": False},
}


def site(
    site_id: str,
    vcpu: float = 8,
    ram_gib: float = 32,
    cost_vcpu: float = 10,
    cost_ram: float = 1,
    **extra: Any,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": site_id,
        "location": {"country": "FR", "zone": "EU"},
        "operation_24_7": True,
        "capacity": {"vcpu": vcpu, "ram_gib": ram_gib, "storage_gib": 10000},
        "unit_costs_eur_month": {"vcpu": cost_vcpu, "ram_gib": cost_ram, "storage_gib": 0.1},
    }
    data.update(extra)
    return data


def offer(
    offer_id: str, vcpu_price: float = 20, ram_price: float = 2, **extra: Any
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": offer_id,
        "location": {"country": "FR", "zone": "EU"},
        "unit_prices_eur_month": {"vcpu": vcpu_price, "ram_gib": ram_price, "storage_gib": 0.2},
        "egress_eur_gib": 0,
        "price_source": "test",
        "price_date": date(2026, 11, 1),
    }
    data.update(extra)
    return data


def provider(provider_id: str, offers: list[dict[str, Any]], eu: bool = True) -> dict[str, Any]:
    jurisdiction = (
        {"zone": "EU", "country": "FR", "extra_eu_law_exposure": False}
        if eu
        else {"zone": "non-EU", "country": "US", "extra_eu_law_exposure": True}
    )
    return {"id": provider_id, "jurisdiction": jurisdiction, "offers": offers}


def workload(
    workload_id: str, vcpu: float = 2, ram_gib: float = 8, data_class: str = "public", **extra: Any
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": workload_id,
        "data_class": data_class,
        "demand": {"vcpu": vcpu, "ram_gib": ram_gib},
    }
    data.update(extra)
    return data


def write_scenario(
    directory: Path,
    *,
    sites: list[dict[str, Any]],
    providers: list[dict[str, Any]] | None = None,
    workloads: list[dict[str, Any]],
    policy: dict[str, Any] | None = None,
    **scenario: Any,
) -> str:
    """Write catalogs and a scenario into `directory`; returns the scenario path."""
    directory.mkdir(parents=True, exist_ok=True)

    def dump(name: str, data: Any) -> None:
        (directory / name).write_text(yaml.safe_dump(data, sort_keys=False))

    dump("sites.yaml", {"sites": sites})
    dump("providers.yaml", {"providers": providers or []})
    dump("workloads.yaml", {"workloads": workloads})
    dump("policy.yaml", {"policy": {"data_classes": policy or POLICY}})
    body: dict[str, Any] = {
        "name": scenario.pop("name", "test"),
        "reference_date": date(2026, 11, 29),
        "catalogs": {
            "sites": ["sites.yaml"],
            "providers": ["providers.yaml"],
            "workloads": ["workloads.yaml"],
            "policy": "policy.yaml",
        },
    }
    body.update(scenario)
    path = directory / "scenario.yaml"
    path.write_text(yaml.safe_dump(body, sort_keys=False))
    return str(path)


def reason_of(e: Explanation) -> str:
    """The sentence `planner explain` gives for the decision."""
    text = explanation_data(e)["reason"]
    assert isinstance(text, str)
    return text


def to_win_of(e: Explanation) -> str:
    """The sentence `planner explain` gives for what would make the runner-up win."""
    text = explanation_data(e)["to_win"]
    assert isinstance(text, str)
    return text
