"""A seeded generator of State-like fleets in the planner's input format.

    python -m benchmarks.fleet 10000 30 out/dir [--seed 1]

Writes sites.yaml, providers.yaml, policy.yaml, workloads.csv (a CMDB-style inventory) and
scenario.yaml. The fleet follows public cloud statistics: vCPU sizes after Azure's published VM
mix (about 58 % at <= 2 vCPU, 23 % at 2-4, 12 % at 4-8, 6 % at 12-24, 1 % above), 2, 4 or
8 GiB of memory per vCPU; four data classes (public, internal, sensitive, restricted); a third
of workloads needing 24/7 operation; affinity groups (an application with its database) and
anti-affinity groups (replicas); most workloads currently in-house on sites that are nearly
full, some on external offers, a few new. A quarter of the places (at least three) are internal
sites; the rest are offers of sovereign, European and extra-EU providers.

Each workload also has observed utilisation (`utilisation`, the inventory's utilisation
columns), drawn from its own seeded generator so the fleet itself is the same with or without
it. CPU follows the shape of the Azure VM trace of Cortez et al., "Resource Central"
(SOSP 2017, Figure 1: the CDFs of each VM's average and 95th-percentile-of-maximum virtual
CPU utilisation over 5-minute readings): most VMs' average is low, and their P95 spreads over
the whole range with a long tail up to 100 %. Our Beta distributions follow that shape; they
are not fitted to the trace (see docs/benchmarks.md, section 14). Memory, which that trace
does not give, is an assumption: used far more evenly (most VMs at 40-80 % at p95). Most
workloads have 30 days of history, some a week, some none.
"""

from __future__ import annotations

import argparse
import csv
import random
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

VCPU_MIX: tuple[tuple[float, tuple[int, ...]], ...] = (
    (0.58, (1, 2)),
    (0.23, (4,)),
    (0.12, (8,)),
    (0.06, (12, 16, 24)),
    (0.01, (32, 48, 64)),
)
RAM_PER_VCPU_GIB = (2, 4, 8)
STORAGE_GIB_PER_VCPU = (32, 128)  # the disk of a standard VM template
DATA_CLASSES: tuple[tuple[str, float], ...] = (
    ("public", 0.35),
    ("internal", 0.35),
    ("sensitive", 0.22),
    ("restricted", 0.08),
)
NEEDS_24_7_SHARE = 0.33
AFFINITY_SHARE = 0.03  # of workloads, in groups of 2-4 (an application and its database)
ANTI_AFFINITY_SHARE = 0.03  # of workloads, in replica sets of 2-3
NEW_SHARE = 0.05  # not placed anywhere yet
EXTERNAL_SHARE = 0.20  # of the non-restricted ones, currently on an external offer
FILL = 0.97  # internal sites' usable capacity taken by today's placements
# (provider id, jurisdiction, extra-EU law exposure, SecNumCloud, flavours, price factor)
PROVIDERS: tuple[tuple[str, str, bool, bool, bool, float], ...] = (
    ("sovcloud", "FR", False, True, False, 1.25),
    ("eurocloud", "DE", False, False, False, 1.05),
    ("hyperscale", "US", True, False, True, 0.85),
    ("trustcloud", "FR", False, True, True, 1.15),
    ("globalcloud", "US", True, False, True, 0.9),
)
POLICY = {
    "policy": {
        "data_classes": {
            "public": {"description": "open data, public sites"},
            "internal": {
                "description": "internal use: EU location and EU law",
                "any_of": [
                    {"internal": True},
                    {"location_zone_in": ["EU"], "jurisdiction_zone_in": ["EU"]},
                ],
            },
            "sensitive": {
                "description": "sensitive data: in-house or SecNumCloud, no extra-EU law",
                "any_of": [
                    {"internal": True},
                    {
                        "qualifications": ["secnumcloud"],
                        "jurisdiction_zone_in": ["EU"],
                        "no_extra_eu_law_exposure": True,
                    },
                ],
            },
            "restricted": {
                "description": "restricted: State clouds only",
                "any_of": [{"internal": True}],
            },
        }
    }
}
CSV_HEADER = (
    "id",
    "data_class",
    "needs_24_7",
    "vcpu",
    "ram_gib",
    "storage_gib",
    "current_site",
    "affinity_group",
    "anti_affinity_group",
    "move_cost_eur",
)
# utilisation columns (planner/inputs/csv_file.py), each empty where not observed
USE_HEADER = (
    "util_window_days",
    "cpu_p50_pct",
    "cpu_p95_pct",
    "cpu_p99_pct",
    "ram_p95_pct",
    "ram_p99_pct",
    "storage_used_gib",
)
USE_SEED_OFFSET = 7919  # utilisation's generator: seed + this, apart from the fleet's
HISTORY_DAYS: tuple[tuple[int, float], ...] = ((30, 0.90), (7, 0.05), (0, 0.05))  # 0: none


@dataclass
class Fleet:
    """A generated fleet, in plain data ready to be written."""

    sites: list[dict[str, Any]]
    providers: list[dict[str, Any]]
    workloads: list[dict[str, Any]]
    summary: dict[str, Any] = field(default_factory=dict)


def _size(rng: random.Random) -> tuple[int, int, int]:
    pick = rng.random()
    for share, choices in VCPU_MIX:
        if pick < share:
            vcpu = rng.choice(choices)
            break
        pick -= share
    else:
        vcpu = 1
    return vcpu, vcpu * rng.choice(RAM_PER_VCPU_GIB), vcpu * rng.choice(STORAGE_GIB_PER_VCPU)


def utilisation(rng: random.Random, storage_gib: float) -> dict[str, Any]:
    """One workload's observed use as inventory cells (module docstring): '' where none."""
    days = rng.choices([d for d, _ in HISTORY_DAYS], weights=[w for _, w in HISTORY_DAYS])[0]
    if days == 0:
        return dict.fromkeys(USE_HEADER, "")
    p50 = 100 * rng.betavariate(1.2, 6.0)  # low for most VMs
    p95 = p50 + (100 - p50) * rng.betavariate(1.1, 2.2)  # a long tail up to 100 %
    p99 = p95 + (100 - p95) * rng.betavariate(1.0, 3.0)
    ram95 = 100 * rng.betavariate(5.0, 3.0)
    ram99 = ram95 + (100 - ram95) * rng.betavariate(1.0, 4.0)
    return {
        "util_window_days": days,
        "cpu_p50_pct": round(p50, 1),
        "cpu_p95_pct": round(p95, 1),
        "cpu_p99_pct": round(p99, 1),
        "ram_p95_pct": round(ram95, 1),
        "ram_p99_pct": round(ram99, 1),
        "storage_used_gib": round(storage_gib * rng.uniform(0.3, 0.9)),
    }


def _weighted(rng: random.Random, options: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


def _offers(rng: random.Random, count: int) -> list[dict[str, Any]]:
    providers: list[dict[str, Any]] = []
    for pi, (pid, country, exposed, snc, flavours, factor) in enumerate(PROVIDERS):
        n = count // len(PROVIDERS) + (1 if pi < count % len(PROVIDERS) else 0)
        if n == 0:
            continue
        offers = []
        for oi in range(n):
            f = factor * rng.uniform(0.9, 1.1)
            offer: dict[str, Any] = {
                "id": f"{pid}-{oi + 1}",
                "location": {
                    "country": "FR" if snc else rng.choice(["FR", "DE", "NL", "IE"]),
                    "zone": "EU",
                },
                "operation_24_7": True,
                "unit_prices_eur_month": {
                    "vcpu": round(16 * f, 2),
                    "ram_gib": round(2.2 * f, 3),
                    "storage_gib": round(0.06 * f, 4),
                },
                "egress_eur_gib": round(0.02 * f, 4),
                "price_source": "generated fleet (benchmarks/fleet.py)",
                "price_date": date(2026, 1, 1),
            }
            if snc:
                offer["qualifications"] = [{"name": "secnumcloud", "status": "qualified"}]
            if flavours:
                offer["flavours"] = [
                    {
                        "name": f"m{v}-{v * r}",
                        "vcpu": float(v),
                        "ram_gib": float(v * r),
                        "price_eur_month": round((16 * v + 2.2 * v * r) * f * 0.8, 2),
                    }
                    for v in (1, 2, 4, 8, 16, 32, 64)
                    for r in RAM_PER_VCPU_GIB
                ]
            offers.append(offer)
        providers.append(
            {
                "id": pid,
                "jurisdiction": {
                    "zone": "non-EU" if exposed else "EU",
                    "country": country,
                    "extra_eu_law_exposure": exposed,
                },
                "offers": offers,
            }
        )
    return providers


def _groups(rng: random.Random, workloads: list[dict[str, Any]]) -> None:
    """Mark affinity groups (mixed sizes) and anti-affinity replica sets (same size)."""
    n = len(workloads)
    order = list(range(n))
    rng.shuffle(order)
    cursor, group = 0, 0
    while cursor < int(n * AFFINITY_SHARE):
        size = rng.randint(2, 4)
        members = order[cursor : cursor + size]
        lead = workloads[members[0]]
        for i in members:
            w = workloads[i]
            w.update(
                data_class=lead["data_class"],
                needs_24_7=lead["needs_24_7"],
                current_site=lead["current_site"],
                affinity_group=f"app{group:05d}",
            )
        cursor += size
        group += 1
    limit, group = cursor + int(n * ANTI_AFFINITY_SHARE), 0
    while cursor < limit:
        size = rng.randint(2, 3)
        members = order[cursor : cursor + size]
        lead = workloads[members[0]]
        for i in members:
            workloads[i].update(
                data_class=lead["data_class"],
                needs_24_7=lead["needs_24_7"],
                vcpu=lead["vcpu"],
                ram_gib=lead["ram_gib"],
                storage_gib=lead["storage_gib"],
                move_cost_eur=lead["move_cost_eur"],
                anti_affinity_group=f"replicas{group:05d}",
            )
        cursor += size
        group += 1


def generate(n_workloads: int, n_places: int, seed: int = 1) -> Fleet:
    """A fleet of `n_workloads` workloads over `n_places` internal sites and external offers."""
    rng = random.Random(seed)
    n_sites = max(3, n_places // 4)
    site_ids = [f"dc{i + 1:02d}" for i in range(n_sites)]
    providers = _offers(rng, n_places - n_sites)
    by_kind: dict[str, list[str]] = {"any": [], "eu": [], "snc": []}
    for spec, provider in zip(PROVIDERS, providers, strict=False):
        for offer in provider["offers"]:
            by_kind["any"].append(offer["id"])
            if not spec[2]:
                by_kind["eu"].append(offer["id"])
            if spec[3]:
                by_kind["snc"].append(offer["id"])
    eligible_offers = {
        "public": by_kind["any"],
        "internal": by_kind["eu"],
        "sensitive": by_kind["snc"],
        "restricted": [],
    }
    workloads: list[dict[str, Any]] = []
    for i in range(n_workloads):
        vcpu, ram, storage = _size(rng)
        data_class = _weighted(rng, DATA_CLASSES)
        pick = rng.random()
        offers = eligible_offers[data_class]
        if pick < NEW_SHARE:
            current = ""
        elif offers and pick < NEW_SHARE + EXTERNAL_SHARE:
            current = rng.choice(offers)
        else:
            current = rng.choice(site_ids)
        workloads.append(
            {
                "id": f"vm{i + 1:06d}",
                "data_class": data_class,
                "needs_24_7": rng.random() < NEEDS_24_7_SHARE,
                "vcpu": vcpu,
                "ram_gib": ram,
                "storage_gib": storage,
                "current_site": current,
                "affinity_group": "",
                "anti_affinity_group": "",
                "move_cost_eur": 50 * vcpu + 0.1 * storage,
            }
        )
    _groups(rng, workloads)
    use_rng = random.Random(seed + USE_SEED_OFFSET)
    for w in workloads:
        w["utilisation"] = utilisation(use_rng, w["storage_gib"])
    used: dict[str, list[float]] = {s: [0.0, 0.0, 0.0] for s in site_ids}
    for w in workloads:
        if w["current_site"] in used:
            row = used[w["current_site"]]
            row[0] += w["vcpu"]
            row[1] += w["ram_gib"]
            row[2] += w["storage_gib"]
    sites = []
    for i, sid in enumerate(site_ids):
        used_vcpu, used_ram, used_storage = used[sid]
        overcommit = 1.5 if i % 3 == 1 else 1.0
        headroom = 5.0
        scale = 1.0 / (FILL * (1.0 - headroom / 100.0))
        f = rng.uniform(0.85, 1.15)
        sites.append(
            {
                "id": sid,
                "location": {"country": "FR", "zone": "EU"},
                "operation_24_7": i % 4 != 3,
                "capacity": {
                    "vcpu": float(round(used_vcpu / overcommit * scale + 8)),
                    "ram_gib": float(round(used_ram * scale + 32)),
                    "storage_gib": float(round(used_storage * scale + 1000)),
                },
                "headroom_pct": headroom,
                "unit_costs_eur_month": {
                    "vcpu": round(11 * f, 2),
                    "ram_gib": round(1.6 * f, 3),
                    "storage_gib": round(0.04 * f, 4),
                },
                "overcommit": {"vcpu": overcommit},
                "expansion_blocks": [
                    {  # a block adds about a fifth of the site
                        "id": "block",
                        "adds": {
                            "vcpu": float(round(used_vcpu / overcommit / 5 + 8)),
                            "ram_gib": float(round(used_ram / 5 + 32)),
                            "storage_gib": float(round(used_storage / 5 + 1000)),
                        },
                        "capex_eur": float(round(used_vcpu / 5 * 250 + 5000)),
                        "amortisation_months": 60,
                        "opex_eur_month": float(round(used_vcpu / 5 * 4 + 100)),
                        "max_blocks": 3,
                    }
                ],
            }
        )
    summary = {
        "workloads": n_workloads,
        "internal_sites": n_sites,
        "offers": sum(len(p["offers"]) for p in providers),
    }
    return Fleet(sites, providers, workloads, summary)


def _dump(path: Path, data: dict[str, Any]) -> None:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    with open(path, "w", encoding="utf-8") as handle:
        yaml.dump(data, handle, Dumper=dumper, sort_keys=False, default_flow_style=None)


def write_workloads(fleet: Fleet, directory: Path) -> None:
    """The fleet's workloads as `directory`/workloads.csv."""
    with open(directory / "workloads.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_HEADER + USE_HEADER)
        for w in fleet.workloads:
            cells = [str(w[c]).lower() if c == "needs_24_7" else w[c] for c in CSV_HEADER]
            writer.writerow(cells + [w["utilisation"][c] for c in USE_HEADER])


def write_fleet(
    fleet: Fleet,
    directory: Path,
    *,
    time_limit_s: float = 120.0,
    gap_rel: float = 0.001,
    sizing: dict[str, Any] | None = None,
) -> Path:
    """Write the catalogs and a scenario using them; returns the scenario path. `sizing`: the
    scenario's sizing policy (None: as provisioned)."""
    directory.mkdir(parents=True, exist_ok=True)
    _dump(directory / "sites.yaml", {"sites": fleet.sites})
    _dump(directory / "providers.yaml", {"providers": fleet.providers})
    _dump(directory / "policy.yaml", POLICY)
    write_workloads(fleet, directory)
    scenario = directory / "scenario.yaml"
    _dump(
        scenario,
        {
            "name": f"fleet-{len(fleet.workloads)}",
            "description": "generated State-like fleet (benchmarks/fleet.py)",
            "reference_date": date(2026, 1, 1),
            "catalogs": {
                "sites": ["sites.yaml"],
                "providers": ["providers.yaml"],
                "workloads": ["workloads.csv"],
                "policy": "policy.yaml",
            },
            "objective": {"internal_preference_pct": 10.0, "horizon_months": 36},
            "solver": {"name": "highs", "time_limit_s": time_limit_s, "gap_rel": gap_rel},
            **({"sizing": sizing} if sizing else {}),
        },
    )
    return scenario


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate a State-like fleet.")
    parser.add_argument("workloads", type=int)
    parser.add_argument("places", type=int, help="internal sites + external offers")
    parser.add_argument("directory", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=120.0)
    parser.add_argument("--gap", type=float, default=0.001)
    args = parser.parse_args(argv)
    fleet = generate(args.workloads, args.places, args.seed)
    print(write_fleet(fleet, args.directory, time_limit_s=args.time_limit, gap_rel=args.gap))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
