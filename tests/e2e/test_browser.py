"""The HTML report as a person sees it: headless Chromium, offline, with a screenshot.

Needs Debian's `chromium` (`.ci/install-browser` installs it) and the `playwright` package,
used only to drive that browser. Every request other than the report file itself is recorded
and aborted, so a report that tried to fetch anything fails here without reaching a network.
Set PLANNER_SCREENSHOT_DIR to keep the demo baseline's screenshot (docs/report-baseline.png).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from planner.errors import PlannerError
from planner.pipeline import run_plan
from planner.render import Format, render

ROOT = Path(__file__).resolve().parent.parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

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


class Visit:
    """A page opened offline, with its console errors and attempted requests recorded."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.url = path.as_uri()
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))
        self.page.route("**/*", self._route)
        self.page.goto(self.url, wait_until="load")

    def _console(self, message: Any) -> None:
        if message.type in ("error", "warning"):
            self.errors.append(f"{message.type}: {message.text}")

    def _route(self, route: Any) -> None:
        if route.request.url == self.url:
            route.continue_()
        else:
            self.requests.append(route.request.url)
            route.abort()


def _report(tmp_path: Path, scenario: str) -> Path:
    try:
        plan = run_plan(str(ROOT / scenario)).plan
    except PlannerError as exc:
        pytest.skip(f"{scenario} does not plan on this branch, so it cannot be rendered: {exc}")
    out = tmp_path / "report.html"
    out.write_text(render(plan, Format.html), encoding="utf-8")
    return out


SCENARIOS = ["scenarios/baseline.yaml", "tests/fixtures/report/scenario.yaml"]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=["demo-baseline", "report-fixture"])
def test_report_renders_offline_with_charts(browser: Any, tmp_path: Path, scenario: str) -> None:
    if not (ROOT / scenario).exists():
        pytest.skip(f"{scenario} is not on this branch")
    visit = Visit(browser, _report(tmp_path, scenario))
    page = visit.page
    shot = tmp_path / "first-screen.png"
    page.screenshot(path=str(shot))
    keep = os.environ.get("PLANNER_SCREENSHOT_DIR")
    if keep and scenario == SCENARIOS[0]:
        shutil.copy(shot, Path(keep) / "report-baseline.png")
    assert shot.stat().st_size > 20_000  # a rendered page, not a blank one
    assert visit.errors == []
    assert visit.requests == []
    assert page.locator("h1").first.inner_text().startswith("Placement plan")
    assert page.locator("#summary .card").count() == 6
    charts = page.evaluate("""() => [...document.querySelectorAll('svg.chart')].map(svg => ({
        id: svg.id, width: svg.getBoundingClientRect().width,
        shapes: svg.querySelectorAll('rect, path').length,
        empty: svg.querySelectorAll('.c-empty').length}))""")
    assert [c["id"] for c in charts] == [
        "chart-utilisation",
        "chart-cost",
        "chart-classes",
        "chart-flows",
    ]
    for chart in charts:
        assert chart["width"] > 400, chart
        assert chart["shapes"] > 0 or chart["empty"] == 1, chart
    assert page.locator("table.sovereignty-table tbody tr").count() > 0
    assert page.locator("#changes h3").count() > 0 or "No changes." in page.inner_text("#changes")


def test_print_layout_breaks_before_sections(browser: Any, tmp_path: Path) -> None:
    visit = Visit(browser, _report(tmp_path, "tests/fixtures/report/scenario.yaml"))
    page = visit.page
    page.emulate_media(media="print")
    breaks = page.evaluate("""() => ['charts', 'changes', 'assumptions'].map(id =>
        getComputedStyle(document.getElementById(id)).breakBefore)""")
    assert breaks == ["page", "page", "page"]
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF") and visit.errors == []


def test_the_checks_would_see_a_fetch(browser: Any, tmp_path: Path) -> None:
    """The network and console checks above catch a page that tries to fetch."""
    page = tmp_path / "leaky.html"
    page.write_text(
        '<!DOCTYPE html><title>x</title><img src="http://example.invalid/a.png">'
        '<script>console.error("boom")</script>',
        encoding="utf-8",
    )
    visit = Visit(browser, page)
    assert visit.requests == ["http://example.invalid/a.png"]
    assert any("boom" in e for e in visit.errors)


@pytest.mark.parametrize(
    "scenario", ["scenarios/baseline.yaml", "scenarios/what-if-site-lost.yaml"]
)
def test_chart_labels_fit_inside_their_charts(browser: Any, tmp_path: Path, scenario: str) -> None:
    # measured by the browser in the report's own font: no text runs off a chart's edges
    visit = Visit(browser, _report(tmp_path, scenario))
    outside = visit.page.evaluate("""() => [...document.querySelectorAll('svg.chart')].flatMap(
        svg => [...svg.querySelectorAll('text')].map(t => {
            const box = t.getBBox(), width = svg.viewBox.baseVal.width;
            return {chart: svg.id, text: t.textContent, left: box.x, right: box.x + box.width,
                    width};
        }).filter(t => t.left < 0 || t.right > t.width))""")
    assert outside == []
