"""An offer's quota, on a hand-made case whose optimum is worked out by hand."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from planner.pipeline import Run, run_plan
from planner.render.wording import reason_text
from tests.helpers import offer, provider, site, workload, write_scenario

# (id, vCPU, RAM GiB); no storage, so a month costs 5v + 0.5m on `cheap`, 10v + m on `alpha`
WORKLOADS = [("a", 4, 8), ("b", 2, 16), ("c", 2, 4), ("d", 2, 2)]


def _run(tmp_path: Path, **cheap: Any) -> Run:
    path = write_scenario(
        tmp_path,
        sites=[site("alpha", vcpu=5, ram_gib=64, cost_vcpu=10, cost_ram=1)],
        providers=[provider("p", [offer("cheap", vcpu_price=5, ram_price=0.5, **cheap)])],
        workloads=[workload(wid, vcpu, ram) for wid, vcpu, ram in WORKLOADS],
        objective={"internal_preference_pct": 0},
    )
    return run_plan(path)


def _placements(run: Run) -> dict[str, str]:
    return {
        rc.name: rc.change.after.site
        for rc in run.plan.resource_changes
        if rc.type == "planner_placement" and rc.change.after
    }


def test_vcpu_quota_binds_and_the_rest_goes_in_house(tmp_path: Path) -> None:
    """Four new workloads, one site and one offer whose quota allows 6 vCPU.

    Monthly cost on cheap (5/vCPU + 0.5/GiB) and on alpha (10/vCPU + 1/GiB), twice as much:
      a (4 vCPU, 8 GiB): 24 or 48; b (2, 16): 18 or 36; c (2, 4): 12 or 24; d (2, 2): 11 or 22.
    All on cheap would cost 65 but take 10 vCPU of its quota of 6. Every workload has an even
    vCPU count and the 10 vCPU must fit in cheap (<= 6) and alpha (<= 5), so cheap takes exactly
    6 vCPU and alpha exactly 4; a plan costs 65 plus what alpha's workloads cost on cheap:
      alpha {c, d}: 65 + 23 = 88;  {a}: 89;  {b, d}: 94;  {b, c}: 95.
    The optimum: a and b on cheap (24 + 18 = 42), c and d on alpha (24 + 22 = 46), 88 a month.
    Shadow price, with placements divisible: a vCPU moved from alpha to cheap saves 24 / 4 = 6
    for a, 18 / 2 = 9 for b, 12 / 2 = 6 for c, 11 / 2 = 5.5 for d. The LP fills cheap's 6 vCPU
    with b and 4 vCPU of a and c, and alpha keeps d and 2 vCPU of a or c; a 7th vCPU of quota
    moves one more vCPU of a or c: 6 a month. Alpha keeps 1 vCPU free, so only the quota binds.
    """
    run = _run(tmp_path, quota={"vcpu": 6})
    assert _placements(run) == {"a": "cheap", "b": "cheap", "c": "alpha", "d": "alpha"}
    totals = run.plan.totals
    assert totals.monthly_cost_after_eur == pytest.approx(88.0)
    assert totals.cost_by_bucket_after_eur == {"internal": 46.0, "provider:p": 42.0}
    reasons = {rc.name: rc.reason for rc in run.plan.resource_changes if rc.reason}
    for wid, cheaper_eur in (("c", "12.00"), ("d", "11.00")):
        reason = reasons[wid]
        assert reason.code == "capacity_full"
        assert reason_text(reason) == (
            f"placed on alpha because cheaper places are full: cheap "
            f"(cheaper by €{cheaper_eur} / month) lacks vcpu (needs 2, 0 free)"
        )
    [price] = run.plan.shadow_prices
    assert (price.constraint, price.kind, price.place, price.resource) == (
        "quota:cheap:vcpu",
        "quota",
        "cheap",
        "vcpu",
    )
    assert price.value_eur_month == pytest.approx(6.0)
    assert price.gain_eur_month == pytest.approx(6.0)


def test_without_the_quota_everything_goes_to_the_offer(tmp_path: Path) -> None:
    """The same case with no quota: all four on cheap, 24 + 18 + 12 + 11 = 65 a month."""
    run = _run(tmp_path)
    assert _placements(run) == {"a": "cheap", "b": "cheap", "c": "cheap", "d": "cheap"}
    assert run.plan.totals.monthly_cost_after_eur == pytest.approx(65.0)
    assert run.plan.shadow_prices == ()


def test_a_ram_quota_limits_ram_not_vcpu(tmp_path: Path) -> None:
    """A quota of 26 GiB RAM and none on vCPU: all four need 8 + 16 + 4 + 2 = 30 GiB, so at
    least 4 GiB go to alpha. Moving c (4 GiB) costs 12 more; d alone frees too little (2 GiB);
    a (8 GiB) costs 24 more, b (16 GiB) 18, c and d 23. So c goes to alpha: 65 + 12 = 77, and
    cheap holds 8 vCPU. With placements divisible the cheapest GiB to move is b's (18 / 16 =
    1.125 a GiB): one more GiB of quota is worth 1.125 a month."""
    run = _run(tmp_path, quota={"ram_gib": 26})
    assert _placements(run) == {"a": "cheap", "b": "cheap", "c": "alpha", "d": "cheap"}
    assert run.plan.totals.monthly_cost_after_eur == pytest.approx(77.0)
    [price] = run.plan.shadow_prices
    assert (price.constraint, price.resource) == ("quota:cheap:ram_gib", "ram_gib")
    assert price.value_eur_month == pytest.approx(1.125)
    assert price.gain_eur_month == pytest.approx(1.125)
