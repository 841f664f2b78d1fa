"""A sweep run: the base first, then the variants not yet in the results file, planned on the
cluster from the base plan as their solver's first incumbent, each record appended as it
comes; break evens bisected round by round."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any, Protocol

from planner.pipeline import StartPlan
from planner.sweep.cluster import Cluster, cluster
from planner.sweep.results import ResultsFile, read_results
from planner.sweep.schema import BreakEven, Watch
from planner.sweep.variants import Sweep, Variant, break_even_variant
from planner.sweep.worker import SOLVED, VariantTask, placements_of, start_plan


class Progress(Protocol):
    """What a run tells as it goes (the command line draws it)."""

    def add(self, variants: int) -> None: ...  # more variants to do
    def done(self, record: dict[str, Any]) -> None: ...  # one more finished (or reused)


class _Silent:
    def add(self, variants: int) -> None:
        pass

    def done(self, record: dict[str, Any]) -> None:
        pass


@dataclass(frozen=True)
class BreakEvenResult:
    """Where a bisection ended: the switch lies in (below, above] when `found`."""

    variation: str
    address: str
    op: str
    watch: str
    low: float
    high: float
    tolerance: float
    found: bool
    below: float
    above: float
    state_below: str
    state_above: str
    steps: int

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class Outcome:
    """Every variant of the sweep (break-even points included) and its record."""

    sweep: Sweep
    variants: list[Variant]
    records: dict[str, dict[str, Any]]
    break_evens: list[BreakEvenResult] = field(default_factory=list)
    reused: int = 0
    ran: int = 0
    ignored_torn_bytes: int = 0


def watch_state(sweep: Sweep, watch: Watch, record: dict[str, Any], base: dict[str, Any]) -> str:
    """Where the watched workload (or the watched data class's workloads) is in a record."""
    if record.get("status") not in SOLVED:
        return f"(no plan: {record.get('status')})"
    placements = placements_of(record, base)
    if watch.workload is not None:
        return placements.get(watch.workload, "(not placed)")
    ids = [w.id for w in sweep.inputs.workloads if w.data_class == watch.data_class]
    return ", ".join(sorted({placements[i] for i in ids if i in placements})) or "(none)"


Bisect = Generator[list[float], list[str], tuple[bool, float, float, str, str, int]]


def _bisect(spec: BreakEven) -> Bisect:
    """Bisection of [low, high] for the first value whose state differs from low's."""
    state_low, state_high = yield [spec.low, spec.high]
    low, high, steps = spec.low, spec.high, 2
    if state_low == state_high:
        return False, low, high, state_low, state_high, steps
    while high - low > spec.tolerance:
        middle = (low + high) / 2.0
        [state] = yield [middle]
        steps += 1
        if state == state_low:
            low = middle
        else:
            high, state_high = middle, state
    return True, low, high, state_low, state_high, steps


class _Runner:
    def __init__(
        self,
        sweep: Sweep,
        out: ResultsFile,
        known: dict[str, dict[str, Any]],
        progress: Progress,
        scheduler: str | None,
        workers: int | None,
        stack: contextlib.ExitStack,
    ) -> None:
        self.sweep, self.out, self.known, self.progress = sweep, out, known, progress
        self.scheduler, self.workers, self.stack = scheduler, workers, stack
        self.records: dict[str, dict[str, Any]] = {}
        self.cluster: Cluster | None = None
        self.start: StartPlan | None = None
        self.reused = self.ran = 0

    def run(self, variants: list[Variant]) -> None:
        """Records for `variants`: reused from the results file, or planned now."""
        todo: dict[str, Variant] = {}
        self.progress.add(len({v.key for v in variants}))
        for variant in variants:
            if variant.key in self.records:
                continue
            if variant.key in self.known:
                self.records[variant.key] = self.known[variant.key]
                self.reused += 1
                self.progress.done(self.known[variant.key])
            else:
                todo[variant.key] = variant
        if not todo:
            return
        if self.cluster is None:
            self.cluster = self.stack.enter_context(
                cluster(self.sweep.inputs, self.scheduler, self.workers)
            )
            self.cluster.set_start(self.start)
        limit, gap = self.sweep.limits()

        def on_record(result: dict[str, Any]) -> None:
            record = {**todo[result["key"]].as_json(), **result}
            self.out.append(record)
            self.records[record["key"]] = record
            self.ran += 1
            self.progress.done(record)

        tasks = [VariantTask(v.key, v.settings, limit, gap) for v in todo.values()]
        self.cluster.run(tasks, on_record)


def run_sweep(
    sweep: Sweep,
    results_path: str,
    *,
    resume: bool = False,
    scheduler: str | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
) -> Outcome:
    """Plan every variant not already in the results file (with `resume`), then the
    break-even bisections; each record is appended as it finishes."""
    known: dict[str, dict[str, Any]] = {}
    torn = 0
    if resume and os.path.exists(results_path):
        back = read_results(results_path)
        known, torn = back.records, back.torn_bytes
    with contextlib.ExitStack() as stack:
        out = stack.enter_context(ResultsFile(results_path))
        out.cut_torn_tail(torn)
        runner = _Runner(sweep, out, known, progress or _Silent(), scheduler, workers, stack)
        base, rest = sweep.variants[0], sweep.variants[1:]
        runner.run([base])  # first: every other variant starts its solver from its plan
        runner.start = start_plan(runner.records[base.key])
        if runner.cluster is not None:
            runner.cluster.set_start(runner.start)
        runner.run(rest)
        variants = list(sweep.variants)
        results = _break_evens(sweep, runner, variants)
    return Outcome(sweep, variants, runner.records, results, runner.reused, runner.ran, torn)


def _break_evens(sweep: Sweep, runner: _Runner, variants: list[Variant]) -> list[BreakEvenResult]:
    """Every break-even bisection advanced together: one round of variants at a time."""
    active: dict[int, tuple[BreakEven, Bisect, list[float]]] = {}
    finished: dict[int, BreakEvenResult] = {}
    for index, spec in enumerate(sweep.spec.variations):
        if isinstance(spec, BreakEven):
            bisection = _bisect(spec)
            active[index] = (spec, bisection, next(bisection))
    round_number = 0
    while active:
        batch: dict[int, list[Variant]] = {
            index: [break_even_variant(sweep, spec, index, v, round_number) for v in wanted]
            for index, (spec, _b, wanted) in active.items()
        }
        every = [v for vs in batch.values() for v in vs]
        variants += every
        runner.run(every)
        for index in list(active):
            spec, bisection, _wanted = active[index]
            base = runner.records[sweep.variants[0].key]
            states = [
                watch_state(sweep, spec.watch, runner.records[v.key], base) for v in batch[index]
            ]
            try:
                active[index] = (spec, bisection, bisection.send(states))
            except StopIteration as stop:
                found, below, above, state_low, state_high, steps = stop.value
                watch = spec.watch.workload or f"data class {spec.watch.data_class}"
                finished[index] = BreakEvenResult(
                    batch[index][0].variation,
                    spec.address,
                    spec.op,
                    watch,
                    spec.low,
                    spec.high,
                    spec.tolerance,
                    found,
                    below,
                    above,
                    state_low,
                    state_high,
                    steps,
                )
                del active[index]
        round_number += 1
    return [finished[i] for i in sorted(finished)]
