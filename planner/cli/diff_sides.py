"""One side of `planner diff`: a plan JSON, a scenario to solve, or a scenario at a git revision."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field, replace

from planner.checks.policy import Limits
from planner.checks.registry import Where, run_rules
from planner.errors import InputError, InputIssue, PlannerError
from planner.plan.document import Plan, load_plan


@dataclass(frozen=True)
class Side:
    """A plan, what to call it, and the warnings its inputs raised."""

    plan: Plan
    label: str
    warnings: tuple[InputIssue, ...] = ()


@dataclass(frozen=True)
class SolveSettings:
    solver: str | None = None
    time_limit_s: float | None = None
    limits: Limits = field(default_factory=Limits)
    root: str | None = None  # the folder catalogs must be in (default: the scenario's repository)


def _solve(path: str, settings: SolveSettings) -> tuple[Plan, list[InputIssue]]:
    from planner.pipeline import run_plan

    run = run_plan(
        path, solver=settings.solver, time_limit_s=settings.time_limit_s, root=settings.root
    )
    policy = [
        i
        for i in run_rules(run.inputs, Where.DIFF, settings.limits, kind="policy")
        if i.severity != "error"
    ]
    return run.plan, [*run.warnings, *policy]


def is_plan_file(path: str) -> bool:
    return path.lower().endswith(".json")


def load_side(path: str, settings: SolveSettings) -> Side:
    """A plan JSON as it is, or a scenario solved now."""
    if is_plan_file(path):
        return Side(load_plan(path), path)
    plan, warnings = _solve(path, settings)
    return Side(plan, path, tuple(warnings))


def _relabel(text: str | None, root: str, prefix: str) -> str | None:
    if text is None:
        return None
    root = root.rstrip(os.sep) + os.sep
    full = os.path.realpath(os.path.abspath(text)) if not text.startswith("<") else text
    return prefix + full[len(root) :].replace(os.sep, "/") if full.startswith(root) else text


def _relabel_plan(plan: Plan, root: str, prefix: str) -> Plan:
    record = plan.scenario
    digests = {_relabel(k, root, prefix) or k: v for k, v in record.catalog_digests.items()}
    record = record.model_copy(
        update={
            "file": _relabel(record.file, root, prefix) or record.file,
            "catalog_digests": digests,
        }
    )
    return plan.model_copy(update={"scenario": record})


def load_side_at(path: str, rev: str, settings: SolveSettings) -> Side:
    """The scenario at `path` and its catalogs as they are at git revision `rev`, solved."""
    from planner.inputs.revision import checkout_scenario

    with tempfile.TemporaryDirectory(prefix="planner-rev-") as tmp:
        root = os.path.realpath(tmp)
        copied, repo_path = checkout_scenario(path, rev, root)
        prefix = f"{rev}:"
        try:
            plan, warnings = _solve(copied, replace(settings, root=root))
        except InputError as exc:
            raise InputError(
                [replace(i, file=_relabel(i.file, root, prefix)) for i in exc.issues]
            ) from None
        except PlannerError as exc:
            raise type(exc)(str(exc).replace(root + os.sep, prefix)) from None
        plan = _relabel_plan(plan, root, prefix)
        warnings = [replace(i, file=_relabel(i.file, root, prefix)) for i in warnings]
    return Side(plan, f"{rev}:{repo_path}", tuple(warnings))
