"""Ctrl-C exits 130 with "interrupted", no traceback and nothing written, wherever it lands."""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from benchmarks.fleet import generate, write_fleet

pytestmark = pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs /proc")

WAIT_S = 120.0
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class Planner:
    """`python -m planner ...` in a subprocess, its stderr read as it comes."""

    def __init__(self, *args: str, cwd: Path, terminal: bool = True) -> None:
        env = dict(os.environ, COLUMNS="200")
        env.pop("FORCE_COLOR", None)
        if terminal:
            env["FORCE_COLOR"] = "1"  # the progress line on stderr, as on a terminal
        self.process = subprocess.Popen(
            [sys.executable, "-m", "planner", *args],
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self.stderr = bytearray()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert isinstance(self.process.stderr, io.BufferedReader)
        while chunk := self.process.stderr.read1(4096):
            self.stderr.extend(chunk)

    def wait_until(self, ready: Callable[[], bool]) -> None:
        deadline = time.monotonic() + WAIT_S
        while not ready() and time.monotonic() < deadline:
            assert self.process.poll() is None, bytes(self.stderr).decode(errors="replace")
            time.sleep(0.01)
        assert ready(), "the run never reached the point to interrupt"

    def interrupt(self) -> tuple[int, bytes, str]:
        self.process.send_signal(signal.SIGINT)
        assert self.process.stdout is not None
        stdout = self.process.stdout.read()
        self.process.wait(WAIT_S)
        self._reader.join(WAIT_S)
        return self.process.returncode, stdout, bytes(self.stderr).decode(errors="replace")


@pytest.fixture(scope="module")
def long_solve(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fleet HiGHS takes far longer than the test to close at gap 0."""
    return write_fleet(
        generate(3000, 30, seed=1),
        tmp_path_factory.mktemp("fleet"),
        time_limit_s=600.0,
        gap_rel=0.0,
    )


@pytest.mark.parametrize("terminal", [True, False])
def test_ctrl_c_during_the_search(long_solve: Path, terminal: bool) -> None:
    out = long_solve.parent / "plan.json"
    run = Planner(
        "plan",
        str(long_solve),
        "-f",
        "json",
        "-o",
        str(out),
        cwd=long_solve.parent,
        terminal=terminal,
    )
    if terminal:  # once an incumbent has been shown
        run.wait_until(lambda: b"best plan so far" in run.stderr)
    else:  # the solver is imported before loading; loading takes a second or two
        run.wait_until(lambda: _loaded(run.process.pid, "highspy"))
    time.sleep(6.0)  # well into the branch and bound, which takes minutes to close
    code, stdout, stderr = run.interrupt()
    lines = [x for x in ANSI.sub("", stderr).replace("\r", "\n").splitlines() if x.strip()]
    assert code == 130, stderr
    assert lines[-1] == "interrupted"
    if terminal:
        assert "best plan so far" in lines[-2]  # the last progress line
    else:
        assert lines == ["interrupted"]
    assert not [x for x in lines if "error" in x or "Traceback" in x]
    assert stdout == b""
    assert not out.exists()
    assert not list(long_solve.parent.glob(".planner-*"))


def _loaded(pid: int, library: str) -> bool:
    try:
        return library in Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return False


def test_ctrl_c_during_start_up(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    run = Planner("plan", "scenarios/baseline.yaml", cwd=root)
    # pydantic's compiled core is mapped while `planner.cli` is being imported
    run.wait_until(lambda: _loaded(run.process.pid, "pydantic_core"))
    code, stdout, stderr = run.interrupt()
    assert (code, stdout, stderr) == (130, b"", "interrupted\n")
