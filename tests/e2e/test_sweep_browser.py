"""Sweep reports as a person sees them: headless Chromium, offline (see test_browser.py).

The tiny estate's sweep of every kind, and the demo's N-1 sweep, run with one command each
(`planner sweep ... --format html`); every request but the report's own is aborted."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from planner.cli import app

ROOT = Path(__file__).resolve().parent.parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="the playwright package is not installed (dev extra)"
)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium is not installed: run .ci/install-browser (Debian package 'chromium')",
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


def _open(browser: Any, path: Path) -> tuple[Any, list[str]]:
    """The page, and every console error and attempted request it made."""
    problems: list[str] = []
    url = path.as_uri()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else 0)
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))

    def route(r: Any) -> None:
        if r.request.url == url:
            r.continue_()
        else:
            problems.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.goto(url, wait_until="load")
    return page, problems


def _report(tmp_path: Path, sweep: str) -> Path:
    out = tmp_path / "sweep.html"
    result = CliRunner().invoke(
        app,
        [
            "sweep",
            str(ROOT / sweep),
            "--format",
            "html",
            "--out",
            str(out),
            "--results",
            str(tmp_path / "r.jsonl"),
            "--workers",
            "2",
        ],
    )
    assert result.exit_code == 0, result.output
    return out


def test_every_kind_report_opens_offline(browser: Any, tmp_path: Path) -> None:
    page, problems = _open(browser, _report(tmp_path, "tests/fixtures/sweep/all-kinds.yaml"))
    assert problems == []
    assert page.locator("h1").inner_text() == "Sweep: all-kinds"
    ids = page.evaluate("() => [...document.querySelectorAll('svg.chart')].map(s => s.id)")
    assert ids == [
        "hist-snc-price",
        "tornado-snc-price",
        "stability-snc-price",
        "hist-prices",
        "stability-prices",
        "losses-n-1",
        "pareto-outsourced",
    ]
    widths = page.evaluate(
        "() => [...document.querySelectorAll('svg.chart')].map(s => s.getBoundingClientRect()"
        ".width)"
    )
    assert all(w > 400 for w in widths)
    assert page.locator("table.break-even td").nth(3).inner_text() == "in (0.49375, 0.500781]"
    shot = tmp_path / "shot.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 20_000


def test_demo_n_minus_1_report_opens_offline(browser: Any, tmp_path: Path) -> None:
    page, problems = _open(browser, _report(tmp_path, "scenarios/sweeps/n-minus-1.yaml"))
    assert problems == []
    rows = page.locator("table.losses tr")
    assert rows.count() == 4  # a header and the three sites
    text = page.locator("table.losses").inner_text()
    assert "nubo\toptimal\t€252,614.73" in text
    assert "pi\tinfeasible" in text and "msociaux\tinfeasible" in text
