"""HTML, Markdown and CSV reports through the CLI: golden files, `show`, overrides, errors.

Regenerate the golden files with `pytest tests/e2e/test_reports.py --update-goldens` and
review the diff.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.cli import app
from tests.golden_files import assert_golden

REPORT = "tests/fixtures/report/scenario.yaml"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner(env={"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"})


@pytest.fixture
def plan_json(runner: CliRunner, tmp_path: Path) -> Path:
    out = tmp_path / "plan.json"
    result = runner.invoke(app, ["plan", REPORT, "-f", "json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize(("fmt", "golden"), [("md", "report.md"), ("csv", "report.csv")])
def test_markdown_and_csv_match_golden(
    runner: CliRunner, fmt: str, golden: str, update_goldens: bool
) -> None:
    result = runner.invoke(app, ["plan", REPORT, "--format", fmt])
    assert result.exit_code == 0, result.output
    assert_golden(golden, result.stdout_bytes.decode("utf-8"), update_goldens)


@pytest.mark.parametrize("fmt", ["text", "json", "md", "csv", "html"])
def test_show_renders_what_plan_renders(runner: CliRunner, plan_json: Path, fmt: str) -> None:
    planned = runner.invoke(app, ["plan", REPORT, "--format", fmt])
    shown = runner.invoke(app, ["show", str(plan_json), "--format", fmt])
    assert shown.exit_code == 0, shown.output
    if fmt == "text":  # the text plan of `plan` records the solve time; the saved one does not
        assert shown.stdout.splitlines()[:-1] == planned.stdout.splitlines()[:-1]
    else:
        assert shown.stdout_bytes == planned.stdout_bytes


def test_csv_one_row_per_resource_with_hand_checked_costs(runner: CliRunner) -> None:
    raw = runner.invoke(app, ["plan", REPORT, "--format", "csv"]).stdout_bytes
    assert raw.count(b"\r\n") == 15 and raw.count(b"\n") == 15  # RFC 4180 line ends
    text = raw.decode("utf-8")
    records = list(csv.DictReader(io.StringIO(text, newline="")))
    assert list(records[0]) == [
        "kind",
        "name",
        "data_class",
        "site_before",
        "site_after",
        "action",
        "cost_before_eur_month",
        "cost_after_eur_month",
        "solver_status",
        "solver_proven_optimal",
        "solver_gap_pct",
        "reason",
        "owner",
        "one_off_eur",
    ]
    by_id = {r["name"]: r for r in records}
    assert len(records) == 14 == len(by_id)
    assert [r["kind"] for r in records] == ["workload"] * 13 + ["expansion"]
    # lyon: 2 vCPU x 18 + 8 GiB x 2 = 52; BigCo flavour "small" (2 vCPU, 8 GiB) = 30
    assert by_id["web-1"] == {
        "kind": "workload",
        "name": "web-1",
        "data_class": "public",
        "site_before": "lyon",
        "site_after": "pub",
        "action": "move",
        "cost_before_eur_month": "52.00",
        "cost_after_eur_month": "30.00",
        "solver_status": "optimal",
        "solver_proven_optimal": "true",
        "solver_gap_pct": "0.0000",
        "reason": "outsourced to pub: the cheapest eligible in-house site, paris, costs "
        "€41.56 / month, dearer by €6.00 (14.4 %), beyond the 10 % in-house "
        "preference threshold",
        "owner": "",
        "one_off_eur": "200.00",  # its move_cost_eur
    }
    # retired: 4 x 18 + 16 x 2 = 104 on lyon, nothing after
    assert (
        by_id["old-batch"]["action"],
        by_id["old-batch"]["cost_before_eur_month"],
        by_id["old-batch"]["cost_after_eur_month"],
    ) == ("delete", "104.00", "")
    # sensitive data on a non-EU provider: the policy forces the move although it costs more
    assert by_id["hr-db"]["reason"].startswith(
        "may no longer run on pub (data class 'sensitive': not an internal State cloud"
    )
    # pinned to the SecNumCloud offer: 8 x 25 + 32 x 3 = 296, unchanged
    assert (by_id["case-b"]["action"], by_id["case-b"]["cost_after_eur_month"]) == (
        "stay",
        "296.00",
    )
    # one rack at paris: 1 block, its amortised capex + opex
    assert (
        by_id["paris.rack"]["action"],
        by_id["paris.rack"]["site_after"],
        by_id["paris.rack"]["cost_after_eur_month"],
    ) == ("create", "paris", "140.00")


@pytest.mark.parametrize(
    "scenario", [REPORT, "scenarios/baseline.yaml", "scenarios/what-if-site-lost.yaml"]
)
def test_csv_costs_sum_to_the_plans_monthly_totals(runner: CliRunner, scenario: str) -> None:
    plan = json.loads(runner.invoke(app, ["plan", scenario, "-f", "json"]).stdout)
    text = runner.invoke(app, ["plan", scenario, "-f", "csv"]).stdout
    records = list(csv.DictReader(io.StringIO(text, newline="")))
    for column, total in (
        ("cost_before_eur_month", "monthly_cost_before_eur"),
        ("cost_after_eur_month", "monthly_cost_after_eur"),
    ):
        cents = sum(round(float(r[column]) * 100) for r in records if r[column])
        assert cents == round(plan["totals"][total] * 100), column


def test_html_out_file_has_summary_four_charts_sovereignty_and_changes(
    runner: CliRunner, plan_json: Path, tmp_path: Path
) -> None:
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["show", str(plan_json), "--format", "html", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.stderr
    html = out.read_text(encoding="utf-8")
    for anchor in (
        'id="summary"',
        'id="chart-utilisation"',
        'id="chart-cost"',
        'id="chart-classes"',
        'id="chart-flows"',
        'id="sovereignty"',
        'id="expansions"',
        'id="changes"',
        'id="assumptions"',
    ):
        assert anchor in html
    assert "€2,126.00" in html and "€1,779.00" in html and "-€347.00" in html
    # the SecNumCloud qualification of the pinned offer ends before the horizon does
    assert 'class="expiring"' in html and "expires within horizon: secnumcloud (2027-06-30)" in html
    # the Paris rack takes analytics and hr-db back from outsourcing: 496 + 130 a month
    # outside before, 8 x 12 + 32 x 1.5 + 1000 x 0.1 = 244 and 194 (500 GiB) at Paris after
    assert (
        "It takes back 2 workloads from outsourcing, which cost €626.00 / month outside "
        "before and €438.00 / month here after."
    ) in html
    assert ">analytics, hr-db</span>" in html


def test_html_is_self_contained(runner: CliRunner) -> None:
    html = runner.invoke(app, ["plan", REPORT, "--format", "html"]).stdout
    # one inline script, the change list's filter, allowed by its hash and by nothing else
    [script] = re.findall(r"<script>(.*?)</script>", html, re.DOTALL)
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    assert f"script-src 'sha256-{digest}'\">" in html and html.count("<script") == 1
    for call in ("fetch(", "XMLHttpRequest", "import(", "eval(", "WebSocket", "innerHTML"):
        assert call not in script, call
    lowered = html.replace(script, "").lower()
    for fetch in ("<link", "<img", "<iframe", "src=", "href=", "url(", "@import"):
        assert fetch not in lowered, fetch
    # the only URL is the SVG namespace, which a browser never fetches
    assert "://" not in lowered.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_templates_override_one_piece(runner: CliRunner, plan_json: Path, tmp_path: Path) -> None:
    (tmp_path / "mine" / "report").mkdir(parents=True)
    (tmp_path / "mine" / "report" / "header.html.j2").write_text(
        "<header><h1>Ministère : plan {{ plan.scenario.name }}</h1></header>\n", encoding="utf-8"
    )
    result = runner.invoke(
        app, ["show", str(plan_json), "-f", "html", "--templates", str(tmp_path / "mine")]
    )
    assert result.exit_code == 0, result.output
    assert "<h1>Ministère : plan report</h1>" in result.stdout
    assert "Placement plan: report</h1>" not in result.stdout
    assert 'id="chart-flows"' in result.stdout  # the rest still comes from the packaged ones


def test_broken_override_template_names_file_and_line(
    runner: CliRunner, plan_json: Path, tmp_path: Path
) -> None:
    (tmp_path / "report.md.j2").write_text("# ok\n{{ plan.no_such_field }}\n")
    result = runner.invoke(app, ["show", str(plan_json), "-f", "md", "--templates", str(tmp_path)])
    assert result.exit_code == 1
    assert f"{tmp_path / 'report.md.j2'}:2: error: template error" in result.stderr
    assert "Traceback" not in result.output
    (tmp_path / "report.md.j2").write_text("{% if %}\n")
    result = runner.invoke(app, ["show", str(plan_json), "-f", "md", "--templates", str(tmp_path)])
    assert result.exit_code == 1 and "report.md.j2:1: error: template syntax error" in (
        result.stderr
    )


def test_show_bad_inputs_exit_1(runner: CliRunner, plan_json: Path, tmp_path: Path) -> None:
    missing = runner.invoke(app, ["show", str(tmp_path / "none.json")])
    assert missing.exit_code == 1 and "none.json: error: plan file not found" in missing.stderr
    no_dir = runner.invoke(app, ["show", str(plan_json), "--templates", str(tmp_path / "x")])
    assert no_dir.exit_code == 1 and "templates directory not found" in no_dir.stderr
    bad = tmp_path / "bad.json"
    bad.write_text('{"format_version": "1.0", "planner_version": 3}')
    result = runner.invoke(app, ["show", str(bad), "-f", "html"])
    assert result.exit_code == 1 and "not a planner plan" in result.stderr
    assert "Traceback" not in result.output


def test_plan_saved_without_context_still_renders(
    runner: CliRunner, plan_json: Path, tmp_path: Path
) -> None:
    data = json.loads(plan_json.read_text())
    del data["context"]
    older = tmp_path / "older.json"
    older.write_text(json.dumps(data))
    for fmt in ("html", "md", "csv"):
        result = runner.invoke(app, ["show", str(older), "-f", fmt])
        assert result.exit_code == 0, result.output
    html = runner.invoke(app, ["show", str(older), "-f", "html"]).stdout
    assert "saved without its report context" in html and 'id="chart-cost"' in html
