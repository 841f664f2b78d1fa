"""Properties of every roadmap, on random small ones (hypothesis): read back from the plan's
waves, every period respects each site's capacity, each wave its move and throughput limits
and freezes, each year its one-off budget; a sensitive workload is only on the offer while
its qualification holds for the whole period; anti-affinity replicas never share a place nor
a wave; no workload moves more than once."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from planner.errors import InfeasibleError
from planner.pipeline import run_plan
from planner.plan.roadmap_document import RoadmapPlan
from tests.helpers import offer, provider, site, workload, write_scenario

START = date(2027, 1, 1)
QUARTER_ENDS = [date(2027, 3, 31), date(2027, 6, 30), date(2027, 9, 30), date(2027, 12, 31)]
PLACES = ["alpha", "beta", "snc", "pub"]


@st.composite
def roadmaps(draw: st.DrawFn) -> dict[str, Any]:
    n = draw(st.integers(2, 6))
    loads = []
    for i in range(n):
        loads.append(
            {
                "id": f"w{i}",
                "vcpu": draw(st.integers(1, 4)),
                "data_class": draw(st.sampled_from(["public", "sensitive"])),
                "current": draw(st.sampled_from([*PLACES, None])),
                "move_cost": draw(st.sampled_from([0, 50, 400])),
            }
        )
    return {
        "loads": loads,
        "alpha_vcpu": draw(st.integers(2, 12)),
        "beta_vcpu": draw(st.integers(0, 8)),
        "snc_until": draw(st.sampled_from([None, *QUARTER_ENDS[:3], date(2027, 5, 15)])),
        "max_moves": draw(st.sampled_from([None, 1, 2])),
        "max_vcpu": draw(st.sampled_from([None, 3, 6])),
        "freeze": draw(st.sampled_from([[], ["2027-Q1"], ["2027-Q3"]])),
        "budget": draw(st.sampled_from([None, 0, 100, 450])),
        "replicas": draw(st.booleans()),
    }


def _scenario(spec: dict[str, Any], directory: Path) -> str:
    qualified: dict[str, Any] = {"name": "secnumcloud"}
    if spec["snc_until"] is not None:
        qualified["valid_until"] = spec["snc_until"]
    workloads = []
    for i, load in enumerate(spec["loads"]):
        extra: dict[str, Any] = {"move_cost_eur": load["move_cost"]}
        if load["current"] is not None:
            extra["current_site"] = load["current"]
        if spec["replicas"] and i < 2:
            extra["anti_affinity_group"] = "replicas"
        workloads.append(
            workload(
                load["id"], vcpu=load["vcpu"], ram_gib=1, data_class=load["data_class"], **extra
            )
        )
    waves: dict[str, Any] = {"freeze": spec["freeze"]}
    if spec["max_moves"] is not None:
        waves["max_moves"] = spec["max_moves"]
    if spec["max_vcpu"] is not None:
        waves["max_moved"] = {"vcpu": spec["max_vcpu"]}
    roadmap: dict[str, Any] = {
        "periods": {"start": START, "length": "quarter", "count": 4},
        "waves": waves,
    }
    if spec["budget"] is not None:
        roadmap["budgets"] = {"2027": {"migration_eur": spec["budget"]}}
    return write_scenario(
        directory,
        sites=[
            site("alpha", vcpu=spec["alpha_vcpu"], ram_gib=64),
            site("beta", vcpu=spec["beta_vcpu"], ram_gib=64, cost_vcpu=14),
        ],
        providers=[
            provider("trusty", [offer("snc", vcpu_price=12, qualifications=[qualified])]),
            provider("bigco", [offer("pub", vcpu_price=16)], eu=False),
        ],
        workloads=workloads,
        roadmap=roadmap,
    )


def _paths(plan: RoadmapPlan, spec: dict[str, Any]) -> dict[str, list[str]]:
    """Each workload's place in each period, from today's place and the waves' changes."""
    where = {load["id"]: load["current"] for load in spec["loads"]}
    paths: dict[str, list[str]] = {w: [] for w in where}
    for wave in plan.roadmap.waves:
        for rc in wave.resource_changes:
            if rc.type == "planner_placement":
                assert rc.change.before is None or rc.change.before.site == where[rc.name]
                where[rc.name] = None if rc.change.after is None else rc.change.after.site
        for w, place in where.items():
            assert place is not None, f"{w} unplaced in {wave.name}"
            paths[w].append(place)
    return paths


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(roadmaps())
def test_every_rule_holds_in_every_period(spec: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory(prefix="planner-roadmap-") as tmp:
        path = _scenario(spec, Path(tmp))
        try:
            plan = run_plan(path).plan
        except InfeasibleError:
            assume(False)
            return
    assert isinstance(plan, RoadmapPlan)
    loads = {load["id"]: load for load in spec["loads"]}
    paths = _paths(plan, spec)
    capacity = {"alpha": spec["alpha_vcpu"], "beta": spec["beta_vcpu"]}
    for t, wave in enumerate(plan.roadmap.waves):
        for place, limit in capacity.items():
            used = sum(loads[w]["vcpu"] for w, p in paths.items() if p[t] == place)
            assert used <= limit + 1e-6
        moved = [
            w
            for w, p in paths.items()
            if (p[t - 1] if t else loads[w]["current"]) not in (None, p[t])
        ]
        assert wave.totals.moves == len(moved)
        if spec["max_moves"] is not None:
            assert len(moved) <= spec["max_moves"]
        if spec["max_vcpu"] is not None:
            assert sum(loads[w]["vcpu"] for w in moved) <= spec["max_vcpu"]
        if wave.name in spec["freeze"]:
            assert moved == []
        assert wave.totals.one_off_eur == sum(loads[w]["move_cost"] for w in moved)
        assert wave.one_off_eur == {w: loads[w]["move_cost"] for w in moved}
        if spec["replicas"]:
            assert not {"w0", "w1"} <= set(moved)
            assert paths["w0"][t] != paths["w1"][t]
        for w, p in paths.items():
            if loads[w]["data_class"] == "sensitive":
                assert p[t] != "pub"
                if p[t] == "snc" and spec["snc_until"] is not None:
                    assert QUARTER_ENDS[t] <= spec["snc_until"]
    if spec["budget"] is not None:
        assert plan.roadmap.years[0].migration_eur <= spec["budget"] + 1e-6
    for w, p in paths.items():
        changes = sum(
            1 for a, b in zip([loads[w]["current"], *p], p, strict=False) if a not in (None, b)
        )
        assert changes <= 1
