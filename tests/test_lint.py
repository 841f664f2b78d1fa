"""ruff and mypy are part of the test suite, so CI keeps the code clean."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _tool(name: str) -> str:
    path = Path(sys.executable).parent / name
    found = str(path) if path.exists() else shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed")
    return found


def test_ruff_clean() -> None:
    result = subprocess.run(
        [_tool("ruff"), "check", "planner", "tests", "benchmarks"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_applied() -> None:
    result = subprocess.run(
        [_tool("ruff"), "format", "--check", "planner", "tests", "benchmarks", "catalogs"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_clean() -> None:
    """Strict mypy on the package, its tests and its benchmarks."""
    result = subprocess.run(
        [_tool("mypy"), "planner", "tests", "benchmarks"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_architecture_contracts_hold() -> None:
    """import-linter: stages import only earlier stages; only optimise imports pulp/highspy."""
    result = subprocess.run(
        [_tool("lint-imports"), "--no-cache"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_architecture_contracts_catch_a_violation(tmp_path: Path) -> None:
    """The same contracts on a copy of the package where a renderer imports pulp and the
    candidates import the optimiser: both are reported broken."""
    shutil.copytree(
        ROOT / "planner", tmp_path / "planner", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    with open(tmp_path / "planner" / "render" / "text.py", "a") as handle:
        handle.write("\nimport pulp  # noqa\n")
    with open(tmp_path / "planner" / "candidates" / "costs.py", "a") as handle:
        handle.write("\nimport planner.optimise.solve  # noqa\n")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    result = subprocess.run(
        [_tool("lint-imports"), "--no-cache"], cwd=tmp_path, capture_output=True, text=True, env=env
    )
    assert result.returncode == 1, result.stdout
    assert "planner.render.text -> pulp" in result.stdout
    assert "planner.candidates is not allowed to import planner.optimise" in result.stdout
