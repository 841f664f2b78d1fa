"""A solve stopped at a loose gap tolerance is not called optimal: it says what is proven."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from planner.cli import app
from planner.optimise.solve import OPTIMAL_GAP_REL, SolveOptions, _closed
from planner.plan.document import load_plan
from planner.render import Format, render

RUNNER = CliRunner(env={"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"})


def test_a_gap_tolerance_of_5_percent_is_reported_as_such(tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    result = RUNNER.invoke(
        app, ["plan", "scenarios/baseline.yaml", "--gap", "0.05", "-f", "json", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    solver = json.loads(out.read_text())["solver"]
    assert solver["gap_pct"] > 100 * OPTIMAL_GAP_REL  # HiGHS stops well before closing it
    assert solver["status"] == "gap_limit"
    assert solver["proven_optimal"] is False
    assert solver["message"] == "stopped at the gap tolerance of 5 %"
    plan = load_plan(str(out))
    [line] = [x for x in render(plan, Format.text).splitlines() if x.startswith("Solver:")]
    assert line == (
        "Solver:          highs, within 5 % of the optimum (proven on the objective, which "
        "includes the preference weighting and amortised move costs), gap "
        f"{solver['gap_pct']:.2f} %; incumbent €{solver['objective_eur']:,.2f}, best bound "
        f"€{solver['bound_eur']:,.2f}"
    )
    assert "optimal (proven" not in render(plan, Format.md)
    assert "within 5 % of the optimum (proven), not proven optimal" in render(plan, Format.md)


def test_only_a_gap_of_at_most_the_default_tolerance_is_optimal() -> None:
    loose = SolveOptions(gap_rel=0.05)
    assert _closed(0.0, loose) and _closed(OPTIMAL_GAP_REL, loose)
    assert not _closed(0.046, loose)
    assert not _closed(None, loose)  # no bound to tell: the tolerance asked for decides
    assert _closed(None, SolveOptions(gap_rel=0.0))
