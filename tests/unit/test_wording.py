"""Codes and numbers in the core, words in render: the reasons, caps and cuts a plan carries
are typed facts, and planner/render/wording.py is what turns them into sentences."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import get_args

from planner.optimise.caps import CapRef
from planner.pipeline import run_plan
from planner.plan.document import CutRecord
from planner.plan.facts import (
    CapacityFull,
    Cheapest,
    Comparison,
    ForcedByCap,
    PricedBlock,
    ReasonCode,
    Shortfall,
)
from planner.render.wording import REASON_SUMMARIES, cap_label, cut_text, reason_text

CORE = ("candidates", "optimise", "plan")


def _strings(path: Path) -> list[tuple[int, str]]:
    """The string constants of a module that are not docstrings, with their lines."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def test_no_core_module_formats_a_euro_amount() -> None:
    root = Path(__file__).resolve().parents[2] / "planner"
    found = [
        f"{path.relative_to(root)}:{line}"
        for stage in CORE
        for path in sorted((root / stage).rglob("*.py"))
        for line, text in _strings(path)
        if "€" in text or "/ month" in text
    ]
    assert found == []


def test_every_reason_code_has_its_summary() -> None:
    assert set(REASON_SUMMARIES) == set(get_args(ReasonCode))


def test_a_reason_carries_its_numbers() -> None:
    # tiny: w1 on alpha at 66 (next: snc at 132); w3 on pub (30) as alpha (28) is full
    run = run_plan("tests/fixtures/tiny/scenario.yaml")
    reasons = {rc.name: rc.reason for rc in run.plan.resource_changes if rc.reason}
    assert reasons["w1"] == Cheapest(
        place="alpha", cost_eur_month=66.0, runner="snc", runner_eur_month=132.0
    )
    w3 = reasons["w3"]
    assert isinstance(w3, CapacityFull) and (w3.place, w3.internal, w3.best_is_full) == (
        "pub",
        False,
        True,
    )
    [alpha] = w3.full
    assert (alpha.comparison.place, alpha.comparison.verdict) == ("alpha", "cheaper")
    assert round(alpha.comparison.difference_eur_month, 6) == 2.0
    assert alpha.shortfalls == (
        Shortfall(resource="vcpu", needed=2, free=0),
        Shortfall(resource="ram_gib", needed=8, free=0),
    )
    assert w3.blocks == (PricedBlock(block="rack", cost_eur_month=120.0),)


def test_the_wording_is_the_one_place_a_cap_is_named() -> None:
    share = CapRef(cap="provider_share", subject="aws", limit=30, reference_eur_month=1000)
    assert cap_label(share) == "share of provider 'aws' ≤ 30 % of €1,000.00"
    reason = ForcedByCap(
        place="alpha",
        internal=True,
        comparison=Comparison(
            place="aws-eu",
            verdict="cheaper",
            difference_eur_month=5,
            preference=None,
            preference_pct=15,
        ),
        caps=(share, CapRef(cap="max_moves", limit=3)),
    )
    assert reason_text(reason) == (
        "placed on alpha: aws-eu (cheaper by €5.00 / month) would break the caps share of "
        "provider 'aws' ≤ 30 % of €1,000.00, at most 3 moves"
    )


def test_a_cut_is_worded_from_its_counts() -> None:
    cut = CutRecord(kind="shadow_resolves", skipped=3, planned=20)
    assert cut_text(cut) == "shadow prices: 3 of 20 re-solves skipped (time limit)"
