"""`planner diff` of two roadmaps, wave by wave, on hand-made tiny roadmaps.

Costs as in test_roadmap.py: a 2 vCPU / 8 GiB workload costs 28 EUR/month on the site `alpha`
and 56 EUR/month on the offer `pub`; quarterly periods from 2027-01-01, so a quarter's opex is
3 times its monthly spend.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from planner.analysis.diff import diff_plans
from planner.analysis.roadmap_diff import RoadmapSides, WaveEvent
from planner.cli import app
from planner.pipeline import run_plan
from planner.plan.document import Plan
from planner.render.base import Format
from planner.render.diff import render_diff
from planner.render.i18n import speaking
from planner.render.wording import wave_event_text
from tests.helpers import offer, provider, site, workload, write_scenario


def _quarters(count: int = 4, **rules: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "periods": {"start": date(2027, 1, 1), "length": "quarter", "count": count}
    }
    body.update(rules)
    return body


def _scenario(directory: Path, **kwargs: Any) -> str:
    kwargs.setdefault("sites", [site("alpha", vcpu=64, ram_gib=256)])
    kwargs.setdefault("providers", [provider("cloud", [offer("pub")])])
    return write_scenario(directory, **kwargs)


def _plan(path: str) -> Plan:
    plan = run_plan(path).plan
    assert plan.solver.status == "optimal"
    return plan


def _timing_pair(tmp_path: Path) -> tuple[str, str]:
    """Old: `w` may move only from 2027-05-01 (so in 2027-Q3), `old` retires on 2027-07-01
    (Q3), `new` starts on 2027-10-01 (Q4). New: `w` moves at once (Q1), `old` retires on
    2027-10-01 (Q4), `new` starts on 2027-07-01 (Q3). Both end with w and new on alpha."""
    old = _scenario(
        tmp_path / "old",
        workloads=[
            workload("w", current_site="pub", not_before=date(2027, 5, 1)),
            workload("old", current_site="alpha", retires_on=date(2027, 7, 1)),
            workload("new", starts_on=date(2027, 10, 1)),
        ],
        roadmap=_quarters(),
    )
    new = _scenario(
        tmp_path / "new",
        workloads=[
            workload("w", current_site="pub"),
            workload("old", current_site="alpha", retires_on=date(2027, 10, 1)),
            workload("new", starts_on=date(2027, 7, 1)),
        ],
        roadmap=_quarters(),
    )
    return old, new


def test_only_the_timing_differs(tmp_path: Path) -> None:
    """Monthly spend per quarter, old: Q1 and Q2 w on pub 56 + old 28 = 84; Q3 w 28 (old
    retired) = 28; Q4 w 28 + new 28 = 56. New: Q1 and Q2 w 28 + old 28 = 56; Q3 w + old + new
    = 84; Q4 w + new = 56. Opex is 3 x each. 2027's opex is 3 x (84+84+28+56) = 756 on both
    sides, so no year differs; the end states are the same (w and new on alpha)."""
    old, new = _timing_pair(tmp_path)
    diff = diff_plans(_plan(old), _plan(new), "old", "new")
    assert not diff.has_changes and diff.roadmap_changed and diff.anything_changed
    assert render_diff(diff, Format.text, []) == (
        "Plan diff: old -> new\n"
        "\n"
        "Roadmaps, wave by wave (periods matched by name):\n"
        "Workloads whose path changed (old -> new):\n"
        "  ~ new: arrives in 2027-Q4 on alpha -> arrives in 2027-Q3 on alpha\n"
        "  ~ old: retires in 2027-Q3 from alpha -> retires in 2027-Q4 from alpha\n"
        "  ~ w: moved in 2027-Q3 to alpha -> moved in 2027-Q1 to alpha\n"
        "# wave 2027-Q1: 1 change differs\n"
        "    + planner_placement.w: moves from pub to alpha\n"
        "    Moves:         0 -> 1 (+1)\n"
        "    Monthly cost:  €84.00 -> €56.00 (-€28.00)\n"
        "    Opex:          €252.00 -> €168.00 (-€84.00)\n"
        "# wave 2027-Q2: the same changes, other figures\n"
        "    Monthly cost:  €84.00 -> €56.00 (-€28.00)\n"
        "    Opex:          €252.00 -> €168.00 (-€84.00)\n"
        "# wave 2027-Q3: 3 changes differ\n"
        "    + planner_placement.new: arrives on alpha\n"
        "    - planner_placement.old: retires from alpha\n"
        "    - planner_placement.w: moves from pub to alpha\n"
        "    Moves:         1 -> 0 (-1)\n"
        "    Monthly cost:  €28.00 -> €84.00 (+€56.00)\n"
        "    Opex:          €84.00 -> €252.00 (+€168.00)\n"
        "# wave 2027-Q4: 2 changes differ\n"
        "    - planner_placement.new: arrives on alpha\n"
        "    + planner_placement.old: retires from alpha\n"
        "\n"
        "End state:\n"
        "No changes (tolerance €0.01).\n"
    )


def test_a_roadmap_against_itself_has_no_change(tmp_path: Path) -> None:
    old, _ = _timing_pair(tmp_path)
    plan = _plan(old)
    diff = diff_plans(plan, plan, "a", "a")
    assert diff.roadmap.diff is not None and not diff.anything_changed
    text = render_diff(diff, Format.text, [])
    assert "No change in any wave or year.\n\nEnd state:\nNo changes" in text
    body = json.loads(render_diff(diff, Format.json, []))
    assert body["has_changes"] is False and body["roadmap"]["diff"]["has_changes"] is False
    assert "the waves change" not in render_diff(diff, Format.md, [])


def test_a_budget_moves_a_wave_and_its_years(tmp_path: Path) -> None:
    """Two workloads on pub, each 400 to move, eight quarters. Old: no budget, both move in
    2027-Q1 (one-off 800; 2027's opex 12 x 56 = 672). New: 2027's one-off budget is 500, so
    one waits for 2028-Q1 (test_roadmap.py): 2027's one-off 400, its opex 12 x 28 + 12 x 56 =
    1,008 (+336); 2028's one-off 0 -> 400, its opex 12 x 56 = 672 on both sides. In each 2027
    quarter the new roadmap spends 28 + 56 = 84 a month against 56 (opex +84 a quarter)."""

    def two(directory: Path, **rules: Any) -> str:
        return _scenario(
            directory,
            workloads=[
                workload("a", current_site="pub", move_cost_eur=400),
                workload("b", current_site="pub", move_cost_eur=400),
            ],
            roadmap=_quarters(8, **rules),
        )

    old = _plan(two(tmp_path / "old"))
    new = _plan(two(tmp_path / "new", budgets={"2027": {"migration_eur": 500}}))
    diff = diff_plans(old, new, "old", "new")
    r = diff.roadmap.diff
    assert r is not None and not diff.has_changes  # the same end state
    late = next(p.name for p in r.paths)
    assert [p.name for p in r.paths] == [late]
    text = render_diff(diff, Format.text, [])
    assert f"  ~ {late}: moved in 2027-Q1 to alpha -> moved in 2028-Q1 to alpha\n" in text
    assert (
        "# wave 2027-Q1: 1 change differs\n"
        f"    - planner_placement.{late}: moves from pub to alpha\n"
        "    Moves:         2 -> 1 (-1)\n"
        "    Monthly cost:  €56.00 -> €84.00 (+€28.00)\n"
        "    One-off:       €800.00 -> €400.00 (-€400.00)\n"
        "    Opex:          €168.00 -> €252.00 (+€84.00)\n"
    ) in text
    assert (
        "# wave 2028-Q1: 1 change differs\n"
        f"    + planner_placement.{late}: moves from pub to alpha\n"
        "    Moves:         0 -> 1 (+1)\n"
        "    One-off:       €0.00 -> €400.00 (+€400.00)\n"
    ) in text
    assert (
        "Per year (old -> new):\n"
        "  2027: opex €672.00 -> €1,008.00 (+€336.00); one-off €800.00 -> €400.00 (-€400.00), "
        "budget none -> €500.00\n"
        "  2028: one-off €0.00 -> €400.00 (+€400.00)\n"
    ) in text
    years = {
        y["year"]: y
        for y in json.loads(render_diff(diff, Format.json, []))["roadmap"]["diff"]["years"]
    }
    assert years[2027]["migration_eur"] == {"before": 800.0, "after": 400.0, "difference": -400.0}
    assert years[2027]["migration_budget_eur"] == {
        "before": None,
        "after": 500.0,
        "difference": None,
    }
    markdown = render_diff(diff, Format.md, [])
    assert "### planner: the waves change, the end state does not" in markdown
    assert (
        "| 2027-Q1 | 1 | 2 → 1 (-1) | €56.00 → €84.00 (+€28.00) | €800.00 → €400.00 "
        "(-€400.00) | €168.00 → €252.00 (+€84.00) | €0.00 |"
    ) in markdown
    assert "| 2027-Q3 | no change | 0 | €84.00 | €0.00 | €252.00 | €0.00 |" not in markdown
    assert f"| `{late}` | moved in 2027-Q1 to alpha | moved in 2028-Q1 to alpha |" in markdown


def test_a_period_on_one_side_only(tmp_path: Path) -> None:
    """Old: four quarters; new: five, so 2028-Q1 is only in the new roadmap: no move, w on
    alpha at 28 a month; 2028 only in the new roadmap, its opex 3 x 28 = 84."""
    old = _plan(
        _scenario(
            tmp_path / "old", workloads=[workload("w", current_site="pub")], roadmap=_quarters()
        )
    )
    new = _plan(
        _scenario(
            tmp_path / "new", workloads=[workload("w", current_site="pub")], roadmap=_quarters(5)
        )
    )
    diff = diff_plans(old, new, "old", "new")
    text = render_diff(diff, Format.text, [])
    assert (
        "# wave 2027-Q4: no change\n"
        "# wave 2028-Q1: only in the new roadmap\n"
        "    0 moves, one-off €0.00; €28.00 / month\n"
        "Per year (old -> new):\n"
        "  2028 (only in the new roadmap): opex €84.00; capex €0.00; one-off €0.00\n"
    ) in text
    waves = json.loads(render_diff(diff, Format.json, []))["roadmap"]["diff"]["waves"]
    assert [(w["period"], w["on"]) for w in waves][-2:] == [("2027-Q4", "both"), ("2028-Q1", "new")]
    assert waves[-1]["monthly_cost_eur"] == {"before": None, "after": 28.0, "difference": None}


def test_a_roadmap_against_a_snapshot_says_so(tmp_path: Path) -> None:
    """The snapshot plans w's move at once; only the end states are compared (the same)."""
    roadmap = _plan(
        _scenario(
            tmp_path / "r", workloads=[workload("w", current_site="pub")], roadmap=_quarters()
        )
    )
    snapshot = _plan(_scenario(tmp_path / "s", workloads=[workload("w", current_site="pub")]))
    diff = diff_plans(roadmap, snapshot, "r", "s")
    assert diff.roadmap == RoadmapSides(roadmaps="old")
    assert render_diff(diff, Format.text, []).startswith(
        "Plan diff: r -> s\n\nNote: only the old plan is a roadmap: its end state is compared "
        "with the new plan; no wave-by-wave comparison\n\nNo changes (tolerance €0.01).\n"
    )
    body = json.loads(render_diff(diff_plans(snapshot, roadmap), Format.json, []))
    assert body["roadmap"] == {"roadmaps": "new", "diff": None}
    assert "> only the new plan is a roadmap" in render_diff(
        diff_plans(snapshot, roadmap), Format.md, []
    )
    # two snapshots: the JSON has no roadmap key, as before
    assert "roadmap" not in json.loads(render_diff(diff_plans(snapshot, snapshot), Format.json, []))


def test_a_freeze_delays_a_move_by_one_wave(tmp_path: Path) -> None:
    """Old: w moves in 2027-Q1 (28 a month from then). New: 2027-Q1 is frozen, w moves in Q2,
    so Q1 spends 56 a month (opex 3 x 56 = 168 against 84) and 2027's opex is 3 x 56 + 9 x
    28 = 420 against 12 x 28 = 336 (+84)."""
    w = [workload("w", current_site="pub")]
    old = _plan(_scenario(tmp_path / "old", workloads=w, roadmap=_quarters()))
    new = _plan(
        _scenario(tmp_path / "new", workloads=w, roadmap=_quarters(waves={"freeze": ["2027-Q1"]}))
    )
    text = render_diff(diff_plans(old, new, "old", "new"), Format.text, [])
    assert text.split("\n")[2:-4] == [
        "Roadmaps, wave by wave (periods matched by name):",
        "Workloads whose path changed (old -> new):",
        "  ~ w: moved in 2027-Q1 to alpha -> moved in 2027-Q2 to alpha",
        "# wave 2027-Q1: 1 change differs",
        "    - planner_placement.w: moves from pub to alpha",
        "    Frozen:        not frozen -> frozen",
        "    Moves:         1 -> 0 (-1)",
        "    Monthly cost:  €28.00 -> €56.00 (+€28.00)",
        "    Opex:          €84.00 -> €168.00 (+€84.00)",
        "# wave 2027-Q2: 1 change differs",
        "    + planner_placement.w: moves from pub to alpha",
        "    Moves:         0 -> 1 (+1)",
        "# wave 2027-Q3: no change",
        "# wave 2027-Q4: no change",
        "Per year (old -> new):",
        "  2027: opex €336.00 -> €420.00 (+€84.00)",
    ]
    assert text.endswith("\nEnd state:\nNo changes (tolerance €0.01).\n")


def test_french_wording(tmp_path: Path) -> None:
    old, new = _timing_pair(tmp_path)
    diff = diff_plans(_plan(old), _plan(new), "old", "new")
    text = render_diff(diff, Format.text, [], "fr")
    assert "  ~ w: déplacée en 2027-Q3 vers alpha -> déplacée en 2027-Q1 vers alpha\n" in text
    assert "# vague 2027-Q1 : 1 changement diffère\n" in text
    assert "    + planner_placement.w: passe de pub à alpha\n" in text
    assert "    Coût mensuel :    84,00\u00a0€ -> 56,00\u00a0€ (-28,00\u00a0€)\n" in text
    assert "État final :\nAucun changement (tolérance 0,01\u00a0€).\n" in text
    assert "### planner: les vagues changent, l'état final non" in render_diff(
        diff, Format.md, [], "fr"
    )


def test_blocks_ordered_are_worded() -> None:
    e = WaveEvent(
        period="2027-Q1",
        action="update",
        site_before="alpha",
        site_after="alpha",
        count_before=1,
        count_after=3,
        cost_before_eur_month=10.0,
        cost_after_eur_month=30.0,
    )
    assert wave_event_text(e) == "2 blocks ordered (3 in all)"
    with speaking("fr"):
        assert wave_event_text(e) == "2 blocs commandés (3 en tout)"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner(env={"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"})


def test_detailed_exitcode_counts_timing_alone(runner: CliRunner, tmp_path: Path) -> None:
    old, new = _timing_pair(tmp_path)
    saved = []
    for name, path in (("old", old), ("new", new)):
        out = str(tmp_path / f"{name}.json")
        done = runner.invoke(app, ["plan", path, "-f", "json", "-o", out])
        assert done.exit_code == 0, done.output
        saved.append(out)
    timing = runner.invoke(app, ["diff", *saved, "--detailed-exitcode"])
    assert timing.exit_code == 2, timing.output
    assert "~ w: moved in 2027-Q3 to alpha -> moved in 2027-Q1 to alpha" in timing.stdout
    assert runner.invoke(app, ["diff", *saved]).exit_code == 0
    same = runner.invoke(app, ["diff", saved[0], saved[0], "--detailed-exitcode"])
    assert same.exit_code == 0, same.output
    # a scenario side is planned, then compared the same way; French through --lang
    solved = runner.invoke(app, ["diff", saved[0], new, "--detailed-exitcode", "--lang", "fr"])
    assert solved.exit_code == 2, solved.output
    assert "# vague 2027-Q3 : 3 changements diffèrent" in solved.stdout
