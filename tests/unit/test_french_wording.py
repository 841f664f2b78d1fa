"""Sentences that were English only and now follow `--lang`: a roadmap's timing and
diagnosis, chart tooltips, the stderr diagnosis of a scenario without a plan, and the shadow
prices of a saved plan (re-worded from the numbers its JSON keeps). English stays as it was."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from planner.cli import app
from planner.optimise.roadmap.diagnosis import RoadmapDiagnosis, RowExcess
from planner.plan.document import load_plan
from planner.plan.roadmap_facts import Timing
from planner.render import Format, render
from planner.render.i18n import speaking
from planner.render.wording import roadmap_diagnosis_text, shadow_text, timing_text
from tests.golden_files import GOLDEN

ROOT = Path(__file__).resolve().parents[2]
PLAN = str(GOLDEN / "baseline.plan.json")


def test_roadmap_timing_in_english_and_french() -> None:
    waited = Timing(
        code="waited_for_block",
        period="2027-Q3",
        place="pi",
        block="rack",
        ordered_in="2027-Q1",
        lead_months=6,
    )
    closes = Timing(code="closes", period="2027-Q2", place="nubo", day="2027-06-30")
    budget = Timing(code="held_back_budget", period="2028", budget="capex", year=2027)
    assert timing_text(waited) == "waited for the pi rack ordered in 2027-Q1 (lead 6 months)"
    assert timing_text(closes) == "moved before 2027-06-30, when nubo closes"
    assert timing_text(budget) == "held back by the 2027 capex budget"
    with speaking("fr"):
        assert timing_text(waited) == (
            "a attendu le bloc rack de pi commandé en 2027-Q1 (délai 6 mois)"
        )
        assert timing_text(closes) == "déplacée avant le 30 juin 2027, quand nubo ferme"


def test_roadmap_diagnosis_in_french() -> None:
    d = RoadmapDiagnosis(
        scenario="r",
        excesses=(RowExcess("budget", "capex", None, 2027, 1000.0, 2500.0),),
        structural=False,
    )
    english = roadmap_diagnosis_text(d)
    assert english == (
        "roadmap 'r' has no feasible plan:\n"
        "  2027: the capex budget of €1,000.00 is too small; the roadmap needs at least "
        "€2,500.00"
    )
    with speaking("fr"):
        assert roadmap_diagnosis_text(d) == (
            "la feuille de route « r » n'a pas de plan réalisable :\n"
            "  2027 : le budget d'investissement de 1\u202f000,00\u00a0€ est trop faible ; la "
            "feuille de route a besoin d'au moins 2\u202f500,00\u00a0€"
        )


def test_chart_tooltips_follow_the_language() -> None:
    plan = load_plan(PLAN)
    english = render(plan, Format.html)
    french = render(plan, Format.html, lang="fr")
    assert "<title>pi: 21 workloads, €4,866.99 / month</title>" in english
    assert "<title>pi : 21 charges, 4\u202f866,99\u00a0€ / mois</title>" in french
    charts = french.split('<section class="charts"', 1)[1].split("</section>", 1)[0]
    assert " workloads" not in charts and " / month" not in charts


def test_show_in_french_rewords_saved_shadow_prices() -> None:
    """A saved plan keeps each shadow price's sentence; a capacity row's JSON has its place,
    resource and value, so French words it again (the English sentence is the stored one)."""
    plan = load_plan(PLAN)
    capacity = next(sp for sp in plan.shadow_prices if sp.kind == "capacity")
    assert capacity.text is not None and shadow_text(capacity) == capacity.text
    with speaking("fr"):
        assert shadow_text(capacity).startswith(f"1 {capacity.resource} de plus sur ")
    expansion = next(sp for sp in plan.shadow_prices if sp.kind == "expansion")
    with speaking("fr"):  # its block cost is not in the JSON: the stored sentence stays
        assert shadow_text(expansion) == expansion.text


def test_stderr_diagnosis_in_french() -> None:
    runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"})
    scenario = str(ROOT / "scenarios" / "what-if-impossible.yaml")
    french = runner.invoke(app, ["plan", scenario, "--lang", "fr"])
    assert french.exit_code == 3
    assert "n'a pas de plan réalisable" in french.output
    english = runner.invoke(app, ["plan", scenario])
    assert english.exit_code == 3 and "has no feasible plan" in english.output
