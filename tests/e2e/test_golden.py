"""Golden files of the text and JSON plans and of the HTML report of every demo scenario.

Update them with `pytest tests/e2e/test_golden.py --update-goldens` and review the diff.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.cli import app
from tests.golden_files import assert_golden

ROOT = Path(__file__).resolve().parents[2]
# the demo roadmap's solve stops at its time limit on a loaded machine, so its plan is not
# reproducible: its goldens are those of a small roadmap on its own catalogs, proven optimal
# in about a second (tests/fixtures/roadmap/), below
SCENARIOS = sorted(
    p.stem for p in (ROOT / "scenarios").glob("*.yaml") if not p.stem.startswith("roadmap-")
)
FRENCH = ["baseline"]  # the scenarios with French goldens
_SECONDS = re.compile(r", \d+[.,]\d\d s$", re.MULTILINE)  # a decimal comma in French


_STYLE = re.compile(r"<style>\n.*?</style>", re.DOTALL)
_SCRIPT = re.compile(r"<script>.*?</script>", re.DOTALL)
_HASH = re.compile(r"'sha256-[A-Za-z0-9+/=]+'")
_VERSION = re.compile(r"planner \d+\.\d+\.\d+\S*")


def scrub(text: str) -> str:
    """Remove the only value that changes between identical runs: the solve time."""
    return _SECONDS.sub(", <seconds> s", text)


def scrub_html(html: str) -> str:
    """An HTML report's structure and values: the stylesheet, the script and its hash (each
    checked by the report and browser tests) and the planner's version left out."""
    html = _STYLE.sub("<style>(the report's stylesheet)</style>", html)
    html = _SCRIPT.sub("<script>(the change list's filter)</script>", html)
    return _VERSION.sub("planner <version>", _HASH.sub("'sha256-<hash>'", html))


@pytest.fixture(scope="module")
def outputs() -> dict[str, dict[str, str]]:
    runner = CliRunner(env={"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"})
    out: dict[str, dict[str, str]] = {}
    for scenario in SCENARIOS:
        path = f"scenarios/{scenario}.yaml"
        json_result = runner.invoke(app, ["plan", path, "-f", "json"])
        if json_result.exit_code == 3:  # deliberately impossible: its diagnosis is the golden
            html_result = runner.invoke(app, ["plan", path, "-f", "html"])
            assert html_result.exit_code == 3, html_result.output
            out[scenario] = {
                "json": json_result.stdout,
                "text": json_result.stderr,
                "html": html_result.stdout,
            }
            continue
        assert json_result.exit_code == 0, json_result.output
        # the text view re-renders the same plan: no second solve
        from planner.plan.document import plan_of
        from planner.render import Format, render

        plan = plan_of(json.loads(json_result.stdout))
        out[scenario] = {
            "json": json_result.stdout,
            "text": render(plan, Format.text),
            "html": render(plan, Format.html),
        }
    return out


@pytest.fixture(scope="module")
def french() -> dict[str, dict[str, str]]:
    """The French views of the solved plan itself (a saved plan JSON carries its reasons as
    English sentences; the solved plan has their facts, worded in the render's language)."""
    from planner.pipeline import run_plan
    from planner.render import Format, render

    out: dict[str, dict[str, str]] = {}
    for scenario in FRENCH:
        plan = run_plan(f"scenarios/{scenario}.yaml", timings=True).plan
        out[scenario] = {
            "text": render(plan, Format.text, lang="fr"),
            "html": render(plan, Format.html, lang="fr"),
        }
    return out


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_demo_plan_json(
    scenario: str, outputs: dict[str, dict[str, str]], update_goldens: bool
) -> None:
    assert_golden(f"{scenario}.plan.json", outputs[scenario]["json"], update_goldens)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_demo_plan_text(
    scenario: str, outputs: dict[str, dict[str, str]], update_goldens: bool
) -> None:
    assert_golden(f"{scenario}.plan.txt", scrub(outputs[scenario]["text"]), update_goldens)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_demo_report_html(
    scenario: str, outputs: dict[str, dict[str, str]], update_goldens: bool
) -> None:
    assert_golden(f"{scenario}.report.html", scrub_html(outputs[scenario]["html"]), update_goldens)


@pytest.mark.parametrize("scenario", FRENCH)
def test_demo_plan_text_in_french(
    scenario: str, french: dict[str, dict[str, str]], update_goldens: bool
) -> None:
    assert_golden(f"{scenario}.plan.fr.txt", scrub(french[scenario]["text"]), update_goldens)


@pytest.mark.parametrize("scenario", FRENCH)
def test_demo_report_html_in_french(
    scenario: str, french: dict[str, dict[str, str]], update_goldens: bool
) -> None:
    html = scrub_html(french[scenario]["html"])
    assert_golden(f"{scenario}.report.fr.html", html, update_goldens)


# the small roadmap: its scenario, proven optimal well within its time limit
ROADMAP = "tests/fixtures/roadmap/scenario.yaml"
ROADMAP_NAME = "roadmap-small"


@pytest.fixture(scope="module")
def roadmap() -> dict[str, str]:
    """The small roadmap's plan as JSON (from the CLI) and re-rendered from it as text, HTML
    and Markdown, and the solved plan's French text (its reasons worded from their facts)."""
    from planner.pipeline import run_plan
    from planner.plan.document import plan_of
    from planner.render import Format, render

    runner = CliRunner(env={"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"})
    result = runner.invoke(app, ["plan", ROADMAP, "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["solver"]["status"] == "optimal", data["solver"]
    plan = plan_of(data)
    solved = run_plan(ROADMAP, timings=True).plan
    return {
        "json": result.stdout,
        "text": render(plan, Format.text),
        "html": render(plan, Format.html),
        "md": render(plan, Format.md),
        "fr.text": render(solved, Format.text, lang="fr"),
    }


def test_roadmap_plan_json(roadmap: dict[str, str], update_goldens: bool) -> None:
    assert_golden(f"{ROADMAP_NAME}.plan.json", roadmap["json"], update_goldens)


def test_roadmap_plan_text(roadmap: dict[str, str], update_goldens: bool) -> None:
    assert_golden(f"{ROADMAP_NAME}.plan.txt", scrub(roadmap["text"]), update_goldens)


def test_roadmap_report_html(roadmap: dict[str, str], update_goldens: bool) -> None:
    assert_golden(f"{ROADMAP_NAME}.report.html", scrub_html(roadmap["html"]), update_goldens)


def test_roadmap_report_markdown(roadmap: dict[str, str], update_goldens: bool) -> None:
    assert_golden(f"{ROADMAP_NAME}.report.md", roadmap["md"], update_goldens)


def test_roadmap_plan_text_in_french(roadmap: dict[str, str], update_goldens: bool) -> None:
    assert_golden(f"{ROADMAP_NAME}.plan.fr.txt", scrub(roadmap["fr.text"]), update_goldens)
