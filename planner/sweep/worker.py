"""What a worker does with one variant: apply its settings to the shipped inputs, plan them
in memory, and return its record (a plain JSON-ready dict). Never raises for a bad variant:
an infeasible, timed-out or failing variant is a record with its status."""

from __future__ import annotations

import os
import time
import traceback
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from planner.checks.registry import Where, run_rules
from planner.errors import InfeasibleError, InputError, SolverError
from planner.inputs.frozen import Inputs
from planner.pipeline import StartPlan, plan_inputs
from planner.plan.document import ContractState, ExpansionState, PlacementState, Plan
from planner.sweep.address import Setting, apply_settings

# statuses of a record; the first three have a plan
SOLVED = ("optimal", "gap_limit", "feasible")
STATUSES = (*SOLVED, "infeasible", "no_solution", "invalid", "error")


@dataclass(frozen=True)
class VariantTask:
    """What a worker needs besides the inputs: the variant's key, settings and limits."""

    key: str
    settings: tuple[Setting, ...]
    time_limit_s: float | None
    gap_rel: float | None


def _r(value: float) -> float:
    """Costs and shares in records: to the cent / to 1e-6 of a point, no float noise."""
    return round(value + 0.0, 6)


def plan_summary(plan: Plan) -> dict[str, Any]:
    """The part of a record a plan gives: costs, shares, placements, spend and load."""
    totals = plan.totals
    placements: dict[str, str] = {}
    blocks: dict[str, int] = {}
    spend: dict[str, float] = defaultdict(float)
    for rc in plan.resource_changes:
        after = rc.change.after
        if after is None:
            continue
        if isinstance(after, PlacementState):
            placements[rc.name] = after.site
        if isinstance(after, ExpansionState):
            blocks[f"{after.site}/{after.block}"] = after.count
        if isinstance(after, PlacementState | ExpansionState | ContractState):
            spend[after.site] += after.cost_eur_month
    load = {
        site.site: {r: _r(v) for r, v in sorted(site.used_after.items())}
        for site in sorted(totals.sites, key=lambda s: s.site)
    }
    return {
        "monthly_cost_eur": _r(totals.monthly_cost_after_eur),
        "one_off_eur": _r(totals.one_off_migration_eur),
        "outsourced_share_pct": _r(totals.outsourced_share_pct),
        "moves": totals.moves,
        "expansion_eur_month": _r(totals.expansion_cost_eur_month),
        "placements": dict(sorted(placements.items())),
        "blocks": dict(sorted(blocks.items())),
        "spend_eur_month": {k: _r(v) for k, v in sorted(spend.items())},
        "load": load,
    }


def _first_lines(text: str, lines: int = 12) -> str:
    kept = text.splitlines()
    return "\n".join(
        kept[:lines] + ([f"... ({len(kept) - lines} more lines)"] if len(kept) > lines else [])
    )


NOT_PLACED = "(not placed)"


def placements_of(record: dict[str, Any], base: dict[str, Any]) -> dict[str, str]:
    """Where a solved record puts each workload: its own map (the base's record, or a variant
    planned without a start), else the base's with the record's `moved_from_base`."""
    if "placements" in record:
        return dict(record["placements"])
    placed = dict(base.get("placements", {}))
    placed.update(record.get("moved_from_base", {}))
    return {w: p for w, p in placed.items() if p != NOT_PLACED}


def start_plan(record: dict[str, Any]) -> StartPlan | None:
    """The base record as the solver's first incumbent of every variant (None without a plan)."""
    if record.get("status") not in SOLVED:
        return None
    blocks = {
        (site, block): int(n)
        for key, n in record.get("blocks", {}).items()
        for site, block in [key.split("/", 1)]
    }
    return StartPlan(dict(record["placements"]), blocks)


def plan_variant(inputs: Inputs, start: StartPlan | None, task: VariantTask) -> dict[str, Any]:
    """Plan one variant, from `start` (the base plan) when given. The record's `run` (its
    seconds, the worker's process) is the only part that differs between two runs of it."""
    started, cpu = time.perf_counter(), time.process_time()
    record: dict[str, Any] = {"key": task.key}
    seconds: dict[str, float] = {}
    try:
        variant, errors = apply_settings(inputs, task.settings)
        if errors:
            record.update(status="invalid", message="; ".join(e.message for e in errors))
            return record
        issues = [i for i in run_rules(variant, Where.PLAN) if i.severity == "error"]
        if issues:
            record.update(status="invalid", message="; ".join(i.format() for i in issues[:5]))
            return record
        run = plan_inputs(
            variant,
            [],
            time_limit_s=task.time_limit_s,
            gap_rel=task.gap_rel,
            with_shadow_prices=False,
            start=start,
        )
        seconds.update({k: round(v, 4) for k, v in run.seconds.items()})
        record["status"] = run.plan.solver.status
        record.update(plan_summary(run.plan))
        if start is not None:  # only what differs from the base: records stay small
            placed = record.pop("placements")
            record["moved_from_base"] = {
                w: placed.get(w, NOT_PLACED)
                for w in sorted(set(placed) | set(start.placements))
                if placed.get(w, NOT_PLACED) != start.placements.get(w)
            }
    except InfeasibleError as exc:
        record.update(status="infeasible", message=_first_lines(str(exc)))
        diagnosis = exc.diagnosis
        causes = getattr(diagnosis, "causes", None)
        if causes is not None:
            record["causes"] = list(causes)
    except SolverError as exc:
        status = "no_solution" if "no_solution" in str(exc) else "error"
        record.update(status=status, message=str(exc))
    except InputError as exc:
        record.update(status="invalid", message=str(exc))
    except Exception as exc:  # a bug must not stop the sweep: the record says what happened
        record.update(
            status="error",
            message=f"{type(exc).__name__}: {exc}",
            trace=traceback.format_exc(limit=4),
        )
    finally:
        seconds["total"] = round(time.perf_counter() - started, 4)
        seconds["cpu"] = round(time.process_time() - cpu, 4)  # of the worker, all its threads
        record["run"] = {"seconds": seconds, "pid": os.getpid()}
    return record
