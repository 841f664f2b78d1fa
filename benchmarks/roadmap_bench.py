"""The roadmap's speed, memory and worth, measured end to end.

    python -m benchmarks.roadmap_bench                        # the demo and 10k x 30 x 12
    python -m benchmarks.roadmap_bench --fleets 1000x20x8 --skip-demo

Each case runs in a fresh Python process (its peak resident memory is its own, plus that of
the largest child process it starts: a solve run apart with a hard deadline): the demo
roadmap `scenarios/roadmap-2027-2030.yaml`, and fleets from the fleet generator
(benchmarks/fleet.py) made roadmaps with dated events: quarterly periods, blocks with a
lead time of two quarters, a site losing 30 % of its vCPU half-way, a SecNumCloud offer whose
qualification lapses after the first year and a half, an offer's prices up 10 % after a year,
public demand growing 10 % a year, contracts ending on the first year's last day for 50
outsourced workloads, a freeze in the fourth quarter, a move limit per wave and a first-year
one-off budget. The generator draws current places without asking the policy, so some
workloads may not stay where they are from the first period: they must all move in the first
wave. The move limit is the larger of 5 % of the fleet and those workloads plus 1 % of the
fleet (room for the moves that make room for them: at 100k, 4,968 must leave against a limit
of 5,000, and the end state scheduled needed 5,103 moves then); a replica group two of whose
replicas must move in the first wave (they may not stay where they are, or share a place
today: the generator draws them apart by chance only) keeps only its first replica: no
roadmap could move them in different waves.

Each case also plans "the end state, then a greedy schedule by deadline": the last period's
snapshot optimum as the target, each workload moved to it in the first wave with room, those
whose place lapses soonest first, then the largest saving, within the wave limit and the
year's one-off budget unless a deadline forces it (a breach); the end state's blocks and
contracts are counted from the first period (no lead time: in its favour). Capacity is not
part of the rule: a period where an internal site holds more vCPU than it can is a capacity
breach. Both are costed the same way: each period's monthly spend (blocks amortised) times
its months, plus one-off costs, undiscounted.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import psutil
import yaml

from benchmarks.fleet import Fleet, generate, write_fleet, write_workloads

DEMO = "scenarios/roadmap-2027-2030.yaml"


def _fleet_roadmap(directory: Path, n: int, places: int, periods: int, limit_s: float) -> str:
    """A generated fleet made a roadmap with dated events (see the module's docstring)."""
    fleet = generate(n, places)
    scenario = write_fleet(fleet, directory, time_limit_s=limit_s, gap_rel=0.005)
    sites = yaml.safe_load((directory / "sites.yaml").read_text())
    for i, site in enumerate(sites["sites"]):
        for block in site["expansion_blocks"]:
            block["lead_time_months"] = 6
        if i == 0:
            cut = {"vcpu": float(round(site["capacity"]["vcpu"] * 0.7))}
            half = periods // 2 * 3
            day = date(2026 + half // 12, half % 12 + 1, 1)
            site["capacity_changes"] = [{"effective_from": day, "capacity": cut}]
    (directory / "sites.yaml").write_text(yaml.safe_dump(sites, sort_keys=False))
    providers = yaml.safe_load((directory / "providers.yaml").read_text())
    lapsed = priced = False
    for provider in providers["providers"]:
        for offer in provider["offers"]:
            names = [q["name"] for q in offer.get("qualifications", [])]
            if "secnumcloud" in names and not lapsed:
                offer["qualifications"] = [
                    {"name": "secnumcloud", "valid_until": date(2027, 6, 30)}
                ]
                lapsed = True
            elif not priced:
                offer["price_changes"] = [{"effective_from": date(2027, 1, 1), "pct": 10}]
                priced = True
    (directory / "providers.yaml").write_text(yaml.safe_dump(providers, sort_keys=False))
    body = yaml.safe_load(scenario.read_text())
    offers = {o["id"] for p in providers["providers"] for o in p["offers"]}
    external = [w for w in fleet.workloads if w["current_site"] in offers][:50]
    body["overrides"] = {
        "workloads": {
            w["id"]: {
                "contract": {"ends_on": date(2026, 12, 31), "exit_fee_eur": 2000, "renew": False}
            }
            for w in external
        }
    }
    moves = sum(float(w["move_cost_eur"]) for w in fleet.workloads)
    body["roadmap"] = {
        "periods": {"start": date(2026, 1, 1), "length": "quarter", "count": periods},
        "growth_pct_year": {"public": 10},
        "waves": {"max_moves": max(1, n // 20), "freeze": ["2026-Q4"]},
        "budgets": {"2026": {"migration_eur": round(0.15 * moves)}},
    }
    scenario.write_text(yaml.safe_dump(body, sort_keys=False))
    _first_wave_movable(scenario, fleet, directory, body)
    return str(scenario)


def _first_wave_movable(
    scenario: Path, fleet: Fleet, directory: Path, body: dict[str, Any]
) -> None:
    """The first wave made able to move what must leave in it (see the module's docstring):
    its move limit raised to those workloads plus 1 % of the fleet where 5 % is less, and
    each replica group two of whose replicas must move in it kept to its first replica."""
    from planner.candidates.periods import roadmap_candidates
    from planner.inputs.periods import periods_of
    from planner.optimise.roadmap.diagnosis import forced_move_conflicts, forced_off
    from planner.pipeline import load_and_check

    inputs, _ = load_and_check(str(scenario))
    assert inputs.scenario.roadmap is not None
    first = roadmap_candidates(inputs, periods_of(inputs.scenario.roadmap)[:1])
    n = len(fleet.workloads)
    leaving = sum(len(workloads) for workloads in forced_off(first[0]).values())
    waves = body["roadmap"]["waves"]
    if leaving + n // 100 > waves["max_moves"]:
        waves["max_moves"] = leaving + n // 100
        scenario.write_text(yaml.safe_dump(body, sort_keys=False))
    conflicts = forced_move_conflicts(inputs, first)
    if conflicts is None:
        return
    groups = {e.subject for e in conflicts.excesses if e.what == "apart"}
    seen: set[str] = set()
    for w in fleet.workloads:
        group = w["anti_affinity_group"]
        if group in groups:
            if group in seen:
                w["anti_affinity_group"] = ""
            seen.add(group)
    write_workloads(fleet, directory)


def _greedy_schedule(run: Any) -> dict[str, Any]:
    """The end state's snapshot optimum, then moves scheduled greedily by deadline."""
    from planner.candidates.evaluate import Evaluator, place_limit
    from planner.candidates.periods import roadmap_candidates
    from planner.candidates.units import split_unit
    from planner.inputs.periods import periods_of
    from planner.optimise.model import build_model
    from planner.optimise.solve import solve

    inputs = run.inputs
    roadmap = inputs.scenario.roadmap
    pcs = roadmap_candidates(inputs, periods_of(roadmap))
    last = pcs[-1]
    start = time.perf_counter()
    target_result = solve(build_model(last.inputs, last.cands), run.result.options)
    target: dict[str, str] = {}
    for unit in last.cands.units:
        current = last.cands.workloads[unit.members[0]].current_site
        for wid, option in split_unit(unit, target_result.x, current):
            target[wid] = option.place_id
    built: dict[str, dict[str, float]] = defaultdict(dict)
    for (site_id, block_id), n in target_result.k.items():
        built[site_id][block_id] = n
    ev = Evaluator(last.cands)
    fixed_eur_month = sum(
        n * ev.block(s, b).cost_eur_month for (s, b), n in target_result.k.items()
    ) + sum(ev.places[p].fixed_cost_eur_month for p, n in target_result.y.items() if n > 0.5)
    # costs[t][wid][place]: each member's monthly cost on each place it may use in period t
    costs: list[dict[str, dict[str, float]]] = []
    for pc in pcs:
        table: dict[str, dict[str, float]] = defaultdict(dict)
        for unit in pc.cands.units:
            for o in unit.options:
                for i, wid in enumerate(unit.members):
                    k = 0 if unit.kind == "class" else i
                    table[wid][o.place_id] = o.member_costs_eur_month[k]
        costs.append(table)
    where: dict[str, str | None] = {w.id: w.current_site for w in inputs.workloads}
    workloads = {w.id: w for w in inputs.workloads}
    frozen = set(roadmap.waves.freeze)
    limit = roadmap.waves.max_moves
    spent: dict[int, float] = defaultdict(float)
    total = one_off = 0.0
    breaches = {"budget": 0, "ineligible": 0, "capacity": 0}
    for t, pc in enumerate(pcs):
        alive = costs[t]
        moved = 0
        due = []
        for wid in alive:
            here = where.get(wid)
            goal = target.get(wid)
            if here is None:
                options = alive[wid]
                where[wid] = goal if goal in options else min(options, key=lambda p: options[p])
                continue
            if goal is None or goal == here or goal not in alive[wid]:
                continue
            deadline = next(
                (s for s in range(t, len(pcs)) if here not in costs[s].get(wid, {here: 0})), 99
            )
            saving = alive[wid].get(here, 0.0) - alive[wid][goal]
            due.append((deadline, -saving, wid))
        year = pc.period.start.year
        budget = roadmap.budget_of(year)
        cap = None if budget is None else budget.migration_eur
        for deadline, _, wid in sorted(due):
            forced = deadline == t
            cost = workloads[wid].move_cost_eur
            if pc.period.name in frozen or (limit is not None and moved >= limit):
                if forced:
                    breaches["ineligible"] += 1
                continue
            if cap is not None and spent[year] + cost > cap:
                if not forced:
                    continue
                breaches["budget"] += 1
            where[wid] = target[wid]
            spent[year] += cost
            one_off += cost
            moved += 1
        month = fixed_eur_month  # the end state's blocks and contracts, from the start
        use: dict[str, float] = defaultdict(float)
        for wid, options in alive.items():
            place = where.get(wid)
            month += options[place] if place in options else max(options.values())
            if place is not None:
                use[place] += pc.cands.workloads[wid].demand.vcpu
        for site in pc.cands.places:
            if site.site is None:
                continue
            room = place_limit(site, "vcpu", built.get(site.id, {}))
            held = use[site.id] / site.site.overcommit_ratio("vcpu")
            if room is not None and held > room + 1e-6:
                breaches["capacity"] += 1
        total += month * pc.period.months
    return {
        "cash_eur": total + one_off,
        "one_off_eur": one_off,
        "breaches": breaches,
        "seconds": time.perf_counter() - start,
    }


# how often the memory of the planner and its children is read, seconds
SAMPLE_S = 0.05


class TreeMemory:
    """The largest resident memory of this process and its children at one time, read every
    SAMPLE_S seconds in a thread (a peak shorter than that may be missed); `now_mib` is the
    last reading, `peak_label` what `label` said when the peak was read, `label_peak_mib`
    the peak since `label` last changed. A child still running this process's command line
    is a fork not yet replaced by its own program (a spawned child's first instants): it
    shares this process's pages, so it is not counted twice."""

    def __init__(self) -> None:
        self.peak_mib = 0.0
        self.now_mib = 0.0
        self.label = ""
        self.peak_label = ""
        self.label_peak_mib = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._me = psutil.Process()
        self._command = self._me.cmdline()
        self._read()
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _read(self) -> None:
        total = self._me.memory_info().rss
        for process in self._me.children(recursive=True):
            try:
                if process.cmdline() == self._command:
                    continue  # forked, not yet its own program: it shares this one's pages
                total += process.memory_info().rss
            except psutil.Error:  # a child that ended meanwhile
                continue
        self.now_mib = total / 2**20
        self.label_peak_mib = max(self.label_peak_mib, self.now_mib)
        if self.now_mib > self.peak_mib:
            self.peak_mib, self.peak_label = self.now_mib, self.label

    def _watch(self) -> None:
        while not self._stop.is_set():
            self._read()
            self._stop.wait(SAMPLE_S)


def measure(scenario: str, greedy: bool) -> dict[str, Any]:
    """Plan one roadmap in this process: stage seconds, peak memory, status, costs."""
    from planner.pipeline import run_plan
    from planner.plan.roadmap_document import RoadmapPlan

    start = time.perf_counter()
    with TreeMemory() as memory:
        run = run_plan(scenario, timings=True)
    total = time.perf_counter() - start
    plan = run.plan
    assert isinstance(plan, RoadmapPlan)
    waves = plan.roadmap.waves
    cash = sum(w.totals.monthly_cost_eur * w.months + w.totals.one_off_eur for w in waves)
    budget_years = [y for y in plan.roadmap.years if y.migration_budget_eur is not None]
    out: dict[str, Any] = {
        "scenario": plan.scenario.name,
        "workloads": len(run.inputs.workloads),
        "places": len(run.candidates.places),
        "periods": len(waves),
        "variables": len(run.model.x),
        "seconds": run.seconds,
        "total_s": total,
        # the planner's process and the largest of its children (the solve run apart with a
        # hard deadline), added: an upper bound of the two at once
        "peak_mib": (
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        )
        / 1024.0,
        "peak_at_once_mib": memory.peak_mib,
        "status": plan.solver.status,
        "gap_pct": plan.solver.gap_pct,
        "objective_eur": plan.solver.objective_eur,
        "bound_eur": plan.solver.bound_eur,
        "cash_eur": cash,
        "moves": sum(w.totals.moves for w in waves),
        "budget_breaches": sum(
            1 for y in budget_years if y.migration_eur > (y.migration_budget_eur or 0) + 0.5
        ),
    }
    if greedy:
        out["greedy"] = _greedy_schedule(run)
    return out


def _row(cells: list[object]) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def tables(results: list[dict[str, Any]]) -> str:
    lines = [
        "| roadmap | workloads | places | periods | placement variables | candidates s | "
        "build s | solve s | extract s | total s | peak MiB | peak MiB at once | status | "
        "gap % |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for r in results:
        if "error" in r:  # no plan: the case's own process failed, its last error line
            cells = [r["scenario"], *["–"] * 8, f"{r['total_s']:.1f}", f"{r['peak_mib']:,.0f}", "–"]
            lines.append(_row([*cells, f"no plan ({r['error']})", "–"]))
            continue
        s = r["seconds"]
        lines.append(
            _row(
                [
                    r["scenario"],
                    f"{r['workloads']:,}",
                    r["places"],
                    r["periods"],
                    f"{r['variables']:,}",
                    f"{s.get('candidates', 0):.1f}",
                    f"{s.get('build', 0):.1f}",
                    f"{s.get('solve', 0):.1f}",
                    f"{s.get('extract', 0):.1f}",
                    f"{r['total_s']:.1f}",
                    f"{r['peak_mib']:,.0f}",
                    f"{r['peak_at_once_mib']:,.0f}",
                    r["status"],
                    r["gap_pct"],
                ]
            )
        )
    lines += [
        "",
        "| roadmap | roadmap cash € | end state + greedy cash € | difference % | roadmap "
        "budget breaches | greedy budget / ineligible / capacity breaches |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for r in results:
        g = r.get("greedy")  # none for a case without a plan
        if g is None:
            continue
        b = g["breaches"]
        lines.append(
            _row(
                [
                    r["scenario"],
                    f"{r['cash_eur']:,.0f}",
                    f"{g['cash_eur']:,.0f}",
                    f"{100 * (g['cash_eur'] - r['cash_eur']) / r['cash_eur']:.2f}",
                    r["budget_breaches"],
                    f"{b['budget']} / {b['ineligible']} / {b['capacity']}",
                ]
            )
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fleets", nargs="*", default=["10000x30x12"])
    parser.add_argument("--skip-demo", action="store_true")
    parser.add_argument("--time-limit", type=float, default=120.0)
    parser.add_argument(
        "--write", metavar="DIR", help="write the (first) fleet's roadmap into DIR and stop"
    )
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure(args.one, greedy=True)))
        return 0
    if args.write:
        n, places, periods = (int(v) for v in args.fleets[0].lower().split("x"))
        Path(args.write).mkdir(parents=True, exist_ok=True)
        print(_fleet_roadmap(Path(args.write), n, places, periods, args.time_limit))
        return 0
    cases: list[tuple[str, tempfile.TemporaryDirectory[str] | None]] = []
    if not args.skip_demo:
        cases.append((DEMO, None))
    for spec in args.fleets:
        n, places, periods = (int(v) for v in spec.lower().split("x"))
        folder = tempfile.TemporaryDirectory(prefix="planner-roadmap-bench-")
        path = _fleet_roadmap(Path(folder.name), n, places, periods, args.time_limit)
        cases.append((path, folder))
    results = []
    for scenario, tmp in cases:
        command = [sys.executable, "-m", "benchmarks.roadmap_bench", "--one", scenario]
        started = time.perf_counter()
        done = subprocess.run(command, check=False, capture_output=True, text=True)
        if done.returncode != 0:
            error = done.stderr.strip().splitlines()[-1]
            print(f"{scenario}: {error}", file=sys.stderr)
            results.append(
                {
                    "scenario": yaml.safe_load(Path(scenario).read_text())["name"],
                    "error": error.split(": ", 1)[-1],
                    "total_s": time.perf_counter() - started,
                    # the largest process waited for so far: this case's, or an earlier one's
                    "peak_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0,
                }
            )
            continue
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
        if tmp is not None:
            tmp.cleanup()
    print(tables(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
