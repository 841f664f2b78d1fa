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
    assert stages[0] == "loading and checking the catalogs"
    assert "building the roadmap model" in " ".join(stages)
    assert stages[-1].startswith("done: optimal, gap ")
    seconds = [float(row.split(" | ")[0].lstrip("| ")) for row in rows]
    assert seconds == sorted(seconds)
    peak = out.splitlines()[-1]
    assert peak.startswith("peak ") and ", in: " in peak
    assert float(peak.split()[1].replace(",", "")) > 10  # MiB: a Python planner at least
