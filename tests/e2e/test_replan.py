"""Ties break the same way whatever the input order, and toward staying where one is."""

from __future__ import annotations

import csv
import io
import json
import random
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from planner.cli import app

ROOT = Path(__file__).resolve().parents[2]
RUNNER = CliRunner(env={"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"})


def _demo(tmp_path: Path, name: str) -> Path:
    """A copy of the demo catalogs with the baseline scenario; returns the scenario."""
    root = tmp_path / name
    shutil.copytree(ROOT / "catalogs", root / "catalogs")
    (root / "scenarios").mkdir()
    shutil.copy(ROOT / "scenarios" / "baseline.yaml", root / "scenarios" / "baseline.yaml")
    return root / "scenarios" / "baseline.yaml"


def _shuffle_yaml(path: Path, key: str, rng: random.Random, nested: str | None = None) -> None:
    data: dict[str, Any] = yaml.safe_load(path.read_text())
    rng.shuffle(data[key])
    if nested is not None:
        for item in data[key]:
            rng.shuffle(item.get(nested, []))
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def _shuffle_csv(path: Path, rng: random.Random) -> None:
    rows = list(csv.reader(io.StringIO(path.read_text(), newline="")))
    body = rows[1:]
    rng.shuffle(body)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([rows[0], *body])
    path.write_text(out.getvalue())


def _plan_json(root: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The JSON plan of `root`/scenarios/baseline.yaml, planned from `root`."""
    with monkeypatch.context() as patch:
        patch.chdir(root)
        result = RUNNER.invoke(app, ["plan", "scenarios/baseline.yaml", "-f", "json"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    data["scenario"].pop("catalog_digests")  # the files' bytes differ, by construction
    return data


@pytest.fixture(scope="module")
def as_written() -> dict[str, Any]:
    with pytest.MonkeyPatch.context() as patch:
        return _plan_json(ROOT, patch)


def test_an_applied_plan_planned_again_has_no_changes(tmp_path: Path) -> None:
    applied = tmp_path / "applied.json"
    first = RUNNER.invoke(
        app, ["plan", "scenarios/baseline.yaml", "-f", "json", "-o", str(applied)]
    )
    assert first.exit_code == 0, first.output
    again = RUNNER.invoke(
        app, ["plan", "scenarios/baseline.yaml", "--baseline", str(applied), "--detailed-exitcode"]
    )
    assert again.exit_code == 0, again.stdout
    assert "No changes. The current placement is already the best one" in again.stdout
    assert "One-off moves:   €0.00 for 0 moves" in again.stdout


def _placements(plan: dict[str, Any]) -> dict[str, Any]:
    return {rc["name"]: rc["change"]["after"] for rc in plan["resource_changes"]}


def test_the_order_of_the_workloads_does_not_change_the_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, as_written: dict[str, Any]
) -> None:
    catalogs = _demo(tmp_path, "shuffled").parent.parent / "catalogs"
    rng = random.Random(1)
    _shuffle_yaml(catalogs / "workloads.yaml", "workloads", rng)
    _shuffle_csv(catalogs / "inventory.csv", rng)
    shuffled = _plan_json(catalogs.parent, monkeypatch)
    assert json.dumps(shuffled, sort_keys=True) == json.dumps(as_written, sort_keys=True)


def test_the_order_of_sites_and_offers_does_not_change_a_decision(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, as_written: dict[str, Any]
) -> None:
    # the plan lists places in catalog order; what goes where does not depend on it
    catalogs = _demo(tmp_path, "shuffled").parent.parent / "catalogs"
    rng = random.Random(2)
    _shuffle_yaml(catalogs / "workloads.yaml", "workloads", rng)
    _shuffle_csv(catalogs / "inventory.csv", rng)
    _shuffle_yaml(catalogs / "sites.yaml", "sites", rng, nested="expansion_blocks")
    _shuffle_yaml(catalogs / "providers.yaml", "providers", rng, nested="offers")
    shuffled = _plan_json(catalogs.parent, monkeypatch)
    assert _placements(shuffled) == _placements(as_written)
    assert (
        shuffled["totals"]["monthly_cost_after_eur"]
        == as_written["totals"]["monthly_cost_after_eur"]
    )
