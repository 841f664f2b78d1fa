"""Each policy check of `planner validate`: one case that fires, one that does not."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from planner.checks.policy import (
    Limits,
    check_class_capacity,
    check_class_coverage,
    check_current_load,
    check_pins,
    check_price_age,
    check_qualification_dates,
)
from planner.errors import InputIssue
from planner.inputs import load_inputs
from planner.inputs.frozen import Inputs
from tests.helpers import offer, provider, site, workload, write_scenario

QUALIFIED = {"name": "secnumcloud", "status": "qualified"}


def _inputs(tmp_path: Path, **kwargs: Any) -> Inputs:
    kwargs.setdefault("sites", [site("alpha")])
    return load_inputs(write_scenario(tmp_path, **kwargs))


def _line_of(path: Path, needle: str) -> int:
    lines = path.read_text().splitlines()
    return next(i for i, line in enumerate(lines, start=1) if needle in line)


def _codes(issues: list[InputIssue]) -> list[tuple[str | None, str]]:
    return [(i.code, i.severity) for i in issues]


def test_class_without_any_eligible_place_is_an_error(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path, workloads=[workload("h", data_class="health")])
    issues = check_class_coverage(inputs, Limits())
    assert _codes(issues) == [("class-not-covered", "error")]
    assert "data class 'health' (1 workload)" in issues[0].message
    assert issues[0].file is not None and issues[0].file.endswith("policy.yaml")
    assert issues[0].line == _line_of(tmp_path / "policy.yaml", "health:")


def test_class_covered_by_one_offer_passes(tmp_path: Path) -> None:
    hds = offer("h1", qualifications=[{"name": "hds", "activities": [1, 2, 3]}])
    inputs = _inputs(
        tmp_path, workloads=[workload("h", data_class="health")], providers=[provider("p", [hds])]
    )
    assert check_class_coverage(inputs, Limits()) == []


def _with_qualification(tmp_path: Path, valid_until: date) -> Inputs:
    snc = offer("snc", qualifications=[{**QUALIFIED, "valid_until": valid_until}])
    return _inputs(tmp_path, workloads=[workload("w")], providers=[provider("p", [snc])])


def test_qualification_expiring_within_the_window(tmp_path: Path) -> None:
    inputs = _with_qualification(tmp_path, date(2026, 12, 29))  # 30 days after 2026-11-29
    issues = check_qualification_dates(inputs, Limits(qualification_warning_days=30))
    assert _codes(issues) == [("qualification-expiring", "warning")]
    assert "expires on 2026-12-29, in 30 days" in issues[0].message
    assert issues[0].line == _line_of(tmp_path / "providers.yaml", "valid_until")
    assert check_qualification_dates(inputs, Limits(qualification_warning_days=29)) == []


def test_qualification_already_expired(tmp_path: Path) -> None:
    inputs = _with_qualification(tmp_path, date(2026, 11, 28))
    issues = check_qualification_dates(inputs, Limits(qualification_warning_days=0))
    assert _codes(issues) == [("qualification-expired", "warning")]
    assert "expired on 2026-11-28 (1 days before" in issues[0].message


def test_site_qualifications_are_checked_too(tmp_path: Path) -> None:
    alpha = site("alpha", qualifications=[{**QUALIFIED, "valid_until": date(2027, 1, 1)}])
    inputs = _inputs(tmp_path, sites=[alpha], workloads=[workload("w")])
    issues = check_qualification_dates(inputs, Limits(qualification_warning_days=90))
    assert [i.message.split(" qualification")[0] for i in issues] == ["secnumcloud"]
    assert issues[0].line == _line_of(tmp_path / "sites.yaml", "valid_until")


def test_price_older_than_the_limit(tmp_path: Path) -> None:
    # helpers date every offer 2026-11-01: 28 days before the reference date
    inputs = _inputs(tmp_path, workloads=[workload("w")], providers=[provider("p", [offer("o")])])
    issues = check_price_age(inputs, Limits(price_max_age_days=27))
    assert _codes(issues) == [("price-stale", "warning")]
    assert "28 days before the reference date (limit 27)" in issues[0].message
    assert issues[0].line == _line_of(tmp_path / "providers.yaml", "price_date")
    assert check_price_age(inputs, Limits(price_max_age_days=28)) == []


def test_capacity_short_for_a_class(tmp_path: Path) -> None:
    # sensitive may only go in-house (no qualified offer): alpha holds 8 vCPU, demand is 9
    work = [
        workload("a", vcpu=5, ram_gib=1, data_class="sensitive"),
        workload("b", vcpu=4, ram_gib=1, data_class="sensitive"),
    ]
    inputs = _inputs(tmp_path, workloads=work, providers=[provider("p", [offer("o")], eu=False)])
    issues = check_class_capacity(inputs, Limits())
    assert _codes(issues) == [("capacity-short", "warning")]
    assert "needs 9 vcpu but its eligible places hold at most 8" in issues[0].message


def test_capacity_exactly_enough_passes(tmp_path: Path) -> None:
    work = [
        workload("a", vcpu=4, ram_gib=1, data_class="sensitive"),
        workload("b", vcpu=4, ram_gib=1, data_class="sensitive"),
    ]
    inputs = _inputs(tmp_path, workloads=work)
    assert check_class_capacity(inputs, Limits()) == []


def test_capacity_counts_expansion_blocks_and_overcommit(tmp_path: Path) -> None:
    block = {
        "id": "rack",
        "adds": {"vcpu": 4},
        "capex_eur": 100,
        "amortisation_months": 10,
        "max_blocks": 1,
    }
    alpha = site("alpha", overcommit={"vcpu": 2.0}, expansion_blocks=[block])
    # (8 + 4) physical vCPU x 2 overcommit = 24 vCPU of demand
    fits = _inputs(
        tmp_path / "a",
        sites=[alpha],
        workloads=[workload("a", vcpu=24, ram_gib=1, data_class="sensitive")],
    )
    assert check_class_capacity(fits, Limits()) == []
    short = _inputs(
        tmp_path / "b",
        sites=[alpha],
        workloads=[workload("a", vcpu=25, ram_gib=1, data_class="sensitive")],
    )
    assert len(check_class_capacity(short, Limits())) == 1


def test_unbounded_offer_never_short(tmp_path: Path) -> None:
    inputs = _inputs(
        tmp_path, workloads=[workload("a", vcpu=500)], providers=[provider("p", [offer("o")])]
    )
    assert check_class_capacity(inputs, Limits()) == []


def test_pin_to_ineligible_place_is_an_error(tmp_path: Path) -> None:
    work = [workload("s", data_class="sensitive", pin="o")]
    inputs = _inputs(tmp_path, workloads=work, providers=[provider("p", [offer("o")], eu=False)])
    issues = check_pins(inputs, Limits())
    assert _codes(issues) == [("pin-ineligible", "error")]
    assert "pinned to 'o', which may not take it: data class 'sensitive'" in issues[0].message
    assert issues[0].line == _line_of(tmp_path / "workloads.yaml", "pin:")


def test_pin_to_eligible_place_passes(tmp_path: Path) -> None:
    work = [workload("s", data_class="sensitive", pin="alpha")]
    inputs = _inputs(tmp_path, workloads=work, providers=[provider("p", [offer("o")], eu=False)])
    assert check_pins(inputs, Limits()) == []


def test_current_placements_over_capacity(tmp_path: Path) -> None:
    # alpha: 8 vCPU, overcommit 2 -> 16 vCPU of demand fit; 10 + 8 = 18 do not.
    work = [
        workload("a", vcpu=10, ram_gib=4, current_site="alpha"),
        workload("b", vcpu=8, ram_gib=4, current_site="alpha"),
    ]
    inputs = _inputs(tmp_path, sites=[site("alpha", overcommit={"vcpu": 2.0})], workloads=work)
    issues = check_current_load(inputs, Limits())
    assert _codes(issues) == [("current-over-capacity", "warning")]
    assert "use 9 vcpu, more than its capacity of 8" in issues[0].message
    assert issues[0].line == _line_of(tmp_path / "sites.yaml", "capacity:")


def test_current_placements_within_capacity_pass(tmp_path: Path) -> None:
    # exactly full (16 / 2 = 8), a per-site demand override counted, a new workload ignored
    work = [
        workload(
            "a",
            vcpu=10,
            ram_gib=4,
            current_site="alpha",
            site_overrides={"alpha": {"demand": {"vcpu": 8}}},
        ),
        workload("b", vcpu=8, ram_gib=4, current_site="alpha"),
        workload("c", vcpu=64, ram_gib=4),
    ]
    inputs = _inputs(tmp_path, sites=[site("alpha", overcommit={"vcpu": 2.0})], workloads=work)
    assert check_current_load(inputs, Limits()) == []
