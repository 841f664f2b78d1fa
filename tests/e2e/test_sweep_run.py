"""A sweep of every variation kind on the tiny estate, on a local cluster of two workers.

Costs worked by hand (tests/fixtures/tiny): w1 and w2 (sensitive, 4 vCPU, 16 GiB, 100 GiB)
cost 4x10 + 16x1 + 100x0.1 = 66 each at alpha (8 vCPU: both fit exactly) and 4x20 + 16x2 +
100x0.2 = 132 each at snc; w3 (public, 2 vCPU, 8 GiB) costs 30 at pub (flavour small), 28 at
alpha (which then needs its rack, 1200/12 + 20 = 120 / month) and 56 at snc. So the base
costs 66 + 66 + 30 = 162; alpha lost: 132 + 132 + 30 = 294; alpha's vCPU +20 (146 each):
294, +5 (86 each): 202; no outsourcing: 66 + 66 + 28 + 120 = 280; w2 goes to snc when snc's
prices are multiplied by less than 66/132 = 0.5.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from planner.pipeline import run_plan
from planner.render.sweep import render_sweep_html, render_sweep_text
from planner.sweep.run import Outcome, run_sweep
from planner.sweep.summary import summarise
from planner.sweep.variants import load_sweep
from planner.sweep.worker import placements_of

ROOT = Path(__file__).resolve().parents[2]
SWEEP = ROOT / "tests" / "fixtures" / "sweep" / "all-kinds.yaml"


@pytest.fixture(scope="module")
def ran(tmp_path_factory: pytest.TempPathFactory) -> tuple[Outcome, Path]:
    results = tmp_path_factory.mktemp("sweep") / "r.jsonl"
    outcome = run_sweep(load_sweep(str(SWEEP), str(ROOT)), str(results), workers=2)
    return outcome, results


def _by_label(outcome: Outcome) -> dict[str, dict[str, Any]]:
    """Records by label, each with its whole `placements` map (variants keep only what moved
    from the base)."""
    base = outcome.records[outcome.variants[0].key]
    return {
        v.label: {
            **outcome.records[v.key],
            "placements": placements_of(outcome.records[v.key], base),
        }
        for v in outcome.variants
    }


def test_variants_keep_only_what_moved(ran: tuple[Outcome, Path]) -> None:
    outcome = ran[0]
    lost = next(outcome.records[v.key] for v in outcome.variants if v.label == "site alpha lost")
    assert "placements" not in lost
    assert lost["moved_from_base"] == {"w1": "snc", "w2": "snc"}


def test_costs_worked_by_hand(ran: tuple[Outcome, Path]) -> None:
    records = _by_label(ran[0])
    assert records["base scenario"]["monthly_cost_eur"] == 162.0
    assert records["base scenario"]["placements"] == {"w1": "alpha", "w2": "alpha", "w3": "pub"}
    lost = records["site alpha lost"]
    assert (lost["monthly_cost_eur"], lost["placements"]) == (
        294.0,
        {"w1": "snc", "w2": "snc", "w3": "pub"},
    )
    assert records["sites[alpha].unit_costs_eur_month.vcpu add 5"]["monthly_cost_eur"] == 202.0
    assert records["sites[alpha].unit_costs_eur_month.vcpu add 20"]["monthly_cost_eur"] == 294.0
    cap0 = records["max_outsourced_share_pct = 0"]
    assert (cap0["monthly_cost_eur"], cap0["outsourced_share_pct"]) == (280.0, 0.0)
    assert cap0["placements"] == {"w1": "alpha", "w2": "alpha", "w3": "alpha"}
    assert records["max_outsourced_share_pct = 50"]["monthly_cost_eur"] == 162.0


def test_break_even_brackets_the_hand_value(ran: tuple[Outcome, Path]) -> None:
    [b] = ran[0].break_evens
    assert b.found and b.below < 0.5 <= b.above and b.above - b.below <= 0.01
    assert (b.state_below, b.state_above, b.watch) == ("snc", "alpha", "w2")
    # low and high, then halvings of 0.9 down to at most 0.01: ceil(log2(90)) = 7
    assert b.steps == 9


def test_same_as_planning_the_variant_directly(ran: tuple[Outcome, Path], tmp_path: Path) -> None:
    """The site-loss variant equals `planner plan` of the same what-if written as overrides."""
    tiny = ROOT / "tests" / "fixtures" / "tiny"
    scenario = tmp_path / "lost.yaml"
    scenario.write_text(
        "name: lost\nreference_date: 2026-11-29\ncatalogs:\n"
        f"  sites: [{tiny / 'sites.yaml'}]\n  providers: [{tiny / 'providers.yaml'}]\n"
        f"  workloads: [{tiny / 'workloads.yaml'}]\n  policy: {tiny / 'policy.yaml'}\n"
        "overrides:\n  sites:\n    alpha:\n"
        "      capacity: {vcpu: 0, ram_gib: 0, storage_gib: 0, gpu: 0}\n"
        "      expansion_blocks: []\n",
        encoding="utf-8",
    )
    plan = run_plan(str(scenario), root=str(ROOT)).plan
    record = _by_label(ran[0])["site alpha lost"]
    assert record["monthly_cost_eur"] == round(plan.totals.monthly_cost_after_eur, 6)
    assert record["one_off_eur"] == round(plan.totals.one_off_migration_eur, 6)
    placed = {
        rc.name: rc.change.after.site
        for rc in plan.resource_changes
        if rc.type == "planner_placement" and rc.change.after is not None
    }
    assert record["placements"] == placed


def test_summary(ran: tuple[Outcome, Path]) -> None:
    summary = summarise(ran[0])
    assert summary["variants"] == 22 and summary["statuses"] == {"optimal": 22}
    grid, samples, each, pareto, _be = summary["variations"]
    assert [b["parameter"] for b in grid["tornado"]] == [
        "sites[alpha].unit_costs_eur_month.vcpu add",
        "offers[snc].unit_prices_eur_month.* multiply",
    ]
    assert grid["tornado"][0]["swing_eur"] == 294.0 - 202.0
    assert samples["variants"] == 4
    assert each["losses"] == [
        {
            "member": "alpha",
            "what": "site_lost",
            "status": "optimal",
            "monthly_cost_eur": 294.0,
            "one_off_eur": 0.0,
            "absorbed": True,
            "difference_eur": 132.0,
        }
    ]
    points = pareto["pareto"]["points"]
    assert [p["on_front"] for p in points] == [True, False, True]
    assert points[1]["eur_month_per_unit"] == (280.0 - 162.0) / 40
    text = render_sweep_text(summary)
    assert "  alpha                        absorbed: €294.00 / month (+€132.00)" in text
    html = render_sweep_html(summary)
    assert html.count("<svg") == 7  # grid: histogram, tornado, stability; samples: 2; front; losses
    assert "Content-Security-Policy\" content=\"default-src 'none'" in html
    assert "<script" not in html and "src=" not in html and "url(" not in html


def test_every_variant_once_in_the_results_file(ran: tuple[Outcome, Path]) -> None:
    outcome, results = ran
    keys = [json.loads(line)["key"] for line in results.read_text().splitlines()]
    assert sorted(keys) == sorted({v.key for v in outcome.variants})


def test_resume_skips_what_is_done(ran: tuple[Outcome, Path], tmp_path: Path) -> None:
    outcome, results = ran
    copy = tmp_path / "r.jsonl"
    lines = results.read_text().splitlines(keepends=True)
    dropped = json.loads(lines[3])["key"]
    # one record lost, and a torn line from a crash at the end
    copy.write_text("".join(lines[:3] + lines[4:]) + lines[3][:25])
    again = run_sweep(load_sweep(str(SWEEP), str(ROOT)), str(copy), resume=True, workers=1)
    assert (again.ran, again.reused, again.ignored_torn_bytes) == (1, 21, 25)
    assert again.records[dropped] | {"run": None} == outcome.records[dropped] | {"run": None}
    keys = [json.loads(line)["key"] for line in copy.read_text().splitlines()]
    assert sorted(keys) == sorted({v.key for v in outcome.variants})
    # done: nothing runs (no cluster is started)
    third = run_sweep(load_sweep(str(SWEEP), str(ROOT)), str(copy), resume=True)
    assert (third.ran, third.reused) == (0, 22)
    assert summarise(third)["variations"] == summarise(outcome)["variations"]


def test_cli_refuses_an_existing_results_file(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from planner.cli import app

    shutil.copy(SWEEP, tmp_path / "s.yaml")
    (tmp_path / "r.jsonl").write_text("")
    result = CliRunner().invoke(app, ["sweep", str(SWEEP), "--results", str(tmp_path / "r.jsonl")])
    assert result.exit_code == 1
    assert "the results file exists" in result.output
