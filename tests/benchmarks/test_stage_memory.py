"""The stage-by-stage memory reading on the compact roadmap."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.stage_memory import main

SCENARIO = Path(__file__).parent.parent / "fixtures" / "roadmap" / "scenario.yaml"


def test_each_stage_is_printed_with_its_memory(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(SCENARIO), "--time-limit", "30"]) == 0
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if line.startswith("| ") and "MiB" not in line]
    stages = [row.split(" | ")[-1].rstrip(" |") for row in rows]
    assert stages[:2] == ["starting", "loading and checking the catalogs"]
    assert any(name.startswith("building the roadmap model") for name in stages)
    assert stages[-1].startswith("solving the roadmap with highs")
    seconds = [float(row.split(" | ")[0].lstrip("| ")) for row in rows]
    assert seconds == sorted(seconds)
    for row in rows:  # a stage's peak is at least the memory at its end
        end, peak = (float(v.replace(",", "")) for v in row.split(" | ")[1:3])
        assert peak >= end
    status, peak_line = out.splitlines()[-2:]
    assert status.startswith("optimal, gap ")
    assert peak_line.startswith("peak ") and ", in: " in peak_line
    assert float(peak_line.split()[1].replace(",", "")) > 10  # MiB: a Python planner at least
