"""`--format xlsx`: the baseline's golden plan as a workbook, read back with openpyxl and
python-calamine: one sheet per table, numbers as numbers equal to the plan JSON's figures,
money and dates with number formats, French labels with `--lang fr`, the same bytes for the
same plan, and binary output written only where it can go."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import pty
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from planner.cli import app
from planner.plan.document import load_plan
from planner.render import Format, render_bytes
from tests.golden_files import GOLDEN, assert_golden

PLAN = str(GOLDEN / "baseline.plan.json")
SHEETS_EN = [
    "Summary",
    "Budget lines",
    "Resources",
    "Expansions",
    "Spend by provider",
    "Spend by owner",
    "By data class",
    "Internal sites",
    "Shadow prices",
]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner(env={"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"})


@pytest.fixture(scope="module")
def data() -> Any:
    return json.loads(Path(PLAN).read_text(encoding="utf-8"))


def _book(lang: str = "en") -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(render_bytes(load_plan(PLAN), Format.xlsx, lang)))


def _number(value: object) -> float:
    assert isinstance(value, int | float), f"{value!r} is not a number"
    return value


def _summary(sheet: Any) -> dict[str, Any]:
    return {row[0].value: row[1] for row in sheet.iter_rows(min_row=2)}


def test_every_table_is_a_sheet() -> None:
    assert _book().sheetnames == SHEETS_EN


def test_summary_figures_are_the_plan_json_numbers(data: Any) -> None:
    s = _summary(_book()["Summary"])
    t = data["totals"]
    for label, key in [
        ("Monthly cost before", "monthly_cost_before_eur"),
        ("Monthly cost after", "monthly_cost_after_eur"),
        ("Monthly difference", "monthly_difference_eur"),
        ("One-off moves", "one_off_migration_eur"),
    ]:
        cell = s[label]
        assert cell.data_type == "n" and cell.value == t[key], label
        assert cell.number_format == '"€"#,##0.00;-"€"#,##0.00'
    assert s["Moves"].value == t["moves"] == 92 and s["Moves"].number_format == "#,##0"
    assert s["Outsourced share of monthly spend"].value == t["outsourced_share_pct"]
    assert s["Outsourced share of monthly spend"].number_format == '0.00" %"'
    assert s["Reference date"].value == dt.datetime(2026, 11, 29)
    assert s["Reference date"].is_date
    assert s["Proven optimal"].value is True


def test_resource_rows_carry_each_change_cost_as_a_number(data: Any) -> None:
    sheet = _book()["Resources"]
    header = [c.value for c in sheet[1]]
    name, before, after = (
        header.index(h) for h in ("Name", "Cost before per month", "Cost after per month")
    )
    got = {row[name].value: (row[before], row[after]) for row in sheet.iter_rows(min_row=2)}
    assert len(got) == len(data["resource_changes"])
    for rc in data["resource_changes"]:
        b, a = got[rc["name"]]
        for cell, state in ((b, rc["change"]["before"]), (a, rc["change"]["after"])):
            if state is None:
                assert cell.value is None
            else:
                assert cell.data_type == "n" and cell.value == state["cost_eur_month"]
    total = sum(_number(a.value) for _b, a in got.values() if a.value is not None)
    assert round(total, 2) == data["totals"]["monthly_cost_after_eur"]


def test_calamine_reads_the_same_numbers(data: Any) -> None:
    book = CalamineWorkbook.from_filelike(
        io.BytesIO(render_bytes(load_plan(PLAN), Format.xlsx, "fr"))
    )
    providers = book.get_sheet_by_name("Dépense par fournisseur").to_python()
    assert providers[0][:3] == ["Fournisseur", "Dépense avant par mois", "Dépense après par mois"]
    spend = {row[0]: row[2] for row in providers[1:]}
    buckets = data["totals"]["cost_by_bucket_after_eur"]
    assert spend["internal"] == buckets["internal"]
    assert spend["cloud-temple"] == buckets["provider:cloud-temple"]
    assert all(isinstance(v, float) for v in spend.values())


def test_budget_lines_sheet_is_the_plan_json_budget_years(data: Any) -> None:
    sheet = _book()["Budget lines"]
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["Year", "Months", "Running costs before", "Running costs after"]
    body = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    years = data["totals"]["budget_years"]
    assert [row[0] for row in body] == [y["year"] for y in years] + ["Total"]
    for row, y in zip(body, years, strict=False):
        assert row[1:] == [
            y["months"],
            y["opex_before_eur"],
            y["opex_eur"],
            y["capex_eur"],
            y["amortisation_eur"],
            y["migration_eur"],
        ]
    assert body[-1][1] == data["scenario"]["horizon_months"] == 36


def test_french_labels_and_formats() -> None:
    book = _book("fr")
    assert book.sheetnames[0] == "Résumé" and "Prix fictifs" in book.sheetnames
    s = _summary(book["Résumé"])
    cost = s["Coût mensuel après"]
    assert cost.value == 220601.61 and cost.number_format == '#,##0.00 "€";-#,##0.00 "€"'
    assert s["Date de référence"].number_format == "[$-40C]d mmmm yyyy"
    owners = book["Dépense par propriétaire"]
    assert [c.value for c in owners[1]][:2] == ["Propriétaire", "Charges"]


def test_owner_sheet_sums_to_the_plan(data: Any) -> None:
    """Each owner's spend after is the sum of its workloads' costs after: the sheet's column
    adds up to the plan's monthly cost less what no workload carries (expansions and
    contracts)."""
    sheet = _book()["Spend by owner"]
    header = [c.value for c in sheet[1]]
    after, moves = header.index("Spend after per month"), header.index("Moves")
    cells = list(sheet.iter_rows(min_row=2))
    workloads_after = sum(
        rc["change"]["after"]["cost_eur_month"]
        for rc in data["resource_changes"]
        if rc["type"] == "planner_placement" and rc["change"]["after"] is not None
    )
    assert round(sum(_number(r[after].value) for r in cells), 2) == round(workloads_after, 2)
    moved = sum(
        1 for rc in data["resource_changes"] if rc["change"]["actions"] == ["delete", "create"]
    )
    assert sum(_number(r[moves].value) for r in cells) == moved == data["totals"]["moves"]


def _format_of(number_format: str) -> str:
    return "" if number_format == "General" else f" [{number_format}]"


def _dump(blob: bytes) -> str:
    """Every sheet's cells as text, each with its type and number format: a golden of what a
    spreadsheet reads."""
    book = openpyxl.load_workbook(io.BytesIO(blob))
    lines = []
    for sheet in book.worksheets:
        lines.append(f"== {sheet.title}")
        for row in sheet.iter_rows():
            cells = [
                ""
                if c.value is None
                else f"{c.value!r}"
                + (f" [{c.number_format}]" if c.number_format != "General" else "")
                for c in row
            ]
            lines.append("\t".join(cells).rstrip("\t"))
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_workbook_golden(lang: str, update_goldens: bool) -> None:
    suffix = "" if lang == "en" else ".fr"
    blob = render_bytes(load_plan(PLAN), Format.xlsx, lang)
    assert_golden(f"baseline.plan{suffix}.xlsx.txt", _dump(blob), update_goldens)


def test_same_plan_same_bytes(tmp_path: Path) -> None:
    """Two renders, and one in another process under another time zone, give the same bytes
    (the document's creation time is the scenario's reference date, the parts' zip times fixed)."""
    first = render_bytes(load_plan(PLAN), Format.xlsx)
    assert render_bytes(load_plan(PLAN), Format.xlsx) == first
    out = tmp_path / "plan.xlsx"
    env = {**os.environ, "TZ": "Pacific/Kiritimati"}
    subprocess.run(
        [sys.executable, "-m", "planner", "show", PLAN, "-f", "xlsx", "-o", str(out)],
        check=True,
        env=env,
        capture_output=True,
    )
    assert out.read_bytes() == first


def test_stdout_gets_the_bytes_and_a_file_is_written(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["show", PLAN, "-f", "xlsx"])
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == render_bytes(load_plan(PLAN), Format.xlsx)
    out = tmp_path / "plan.xlsx"
    result = runner.invoke(app, ["show", PLAN, "-f", "xlsx", "--lang", "fr", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == render_bytes(load_plan(PLAN), Format.xlsx, "fr")


def test_a_terminal_is_refused_as_stdout() -> None:
    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "planner", "show", PLAN, "-f", "xlsx"],
            stdout=follower,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    finally:
        os.close(follower)
        os.close(leader)
    assert done.returncode == 1
    assert "binary output (a workbook) is not written to a terminal" in done.stderr
    assert "Traceback" not in done.stderr


def test_templates_are_refused_with_xlsx(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["show", PLAN, "-f", "xlsx", "--templates", str(tmp_path)])
    assert result.exit_code == 1
    assert "--format xlsx has no templates" in result.output
