"""Golden files of the text and JSON plans of every demo scenario.

Update them with `pytest tests/e2e/test_golden.py --update-goldens` and review the diff.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.cli import app
from tests.golden_files import assert_golden

ROOT = Path(__file__).resolve().parents[2]
# a roadmap's solve stops at its time limit on a loaded machine, so its plan is not
# reproducible: roadmaps are tested by tests/unit/test_roadmap*.py instead
SCENARIOS = sorted(
    p.stem for p in (ROOT / "scenarios").glob("*.yaml") if not p.stem.startswith("roadmap-")
)
_SECONDS = re.compile(r", \d+\.\d\d s$", re.MULTILINE)


def scrub(text: str) -> str:
    """Remove the only value that changes between identical runs: the solve time."""
    return _SECONDS.sub(", <seconds> s", text)


@pytest.fixture(scope="module")
def outputs() -> dict[str, dict[str, str]]:
    runner = CliRunner(env={"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"})
    out: dict[str, dict[str, str]] = {}
    for scenario in SCENARIOS:
        path = f"scenarios/{scenario}.yaml"
        json_result = runner.invoke(app, ["plan", path, "-f", "json"])
        if json_result.exit_code == 3:  # deliberately impossible: its diagnosis is the golden
            out[scenario] = {"json": json_result.stdout, "text": json_result.stderr}
            continue
        assert json_result.exit_code == 0, json_result.output
        # the text view re-renders the same plan: no second solve
        from planner.plan.document import Plan
        from planner.render import Format, render

        plan = Plan.model_validate_json(json_result.stdout)
        out[scenario] = {"json": json_result.stdout, "text": render(plan, Format.text)}
    return out


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_demo_plan_json(
    scenario: str, outputs: dict[str, dict[str, str]], update_goldens: bool
) -> None:
    assert_golden(f"{scenario}.plan.json", outputs[scenario]["json"], update_goldens)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_demo_plan_text(
    scenario: str, outputs: dict[str, dict[str, str]], update_goldens: bool
) -> None:
    assert_golden(f"{scenario}.plan.txt", scrub(outputs[scenario]["text"]), update_goldens)
