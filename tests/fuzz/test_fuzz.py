"""Fuzz `validate` and `plan` with mutated demo files (docs/fuzzing.md).

A few hundred examples by default; PLANNER_FUZZ_EXAMPLES=10000 runs that many per test. The
examples are derandomized: every run tries the same inputs (PLANNER_FUZZ_SEED=N tries others).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, note, seed, settings
from hypothesis import strategies as st

from tests.fuzz.mutations import mutated_files
from tests.fuzz.oracle import Outcome, plan_problems, run, validate_problems
from tests.fuzz.seed import (
    CATALOG_FILES,
    SCENARIO_FILES,
    Seed,
    plan_seed,
    validate_seed,
    write_seed,
)

VALIDATE_EXAMPLES = 200
PLAN_EXAMPLES = 120


def fuzz_settings(default_examples: int) -> Callable[[Any], Any]:
    """Hypothesis settings of a fuzz test: reproducible, no deadline, no example database."""
    examples = int(os.environ.get("PLANNER_FUZZ_EXAMPLES") or default_examples)
    chosen = os.environ.get("PLANNER_FUZZ_SEED")
    config = settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=chosen is None,
        print_blob=False,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
        ],
    )

    def apply(test: Any) -> Any:
        test = config(test)
        return seed(int(chosen))(test) if chosen is not None else test

    return apply


class Workspace:
    """A throw-away git repository holding the seed's catalogs/ and scenarios/, reset to the
    seed (then mutated) for every example."""

    def __init__(self, root: Path, files: Seed) -> None:
        self.root = root
        self.files = files
        root.mkdir(parents=True, exist_ok=True)
        subprocess.run(["git", "init", "-q", str(root)], check=True)

    def lay_out(self, files: Seed) -> None:
        for folder in ("catalogs", "scenarios"):
            shutil.rmtree(self.root / folder, ignore_errors=True)
        write_seed(self.root, files)


@pytest.fixture(scope="module")
def validate_space(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return Workspace(tmp_path_factory.mktemp("fuzz-validate"), validate_seed())


@pytest.fixture(scope="module")
def plan_space(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return Workspace(tmp_path_factory.mktemp("fuzz-plan"), plan_seed())


def _report(outcome: Outcome, problems: list[str]) -> str:
    return (
        "\n".join(problems) + f"\n$ planner {' '.join(outcome.args)}\n"
        f"exit {outcome.exit_code}\n--- stdout\n{outcome.stdout[-2000:]}\n"
        f"--- stderr\n{outcome.stderr[-3000:]}"
    )


def _with_debug(args: list[str]) -> str:
    """The traceback behind an internal error, for the failure message."""
    again = run(["--debug", *args])
    return again.stderr[-4000:]


def test_the_seeds_validate_and_plan_cleanly(
    validate_space: Workspace, plan_space: Workspace
) -> None:
    """Unmutated, the seeds pass every check: a failure of the fuzz is the mutation's doing."""
    validate_space.lay_out(validate_space.files)
    plan_space.lay_out(plan_space.files)
    for scenario in SCENARIO_FILES:
        checked = run(["validate", str(validate_space.root / scenario)])
        assert checked.exit_code in (0, 1), checked.stderr
        assert validate_problems(checked, Path.cwd()) == []
        planned = run(["plan", str(plan_space.root / scenario), "-f", "json", "--time-limit", "5"])
        assert plan_problems(planned, Path.cwd()) == [], planned.stderr
        expected = 3 if scenario.endswith("what-if-impossible.yaml") else 0
        assert planned.exit_code == expected, planned.stderr


@fuzz_settings(VALIDATE_EXAMPLES)
@given(data=st.data())
def test_validate_mutated_demo(validate_space: Workspace, data: st.DataObject) -> None:
    scenario = data.draw(st.sampled_from(SCENARIO_FILES), label="scenario")
    targets = (*CATALOG_FILES, scenario)
    files, notes = data.draw(mutated_files(validate_space.files, targets), label="mutations")
    for line in notes:
        note(line)
    validate_space.lay_out(files)
    root = validate_space.root
    paths = data.draw(
        st.sampled_from(
            [[root / scenario]] * 4 + [[root / "catalogs"]] + [[root / "catalogs", root / scenario]]
        ),
        label="paths",
    )
    args = ["validate", *map(str, paths)]
    outcome = run(args)
    problems = validate_problems(outcome, Path.cwd())
    if problems and outcome.exit_code == 1 and "internal error" in outcome.stderr:
        problems.append(_with_debug(args))
    assert not problems, _report(outcome, problems)


@fuzz_settings(PLAN_EXAMPLES)
@given(data=st.data())
def test_plan_mutated_demo(plan_space: Workspace, data: st.DataObject) -> None:
    scenario = data.draw(st.sampled_from(SCENARIO_FILES), label="scenario")
    targets = (*CATALOG_FILES, scenario)
    files, notes = data.draw(mutated_files(plan_space.files, targets), label="mutations")
    for line in notes:
        note(line)
    plan_space.lay_out(files)
    args = ["plan", str(plan_space.root / scenario), "-f", "json", "--time-limit", "5"]
    outcome = run(args)
    problems = plan_problems(outcome, Path.cwd())
    if problems and "internal error" in outcome.stderr:
        problems.append(_with_debug(args))
    assert not problems, _report(outcome, problems)
