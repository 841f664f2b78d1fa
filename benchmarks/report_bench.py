"""The reviewer's report at fleet size: how large the HTML and text plans get, and how fast the
HTML opens, filters and sorts in headless Chromium.

    python -m benchmarks.report_bench                      # the demo baseline, 1k x 20, 10k x 30
    python -m benchmarks.report_bench --sizes 10000x30 --runs 5

For each plan (the demo baseline, then each generated fleet, planned as `planner plan` does):
the HTML report's size and render time, the text plan's lines with and without `--summary`;
then the report opened from disk, offline, `--runs` times in a fresh page: the time to its
`load` event (median and worst), the time the inline script takes to filter the change list
to one reason and to sort it by difference (measured in the page), the chart labels outside
their SVG box, the console errors, and the printed summary's A4 pages. Prints a Markdown
table. Needs chromium (`.ci/install-browser`) and the playwright package (dev extra).
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.fleet import generate, write_fleet

ROOT = Path(__file__).resolve().parent.parent
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
# every chart text outside its SVG's viewBox, measured in the report's font
OUTSIDE = """() => [...document.querySelectorAll('svg.chart')].flatMap(svg => {
    const box = svg.viewBox.baseVal;
    return [...svg.querySelectorAll('text')].map(t => t.getBBox()).filter(b =>
        b.x < 0 || b.y < 0 || b.x + b.width > box.width || b.y + b.height > box.height);
}).length"""
# the filter and the sort, timed inside the page (both run synchronously on the event)
FILTER_MS = """(reason) => {
    const select = document.querySelector('#change-filter select[name=reason]');
    const start = performance.now();
    select.value = reason;
    select.dispatchEvent(new Event('input', {bubbles: true}));
    return [performance.now() - start, document.getElementById('change-count').textContent];
}"""
SORT_MS = """() => {
    const button = [...document.querySelectorAll('#change-list th button')]
        .find(b => b.textContent === 'Difference');
    const start = performance.now();
    button.click();
    return performance.now() - start;
}"""


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def plan_and_render(scenario: Path) -> dict[str, Any]:
    """Plan a scenario, then time and size its HTML report and text plans."""
    from planner.pipeline import run_plan
    from planner.render import Format, render

    start = time.perf_counter()
    plan = run_plan(str(scenario)).plan
    plan_s = time.perf_counter() - start
    start = time.perf_counter()
    html = render(plan, Format.html)
    render_s = time.perf_counter() - start
    text = render(plan, Format.text)
    summary = render(plan, Format.text, summary=True)
    codes = {rc.reason.code for rc in plan.changes if rc.reason is not None}
    return {
        "workloads": sum(1 for rc in plan.resource_changes if rc.type == "planner_placement"),
        "changes": len(plan.changes),
        "plan_s": plan_s,
        "render_s": render_s,
        "html": html,
        "html_mb": len(html.encode("utf-8")) / 1e6,
        "text_lines": text.count("\n"),
        "summary_lines": summary.count("\n"),
        "reason": "capacity_full" if "capacity_full" in codes else sorted(codes)[0],
    }


def _only(route: Any, url: str, requests: list[str]) -> None:
    """Let the report itself load; record and abort any other request."""
    if route.request.url == url:
        route.continue_()
    else:
        requests.append(route.request.url)
        route.abort()


def open_in_browser(html_file: Path, reason: str, runs: int) -> dict[str, Any]:
    """Open the report `runs` times, offline; times, label and error counts, printed pages."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("chromium is not installed: run .ci/install-browser")
    url = html_file.as_uri()
    loads: list[float] = []
    filters: list[float] = []
    sorts: list[float] = []
    errors: list[str] = []
    requests: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=ARGS)
        for _ in range(runs):
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.route("**/*", lambda route: _only(route, url, requests))
            start = time.perf_counter()
            page.goto(url, wait_until="load")
            loads.append(time.perf_counter() - start)
            filter_ms, shown = page.evaluate(FILTER_MS, reason)
            filters.append(filter_ms)
            sorts.append(page.evaluate(SORT_MS))
            outside = page.evaluate(OUTSIDE)
            page.close()
        page = browser.new_page()
        page.goto(url, wait_until="load")
        page.emulate_media(media="print")
        page.evaluate("""() => document.querySelectorAll('main > :not(header, #summary)')
            .forEach(node => node.remove())""")
        summary_pages = _pages(page.pdf(format="A4", print_background=True))
        browser.close()
    return {
        "load_s": statistics.median(loads),
        "load_worst_s": max(loads),
        "filter_ms": statistics.median(filters),
        "sort_ms": statistics.median(sorts),
        "shown": shown,
        "outside": outside,
        "errors": len(errors) + len(requests),
        "summary_pages": summary_pages,
    }


def table(results: list[dict[str, Any]]) -> str:
    head = (
        "| plan | workloads | changes | HTML | render | opens (median / worst) | filter | sort "
        "| labels outside | errors | printed summary | text plan | `--summary` |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
    )
    lines = [
        f"| {r['name']} | {r['workloads']:,} | {r['changes']:,} | {r['html_mb']:.2f} MB "
        f"| {r['render_s']:.2f} s | {r['load_s']:.2f} / {r['load_worst_s']:.2f} s "
        f"| {r['filter_ms']:.0f} ms | {r['sort_ms']:.0f} ms | {r['outside']} | {r['errors']} "
        f"| {r['summary_pages']} A4 | {r['text_lines']:,} lines | {r['summary_lines']:,} lines |"
        for r in results
    ]
    return head + "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Size and speed of the HTML report.")
    parser.add_argument("--sizes", nargs="*", default=["1000x20", "10000x30"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3, help="browser openings per report")
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory(prefix="planner-report-") as tmp:
        scenarios = [("demo baseline", ROOT / "scenarios" / "baseline.yaml")]
        for size in args.sizes:
            workloads, places = (int(v) for v in size.lower().split("x"))
            fleet = generate(workloads, places, args.seed)
            scenarios.append((f"fleet {size}", write_fleet(fleet, Path(tmp) / size)))
        for name, scenario in scenarios:
            made = plan_and_render(scenario)
            html_file = Path(tmp) / f"{name.replace(' ', '-')}.html"
            html_file.write_text(made.pop("html"), encoding="utf-8")
            made.update(open_in_browser(html_file, made["reason"], args.runs), name=name)
            results.append(made)
            print(f"{name}: {made['html_mb']:.2f} MB, {made['load_s']:.2f} s", file=sys.stderr)
    sys.stdout.write(table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
