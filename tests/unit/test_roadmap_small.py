"""The small roadmap (tests/fixtures/roadmap/): its figures and its runner-up timings, by hand.

Monthly run costs used below (unit costs and prices of the fixture's catalogs):
  pi 10 / vCPU + 1 / GiB; nubo 12 + 1.2; hyper-eu 25 + 3; snc-old 18 + 2; snc-new 20 + 2.5.
  shop-web (4 vCPU, 16 GiB): pi 56, nubo 48 + 19.2 = 67.2, hyper-eu 100 + 48 = 148,
  snc-old 72 + 32 = 104; tax-core (4, 16): snc-old 104, snc-new 80 + 40 = 120, pi 56.
Six quarters from 2027-Q1; no discounting, no in-house preference, horizon_months 36, so a
one-off euro spent in wave t weighs (months from t to the roadmap's end) / 36 in the
objective: 2027-Q2 15/36, 2027-Q3 12/36, 2027-Q4 9/36, 2028-Q1 6/36.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from planner.analysis.explain import Explanation, explain
from planner.pipeline import Run, run_plan
from planner.plan.roadmap_document import RoadmapPlan
from planner.plan.roadmap_timing import AltTiming, MoveTiming, move_timings
from planner.render.explain import render_explain_json, render_explain_text
from planner.render.i18n import speaking

SCENARIO = "tests/fixtures/roadmap/scenario.yaml"


@pytest.fixture(scope="module")
def run() -> Run:
    return run_plan(SCENARIO)


def _plan(run: Run) -> RoadmapPlan:
    assert isinstance(run.plan, RoadmapPlan)
    return run.plan


def _timing(run: Run, wid: str) -> MoveTiming:
    assert run.roadmap is not None
    m, rr = run.roadmap
    (only,) = move_timings(run.inputs, m, rr, _plan(run).roadmap, wid)
    return only


def _alts(mt: MoveTiming) -> dict[tuple[str, str | None], AltTiming]:
    return {(a.kind, a.place): a for a in mt.alternatives}


def _blockers(a: AltTiming) -> list[dict[str, Any]]:
    return [b.model_dump(exclude_none=True) for b in a.blockers]


def test_cbc_proves_the_small_roadmaps_optimum_with_its_objective_constant(run: Run) -> None:
    """CBC reports its bound without the objective's constant (PuLP's MPS file leaves it
    out): added back, CBC proves HiGHS's optimum; stopped on a 6 % gap, its bound lies
    between HiGHS's optimum less 6 % and that optimum, and its gap is within 6 %."""
    optimum = _plan(run).solver.objective_eur
    assert optimum is not None
    cbc = _plan(run_plan(SCENARIO, solver="cbc")).solver
    assert cbc.status == "optimal" and cbc.proven_optimal
    assert cbc.objective_eur == pytest.approx(optimum, abs=0.01)
    assert cbc.bound_eur == pytest.approx(optimum, abs=0.01)
    stopped = _plan(run_plan(SCENARIO, solver="cbc", gap_rel=0.06)).solver
    assert stopped.bound_eur is not None and stopped.gap_pct is not None
    assert optimum * 0.94 <= stopped.bound_eur <= optimum + 0.01
    assert 0.0 <= stopped.gap_pct <= 6.0


def test_the_small_roadmap_is_proven_optimal(run: Run) -> None:
    plan = _plan(run)
    assert plan.solver.status == "optimal" and plan.solver.gap_pct == 0.0
    assert [w.name for w in plan.roadmap.waves] == [
        "2027-Q1",
        "2027-Q2",
        "2027-Q3",
        "2027-Q4",
        "2028-Q1",
        "2028-Q2",
    ]
    assert [w.totals.moves for w in plan.roadmap.waves] == [2, 0, 3, 0, 3, 1]


def test_its_waves_and_years_by_hand(run: Run) -> None:
    """2027-Q1 moves shop-db (move 600) and shop-batch (500) off hyper-eu, each paying the
    1,500 exit fee (the contract runs until 2027-06-30): one-off 4,100. 2027-Q3 moves old-erp
    (1,200), shop-api (300) and shop-web (400), the contract over: 1,900. 2027's one-off is
    4,100 + 1,900 = 6,000, its whole budget; its capex the one Nubo rack, 3,000, its whole
    budget too. 2028-Q1 moves the three tax services off snc-old (2,000 + 1,800 + 2,200).

    2027-Q1's monthly spend: hyper-eu shop-web 148 + shop-api 2*25 + 8*3 = 74; nubo shop-db
    4*12 + 32*1.2 = 86.4, shop-batch 6*12 + 12*1.2 = 86.4, gis 4*12 + 12*1.2 = 62.4; snc-old
    tax-core 104, tax-portal 2*18 + 8*2 = 52, tax-archive 2*18 + 24*2 = 84; pi ai-diag 8*10 +
    32 = 112 (not grown yet), hr-app 56, mail 6*10 + 24 = 84, old-erp 8*10 + 40 = 120,
    intranet 2*10 + 6 = 26; the rack is not usable yet: 222 + 235.2 + 240 + 398 = 1,095.20."""
    plan = _plan(run)
    waves = {w.name: w.totals for w in plan.roadmap.waves}
    assert waves["2027-Q1"].one_off_eur == 4100.0
    assert waves["2027-Q1"].monthly_cost_eur == 1095.20
    assert waves["2027-Q1"].capex_eur == 3000.0
    assert waves["2027-Q3"].one_off_eur == 1900.0
    assert waves["2028-Q1"].one_off_eur == 6000.0
    y2027 = next(y for y in plan.roadmap.years if y.year == 2027)
    assert (y2027.migration_eur, y2027.migration_budget_eur) == (6000.0, 6000.0)
    assert (y2027.capex_eur, y2027.capex_budget_eur) == (3000.0, 3000.0)
    assert plan.roadmap.waves[3].frozen and plan.roadmap.waves[3].totals.moves == 0


def test_shop_web_runner_up_timing(run: Run) -> None:
    """shop-web leaves hyper-eu for nubo in 2027-Q3, when its contract is over.

    Its path: 6 months on hyper-eu at 148 = 888, 12 on nubo at 67.2 = 806.4, the move 400:
    spend 2,094.40; objective 888 + 806.4 + 400 * 12/36 = 1,827.73.
    One wave earlier (2027-Q2): 3 * 148 + 15 * 67.2 = 1,452, the move 400 with the 1,500 fee
    (the contract still runs): spend 3,352 (+1,257.60), objective 1,452 + 1,900 * 15/36 =
    2,243.67 (+415.93). Nubo holds 14 of its 16 vCPU in 2027-Q2 (its rack, ordered in Q1
    with a lead of 6 months, is usable from Q3) and 2027's one-off would be 6,000 + 1,500.
    One wave later (2027-Q4): frozen, and hyper-eu may not keep it after the contract.
    Same wave on pi: 12 * (56 - 67.2) = -134.40, but pi's room closes in 2027-Q4: 24 vCPU,
    of which ai-diag (8 grown by 1.4^(9/12): 10.30), hr-app 4, mail 6 and intranet 2 use
    22.30 — 1.70 free. On snc-old: 12 * (104 - 67.2) = +441.60, possible, dearer."""
    mt = _timing(run, "shop-web")
    assert (mt.period, mt.place_before, mt.place_after) == ("2027-Q3", "hyper-eu", "nubo")
    assert (mt.objective_eur, mt.spend_eur) == (1827.73, 2094.40)
    alts = _alts(mt)
    earlier = alts["earlier", "nubo"]
    assert (earlier.period, earlier.objective_delta_eur, earlier.spend_delta_eur) == (
        "2027-Q2",
        415.93,
        1257.60,
    )
    assert _blockers(earlier) == [
        {
            "code": "lead_time",
            "period": "2027-Q2",
            "place": "nubo",
            "resource": "vcpu",
            "needed": 4.0,
            "free": 2.0,
            "block": "rack",
            "ordered_in": "2027-Q1",
            "lead_months": 6,
            "usable_from": "2027-Q3",
        },
        {"code": "budget", "budget": "migration", "year": 2027, "needed": 7500.0, "limit": 6000.0},
    ]
    later = alts["later", "nubo"]
    assert later.period == "2027-Q4" and later.objective_delta_eur is None
    assert _blockers(later) == [
        {"code": "frozen", "period": "2027-Q4"},
        {"code": "contract_ended", "period": "2027-Q3", "place": "hyper-eu", "day": "2027-06-30"},
    ]
    pi = alts["elsewhere", "pi"]
    assert (pi.objective_delta_eur, pi.spend_delta_eur) == (-134.40, -134.40)
    assert _blockers(pi) == [
        {
            "code": "no_room",
            "period": "2027-Q4",
            "place": "pi",
            "resource": "vcpu",
            "needed": 4.0,
            "free": 1.7,
        }
    ]
    snc = alts["elsewhere", "snc-old"]
    assert (snc.objective_delta_eur, snc.spend_delta_eur, snc.blockers) == (441.60, 441.60, ())
    assert [a.verdict for a in mt.alternatives] == ["blocked", "blocked", "blocked", "dearer"]


def test_tax_core_runner_up_timing(run: Run) -> None:
    """tax-core leaves snc-old for snc-new in 2028-Q1, after snc-old's SecNumCloud lapses.

    Its path: 12 months on snc-old at 104 = 1,248, 6 on snc-new at 120 = 720, the move 2,000:
    spend 3,968; objective 1,968 + 2,000 * 6/36 = 2,301.33.
    One wave earlier (2027-Q4, snc-new in force since 2027-07-01): 9 * 104 + 9 * 120 = 2,016,
    spend 4,016 (+48), objective 2,016 + 2,000 * 9/36 = 2,516 (+214.67); but 2027-Q4 is
    frozen and 2027's one-off would be 6,000 + 2,000. One wave later: snc-old may not keep it
    in 2028-Q1. Same wave on pi: 6 * (56 - 120) = -384, but pi has 0.8 vCPU free then."""
    mt = _timing(run, "tax-core")
    assert (mt.period, mt.place_before, mt.place_after) == ("2028-Q1", "snc-old", "snc-new")
    assert (mt.objective_eur, mt.spend_eur) == (2301.33, 3968.0)
    alts = _alts(mt)
    earlier = alts["earlier", "snc-new"]
    assert (earlier.period, earlier.objective_delta_eur, earlier.spend_delta_eur) == (
        "2027-Q4",
        214.67,
        48.0,
    )
    assert [b["code"] for b in _blockers(earlier)] == ["frozen", "budget"]
    assert _blockers(earlier)[1]["needed"] == 8000.0
    later = alts["later", "snc-new"]
    [lapsed] = _blockers(later)
    assert (lapsed["code"], lapsed["period"], lapsed["place"]) == (
        "not_eligible",
        "2028-Q1",
        "snc-old",
    )
    assert "secnumcloud expired on 2027-12-31" in lapsed["detail"]
    pi = alts["elsewhere", "pi"]
    assert pi.objective_delta_eur == -384.0
    assert [(b.code, b.period, b.free) for b in pi.blockers] == [("no_room", "2028-Q1", 0.8)]


def test_a_move_held_back_names_the_full_wave(run: Run) -> None:
    """intranet leaves pi in 2028-Q2; one wave earlier, 2028-Q1 already moves its 3."""
    mt = _timing(run, "intranet")
    assert mt.period == "2028-Q2"
    earlier = _alts(mt)["earlier", mt.place_after]
    assert _blockers(earlier) == [{"code": "wave_full", "period": "2028-Q1", "limit": 3.0}]
    later = _alts(mt)["later", mt.place_after]
    assert later.period is None and [b.code for b in later.blockers] == ["horizon"]


def test_a_workload_that_never_moves_has_no_runner_up_timing(run: Run) -> None:
    assert run.roadmap is not None
    m, rr = run.roadmap
    assert move_timings(run.inputs, m, rr, _plan(run).roadmap, "gis") == ()


@pytest.fixture(scope="module")
def shop_web() -> Explanation:
    return explain(SCENARIO, "shop-web")


def test_explain_text_says_the_timing_is_an_estimate(shop_web: Explanation) -> None:
    text = render_explain_text(shop_web)
    assert (
        "Runner-up timing (each alternative re-evaluated with every other decision of the "
        "roadmap held, not re-optimised;"
    ) in text
    assert "  moved in 2027-Q3: hyper-eu -> nubo (objective €1,827.73, spend €2,094.40)\n" in text
    assert (
        "    - one wave earlier (2027-Q2, to nubo): +€415.93 in the objective, +€1,257.60 in "
        "spend; not possible: nubo has no room in 2027-Q2 (vcpu: needs 4, 2 free): its rack "
        "ordered in 2027-Q1 (lead 6 months) is usable only from 2027-Q3; the 2027 one-off "
        "budget of €6,000.00 would be exceeded (€7,500.00)\n"
    ) in text
    assert (
        "    - one wave later (2027-Q4, to nubo): not possible: 2027-Q4 is frozen; its contract "
        "on hyper-eu ended on 2027-06-30, not renewed\n"
    ) in text
    assert (
        "    - same wave, another place (2027-Q3, to snc-old): +€441.60 in the objective, "
        "+€441.60 in spend; possible, but dearer\n"
    ) in text


def test_explain_json_carries_the_timing_facts_and_sentences(shop_web: Explanation) -> None:
    data = json.loads(render_explain_json(shop_web))
    assert "re-optimised" in data["timings_note"]
    [mt] = data["timings"]
    assert (mt["period"], mt["objective_eur"], mt["spend_eur"]) == ("2027-Q3", 1827.73, 2094.4)
    first = mt["alternatives"][0]
    assert (first["kind"], first["period"], first["objective_delta_eur"]) == (
        "earlier",
        "2027-Q2",
        415.93,
    )
    assert [b["code"] for b in first["blockers"]] == ["lead_time", "budget"]
    assert first["blockers"][1]["text"] == (
        "the 2027 one-off budget of €6,000.00 would be exceeded (€7,500.00)"
    )


def test_explain_timing_in_french(shop_web: Explanation) -> None:
    with speaking("fr"):
        text = render_explain_text(shop_web)
    assert "Autres moments possibles (chaque variante réévaluée" in text
    assert (
        "    - une vague plus tard (2027-Q4, vers nubo) : impossible : 2027-Q4 est gelée ; son "
        "contrat sur hyper-eu a pris fin le 30 juin 2027, non renouvelé\n"
    ) in text


def test_a_snapshot_explanation_has_no_timing_keys() -> None:
    data = json.loads(render_explain_json(explain("tests/fixtures/tiny/scenario.yaml", "w3")))
    assert "timings" not in data and "timings_note" not in data
