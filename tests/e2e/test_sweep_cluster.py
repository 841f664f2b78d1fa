"""The sweep on real clusters: a worker killed mid-sweep, and an external scheduler with two
workers started here as separate processes on 127.0.0.1, against the embedded cluster."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from planner.sweep.run import run_sweep
from planner.sweep.variants import load_sweep
from planner.sweep.worker import SOLVED

ROOT = Path(__file__).resolve().parents[2]
SWEEP = ROOT / "tests" / "fixtures" / "sweep" / "samples.yaml"
DASK = Path(sys.executable).parent / "dask"


def _stable(record: dict[str, Any]) -> dict[str, Any]:
    """A record without its `run` part (seconds and worker process differ between runs)."""
    return {k: v for k, v in record.items() if k != "run"}


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


class _KillOnce:
    """Kills the worker process of the first finished variant (it is busy with the next)."""

    def __init__(self) -> None:
        self.killed: int | None = None
        self.seen = 0

    def add(self, variants: int) -> None:
        pass

    def done(self, record: dict[str, Any]) -> None:
        self.seen += 1
        pid = record.get("run", {}).get("pid")
        if self.killed is None and self.seen >= 2 and isinstance(pid, int):
            os.kill(pid, signal.SIGKILL)
            self.killed = pid


def test_a_killed_worker_loses_no_variant(tmp_path: Path) -> None:
    sweep = load_sweep(str(SWEEP), str(ROOT))
    results = tmp_path / "r.jsonl"
    killer = _KillOnce()
    outcome = run_sweep(sweep, str(results), workers=2, progress=killer)
    assert killer.killed is not None
    records = _lines(results)
    keys = [r["key"] for r in records]
    assert sorted(keys) == sorted(v.key for v in sweep.variants)  # each exactly once
    assert [r for r in records if r["status"] not in SOLVED] == []
    # the killed worker's variants ran again elsewhere (a nanny restarted it meanwhile)
    pids = {r["run"]["pid"] for r in records}
    assert len(pids) >= 2
    assert outcome.ran == len(sweep.variants)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def external() -> Iterator[str]:
    """`dask scheduler` and two `dask worker` processes on 127.0.0.1."""
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    common: dict[str, Any] = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    procs = [
        subprocess.Popen(
            [str(DASK), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
            **common,
        )
    ]
    try:
        for _ in range(2):
            procs.append(
                subprocess.Popen(
                    [
                        str(DASK),
                        "worker",
                        address,
                        "--nthreads",
                        "1",
                        "--nworkers",
                        "1",
                        "--host",
                        "127.0.0.1",
                        "--no-dashboard",
                        "--no-nanny",
                    ],
                    cwd=str(ROOT),
                    **common,
                )
            )
        from distributed import Client

        with Client(address, timeout="30s") as client:  # type: ignore[no-untyped-call]
            client.wait_for_workers(2, timeout=60)
        yield address
    finally:
        for proc in reversed(procs):
            proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 20
        for proc in procs:
            try:
                proc.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def test_external_scheduler_gives_the_same_records(external: str, tmp_path: Path) -> None:
    sweep = load_sweep(str(SWEEP), str(ROOT))
    run_sweep(sweep, str(tmp_path / "embedded.jsonl"), workers=2)
    run_sweep(sweep, str(tmp_path / "external.jsonl"), scheduler=external)
    embedded = sorted((_stable(r) for r in _lines(tmp_path / "embedded.jsonl")), key=str)
    outside = sorted((_stable(r) for r in _lines(tmp_path / "external.jsonl")), key=str)
    assert len(embedded) == len(sweep.variants) == 25
    assert embedded == outside
    pids = {r["run"]["pid"] for r in _lines(tmp_path / "external.jsonl")}
    assert len(pids) == 2  # both external workers planned variants
