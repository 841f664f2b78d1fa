"""Properties every plan must have, on random small scenarios (hypothesis)."""

from __future__ import annotations

import tempfile
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from planner.candidates.costs import Pricing
from planner.candidates.units import refusals_for
from planner.errors import InfeasibleError, InputError
from planner.inputs.schema import RESOURCES
from planner.pipeline import run_plan
from tests.helpers import offer, provider, site, workload, write_scenario

SNC = [{"name": "secnumcloud", "status": "qualified", "valid_until": date(2027, 12, 31)}]


@st.composite
def scenarios(draw: st.DrawFn) -> dict[str, Any]:
    n_sites = draw(st.integers(1, 3))
    sites = []
    for i in range(n_sites):
        blocks = []
        if draw(st.booleans()):
            blocks = [
                {
                    "id": "rack",
                    "adds": {"vcpu": 8, "ram_gib": 32},
                    "capex_eur": draw(st.sampled_from([0, 600, 2400])),
                    "amortisation_months": 12,
                    "max_blocks": draw(st.integers(0, 2)),
                }
            ]
        sites.append(
            site(
                f"s{i}",
                vcpu=draw(st.sampled_from([4, 8, 16])),
                ram_gib=draw(st.sampled_from([16, 32, 64])),
                cost_vcpu=draw(st.integers(5, 20)),
                operation_24_7=draw(st.booleans()),
                headroom_pct=draw(st.sampled_from([0, 10])),
                expansion_blocks=blocks,
            )
        )
    offers_eu = [
        offer(
            f"e{i}",
            draw(st.integers(8, 30)),
            1.0,
            qualifications=SNC if draw(st.booleans()) else [],
            fixed_cost_eur_month=draw(st.sampled_from([0, 0, 50])),
        )
        for i in range(draw(st.integers(0, 2)))
    ]
    offers_us = [offer("us0", draw(st.integers(5, 25)), 0.5)] if draw(st.booleans()) else []
    providers = [provider("eu", offers_eu)] if offers_eu else []
    providers += [provider("us", offers_us, eu=False)] if offers_us else []
    places = [s["id"] for s in sites] + [o["id"] for o in offers_eu + offers_us]
    workloads = []
    for i in range(draw(st.integers(1, 9))):
        extra: dict[str, Any] = {}
        if draw(st.integers(0, 3)) == 0:
            extra["affinity_group"] = f"a{draw(st.integers(0, 1))}"
        elif draw(st.integers(0, 3)) == 0:
            extra["anti_affinity_group"] = f"x{draw(st.integers(0, 1))}"
        if draw(st.integers(0, 2)) == 0:
            extra["current_site"] = draw(st.sampled_from(places))
            extra["move_cost_eur"] = float(draw(st.sampled_from([0, 100])))
        workloads.append(
            workload(
                f"w{i}",
                draw(st.sampled_from([1, 2, 4])),
                draw(st.sampled_from([2, 8, 16])),
                draw(st.sampled_from(["public", "public", "sensitive", "personal"])),
                needs_24_7=draw(st.booleans()),
                retire=draw(st.integers(0, 9)) == 0,
                **extra,
            )
        )
    caps: dict[str, Any] = {}
    if draw(st.booleans()):
        caps["max_outsourced_share_pct"] = float(draw(st.sampled_from([0, 30, 60])))
    if draw(st.booleans()):
        caps["max_moves"] = draw(st.integers(0, 2))
    return {
        "sites": sites,
        "providers": providers,
        "workloads": workloads,
        "caps": caps,
        "objective": {"internal_preference_pct": float(draw(st.sampled_from([0, 15])))},
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_any_plan_respects_capacity_eligibility_groups_and_caps(spec: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = write_scenario(Path(tmp), **spec)
        try:
            run = run_plan(path)
        except (InfeasibleError, InputError) as exc:
            event(f"no plan: {type(exc).__name__}")
            return  # no plan is a valid answer; the property is about plans that exist
        event("plan")
        plan, inputs = run.plan, run.inputs
        placed = {
            rc.name: rc.change.after
            for rc in plan.resource_changes
            if rc.type == "planner_placement" and rc.change.after is not None
        }
        live = {w.id: w for w in inputs.workloads if not w.retire}
        assert set(placed) == set(live)
        used: dict[tuple[str, str], float] = defaultdict(float)
        for wid, after in placed.items():
            verdict = refusals_for(inputs, live[wid])[after.site]
            assert isinstance(verdict, Pricing), (wid, after.site, verdict)
            assert abs(verdict.run_cost_eur_month - after.cost_eur_month) < 0.006
            for r, amount in zip(RESOURCES, verdict.capacity_use, strict=True):
                used[after.site, r] += amount
        for use in plan.totals.sites:
            for r in RESOURCES:
                assert used[use.site, r] <= use.usable_after[r] + 1e-6
                assert abs(used[use.site, r] - use.used_after[r]) < 1e-6
        groups: dict[str, set[str]] = defaultdict(set)
        apart: dict[str, list[str]] = defaultdict(list)
        for wid, w in live.items():
            if w.affinity_group:
                groups[w.affinity_group].add(placed[wid].site)
            if w.anti_affinity_group:
                apart[w.anti_affinity_group].append(placed[wid].site)
        assert all(len(sites) == 1 for sites in groups.values())
        assert all(len(s) == len(set(s)) for s in apart.values())
        caps = inputs.scenario.caps
        if caps.max_outsourced_share_pct is not None:
            assert plan.totals.outsourced_share_pct <= caps.max_outsourced_share_pct + 0.01
        if caps.max_moves is not None:
            assert plan.totals.moves <= caps.max_moves
        after_total = sum(plan.totals.cost_by_bucket_after_eur.values())
        assert abs(after_total - plan.totals.monthly_cost_after_eur) < 0.02
        assert plan.solver.proven_optimal
