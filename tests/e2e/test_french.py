"""`--lang fr` and `--csv-dialect excel-fr` through `planner show` on the baseline's golden plan
(no solve): French words and numbers, English untouched, and a CSV a French Excel reads."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from babel.numbers import parse_decimal
from typer.testing import CliRunner

from planner.cli import app
from planner.plan.document import load_plan
from planner.render import Format, render
from tests.golden_files import GOLDEN

PLAN = str(GOLDEN / "baseline.plan.json")  # the baseline's plan, as `plan -f json` saves it


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner(env={"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"})


def test_english_and_french_renders_in_one_process_do_not_mix() -> None:
    plan = load_plan(PLAN)
    english = render(plan, Format.text)
    french = render(plan, Format.text, lang="fr")
    assert render(plan, Format.text) == english
    assert english.startswith('Scenario "baseline" (reference date 2026-11-29)\n')
    assert french.startswith("Scénario « baseline » (date de référence 29 novembre 2026)\n")
    assert "  Coût mensuel : 243\u202f122,31\u00a0€ -> 220\u202f601,61\u00a0€ (" in french
    assert "€243,122.31 -> €220,601.61" in english
    assert render(plan, Format.md, lang="fr") != render(plan, Format.md)


def test_show_in_french_with_the_cli(runner: CliRunner) -> None:
    result = runner.invoke(app, ["show", PLAN, "--lang", "fr", "--summary"])
    assert result.exit_code == 0, result.output
    assert "Résumé : 144 à créer, 0 à modifier, 103 à supprimer (155 ressources changées)" in (
        result.stdout
    )
    bad = runner.invoke(app, ["show", PLAN, "--lang", "de"])
    assert bad.exit_code == 1 and "'de' is not one of 'en', 'fr'" in bad.output


def _excel_fr(runner: CliRunner, *extra: str) -> str:
    result = runner.invoke(app, ["show", PLAN, "-f", "csv", "--csv-dialect", "excel-fr", *extra])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_excel_fr_csv_has_a_bom_semicolons_and_decimal_commas(runner: CliRunner) -> None:
    text = _excel_fr(runner, "--lang", "fr")
    assert text.startswith("\ufeffkind;name;data_class;site_before;site_after;action;")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    plan = load_plan(PLAN)
    before = sum(parse_decimal(r["cost_before_eur_month"] or "0", "fr") for r in rows)
    after = sum(parse_decimal(r["cost_after_eur_month"] or "0", "fr") for r in rows)
    # the cost columns sum to the plan's monthly totals, read as French decimals
    assert before == Decimal(f"{plan.totals.monthly_cost_before_eur:.2f}")
    assert after == Decimal(f"{plan.totals.monthly_cost_after_eur:.2f}")
    assert all("." not in r["cost_after_eur_month"] for r in rows)
    moved = next(r for r in rows if r["name"] == "agri-annuaire-09")
    assert moved["cost_before_eur_month"] == "144,28" and moved["cost_after_eur_month"] == "64,92"
    # a saved plan keeps its reasons as the sentences it was written with (English here);
    # `planner plan --lang fr` words them from their facts
    assert moved["reason"].startswith("placed on pi because eligible internal sites are full")


def test_rfc4180_csv_is_unchanged_by_the_dialect_option(runner: CliRunner) -> None:
    plain = runner.invoke(app, ["show", PLAN, "-f", "csv"])
    named = runner.invoke(app, ["show", PLAN, "-f", "csv", "--csv-dialect", "rfc4180"])
    assert plain.exit_code == named.exit_code == 0
    assert plain.stdout == named.stdout and plain.stdout.startswith("kind,name,")


def test_csv_dialect_with_another_format_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(app, ["show", PLAN, "-f", "html", "--csv-dialect", "excel-fr"])
    assert result.exit_code == 1
    assert "--csv-dialect" in result.output
    assert "applies to the CSV output only, not to --format html" in result.output
