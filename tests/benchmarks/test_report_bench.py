"""The report benchmark measures what it says, on the small report fixture."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from benchmarks.report_bench import open_in_browser, plan_and_render, table

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "report" / "scenario.yaml"


def test_plan_and_render_counts_and_sizes() -> None:
    made = plan_and_render(FIXTURE)
    html = made.pop("html")
    assert (made["workloads"], made["changes"]) == (13, 11)
    assert made["html_mb"] == len(html.encode("utf-8")) / 1e6
    assert made["summary_lines"] < made["text_lines"]
    assert made["reason"] == "capacity_full"


@pytest.mark.skipif(
    shutil.which("chromium") is None and shutil.which("chromium-browser") is None,
    reason="chromium is not installed: run .ci/install-browser",
)
def test_open_in_browser_filters_and_prints(tmp_path: Path) -> None:
    pytest.importorskip("playwright.sync_api")
    made = plan_and_render(FIXTURE)
    page = tmp_path / "report.html"
    page.write_text(made.pop("html"), encoding="utf-8")
    opened = open_in_browser(page, "outsourced_cheaper", runs=1)
    assert opened["shown"] == "4 of 11 changes shown"  # web-1, web-2, web-3 and new-api
    assert (opened["outside"], opened["errors"]) == (0, 0)
    assert 1 <= opened["summary_pages"] <= 2
    row = table([{**made, **opened, "name": "fixture"}]).splitlines()[2]
    assert row.startswith("| fixture | 13 | 11 | ") and row.endswith(" lines |")
