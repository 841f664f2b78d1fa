"""Public instances with published optima, converted into the planner's own catalogs.

GAP (generalized assignment): each agent is an internal site with one capacity (vcpu); each job
is a workload whose cost and vCPU demand on each site are `site_overrides`. SSCFLP (single-source
capacitated facility location): each facility is an internal site with a capacity and a
`fixed_cost_eur_month` (its opening cost); each customer is a workload whose demand is the same
everywhere and whose cost on each site is a `site_overrides` cost. Unit costs are zero, there is
no current placement, no move cost and no in-house preference, so the planner's objective is the
benchmark's objective.

The instance files are read in place from `<repo>/../shared/benchmarks` (see its README.md).
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(
    os.environ.get("PLANNER_SHARED_BENCHMARKS", REPO_ROOT.parent / "shared" / "benchmarks")
)

_LOCATION = {"country": "FR", "zone": "EU"}


@dataclass(frozen=True)
class Instance:
    """One benchmark instance and what is published about it (minimisation)."""

    name: str  # e.g. "gap1-0", "a05100", "p1"
    family: str  # "gap" | "chu" | "sscflp"
    path: Path
    optimum: float | None  # proven optimum, None for an open instance
    best_known: float  # optimum if known, else the best known solution value


@dataclass(frozen=True)
class Gap:
    """A GAP instance: cost[i][j] and use[i][j] of job j on agent i, capacity[i]."""

    cost: list[list[float]]
    use: list[list[float]]
    capacity: list[float]


@dataclass(frozen=True)
class Facility:
    """An SSCFLP instance: capacity and fixed cost of each facility, customer demands, costs."""

    capacity: list[float]
    fixed_cost: list[float]
    demand: list[float]
    cost: list[list[float]]  # facility rows, customer columns


def _numbers(path: Path) -> list[float]:
    return [float(token) for token in path.read_text(encoding="utf-8").split()]


def _rows(values: list[float], start: int, m: int, n: int) -> list[list[float]]:
    return [values[start + i * n : start + (i + 1) * n] for i in range(m)]


def read_gap(path: Path) -> Gap:
    """`m n`, m rows of n costs, m rows of n resource uses, m capacities."""
    values = _numbers(path)
    m, n = int(values[0]), int(values[1])
    if len(values) != 2 + 2 * m * n + m:
        raise ValueError(f"{path}: expected {2 + 2 * m * n + m} numbers, found {len(values)}")
    return Gap(
        cost=_rows(values, 2, m, n),
        use=_rows(values, 2 + m * n, m, n),
        capacity=values[2 + 2 * m * n :],
    )


def read_sscflp(path: Path) -> Facility:
    """`m n`, m lines `capacity fixed_cost`, n demands, then the m x n cost matrix."""
    values = _numbers(path)
    m, n = int(values[0]), int(values[1])
    if len(values) != 2 + 2 * m + n + m * n:
        raise ValueError(f"{path}: expected {2 + 2 * m + n + m * n} numbers, found {len(values)}")
    pairs = values[2 : 2 + 2 * m]
    return Facility(
        capacity=pairs[0::2],
        fixed_cost=pairs[1::2],
        demand=values[2 + 2 * m : 2 + 2 * m + n],
        cost=_rows(values, 2 + 2 * m + n, m, n),
    )


def gap_instances(shared: Path = SHARED) -> list[Instance]:
    """Every GAP instance listed in `gap/optima.csv`, in file order."""
    out = []
    with open(shared / "gap" / "optima.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            rel = row["Path"]
            family = "gap" if rel.startswith("cattrysse1994/") else "chu"
            optimum = float(row["Optimum"]) if row["Optimum"] else None
            best = optimum if optimum is not None else float(row["Best known solution value"])
            out.append(Instance(rel.split("/")[-1], family, shared / "gap" / rel, optimum, best))
    return out


def sscflp_instances(shared: Path = SHARED) -> list[Instance]:
    """p1..p12 with the optima of `sscflp/optima.txt` (one a line, in that order)."""
    optima = _numbers(shared / "sscflp" / "optima.txt")
    return [
        Instance(f"p{i}", "sscflp", shared / "sscflp" / f"p{i}", value, value)
        for i, value in enumerate(optima, start=1)
    ]


def all_instances(shared: Path = SHARED) -> list[Instance]:
    return gap_instances(shared) + sscflp_instances(shared)


def _site(site_id: str, capacity_vcpu: float, fixed_cost_eur_month: float = 0.0) -> dict[str, Any]:
    site: dict[str, Any] = {
        "id": site_id,
        "location": _LOCATION,
        "operation_24_7": True,
        "capacity": {"vcpu": capacity_vcpu},
        "unit_costs_eur_month": {},
    }
    if fixed_cost_eur_month:
        site["fixed_cost_eur_month"] = fixed_cost_eur_month
    return site


def _scenario(name: str, time_limit_s: float) -> dict[str, Any]:
    return {
        "name": name,
        "description": "public benchmark instance converted to the planner's catalogs",
        "reference_date": date(2026, 1, 1),
        "catalogs": {
            "sites": ["sites.yaml"],
            "providers": ["providers.yaml"],
            "workloads": ["workloads.yaml"],
            "policy": "policy.yaml",
        },
        "objective": {"internal_preference_pct": 0.0},
        "solver": {"name": "highs", "time_limit_s": time_limit_s, "gap_rel": 0.0},
    }


def gap_catalogs(gap: Gap) -> dict[str, Any]:
    """Sites (one per agent) and workloads (one per job) with per-site cost and demand."""
    m, n = len(gap.capacity), len(gap.cost[0])
    site_ids = [f"agent{i + 1:02d}" for i in range(m)]
    workloads = [
        {
            "id": f"job{j + 1:03d}",
            "data_class": "public",
            "demand": {"vcpu": 0.0},
            "site_overrides": {
                site_ids[i]: {"cost_eur_month": gap.cost[i][j], "demand": {"vcpu": gap.use[i][j]}}
                for i in range(m)
            },
        }
        for j in range(n)
    ]
    return {
        "sites": [_site(site_ids[i], gap.capacity[i]) for i in range(m)],
        "workloads": workloads,
    }


def sscflp_catalogs(facility: Facility) -> dict[str, Any]:
    """Sites (one per facility, with an opening cost) and workloads (one per customer)."""
    m, n = len(facility.capacity), len(facility.demand)
    site_ids = [f"facility{i + 1:02d}" for i in range(m)]
    workloads = [
        {
            "id": f"customer{j + 1:03d}",
            "data_class": "public",
            "demand": {"vcpu": facility.demand[j]},
            "site_overrides": {
                site_ids[i]: {"cost_eur_month": facility.cost[i][j]} for i in range(m)
            },
        }
        for j in range(n)
    ]
    sites = [_site(site_ids[i], facility.capacity[i], facility.fixed_cost[i]) for i in range(m)]
    return {"sites": sites, "workloads": workloads}


def _dump(path: Path, data: dict[str, Any]) -> None:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    with open(path, "w", encoding="utf-8") as handle:
        yaml.dump(data, handle, Dumper=dumper, sort_keys=False, default_flow_style=None)


def write_scenario(instance: Instance, directory: Path, time_limit_s: float = 60.0) -> Path:
    """Write the instance as catalogs + scenario into `directory`; returns the scenario path."""
    if instance.family == "sscflp":
        catalogs = sscflp_catalogs(read_sscflp(instance.path))
    else:
        catalogs = gap_catalogs(read_gap(instance.path))
    directory.mkdir(parents=True, exist_ok=True)
    _dump(directory / "sites.yaml", {"sites": catalogs["sites"]})
    _dump(directory / "providers.yaml", {"providers": []})
    _dump(directory / "workloads.yaml", {"workloads": catalogs["workloads"]})
    _dump(directory / "policy.yaml", {"policy": {"data_classes": {"public": {}}}})
    scenario = directory / "scenario.yaml"
    _dump(scenario, _scenario(instance.name, time_limit_s))
    return scenario
