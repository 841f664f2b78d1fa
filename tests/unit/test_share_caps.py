"""Share caps are shares of a fixed figure, the spend of the plan made without them: a cap is
never met by spending more elsewhere to dilute it (tests/fixtures/share-caps, worked by hand
in its scenario files)."""

from __future__ import annotations

import shutil
from collections import defaultdict
from pathlib import Path

import pytest

from planner.errors import InfeasibleError
from planner.pipeline import Run, run_plan
from planner.render.wording import violation_text

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "share-caps"


def _placements(run: Run) -> dict[str, str]:
    return {
        rc.name: rc.change.after.site
        for rc in run.plan.resource_changes
        if rc.type == "planner_placement" and rc.change.after is not None
    }


def _costs(run: Run) -> dict[str, dict[str, float]]:
    """Workload -> eligible place -> its monthly cost there (each member of a class alike)."""
    out: dict[str, dict[str, float]] = defaultdict(dict)
    for unit in run.candidates.units:
        for option in unit.options:
            for i, wid in enumerate(unit.members):
                j = 0 if unit.kind == "class" else i
                out[wid][option.place_id] = option.member_costs_eur_month[j]
    return out


def _spend(run: Run, placed: dict[str, str]) -> dict[str, float]:
    """Monthly spend by bucket ('internal', or the provider) of a placement."""
    costs = _costs(run)
    places = {p.id: p for p in run.candidates.places}
    out: dict[str, float] = defaultdict(float)
    for wid, place_id in placed.items():
        place = places[place_id]
        out["internal" if place.internal else str(place.provider_id)] += costs[wid][place_id]
    return out


def _within_caps(run: Run, placed: dict[str, str]) -> bool:
    """The placement keeps every share cap, as a share of the plan's stated reference spend."""
    caps = run.inputs.scenario.caps
    reference = run.plan.totals.share_cap_reference_eur_month
    assert reference is not None
    spend = _spend(run, placed)
    external = sum(v for k, v in spend.items() if k != "internal")
    if caps.max_outsourced_share_pct is not None and (
        external > caps.max_outsourced_share_pct / 100 * reference + 1e-6
    ):
        return False
    return caps.max_provider_share_pct is None or all(
        v <= caps.max_provider_share_pct / 100 * reference + 1e-6
        for k, v in spend.items()
        if k != "internal"
    )


def _no_dearer_place_than_needed(run: Run) -> list[str]:
    """Workloads on a dearer place than a cheaper eligible one they could move to within the
    caps (capacity is ample in the fixture): a cap met by spending more would show here."""
    placed = _placements(run)
    found = []
    for wid, options in _costs(run).items():
        for place_id, cost in options.items():
            if cost < options[placed[wid]] - 1e-9 and _within_caps(run, {**placed, wid: place_id}):
                found.append(f"{wid}: {placed[wid]} -> {place_id}")
    return found


def _uncapped(tmp_path: Path, scenario: str) -> Run:
    copy = tmp_path / "uncapped"
    shutil.copytree(FIXTURE, copy)
    path = copy / scenario
    text = path.read_text()
    path.write_text(text[: text.index("caps:")])
    return run_plan(str(path))


def test_provider_share_is_met_by_lowering_that_providers_spend(tmp_path: Path) -> None:
    free = _uncapped(tmp_path, "provider-share.yaml")
    uncapped = _spend(free, _placements(free))
    assert uncapped == {"beta": 320.0, "alpha": 300.0}
    run = run_plan(str(FIXTURE / "provider-share.yaml"))
    assert run.plan.totals.monthly_cost_after_eur == 670.0  # a share of its own total: 640
    assert free.plan.totals.share_cap_reference_eur_month is None
    assert run.plan.totals.share_cap_reference_eur_month == 620.0
    placed = _placements(run)
    assert placed == {"h1": "beta-hds", "s1": "dc", **{f"p{i}": "alpha-std" for i in range(1, 7)}}
    spend = _spend(run, placed)
    assert spend["beta"] == 300.0 < uncapped["beta"] == 320.0  # lowered, not diluted
    assert _no_dearer_place_than_needed(run) == []


def test_outsourced_share_is_met_by_bringing_spend_in_house() -> None:
    run = run_plan(str(FIXTURE / "outsourced-share.yaml"))
    assert run.plan.totals.monthly_cost_after_eur == 730.0  # a share of its own total: 725
    assert run.plan.totals.share_cap_reference_eur_month == 720.0
    placed = _placements(run)
    assert placed["i1"] == "dc"  # not on the dearer dc2 to swell the total
    assert sorted(w for w, p in placed.items() if p == "dc") == ["i1", "p1"]
    external = sum(v for k, v in _spend(run, placed).items() if k != "internal")
    assert external == 570.0
    assert _no_dearer_place_than_needed(run) == []


def test_the_plan_states_the_caps_reference(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from planner.cli import app

    result = CliRunner().invoke(app, ["plan", str(FIXTURE / "provider-share.yaml")])
    assert result.exit_code == 0, result.output
    assert (
        "Share caps:      each provider ≤ 50 % of €620.00 / month, the spend of the plan "
        "made without the share caps (outsourced now €600.00)"
    ) in result.stdout
    assert (
        "placed on dc: beta-hds (cheaper by €50.00 / month) would break the cap "
        "share of provider 'beta' ≤ 50 % of €620.00"
    ) in result.stdout


def test_a_share_point_is_a_hundredth_of_the_reference() -> None:
    run = run_plan(str(FIXTURE / "provider-share.yaml"))
    beta = next(sp for sp in run.plan.shadow_prices if sp.constraint == "cap:provider_share:beta")
    # with divisible placements half of s1 stays on beta (300 + 10 = 310) and each € more for
    # beta brings back 1/20 of s1 more, saving 50 / 20: a point, € 6.20, is worth € 15.50
    assert beta.value_eur_month == pytest.approx(15.5)


def test_a_cap_no_plan_can_meet_is_diagnosed_against_the_reference(tmp_path: Path) -> None:
    copy = tmp_path / "share-caps"
    shutil.copytree(FIXTURE, copy)
    scenario = copy / "provider-share.yaml"
    scenario.write_text(
        scenario.read_text().replace("max_provider_share_pct: 50", "max_provider_share_pct: 40")
    )
    with pytest.raises(InfeasibleError) as caught:
        run_plan(str(scenario))
    assert caught.value.diagnosis is not None
    [cap] = caught.value.diagnosis.caps
    assert violation_text(cap) == (
        "the share cap of 40 % per provider is too tight for provider 'beta' by 8.39 "
        "percentage points (at least €300.00 / month, 48.39 % of €620.00 / month, the spend "
        "of the plan without the share caps)"
    )
