"""`--out`: checked before solving, atomic onto regular files only, devices written in place."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.cli import app

TINY = "tests/fixtures/tiny/scenario.yaml"
PLAN_JSON = "tests/golden/baseline.plan.json"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner(env={"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"})


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".planner-tmp-" in p.name)


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("", "'': error: --out: not a file name"),
        ("{tmp}", "{tmp}: error: --out: is a directory"),
        (
            "{tmp}/missing/plan.json",
            "{tmp}/missing/plan.json: error: --out: folder '{tmp}/missing' does not exist",
        ),
        (
            "/proc/planner-out.json",
            "/proc/planner-out.json: error: --out: folder '/proc' is not writable",
        ),
    ],
)
def test_bad_target_is_refused_before_solving(
    runner: CliRunner, tmp_path: Path, target: str, message: str
) -> None:
    # the scenario does not exist: the --out error shows the target is checked first
    out = target.format(tmp=tmp_path)
    result = runner.invoke(app, ["plan", str(tmp_path / "no-such-scenario.yaml"), "-o", out])
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(message.format(tmp=tmp_path)), result.stderr
    assert "internal error" not in result.stderr and "scenario" not in result.stderr
    assert _leftovers(tmp_path) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into a 0500 folder")
def test_read_only_folder_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        result = runner.invoke(app, ["show", PLAN_JSON, "-o", str(folder / "p.txt")])
    finally:
        folder.chmod(0o700)
    assert result.exit_code == 1
    assert "--out: folder" in result.stderr and "is not writable" in result.stderr


def test_dash_is_stdout(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plan_json = str(Path(PLAN_JSON).resolve())
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["show", plan_json, "-o", "-"])
    assert result.exit_code == 0
    assert result.stdout.startswith('Scenario "baseline"')
    assert not (tmp_path / "-").exists() and "wrote" not in result.stderr


def test_existing_file_keeps_its_mode(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "plan.txt"
    out.write_text("old\n")
    out.chmod(0o600)
    result = runner.invoke(app, ["show", PLAN_JSON, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert out.read_text().startswith('Scenario "baseline"')


def test_symlink_writes_its_target_and_stays_a_link(runner: CliRunner, tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_text("old\n")
    real.chmod(0o640)
    link = tmp_path / "link.txt"
    link.symlink_to(real.name)
    result = runner.invoke(app, ["show", PLAN_JSON, "-o", str(link)])
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == "real.txt"
    assert real.read_text().startswith('Scenario "baseline"')
    assert stat.S_IMODE(real.stat().st_mode) == 0o640


def test_character_device_is_written_in_place(runner: CliRunner, tmp_path: Path) -> None:
    node = tmp_path / "null"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a /dev/null of our own
    except PermissionError:
        pytest.skip("cannot create a device node here")
    result = runner.invoke(app, ["show", PLAN_JSON, "-o", str(node)])
    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(node.stat().st_mode)  # still the device, not a regular file
    assert _leftovers(tmp_path) == []


def test_fifo_is_written_in_place(runner: CliRunner, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()))
    reader.start()
    result = runner.invoke(app, ["show", PLAN_JSON, "-o", str(fifo)])
    reader.join(timeout=10)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert received and received[0].startswith('Scenario "baseline"')


def test_block_device_or_socket_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    import socket

    path = tmp_path / "sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    try:
        result = runner.invoke(app, ["show", PLAN_JSON, "-o", str(path)])
    finally:
        server.close()
    assert result.exit_code == 1
    assert f"{path}: error: --out: is not a regular file" in result.stderr


def test_sigterm_during_write_removes_the_temporary_file(tmp_path: Path) -> None:
    # the write is made to take a SIGTERM halfway; the process must die of it, tidily
    script = f"""
import os, signal, sys
sys.path.insert(0, {str(Path(__file__).parents[2])!r})
from planner.cli import output
real_fdopen = os.fdopen
class Slow:
    def __init__(self, handle): self.handle = handle
    def __enter__(self): return self
    def __exit__(self, *exc): self.handle.close()
    def write(self, text):
        self.handle.write(text[:10]); self.handle.flush()
        os.kill(os.getpid(), signal.SIGTERM)
        self.handle.write(text[10:])
output.os.fdopen = lambda fd, *a, **k: Slow(real_fdopen(fd, *a, **k))
output.write(output.check_target({str(tmp_path / "plan.txt")!r}), "x" * 1000)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60)
    assert done.returncode == -signal.SIGTERM, done.stderr
    assert list(tmp_path.iterdir()) == []


def test_temporary_file_is_named_after_its_target(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from planner.cli import output

    seen: list[str] = []
    real_replace = os.replace

    def spy(src: str, dst: str) -> None:
        seen.append(os.path.basename(src))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    output.write(output.check_target(str(tmp_path / "report.html")), "<p>")
    monkeypatch.undo()
    assert len(seen) == 1 and seen[0].startswith(".report.html.planner-tmp-")
    assert (tmp_path / "report.html").read_text() == "<p>"
