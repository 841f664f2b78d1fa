"""The resource vector: one list of resources, amounts read by name, never by position."""

from __future__ import annotations

import math
from pathlib import Path

from planner.candidates.costs import COMPUTE, demand_on, site_use
from planner.candidates.evaluate import max_capacity
from planner.candidates.places import build_places
from planner.inputs import load_inputs
from planner.inputs.csv_file import CSV_COLUMNS
from planner.inputs.schema import RESOURCES, Amounts, Flavour, Resources, Site
from planner.inputs.schema.common import PartialResources
from tests.helpers import offer, provider, site, workload, write_scenario


def test_the_resource_list_is_the_vector_fields_and_the_schema_follows_it() -> None:
    assert RESOURCES == Amounts._fields == ("vcpu", "ram_gib", "storage_gib", "gpu")
    assert tuple(Resources.model_fields) == RESOURCES
    assert tuple(PartialResources.model_fields) == RESOURCES
    assert set(RESOURCES) <= set(CSV_COLUMNS)
    assert set(COMPUTE) <= set(RESOURCES) & set(Flavour.model_fields)


def test_amounts_by_name_sum_and_zero() -> None:
    a = Amounts(vcpu=2.0, ram_gib=8.0, storage_gib=50.0, gpu=1.0)
    assert a.get("storage_gib") == a.storage_gib == 50.0
    assert a.items() == [("vcpu", 2.0), ("ram_gib", 8.0), ("storage_gib", 50.0), ("gpu", 1.0)]
    assert a.plus(Amounts(1.0, 1.0, 1.0, 1.0)) == Amounts(3.0, 9.0, 51.0, 2.0)
    assert Amounts.zero() == Amounts(0.0, 0.0, 0.0, 0.0)
    assert Amounts.of(lambda r: float(len(r))) == Amounts(4.0, 7.0, 11.0, 3.0)
    assert Resources(vcpu=3, ram_gib=4).amounts() == Amounts(3.0, 4.0, 0.0, 0.0)


def test_override_replaces_only_the_resources_it_names_and_overcommit_divides_by_name(
    tmp_path: Path,
) -> None:
    w = workload(
        "w",
        demand={"vcpu": 4, "ram_gib": 16, "storage_gib": 100},
        site_overrides={"alpha": {"demand": {"ram_gib": 6}}},
    )
    path = write_scenario(
        tmp_path,
        sites=[site("alpha", overcommit={"vcpu": 4.0})],
        providers=[provider("eu", [offer("snc")])],
        workloads=[w],
    )
    inputs = load_inputs(path)
    on_alpha = demand_on(inputs.workloads[0], "alpha")
    assert isinstance(on_alpha, Amounts)
    assert on_alpha == Amounts(vcpu=4.0, ram_gib=6.0, storage_gib=100.0, gpu=0.0)
    assert demand_on(inputs.workloads[0], "snc") == Amounts(4.0, 16.0, 100.0, 0.0)
    alpha = Site.model_validate(site("alpha", overcommit={"vcpu": 4.0}))
    assert site_use(alpha, on_alpha) == Amounts(vcpu=1.0, ram_gib=6.0, storage_gib=100.0, gpu=0.0)


def test_max_capacity_is_a_vector_unbounded_where_no_quota_is_given(tmp_path: Path) -> None:
    path = write_scenario(
        tmp_path,
        sites=[site("alpha", vcpu=8, ram_gib=32)],
        providers=[provider("eu", [offer("capped", quota={"vcpu": 64}), offer("open")])],
        workloads=[workload("w")],
    )
    places = {p.id: p for p in build_places(load_inputs(path))}
    capped = max_capacity(places["capped"])
    assert capped is not None
    assert capped.vcpu == 64.0 and math.isinf(capped.ram_gib) and math.isinf(capped.gpu)
    assert max_capacity(places["open"]) is None
    alpha = max_capacity(places["alpha"])
    assert alpha is not None and (alpha.vcpu, alpha.ram_gib) == (8.0, 32.0)
