"""The sizing stage (planner/candidates/sizing.py), worked by hand.

Every size below follows `min(provisioned, max(floor, round_up(used x comfort)))`, vCPU up to
a whole vCPU, memory up to half a GiB, storage (under `storage: in_use`) up to a whole GiB.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from pydantic import ValidationError

from planner.candidates.sizing import round_up, size_demand, size_resource, size_workload
from planner.inputs.schema import ResolvedRule, Sizing, Workload
from planner.pipeline import load_and_check

RULE = ResolvedRule(
    policy="performance",
    percentile="p95",
    comfort_factor=1.25,
    min_window_days=14,
    min_vcpu=1.0,
    min_ram_gib=2.0,
    keep_pinned=False,
    keep_24_7=False,
    storage="as_provisioned",
)


def workload(utilisation: dict[str, Any] | None, **extra: Any) -> Workload:
    data: dict[str, Any] = {
        "id": "w",
        "data_class": "public",
        "demand": {"vcpu": 8, "ram_gib": 32, "storage_gib": 100},
        **extra,
    }
    if utilisation is not None:
        data["utilisation"] = utilisation
    return Workload.model_validate(data)


def test_percentile_times_comfort_rounded_up() -> None:
    """8 vCPU used at 25 % at p95: 2 vCPU x 1.25 = 2.5, up to 3 vCPU; 32 GiB used at 25 %:
    8 GiB x 1.25 = 10 GiB exactly, kept at 10 (no half GiB added)."""
    use = {"window_days": 30, "cpu_pct": {"p95": 25}, "ram_pct": {"p95": 25}}
    record = size_workload(workload(use), RULE)
    assert record.outcome == "sized"
    assert (record.vcpu.sized, record.vcpu.observed, record.vcpu.driver) == (3, 2, "percentile")
    assert (record.ram_gib.sized, record.ram_gib.driver) == (10, "percentile")
    assert record.storage_gib.sized == 100  # storage as provisioned by default


def test_memory_rounds_to_half_a_gib_and_float_noise_adds_no_step() -> None:
    """100 GiB used at 7 %: 7 / 100 x 100 = 7.000000000000001 in floating point, x 1.0, sized
    7 GiB (not 7.5); 16 GiB at 40 %: 6.4 x 1.25 = 8 GiB; 3.3 GiB x 1.3 = 4.29, up to 4.5."""
    noisy = 7 / 100 * 100
    assert noisy > 7.0  # the float noise the rounding must ignore
    assert size_resource(100, noisy, 1.0, 2.0, 0.5).sized == 7.0
    assert size_resource(16, 6.4, 1.25, 2.0, 0.5).sized == 8.0
    assert size_resource(16, 3.3, 1.3, 2.0, 0.5).sized == 4.5
    assert round_up(2.0000000001, 1.0) == 2.0
    assert round_up(2.01, 1.0) == 3.0


def test_floors_and_the_provisioned_ceiling() -> None:
    """4 vCPU at 5 %: 0.2 x 1.25 = 0.25, up to 1, raised to a floor of 2; 8 GiB at 10 %:
    0.8 x 1.25 = 1 GiB, raised to the 2 GiB floor; 4 vCPU at 90 %: 3.6 x 1.25 = 4.5, up to 5,
    above the 4 provisioned, so 4; a 1 vCPU VM with a 1 vCPU floor keeps its 1 vCPU."""
    assert size_resource(4, 0.2, 1.25, 2.0, 1.0).model_dump() == {
        "provisioned": 4,
        "sized": 2.0,
        "observed": 0.2,
        "driver": "floor",
    }
    assert (size_resource(8, 0.8, 1.25, 2.0, 0.5).sized, "floor") == (2.0, "floor")
    capped = size_resource(4, 3.6, 1.25, 1.0, 1.0)
    assert (capped.sized, capped.driver) == (4, "provisioned")
    assert size_resource(1, 0.1, 1.25, 1.0, 1.0).driver == "provisioned"
    # idle, with no floor: one step still (1 vCPU, half a GiB), never nothing
    assert size_resource(4, 0.0, 1.25, 0.0, 1.0).sized == 1.0
    assert size_resource(8, 0.0, 1.25, 0.0, 0.5).sized == 0.5


def test_absolute_percentiles_and_storage_in_use() -> None:
    """cpu_vcpu p95 1.2 x 1.25 = 1.5, up to 2 vCPU; ram_gib p95 4 x 1.25 = 5 GiB; storage
    40 GiB in use x 1.25 = 50 GiB of the 100 provisioned."""
    use = {
        "window_days": 60,
        "cpu_vcpu": {"p95": 1.2},
        "ram_gib": {"p95": 4},
        "storage_used_gib": 40,
    }
    rule = RULE.model_copy(update={"storage": "in_use"})
    record = size_workload(workload(use), rule)
    assert (record.vcpu.sized, record.ram_gib.sized) == (2, 5)
    assert (record.storage_gib.sized, record.storage_gib.driver) == (50, "in_use")


def test_missing_or_short_history_stays_as_provisioned() -> None:
    """No utilisation, a 7-day window under a 14-day minimum: every resource as provisioned,
    and the record says why; a percentile the rule does not read (p50 only, rule p95) leaves
    its resource as provisioned ('no_data')."""
    assert size_workload(workload(None), RULE).outcome == "no_history"
    short = size_workload(workload({"window_days": 7, "cpu_pct": {"p95": 10}}), RULE)
    assert (short.outcome, short.window_days, short.min_window_days) == ("short_history", 7, 14)
    assert short.vcpu.sized == 8 and short.ram_gib.sized == 32
    other = size_workload(
        workload({"window_days": 30, "cpu_pct": {"p50": 10}, "ram_pct": {"p95": 25}}), RULE
    )
    assert (other.vcpu.driver, other.vcpu.sized) == ("no_data", 8)
    assert (other.ram_gib.sized, other.outcome) == (10, "sized")
    nothing = size_workload(workload({"window_days": 30, "cpu_pct": {"p50": 10}}), RULE)
    assert nothing.outcome == "no_history"  # nothing observed at the rule's percentile


def test_pinned_and_24_7_kept_when_the_rule_says_so() -> None:
    use = {"window_days": 30, "cpu_pct": {"p95": 10}, "ram_pct": {"p95": 10}}
    keep = RULE.model_copy(update={"keep_pinned": True, "keep_24_7": True})
    assert size_workload(workload(use, pin="alpha"), keep).outcome == "kept_pinned"
    assert size_workload(workload(use, needs_24_7=True), keep).outcome == "kept_24_7"
    assert size_workload(workload(use, needs_24_7=True), RULE).outcome == "sized"


def test_rules_resolve_workload_over_data_class_over_scenario() -> None:
    sizing = Sizing.model_validate(
        {
            "policy": "performance",
            "percentile": "p95",
            "comfort_factor": 1.3,
            "min_window_days": 30,
            "data_classes": {
                "health": {"percentile": "p99"},
                "restricted": {"policy": "as_provisioned"},
            },
            "workloads": {"w1": {"percentile": "p50", "comfort_factor": 1.5}},
        }
    )
    assert sizing.rule_for("w9", "public").percentile == "p95"
    assert sizing.rule_for("w9", "health").percentile == "p99"
    assert sizing.rule_for("w1", "health").percentile == "p50"
    assert sizing.rule_for("w1", "health").comfort_factor == 1.5
    assert sizing.rule_for("w2", "restricted").policy == "as_provisioned"
    assert sizing.in_play() and not Sizing().in_play()


def test_a_performance_rule_names_its_figures() -> None:
    with pytest.raises(ValidationError, match="names its percentile, comfort_factor"):
        Sizing.model_validate({"policy": "performance"})
    with pytest.raises(ValidationError, match=r"sizing\.data_classes\.health"):
        Sizing.model_validate({"data_classes": {"health": {"policy": "performance"}}})
    with pytest.raises(ValidationError, match="greater than or equal to 1"):
        Sizing.model_validate({"comfort_factor": 0.8})


def test_utilisation_is_bounded_and_consistent() -> None:
    bad: list[tuple[dict[str, Any], str]] = [
        ({"window_days": 30, "cpu_pct": {"p95": 120}}, "less than or equal to 100"),
        ({"window_days": 30, "cpu_pct": {"p50": 60, "p95": 40}}, "p50 .60. is above p95"),
        ({"cpu_pct": {"p95": 40}}, "window_days"),
        ({"window_days": 30, "cpu_pct": {"p95": 4}, "cpu_vcpu": {"p95": 1}}, "not both"),
        ({"window_days": 30, "cpu_vcpu": {"p95": 9}}, "above the provisioned vcpu"),
        ({"storage_used_gib": 150}, "above the provisioned storage_gib"),
        ({"window_days": 0, "cpu_pct": {"p95": 4}}, "greater than or equal to 1"),
    ]
    for use, message in bad:
        with pytest.raises(ValidationError, match=message):
            workload(use)


def test_as_provisioned_leaves_the_inputs_as_they_are() -> None:
    inputs, _ = load_and_check("tests/fixtures/sizing/provisioned.yaml")
    sized = size_demand(inputs)
    assert sized.inputs is inputs and sized.records is None and not sized.in_play


def test_retired_workloads_and_site_overrides() -> None:
    """A retired workload is not sized (it leaves); a per-site demand override stays what it
    states (costs.demand_on reads it over the sized demand)."""
    inputs, _ = load_and_check("tests/fixtures/sizing/scenario.yaml")
    big = next(w for w in inputs.workloads if w.id == "big")
    retired = big.model_copy(update={"retire": True})
    sized = size_demand(replace(inputs, workloads=(retired,)))
    assert sized.records == ()
    assert sized.inputs.workloads[0].demand.vcpu == 8


def test_the_inventory_column_names_read_as_the_nested_fields() -> None:
    flat = workload({"util_window_days": 30, "cpu_p95_pct": 25, "ram_p95_gib": 12})
    nested = workload({"window_days": 30, "cpu_pct": {"p95": 25}, "ram_gib": {"p95": 12}})
    assert flat == nested
