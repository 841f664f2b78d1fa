"""The scenario's time limit bounds the whole run, and the plan says what it cut short."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
import yaml

from benchmarks.fleet import generate, write_fleet
from planner.errors import SolverError
from planner.pipeline import run_plan
from planner.render.json_format import render_json
from planner.render.text import render_text
from planner.render.wording import cut_text

LIMIT_S = 2.0
MARGIN_S = 2.0  # loading, candidates, building and extracting the plan are not budgeted
REFERENCE_CUT = (
    "share-cap reference solve: stopped at its time limit, not proven optimal (the "
    "share caps are shares of the spend of the plan it found)"
)
SHADOW_CUTS = ("shadow prices: skipped (time limit)", " re-solves skipped (time limit)")


def _fleet(directory: Path) -> str:
    # 1,000 workloads on 15 places, solved to a zero gap under a provider share cap: two MILPs
    # that each take far more than the limit (each used to get the whole of it)
    scenario = write_fleet(generate(1000, 15, seed=1), directory, time_limit_s=LIMIT_S, gap_rel=0.0)
    data = yaml.safe_load(scenario.read_text(encoding="utf-8"))
    data["caps"] = {"max_provider_share_pct": 30}
    scenario.write_text(yaml.safe_dump(data), encoding="utf-8")
    return str(scenario)


def test_a_tiny_time_limit_bounds_the_run_and_the_plan_names_the_cuts(tmp_path: Path) -> None:
    scenario = _fleet(tmp_path)
    start = time.perf_counter()
    run = run_plan(scenario)
    wall_s = time.perf_counter() - start
    assert wall_s <= LIMIT_S + MARGIN_S, run.seconds
    cut = tuple(map(cut_text, run.plan.solver.cut_short))
    assert cut[0] == REFERENCE_CUT
    assert all(line == SHADOW_CUTS[0] or line.endswith(SHADOW_CUTS[1]) for line in cut[1:])
    if SHADOW_CUTS[0] in cut:
        assert run.plan.shadow_prices == ()
    assert [c["text"] for c in json.loads(render_json(run.plan))["solver"]["cut_short"]] == list(
        cut
    )
    assert f"\nCut short:       {'; '.join(cut)}\n" in render_text(run.plan)


def test_a_generous_limit_cuts_nothing() -> None:
    run = run_plan("tests/fixtures/share-caps/provider-share.yaml", time_limit_s=60.0)
    assert run.result.share_reference_eur == 620.0  # the reference solve ran
    assert run.plan.shadow_prices  # and the shadow prices with their re-solves
    assert run.plan.solver.cut_short == ()
    assert "cut_short" not in json.loads(render_json(run.plan))["solver"]
    assert "Cut short" not in render_text(run.plan)


def test_a_limit_too_small_for_any_plan_says_it_is_shared(tmp_path: Path) -> None:
    scenario = _fleet(tmp_path)
    with pytest.raises(SolverError) as info:
        run_plan(scenario, time_limit_s=0.001)
    assert info.value.exit_code == 4
    # the reference solve: a third of the main solve's 0.0009 s (what is left less 10 %)
    found = re.fullmatch(
        r"the highs solver stopped without a plan \(no_solution: Time limit reached\); this "
        r"solve without the share caps had ([0-9.e-]+) s of the run's time limit of 0\.001 s, "
        r"shared by all its solves \(raise it with --time-limit\)",
        str(info.value),
    )
    assert found is not None, str(info.value)
    assert 0.0 < float(found.group(1)) <= 0.0003
