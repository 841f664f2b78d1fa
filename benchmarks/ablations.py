"""What each speed measure buys, one at a time, on one generated fleet.

    python -m benchmarks.ablations --size 10000x30

Each line switches one measure off and times the stage it acts on, against the planner as it is:
classes of identical workloads, pruning of dominated offers, the relaxation-guided start, the
bulk HiGHS hand-off, expressions from (variable, coefficient) lists, the C YAML parser and CSV
inventories. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

import pulp
import yaml

from benchmarks.fleet import generate, write_fleet
from planner.candidates.pruning import prune_dominated
from planner.candidates.units import Candidates, build_candidates
from planner.inputs import load_inputs
from planner.inputs.frozen import Inputs
from planner.inputs.yaml_file import load_yaml
from planner.optimise.caps import model_kinds
from planner.optimise.highs_direct import FastHiGHS, quiet_stdout
from planner.optimise.model import build_model


def _timed(action: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = action()
    return time.perf_counter() - start, value


def _solve(
    inputs: Inputs, cands: Candidates, gap: float, limit_s: float, warm_start: bool = True
) -> tuple[float, str]:
    model = build_model(inputs, cands)
    units: dict[str, list[pulp.LpVariable]] = {}
    for (unit_id, _), var in model.x.items():
        units.setdefault(unit_id, []).append(var)
    solver = FastHiGHS(
        units=list(units.values()),
        warm_start=warm_start,
        msg=False,
        timeLimit=limit_s,
        gapRel=gap,
        random_seed=0,
    )
    start = time.perf_counter()
    model.problem.solve(solver)
    seconds = time.perf_counter() - start
    if solver.proven_by_relaxation:
        return seconds, f"optimal, {len(model.x):,} variables"
    highs = model.problem.solverModel
    info = highs.getInfo()
    status = highs.modelStatusToString(highs.getModelStatus())
    return seconds, f"{status}, gap {100 * info.mip_gap:.3f} %, {len(model.x):,} variables"


def _handoff(inputs: Inputs, cands: Candidates, bulk: bool) -> float:
    model = build_model(inputs, cands)
    with quiet_stdout():
        solver = FastHiGHS(msg=False) if bulk else pulp.HiGHS(msg=False)
        solver.createAndConfigureSolver(model.problem)
    start = time.perf_counter()
    solver.buildSolverModel(model.problem)
    return time.perf_counter() - start


def _expressions(cands: Candidates, affine: bool) -> float:
    variables = [
        pulp.LpVariable(f"v{i}", cat=pulp.LpBinary)
        for i in range(sum(len(u.options) for u in cands.units))
    ]
    coefs = [o.run_cost_eur_month for u in cands.units for o in u.options]
    start = time.perf_counter()
    if affine:
        pulp.LpAffineExpression(list(zip(variables, coefs, strict=True)))
    else:
        pulp.lpSum(c * v for v, c in zip(variables, coefs, strict=True))
    return time.perf_counter() - start


def _yaml_copy(directory: Path) -> Path:
    """The CSV inventory rewritten as a YAML workloads file."""
    rows = []
    with open(directory / "workloads.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            item: dict[str, Any] = {
                "id": row["id"],
                "data_class": row["data_class"],
                "needs_24_7": row["needs_24_7"] == "true",
                "demand": {r: float(row[r]) for r in ("vcpu", "ram_gib", "storage_gib")},
                "move_cost_eur": float(row["move_cost_eur"]),
            }
            for key in ("current_site", "affinity_group", "anti_affinity_group"):
                if row[key]:
                    item[key] = row[key]
            rows.append(item)
    path = directory / "workloads.yaml"
    with open(path, "w", encoding="utf-8") as handle:
        yaml.dump({"workloads": rows}, handle, Dumper=yaml.CSafeDumper, sort_keys=False)
    return path


def _pure_python_yaml(path: Path) -> float:
    """`load_yaml` with the same core-schema loader built on PyYAML's pure-Python parser."""
    import planner.inputs.yaml_file as yaml_file

    class PythonCoreLoader(yaml.SafeLoader):
        yaml_implicit_resolvers = yaml_file.CoreLoader.yaml_implicit_resolvers
        yaml_constructors = yaml_file.CoreLoader.yaml_constructors

    with mock.patch.object(yaml_file, "CoreLoader", PythonCoreLoader):
        seconds, _ = _timed(lambda: load_yaml(str(path)))
    return seconds


def ablations(workloads: int, places: int, gap: float, limit_s: float) -> list[list[str]]:
    rows: list[list[str]] = []
    with tempfile.TemporaryDirectory(prefix="planner-ablation-") as tmp:
        directory = Path(tmp)
        scenario = write_fleet(generate(workloads, places), directory)
        inputs = load_inputs(str(scenario))
        cands = build_candidates(inputs)
        pruned = prune_dominated(inputs, cands, model_kinds(inputs.scenario.caps))
        t_on, s_on = _solve(inputs, pruned, gap, limit_s)
        t_off, s_off = _solve(
            inputs,
            prune_dominated(
                inputs, build_candidates(inputs, False), model_kinds(inputs.scenario.caps)
            ),
            gap,
            limit_s,
        )
        rows.append(
            [
                "classes of identical workloads",
                "solve",
                f"{t_on:.2f} ({s_on})",
                f"{t_off:.2f} ({s_off})",
            ]
        )
        t_off, s_off = _solve(inputs, cands, gap, limit_s)
        rows.append(
            [
                "pruning of dominated offers",
                "solve",
                f"{t_on:.2f} ({s_on})",
                f"{t_off:.2f} ({s_off})",
            ]
        )
        t_off, s_off = _solve(inputs, pruned, gap, limit_s, warm_start=False)
        rows.append(
            ["relaxation-guided start", "solve", f"{t_on:.2f} ({s_on})", f"{t_off:.2f} ({s_off})"]
        )
        rows.append(
            [
                "bulk HiGHS hand-off (passModel)",
                "hand-off",
                f"{_handoff(inputs, pruned, True):.2f}",
                f"{_handoff(inputs, pruned, False):.2f}",
            ]
        )
        rows.append(
            [
                "(variable, coefficient) lists, not lpSum",
                "one expression",
                f"{_expressions(cands, True):.2f}",
                f"{_expressions(cands, False):.2f}",
            ]
        )
        yaml_path = _yaml_copy(directory)
        c_yaml, _ = _timed(lambda: load_yaml(str(yaml_path)))
        rows.append(
            [
                "C YAML parser (workloads as YAML)",
                "parse",
                f"{c_yaml:.2f}",
                f"{_pure_python_yaml(yaml_path):.2f}",
            ]
        )
        from planner.inputs.csv_file import load_workloads_csv

        t_csv, _ = _timed(lambda: load_workloads_csv(str(directory / "workloads.csv")))
        rows.append(["CSV inventory instead of YAML", "parse", f"{t_csv:.2f}", f"{c_yaml:.2f}"])
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time each speed measure on and off.")
    parser.add_argument("--size", default="10000x30", help="WORKLOADSxPLACES")
    parser.add_argument("--gap", type=float, default=0.001)
    parser.add_argument("--time-limit", type=float, default=120.0)
    args = parser.parse_args(argv)
    workloads, places = (int(v) for v in args.size.lower().split("x"))
    rows = ablations(workloads, places, args.gap, args.time_limit)
    lines = [
        f"Fleet of {workloads:,} workloads x {places} places; seconds.",
        "",
        "| measure | stage | with it, s | without it, s |",
        "|---|---|---:|---:|",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
