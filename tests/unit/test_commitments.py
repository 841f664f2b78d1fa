"""Commitments (savings plans and reserved instances), end to end on hand-worked estates.

Every estate has one internal site `alpha` and one offer `o1` (provider p1) priced 20 / vCPU
and 2 / GiB of RAM, no storage or egress; a 4 vCPU / 16 GiB workload costs there
4 * 20 + 16 * 2 = 112 / month on demand (all of it compute, so all of it coverable).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from planner.candidates.evaluate import Evaluator
from planner.candidates.units import build_candidates
from planner.checks.registry import Where, run_rules
from planner.errors import InputError
from planner.inputs import load_inputs
from planner.optimise.caps import model_kinds
from planner.optimise.model import build_model
from planner.pipeline import run_plan
from planner.render import Format, render
from tests.helpers import offer, provider, site, workload, write_scenario

SOURCE = {"source": "test terms", "source_date": date(2026, 11, 1)}


def spend_term(months: int, discount: float, **extra: Any) -> dict[str, Any]:
    return {
        "term_months": months,
        "unit": "spend",
        "discount_pct": discount,
        "early_exit": {"rule": "owed"},
        **SOURCE,
        **extra,
    }


def _scenario(
    tmp_path: Path,
    terms: list[dict[str, Any]],
    *,
    room: bool = False,
    horizon: int = 36,
    buy: bool = True,
    workloads: list[dict[str, Any]] | None = None,
    **o1: Any,
) -> str:
    alpha = site("alpha", vcpu=8 if room else 0, ram_gib=32 if room else 0)
    objective: dict[str, Any] = {"horizon_months": horizon}
    if buy:
        objective["buy_commitments"] = True
    return write_scenario(
        tmp_path,
        sites=[alpha],
        providers=[provider("p1", [offer("o1", commitments=terms, **o1)])],
        workloads=workloads or [workload("w1", 4, 16)],
        objective=objective,
    )


def test_a_steady_load_pays_for_a_savings_plan(tmp_path: Path) -> None:
    """alpha has no room: w1 runs on o1, 112 / month on demand. A 12-month savings plan at
    30 % off covering those 112 costs 0.7 * 112 = 78.40 / month: the plan buys exactly that,
    saves 112 - 78.40 = 33.60 / month, and locks nothing in beyond 12 months."""
    run = run_plan(_scenario(tmp_path, [spend_term(12, 30)]))
    plan = run.plan
    assert plan.totals.monthly_cost_after_eur == pytest.approx(78.40)
    assert plan.totals.cost_by_bucket_after_eur == {"provider:p1": pytest.approx(78.40)}
    record = plan.commitments
    assert record is not None
    [buy] = record.buys
    assert (buy.offer, buy.term_months, buy.unit, buy.flavour) == ("o1", 12, "spend", None)
    assert buy.amount == pytest.approx(112.0)
    assert buy.cost_eur_month == pytest.approx(78.40)
    assert record.saving_eur_month == pytest.approx(33.60)
    assert record.on_demand_eur_month == pytest.approx(112.0)
    assert record.committed_beyond_12_months_eur == 0.0
    text = render(plan, Format.text)
    assert (
        "Commitments:     €78.40 / month buys what costs €112.00 / month on demand: €33.60 "
        "/ month saved (the plan would cost €112.00 / month on demand)"
    ) in text
    assert (
        "  o1: a 12-month savings plan covering €112.00 of on-demand compute a month at 30 % "
        "off, €78.40 / month used or not; leaving early, the rest of the term is owed"
    ) in text


def test_no_commitment_where_the_load_does_not_justify_one(tmp_path: Path) -> None:
    """alpha has room and runs w1 for 4 * 10 + 16 * 1 = 56 / month; on o1 even committed it
    would cost 78.40. The workload stays in-house and nothing is committed: the plan costs
    what it costs without commitments, and says none was bought."""
    run = run_plan(_scenario(tmp_path, [spend_term(12, 30)], room=True))
    assert run.plan.totals.monthly_cost_after_eur == pytest.approx(56.0)
    assert run.result.c == {}
    record = run.plan.commitments
    assert record is not None and record.buys == ()
    assert record.saving_eur_month == 0.0
    assert "Commitments:     none bought" in render(run.plan, Format.text)


def test_a_term_longer_than_the_horizon_counts_what_it_owes_beyond_it(tmp_path: Path) -> None:
    """Horizon 12 months, a 36-month plan at 50 % off. Owed in full on leaving, each covered
    euro costs 0.5 a month plus 0.5 * 24 months owed after the horizon, amortised over 12:
    0.5 + 1.0 = 1.5 > 1, so it is not bought (112 / month on demand). With an exit fee of
    10 % of the rest of the term it costs 0.5 + 0.1 * 0.5 * 24 / 12 = 0.6 < 1: bought, 56 /
    month, 0.1 * 56 * 24 = 134.40 owed beyond the horizon, 56 * 24 = 1,344 committed beyond
    12 months and nothing beyond 36; the objective is 56 + 134.40 / 12 = 67.20."""
    owed = run_plan(_scenario(tmp_path / "owed", [spend_term(36, 50)], horizon=12))
    assert owed.plan.totals.monthly_cost_after_eur == pytest.approx(112.0)
    assert owed.result.c == {}
    fee = spend_term(36, 50, early_exit={"rule": "fee", "fee_pct": 10})
    run = run_plan(_scenario(tmp_path / "fee", [fee], horizon=12))
    assert run.plan.totals.monthly_cost_after_eur == pytest.approx(56.0)
    assert run.result.objective == pytest.approx(67.20)
    record = run.plan.commitments
    assert record is not None
    [buy] = record.buys
    assert buy.owed_beyond_horizon_eur == pytest.approx(134.40)
    assert record.committed_beyond_12_months_eur == pytest.approx(1344.0)
    assert record.committed_beyond_36_months_eur == 0.0
    assert "€134.40 owed beyond the 12-month horizon if the plan ends there" in render(
        run.plan, Format.text
    )


def test_reserved_instances_are_bought_whole_and_not_covered_twice(tmp_path: Path) -> None:
    """o1 sells flavour f4 (4 vCPU / 16 GiB, 100 / month) and unit prices. w1 and w2 (4 / 16)
    run f4 (100 < 112 by unit prices); w3 (2 / 4) runs on unit prices, 2 * 20 + 4 * 2 = 48.
    Reserved f4 instances cost 50 for 36 months; a 12-month savings plan is 20 % off. The
    plan reserves 2 instances (100 instead of 200) and a savings plan of 48 (38.40), not
    covering the reserved instances again: 138.40 / month against 248 on demand."""
    reserved = {
        "term_months": 36,
        "unit": "instances",
        "prices_eur_month": {"f4": 50},
        "early_exit": {"rule": "owed"},
        **SOURCE,
    }
    f4 = {"name": "f4", "vcpu": 4, "ram_gib": 16, "price_eur_month": 100}
    path = _scenario(
        tmp_path,
        [spend_term(12, 20), reserved],
        flavours=[f4],
        workloads=[workload("w1", 4, 16), workload("w2", 4, 16), workload("w3", 2, 4)],
    )
    run = run_plan(path)
    assert run.result.c == {("o1", "12m:spend"): 48.0, ("o1", "36m:instances:f4"): 2.0}
    assert run.plan.totals.monthly_cost_after_eur == pytest.approx(138.40)
    record = run.plan.commitments
    assert record is not None
    assert record.covered_eur_month == pytest.approx(248.0)
    assert record.saving_eur_month == pytest.approx(109.60)
    assert record.committed_beyond_12_months_eur == pytest.approx(100.0 * 24)
    text = render(run.plan, Format.text)
    assert "  o1: 2 f4 instances reserved for 36 months at 50 % off, €100.00 / month" in text
    csv_text = render(run.plan, Format.csv)
    costs = [line.split(",")[7] for line in csv_text.splitlines()[1:]]
    assert sum(float(c) for c in costs) == pytest.approx(138.40)  # rows sum to the total


def test_paid_whether_used_or_not(tmp_path: Path) -> None:
    """The evaluator bills a commitment in full when the plan uses less of it: 200 / month
    of on-demand compute committed at 30 % off costs 140 while w1 uses 112 of it, so o1's
    bill is 140 (not 0.7 * 112 = 78.40), more than its 112 on demand."""
    inputs = load_inputs(_scenario(tmp_path, [spend_term(12, 30)]))
    cands = build_candidates(inputs)
    evaluator = Evaluator(cands)
    x = {("w1", "o1"): 1.0}
    over = evaluator.evaluate(evaluator.decision(x, c={("o1", "12m:spend"): 200.0}))
    assert over.spend == {"provider:p1": pytest.approx(140.0)}
    [bill] = over.commitments
    assert bill.committed_eur_month == pytest.approx(140.0)
    assert bill.covered_eur_month == pytest.approx(112.0)
    assert bill.saving_eur_month == pytest.approx(-28.0)


def test_the_model_gets_the_commitment_family_and_pruning_keeps_the_offer(tmp_path: Path) -> None:
    """Buying commitments adds c and v variables and the 'commitment' rows; the family is
    among pruning's sound ones since an offer with a term to buy is never pruned."""
    inputs = load_inputs(_scenario(tmp_path, [spend_term(12, 30)]))
    cands = build_candidates(inputs)
    model = build_model(inputs, cands)
    assert set(model.c) == {("o1", "12m:spend")} and set(model.v) == {("o1", "spend")}
    names = sorted(n for n in model.problem._constraints if n.startswith("commit_"))
    assert names == ["commit_cover_0", "commit_use_0"]
    assert "commitment" in model_kinds(inputs.scenario.caps, True)


def test_without_buying_the_plan_is_as_without_commitments(tmp_path: Path) -> None:
    """Terms on an offer change nothing unless the scenario buys them: the JSON plan is the
    same bytes as the plan of the same estate without terms, and has no commitments key."""
    bare = run_plan(_scenario(tmp_path / "bare", [], buy=False))
    offered = run_plan(_scenario(tmp_path / "offered", [spend_term(12, 30)], buy=False))
    a, b = render(bare.plan, Format.json), render(offered.plan, Format.json)
    data_a, data_b = json.loads(a), json.loads(b)
    assert "commitments" not in data_b and "buy_commitments" not in data_b["scenario"]
    data_a["scenario"].pop("catalog_digests")
    data_b["scenario"].pop("catalog_digests")
    assert data_a == data_b


def _issues(path: str) -> list[tuple[str, str | None]]:
    try:
        inputs = load_inputs(path)
    except InputError as error:
        return [(i.message, i.field) for i in error.issues]
    return [(i.message, i.field) for i in run_rules(inputs, Where.PLAN)]


def test_bad_terms_are_errors_at_their_field(tmp_path: Path) -> None:
    f4 = {"name": "f4", "vcpu": 4, "ram_gib": 16, "price_eur_month": 100}
    unknown = {
        "term_months": 12,
        "unit": "instances",
        "prices_eur_month": {"f8": 50, "f4": 120},
        "early_exit": {"rule": "owed"},
        **SOURCE,
    }
    issues = _issues(
        _scenario(tmp_path / "a", [spend_term(12, 30), spend_term(12, 40), unknown], flavours=[f4])
    )
    assert (
        "offer 'o1' lists a spend commitment of 12 months twice (commitments[0] and "
        "commitments[1])",
        "commitments[1].term_months",
    ) in issues
    assert (
        "unknown flavour 'f8' in a commitment of offer 'o1'",
        "commitments[2].prices_eur_month.f8",
    ) in issues
    assert (
        "the 12-month commitment price of 'f4' (120 EUR/month) is not below its on-demand "
        "price (100)",
        "commitments[2].prices_eur_month.f4",
    ) in issues
    out_of_range = _issues(_scenario(tmp_path / "b", [spend_term(12, 100)]))
    assert any("discount_pct" in (f or "") for _, f in out_of_range), out_of_range
    no_fee = _issues(_scenario(tmp_path / "c", [spend_term(12, 30, early_exit={"rule": "fee"})]))
    assert any("fee_pct" in m for m, _ in no_fee), no_fee


def test_unsupported_combinations_are_refused(tmp_path: Path) -> None:
    path = write_scenario(
        tmp_path,
        sites=[site("alpha")],
        providers=[provider("p1", [offer("o1", commitments=[spend_term(12, 30)])])],
        workloads=[workload("w1", 4, 16, owner="finance")],
        objective={"buy_commitments": True},
        caps={"owner_budgets_eur": {"finance": 500}},
    )
    [(message, field)] = _issues(path)
    assert message.startswith("owner budgets and commitments cannot be planned together")
    assert field == "objective.buy_commitments"


def test_a_roadmap_may_not_buy_commitments(tmp_path: Path) -> None:
    """Commitments are planned for a snapshot only: a roadmap buying them is an error at
    its objective (docs: the roadmap section)."""
    roadmap = {"periods": {"start": date(2027, 1, 1), "length": "quarter", "count": 2}}
    path = write_scenario(
        tmp_path,
        sites=[site("alpha")],
        providers=[provider("p1", [offer("o1", commitments=[spend_term(12, 30)])])],
        workloads=[workload("w1", 4, 16)],
        objective={"buy_commitments": True},
        roadmap=roadmap,
    )
    assert ("a roadmap scenario cannot buy commitments yet", "objective.buy_commitments") in (
        _issues(path)
    )
