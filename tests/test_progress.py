"""Progress: stages in order, live elapsed time, the solver's incumbent and gap."""

from __future__ import annotations

import time
from pathlib import Path

from rich.console import Console

from benchmarks.fleet import generate, write_fleet
from planner.candidates.pruning import prune_dominated
from planner.candidates.units import build_candidates
from planner.cli.common import StageLine
from planner.inputs import load_inputs
from planner.optimise.caps import model_kinds
from planner.optimise.model import build_model
from planner.optimise.solve import SolveOptions, solve
from planner.pipeline import run_plan

TINY = str(Path(__file__).parent / "fixtures" / "tiny" / "scenario.yaml")


def test_stage_line_shows_the_stage_and_the_elapsed_time() -> None:
    line = StageLine(time.perf_counter() - 2.0)
    line.stage = "building the model"
    console = Console(width=80, record=True, color_system=None)
    console.print(line)
    text = console.export_text()
    assert text.startswith("building the model (2.")
    assert text.rstrip().endswith(" s)")


def test_the_pipeline_reports_each_stage_in_order() -> None:
    seen: list[str] = []
    run_plan(TINY, progress=seen.append)
    stages = [s for s in seen if "best plan" not in s]
    assert stages == [
        "loading and checking the catalogs",
        "computing eligible placements and costs",
        "building the model",
        "solving with highs (time limit 60 s)",
        "computing shadow prices",
    ]


def test_the_solver_reports_incumbents_with_their_gap(tmp_path: Path) -> None:
    scenario = write_fleet(generate(300, 12, seed=9), tmp_path)
    inputs = load_inputs(str(scenario))
    model = build_model(
        inputs, prune_dominated(inputs, build_candidates(inputs), model_kinds(inputs.scenario.caps))
    )
    reports: list[tuple[float | None, float | None, float | None]] = []
    result = solve(
        model, SolveOptions(time_limit_s=60.0, gap_rel=0.001), lambda *r: reports.append(r)
    )
    assert reports
    for incumbent, bound, gap in reports:
        if incumbent is not None and bound is not None:
            assert incumbent >= bound - 1e-6
            assert gap is not None and gap >= -1e-9
    assert result.objective is not None
    assert min(r[0] for r in reports if r[0] is not None) >= result.objective - 1e-6
