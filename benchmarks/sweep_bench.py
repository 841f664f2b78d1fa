"""Sweep throughput on the demo baseline: sampled price variants on a local Dask cluster.

    python -m benchmarks.sweep_bench --variants 1000 --scaling 20

Prints a Markdown table: the end-to-end wall time of `--variants` sampled variants on two
local workers, each variant's solver time against everything else, the throughput of one
worker against two on the same `--scaling` variants (side by side, in one run), the same
variants through an external scheduler and two workers started here (records compared), and
the bytes shipped: the base inputs once per worker, one task per variant.
"""

from __future__ import annotations

import argparse
import os
import pickle
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from planner.sweep.run import run_sweep
from planner.sweep.variants import Sweep, load_sweep
from planner.sweep.worker import VariantTask

ROOT = Path(__file__).resolve().parent.parent
NO_EXTRAS = ("--no-dashboard", "--no-nanny")


def sweep_file(folder: Path, count: int, seed: int) -> Path:
    """A sweep of `count` sampled price variants of the demo baseline."""
    path = folder / f"bench-{count}-{seed}.yaml"
    path.write_text(
        f"name: bench\nbase: {ROOT / 'scenarios' / 'baseline.yaml'}\nvariations:\n"
        f"  - kind: samples\n    count: {count}\n    seed: {seed}\n    parameters:\n"
        "      - address: offers[*-snc,s3ns-premi3ns].unit_prices_eur_month.*\n"
        "        distribution: {uniform: [0.9, 1.4]}\n"
        "      - address: offers[aws-*,azure-*,gcp-*].unit_prices_eur_month.*\n"
        "        distribution: {uniform: [0.95, 1.15]}\n",
        encoding="utf-8",
    )
    return path


def timed_run(sweep: Sweep, results: Path, **kwargs: Any) -> tuple[float, list[dict[str, Any]]]:
    if results.exists():
        results.unlink()
    start = time.perf_counter()
    outcome = run_sweep(sweep, str(results), **kwargs)
    wall = time.perf_counter() - start
    return wall, [outcome.records[v.key] for v in sweep.variants]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def external(workers: int) -> tuple[str, list[subprocess.Popen[bytes]]]:
    """A `dask scheduler` and `workers` `dask worker` processes on 127.0.0.1."""
    dask = str(Path(sys.executable).parent / "dask")
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    quiet: dict[str, Any] = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    procs = [
        subprocess.Popen(
            [dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
            **quiet,
        )
    ]
    for _ in range(workers):
        procs.append(
            subprocess.Popen(
                [dask, "worker", address, "--nthreads", "1", "--host", "127.0.0.1", *NO_EXTRAS],
                **quiet,
            )
        )
    from distributed import Client

    with Client(address, timeout="30s") as client:  # type: ignore[no-untyped-call]
        client.wait_for_workers(workers, timeout=60)
    return address, procs


def _stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for proc in reversed(procs):
        proc.send_signal(signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def _stable(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k != "run"}


def _per_variant(records: list[dict[str, Any]], key: str) -> list[float]:
    return [float(r["run"]["seconds"].get(key, 0.0)) for r in records]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--variants", type=int, default=1000)
    parser.add_argument("--scaling", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f} (2 cores)")
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t = time.perf_counter()
        big = load_sweep(str(sweep_file(folder, args.variants, args.seed)), str(ROOT))
        load_s = time.perf_counter() - t
        wall, records = timed_run(big, folder / "big.jsonl", workers=2)
        n = len(records)
        total = _per_variant(records, "total")
        solve = _per_variant(records, "solve")
        inside = [a - b for a, b in zip(total, solve, strict=True)]
        driver = max(wall * 2 - sum(total), 0.0) / n
        task_bytes = [
            len(pickle.dumps(VariantTask(v.key, v.settings, None, None))) for v in big.variants
        ]
        rows += [
            ("variants (base included), 2 local workers", f"{n:,}"),
            ("sweep file read, expanded and every variant checked", f"{load_s:.2f} s"),
            ("end to end, cluster start included", f"{wall:.1f} s"),
            ("extrapolated to 1,001 variants", f"{wall / n * 1001 / 60:.1f} min"),
            (
                "statuses",
                ", ".join(
                    f"{s} {sum(r['status'] == s for r in records)}"
                    for s in sorted({r["status"] for r in records})
                ),
            ),
            (
                "solver time per variant (mean / median)",
                f"{statistics.mean(solve):.3f} / {statistics.median(solve):.3f} s",
            ),
            ("rest of a variant on its worker (mean)", f"{statistics.mean(inside):.3f} s"),
            ("driver and cluster share per variant (2 x wall - work) / n", f"{driver:.3f} s"),
            (
                "overhead / solver time",
                f"{100 * (statistics.mean(inside) + driver) / statistics.mean(solve):.1f} %",
            ),
            (
                "base inputs pickled (shipped once per worker)",
                f"{len(pickle.dumps(big.inputs)):,} bytes",
            ),
            ("one task pickled (mean)", f"{statistics.mean(task_bytes):,.0f} bytes"),
        ]
        small = load_sweep(str(sweep_file(folder, args.scaling, args.seed + 1)), str(ROOT))
        one, r1 = timed_run(small, folder / "one.jsonl", workers=1)
        two, r2 = timed_run(small, folder / "two.jsonl", workers=2)
        m = len(r1)
        rows += [
            (f"{m} variants, 1 worker", f"{one:.1f} s ({m / one * 60:.1f} / min)"),
            (f"{m} variants, 2 workers", f"{two:.1f} s ({m / two * 60:.1f} / min)"),
            ("throughput 2 workers / 1 worker", f"{one / two:.2f} x"),
        ]
        address, procs = external(2)
        try:
            ext, r3 = timed_run(small, folder / "ext.jsonl", scheduler=address)
        finally:
            _stop(procs)
        same = sorted(map(_stable, r2), key=str) == sorted(map(_stable, r3), key=str)
        rows += [
            (f"{m} variants, external scheduler + 2 workers", f"{ext:.1f} s"),
            ("records identical to the embedded cluster's", "yes" if same else "NO"),
        ]
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    print("| measure | value |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    main()
