"""Every reason code on a hand-made case whose decision is worked out by hand."""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

from planner.pipeline import run_plan
from planner.plan.facts import Reason
from planner.render.wording import reason_text
from tests.helpers import offer, provider, site, workload, write_scenario

# alpha: 2 vCPU x 10 + 8 GiB x 1 = 28 / month for the default workload (2 vCPU, 8 GiB).
# cheap: 2 x 10 + 8 x 0.5 = 24 (14.3 % less than alpha); dear: 2 x 20 + 8 x 2 = 56.
CHEAP = provider("p", [offer("cheap", vcpu_price=10, ram_price=0.5), offer("dear")])


class Said(NamedTuple):
    """A reason as a reader sees it: its code and its sentence."""

    code: str
    text: str


def said(reason: Reason) -> Said:
    return Said(reason.code, reason_text(reason))


def reasons(tmp_path: Path, **scenario: Any) -> dict[str, tuple[str, Said]]:
    run = run_plan(write_scenario(tmp_path, **scenario))
    out = {}
    for rc in run.plan.resource_changes:
        if rc.type == "planner_placement":
            assert rc.reason is not None, rc.name
            place = rc.change.after.site if rc.change.after else "-"
            out[rc.name] = (place, said(rc.reason))
    return out


def test_cheapest_and_capacity_full_on_the_tiny_fixture() -> None:
    run = run_plan("tests/fixtures/tiny/scenario.yaml")
    got = {rc.name: said(rc.reason) for rc in run.plan.resource_changes if rc.reason}
    assert got["w1"] == Said(
        code="cheapest",
        text="cheapest eligible place: alpha at €66.00 / month (next: snc at €132.00)",
    )
    # w3 on alpha would cost 2 x 10 + 8 x 1 = 28 < 30 (pub, flavour small); alpha is full.
    assert got["w3"] == Said(
        code="capacity_full",
        text=(
            "outsourced to pub because eligible internal sites are full: alpha (cheaper by €2.00 / "
            "month) lacks vcpu (needs 2, 0 free), ram_gib (needs 8, 0 free); one more rack "
            "(€120.00 / month) at alpha would cost more than it saves"
        ),
    )


def test_in_house_preference_and_outsourced_beyond_threshold(tmp_path: Path) -> None:
    kept = reasons(
        tmp_path / "a",
        sites=[site("alpha")],
        providers=[CHEAP],
        workloads=[workload("w")],
        objective={"internal_preference_pct": 15},
    )
    assert kept["w"][0] == "alpha" and kept["w"][1].code == "in_house_preference"
    assert "cheap would cost €4.00 / month less (14.3 %), within the 15 % in-house" in (
        kept["w"][1].text
    )
    out = reasons(
        tmp_path / "b",
        sites=[site("alpha")],
        providers=[CHEAP],
        workloads=[workload("w")],
        objective={"internal_preference_pct": 10},
    )
    assert out["w"][0] == "cheap" and out["w"][1].code == "outsourced_cheaper"
    assert "alpha, costs €28.00 / month, dearer by €4.00 (14.3 %), beyond the 10 %" in (
        out["w"][1].text
    )


def test_kept_because_moving_costs_more_than_it_saves(tmp_path: Path) -> None:
    # Moving alpha -> cheap saves 4 / month, 144 over 36 months < 1000 one-off.
    got = reasons(
        tmp_path,
        sites=[site("alpha")],
        providers=[CHEAP],
        workloads=[workload("w", current_site="alpha", move_cost_eur=1000)],
    )
    assert got["w"] == (
        "alpha",
        Said(
            code="kept_move_cost",
            text=(
                "kept on alpha: moving to cheap would save €4.00 / month, €144.00 over 36 months, "
                "less than its one-off move cost of €1,000.00"
            ),
        ),
    )


def test_pinned_and_affinity_group(tmp_path: Path) -> None:
    got = reasons(
        tmp_path,
        sites=[site("alpha")],
        providers=[CHEAP],
        workloads=[
            workload("p", pin="dear"),
            workload("a", 1, 1, affinity_group="g"),
            workload("b", 1, 1, affinity_group="g"),
        ],
    )
    assert got["p"] == ("dear", Said(code="pinned", text="pinned to dear by its catalog entry"))
    for name in ("a", "b"):
        place, reason = got[name]
        assert reason.code == "affinity_group" and place == "cheap"
        assert reason.text.startswith("placed with its affinity group 'g' (2 workloads")


def test_anti_affinity(tmp_path: Path) -> None:
    # alpha is cheaper (28) than beta (2 x 12 + 8 = 32); the replicas must be apart.
    got = reasons(
        tmp_path,
        sites=[site("alpha"), site("beta", cost_vcpu=12)],
        workloads=[
            workload("r1", anti_affinity_group="ha"),
            workload("r2", anti_affinity_group="ha"),
        ],
    )
    assert sorted(place for place, _ in got.values()) == ["alpha", "beta"]
    on_beta = next(reason for place, reason in got.values() if place == "beta")
    [partner] = [wid for wid, (place, _) in got.items() if place == "alpha"]
    assert on_beta == Said(
        code="anti_affinity",
        text=(
            f"alpha (cheaper by €4.00 / month) already holds its anti-affinity partner {partner} "
            "(group 'ha')"
        ),
    )


def test_forced_by_outsourced_share_cap(tmp_path: Path) -> None:
    # Both would go to cheap (24 < 28), spending 48: at most 50 % of those 48 outsourced
    # keeps one in-house.
    got = reasons(
        tmp_path,
        sites=[site("alpha")],
        providers=[CHEAP],
        workloads=[workload("w1"), workload("w2")],
        caps={"max_outsourced_share_pct": 50},
    )
    [reason] = [r for place, r in got.values() if place == "alpha"]
    assert reason == Said(
        code="forced_by_cap",
        text=(
            "placed on alpha: cheap (cheaper by €4.00 / month) would break the cap outsourced "
            "share ≤ 50 % of €48.00"
        ),
    )


def test_contract_not_worth_it(tmp_path: Path) -> None:
    # cheap costs 24 + a 100 / month contract: alpha (28) wins for one workload.
    fixed = provider("p", [offer("cheap", vcpu_price=10, ram_price=0.5, fixed_cost_eur_month=100)])
    got = reasons(tmp_path, sites=[site("alpha")], providers=[fixed], workloads=[workload("w")])
    assert got["w"] == (
        "alpha",
        Said(
            code="contract_not_worth",
            text=(
                "cheap (cheaper by €4.00 / month) needs a contract of €100.00 / month that the "
                "plan does not take"
            ),
        ),
    )


def test_retired(tmp_path: Path) -> None:
    got = reasons(
        tmp_path,
        sites=[site("alpha")],
        workloads=[workload("old", current_site="alpha", retire=True), workload("w")],
    )
    assert got["old"] == (
        "-",
        Said(code="retired", text="retired in the catalog: no longer placed"),
    )
    assert got["w"][1].code == "cheapest" and "only eligible place" in got["w"][1].text


def test_move_cost_is_not_called_decisive_when_the_preference_suffices(tmp_path: Path) -> None:
    # cheap weighs 24 / 0.85 = 28.24 > 28 even without its move cost, so the move cost does not
    # decide; with the move amortised (24 + 1000 / 36 = 51.78) alpha is simply the cheapest.
    got = reasons(
        tmp_path,
        sites=[site("alpha")],
        providers=[CHEAP],
        workloads=[workload("w", current_site="alpha", move_cost_eur=1000)],
        objective={"internal_preference_pct": 15},
    )
    assert got["w"] == (
        "alpha",
        Said(
            code="cheapest",
            text=(
                "cheapest eligible place: alpha at €28.00 / month (next: cheap at €51.78), one-off "
                "moves amortised over 36 months included"
            ),
        ),
    )


def test_current_place_refused(tmp_path: Path) -> None:
    # A sensitive workload currently on a non-EU offer must leave it, whatever the prices.
    pub = provider("big", [offer("pub", vcpu_price=1, ram_price=0.1)], eu=False)
    got = reasons(
        tmp_path,
        sites=[site("alpha")],
        providers=[pub],
        workloads=[workload("w", data_class="sensitive", current_site="pub")],
    )
    place, reason = got["w"]
    assert place == "alpha" and reason.code == "current_refused"
    assert reason.text.startswith("may no longer run on pub (data class 'sensitive': ")
    assert reason.text.endswith("; only eligible place: alpha at €28.00 / month")
