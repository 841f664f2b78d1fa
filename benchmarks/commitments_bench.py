"""What buying commitments costs the solver and saves, on generated fleets.

    python -m benchmarks.commitments_bench                    # 1000x20 and 5000x30
    python -m benchmarks.commitments_bench --fleets 10000x30 --time-limit 300

Each fleet (benchmarks/fleet.py) is planned twice, side by side in one run: as generated (every
offer on demand) and with every offer selling a 12-month savings plan at 20 % off and a
36-month one at 35 % off, owed in full on leaving (ILLUSTRATIVE terms: no provider's rate),
bought where they pay (`objective.buy_commitments`). The table gives the model's size, the
solve time (both at a 0.1 % gap), the status, the monthly cost, what the commitments cost and
cover, the saving against the same placements on demand, and the spend committed beyond 12
months.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date
from pathlib import Path

import yaml

from benchmarks.fleet import generate, write_fleet
from planner.pipeline import run_plan

TERMS = [
    {"term_months": 12, "discount_pct": 20},
    {"term_months": 36, "discount_pct": 35},
]


def _with_commitments(directory: Path, scenario: str) -> str:
    """The fleet's scenario, its offers selling TERMS, buying them."""
    providers = yaml.safe_load((directory / "providers.yaml").read_text())
    for provider in providers["providers"]:
        for offer in provider["offers"]:
            offer["commitments"] = [
                {
                    **t,
                    "unit": "spend",
                    "early_exit": {"rule": "owed"},
                    "source": "illustrative benchmark terms",
                    "source_date": date(2026, 11, 1),
                }
                for t in TERMS
            ]
    (directory / "providers.yaml").write_text(yaml.safe_dump(providers, sort_keys=False))
    body = yaml.safe_load(Path(scenario).read_text())
    body.setdefault("objective", {})["buy_commitments"] = True
    path = directory / "scenario-commitments.yaml"
    path.write_text(yaml.safe_dump(body, sort_keys=False))
    return str(path)


def _row(label: str, scenario: str) -> list[str]:
    began = time.perf_counter()
    run = run_plan(scenario)
    seconds = time.perf_counter() - began
    problem = run.model.problem
    plan = run.plan
    record = plan.commitments
    return [
        label,
        f"{len(problem.variables()):,}",
        f"{len(problem._constraints):,}",
        f"{run.result.time_s:.1f}",
        f"{seconds:.1f}",
        run.result.status.value,
        f"{plan.totals.monthly_cost_after_eur:,.2f}",
        "-" if record is None else f"{record.committed_eur_month:,.2f}",
        "-" if record is None else f"{record.covered_eur_month:,.2f}",
        "-" if record is None else f"{record.saving_eur_month:,.2f}",
        "-" if record is None else f"{record.committed_beyond_12_months_eur:,.2f}",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fleets", nargs="*", default=["1000x20", "5000x30"])
    parser.add_argument("--time-limit", type=float, default=120.0)
    args = parser.parse_args(argv)
    header = [
        "fleet",
        "variables",
        "rows",
        "solve s",
        "run s",
        "status",
        "EUR/month",
        "committed",
        "covered",
        "saving",
        "beyond 12 mo",
    ]
    rows = [header]
    for spec in args.fleets:
        n, places = (int(v) for v in spec.split("x"))
        with tempfile.TemporaryDirectory() as folder:
            directory = Path(folder)
            scenario = str(
                write_fleet(
                    generate(n, places), directory, time_limit_s=args.time_limit, gap_rel=0.001
                )
            )
            rows.append(_row(f"{spec} on demand", scenario))
            rows.append(_row(f"{spec} buying", _with_commitments(directory, scenario)))
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    for r in rows:
        print(" | ".join(cell.rjust(w) for cell, w in zip(r, widths, strict=True)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
