"""The summary-first report's view model and the text summary, on the report fixture, whose
changes are small enough to check by hand (see tests/fixtures/report/)."""

from __future__ import annotations

import json
import random
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.pipeline import run_plan
from planner.plan.document import Plan, load_plan, plan_of
from planner.render import Format, render
from planner.render.json_format import render_json
from planner.render.report import (
    Row,
    forced_moves,
    groupings,
    provider_shifts,
    review_values,
    rows,
    top_changes,
    top_one_off,
)
from planner.render.text import SUMMARY_FROM_CHANGES, summary_lines
from tests.golden_files import GOLDEN
from tests.helpers import site, workload, write_scenario

REPORT = "tests/fixtures/report/scenario.yaml"


@cache
def report_plan() -> Plan:
    return run_plan(REPORT).plan


def _changes() -> list[Row]:
    return [r for r in rows(report_plan()) if r.action != "stay"]


def test_reason_groups_say_each_sentence_once_with_count_and_money() -> None:
    by_reason = {g.key: g for g in groupings(_changes())[0].groups}
    out = by_reason["outsourced_cheaper"]
    # web-1, web-2, web-3 (lyon 52 -> pub 30 each) share one sentence; new-api (+55) another
    assert out.count == 4 and out.label == "outsourced: cheaper beyond the preference"
    assert [len(line.rows) for line in out.lines] == [3, 1]
    assert [r.name for r in out.lines[0].rows] == ["web-1", "web-2", "web-3"]
    assert out.lines[0].text.startswith("outsourced to pub: the cheapest eligible in-house site")
    assert (out.before_eur_month, out.after_eur_month) == (156.0, 145.0)
    assert out.delta_eur_month == -11.0
    # most changes first, then the code; the expansion is grouped under its kind
    assert list(by_reason) == [
        "outsourced_cheaper",
        "cheapest",
        "capacity_full",
        "current_refused",
        "expansion",
        "retired",
    ]
    assert by_reason["cheapest"].delta_eur_month == (244 + 60 + 164) - (496 + 88 + 232)


def test_site_and_class_groups_hold_every_change_once() -> None:
    changes = _changes()
    for grouping in groupings(changes):
        names = sorted(r.name for g in grouping.groups for r in g.rows)
        assert names == sorted(r.name for r in changes), grouping.id
    paris = next(g for g in groupings(changes)[1].groups if g.key == "paris")
    assert sorted(r.name for r in paris.rows) == [
        "analytics",
        "ci-runner",
        "finance-c",
        "hr-db",
        "paris.rack",
    ]
    assert paris.before_eur_month == 496 + 88 + 232 + 130
    assert paris.after_eur_month == 244 + 60 + 164 + 194 + 140


def test_provider_shifts_follow_the_workloads() -> None:
    shifts = {p.provider: p for p in provider_shifts(report_plan(), rows(report_plan()))}
    assert list(shifts) == ["internal", "trusty", "bigco"]
    internal, trusty, bigco = shifts["internal"], shifts["trusty"], shifts["bigco"]
    assert (internal.before_eur_month, internal.after_eur_month) == (908.0, 1338.0)
    # in: analytics, case-a (from snc), hr-db (from pub); out: web-1..3 to pub, old-batch retired
    assert (internal.arriving, internal.leaving) == (3, 4)
    assert (trusty.before_eur_month, trusty.after_eur_month, trusty.leaving) == (1088.0, 296.0, 2)
    assert (bigco.arriving, bigco.leaving, bigco.delta_eur_month) == (4, 1, 15.0)


def test_forced_moves_name_the_place_and_the_rule_once() -> None:
    [forced] = forced_moves(report_plan(), _changes())
    assert forced.site == "pub" and [r.name for r in forced.rows] == ["hr-db"]
    assert forced.why.startswith("data class 'sensitive': not an internal State cloud")
    assert forced.delta_eur_month == 64.0


def test_top_changes_and_the_change_list_are_by_monthly_effect() -> None:
    top = top_changes(_changes(), 3)
    assert [(r.name, r.delta_eur_month) for r in top] == [
        ("analytics", -252.0),
        ("paris.rack", 140.0),
        ("old-batch", -104.0),
    ]
    values = review_values(report_plan())
    assert [r.name for r in values["changes"][:3]] == ["analytics", "paris.rack", "old-batch"]
    assert values["filters"]["sites"] == ["paris", "lyon", "snc", "pub"]
    assert values["filters"]["actions"] == ["create", "delete", "move"]


def test_text_summary_lines() -> None:
    lines = summary_lines(report_plan())
    assert lines[:6] == [
        "Summary: 10 to add, 0 to change, 9 to destroy (11 resources changed)",
        "  Monthly cost:  €2,126.00 -> €1,779.00 (-€347.00, -16.32 %)",
        "  One-off moves: €3,400.00 for 8 moves",
        "  Changes:       8 moved; 2 created; 1 destroyed",
        "  Built:         paris: paris.rack 0 -> 1 (€140.00 / month)",
        "  Forced:        1 may no longer run on pub (+€64.00 / month)",
    ]
    assert "    -/+ analytics   snc -> paris           -€252.00" in lines
    assert all(len(line) <= 100 for line in lines)


def test_small_plan_has_no_summary_and_a_long_one_starts_with_it() -> None:
    small = render(report_plan(), Format.text)
    assert "Summary:" not in small and len(report_plan().changes) <= SUMMARY_FROM_CHANGES
    plan = load_plan(str(GOLDEN / "baseline.plan.json"))
    text = render(plan, Format.text).splitlines()
    assert len(plan.changes) > SUMMARY_FROM_CHANGES
    assert text[2].startswith("Summary: 144 to add, 0 to change, 103 to destroy")
    summary = text[2 : text.index("planner will perform the following actions:")]
    assert len(summary) <= 40  # one screen
    only = render(plan, Format.text, summary=True)
    assert "will perform" not in only and "  # placement." not in only
    assert only.splitlines()[2] == text[2] and "Solver:          highs, optimal" in only
    assert len(only.splitlines()) < 67  # with the 7 lines of budget years


@pytest.mark.parametrize("fmt", ["json", "html", "md", "csv"])
def test_summary_is_for_the_text_plan_only(fmt: str) -> None:
    from typer.testing import CliRunner

    from planner.cli import app

    result = CliRunner().invoke(
        app, ["show", str(GOLDEN / "baseline.plan.json"), "--summary", "-f", fmt]
    )
    assert result.exit_code == 1
    assert (
        f"error: --summary: applies to the text plan only, not to --format {fmt}" in result.stderr
    )
    assert result.stdout == ""


@settings(max_examples=10, deadline=None)
@given(st.randoms(use_true_random=False))
def test_report_is_the_same_whatever_the_order_of_the_changes(rng: random.Random) -> None:
    data = json.loads(render_json(report_plan()))
    rng.shuffle(data["resource_changes"])
    shuffled = plan_of(data)
    assert render(shuffled, Format.html) == render(report_plan(), Format.html)
    assert summary_lines(shuffled) == summary_lines(report_plan())


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=13, unique=True))
def test_groups_partition_the_changes_and_their_money(picked: list[int]) -> None:
    every = _changes()
    changes = [every[i % len(every)] for i in sorted(set(i % len(every) for i in picked))]
    for grouping in groupings(changes):
        members = [r for g in grouping.groups for r in g.rows]
        assert sorted(r.name for r in members) == sorted(r.name for r in changes)
        for g in grouping.groups:
            assert [r for line in g.lines for r in line.rows] != [] and g.count == sum(
                len(line.rows) for line in g.lines
            )
            assert len({line.text for line in g.lines}) == len(g.lines)  # each sentence once
            assert g.delta_eur_month == pytest.approx(sum(r.delta_eur_month for r in g.rows))
        counts = [g.count for g in grouping.groups]
        assert counts == sorted(counts, reverse=True)


def test_the_demo_changes_are_grouped_by_owner_for_chargeback() -> None:
    plan = run_plan("scenarios/baseline.yaml").plan
    changes = [r for r in rows(plan) if r.action != "stay"]
    assert plan.context is not None
    owner_of = plan.context.owner_of
    assert len(owner_of) > 100  # the demo's workloads name their ministry
    by_owner = {g.id: g for g in groupings(changes)}["by-owner"]
    assert len(by_owner.groups) > 3
    for group in by_owner.groups:
        for row in group.rows:
            expected = owner_of.get(row.name) or row.kind
            assert group.key == expected, (group.key, row.name)
    money = sum(g.after_eur_month for g in by_owner.groups)
    assert round(money, 2) == round(sum(r.cost_after_eur_month or 0.0 for r in changes), 2)


def test_owners_travel_with_the_plan_and_an_estate_without_owners_has_no_owner_grouping(
    tmp_path: Path,
) -> None:
    owned = run_plan(
        write_scenario(
            tmp_path / "owned",
            sites=[site("alpha")],
            workloads=[
                workload("a", owner="finance"),
                workload("b", owner="interior"),
                workload("c"),
            ],
        )
    ).plan
    assert owned.context is not None and owned.context.owner_of == {"a": "finance", "b": "interior"}
    by_owner = {g.id: g for g in groupings([r for r in rows(owned) if r.action != "stay"])}[
        "by-owner"
    ]
    assert sorted((g.key, g.label, g.count) for g in by_owner.groups) == [
        ("finance", "finance", 1),
        ("interior", "interior", 1),
        ("workload", "no owner given", 1),
    ]
    plain = run_plan(
        write_scenario(tmp_path / "plain", sites=[site("alpha")], workloads=[workload("w")])
    ).plan
    assert "by-owner" not in {g.id for g in groupings(rows(plain))}


def test_the_costliest_one_off_moves_are_listed_and_add_up_to_the_total() -> None:
    plan = run_plan("scenarios/baseline.yaml").plan
    assert plan.context is not None
    costs = plan.context.move_cost_of
    assert round(sum(costs.values()), 2) == plan.totals.one_off_migration_eur
    changes = [r for r in rows(plan) if r.action != "stay"]
    top = top_one_off(changes)
    assert [r.one_off_eur for r in top] == sorted(costs.values(), reverse=True)[: len(top)]
    assert all(r.action == "move" and r.one_off_eur == costs[r.name] for r in top)
    html = render(plan, Format.html)
    assert "<h3>Biggest one-off moves</h3>" in html
