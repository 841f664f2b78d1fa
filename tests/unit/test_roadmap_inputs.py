"""Bad dated inputs and roadmap rules: each a clear error at its file and line."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from planner.errors import InputError, InputIssue
from planner.pipeline import load_and_check
from tests.helpers import offer, provider, site, workload, write_scenario

QUARTERS = {"periods": {"start": date(2027, 1, 1), "length": "quarter", "count": 4}}


def _issues(tmp_path: Path, **kwargs: Any) -> list[InputIssue]:
    kwargs.setdefault("sites", [site("alpha")])
    kwargs.setdefault("providers", [provider("cloud", [offer("pub")])])
    kwargs.setdefault("workloads", [workload("w", current_site="pub")])
    kwargs.setdefault("roadmap", QUARTERS)
    path = write_scenario(tmp_path, **kwargs)
    with pytest.raises(InputError) as info:
        load_and_check(path)
    return [i for i in info.value.issues if i.severity == "error"]


def _line(path: Path, text: str) -> int:
    """The 1-based line of the first line of `path` containing `text`."""
    lines = path.read_text().splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


def test_retires_before_it_starts(tmp_path: Path) -> None:
    bad = workload("w", starts_on=date(2027, 6, 1), retires_on=date(2027, 3, 1))
    (issue,) = _issues(tmp_path, workloads=[bad])
    assert issue.file is not None and issue.file.endswith("workloads.yaml")
    assert issue.line == _line(tmp_path / "workloads.yaml", "- id: w")
    assert "retires_on 2027-03-01 is not after starts_on 2027-06-01" in issue.message


def test_a_named_period_ending_before_it_starts(tmp_path: Path) -> None:
    periods = ({"name": "p1", "start": date(2027, 4, 1), "end": date(2027, 3, 31)},)
    (issue,) = _issues(tmp_path, roadmap={"named_periods": periods})
    assert issue.file is not None and issue.file.endswith("scenario.yaml")
    assert issue.line == _line(tmp_path / "scenario.yaml", "- name: p1")
    assert "period 'p1' ends on 2027-03-31, before its start" in issue.message


def test_an_unknown_period_name_in_a_freeze(tmp_path: Path) -> None:
    (issue,) = _issues(tmp_path, roadmap={**QUARTERS, "waves": {"freeze": ["2027-Q5"]}})
    assert issue.line == _line(tmp_path / "scenario.yaml", "2027-Q5")
    assert issue.message == "unknown period name '2027-Q5'"
    assert issue.hint == "did you mean '2027-Q4'?"


def test_a_lead_time_longer_than_the_horizon(tmp_path: Path) -> None:
    rack = {
        "id": "rack",
        "adds": {"vcpu": 8},
        "capex_eur": 100,
        "amortisation_months": 12,
        "lead_time_months": 12,
    }
    (issue,) = _issues(tmp_path, sites=[site("alpha", expansion_blocks=[rack])])
    assert issue.file is not None and issue.file.endswith("sites.yaml")
    assert issue.line == _line(tmp_path / "sites.yaml", "lead_time_months")
    assert issue.message == (
        "block 'rack' takes 12 months to deliver, longer than the roadmap's 12"
    )


def test_a_budget_year_outside_the_horizon(tmp_path: Path) -> None:
    (issue,) = _issues(tmp_path, roadmap={**QUARTERS, "budgets": {"2031": {"opex_eur": 1}}})
    assert issue.line == _line(tmp_path / "scenario.yaml", "'2031'")
    assert issue.message == "budget year 2031 is outside the roadmap (2027-01-01 to 2027-12-31)"


def test_quarters_start_on_a_quarter(tmp_path: Path) -> None:
    periods = {"start": date(2027, 2, 1), "length": "quarter", "count": 2}
    issues = _issues(tmp_path, roadmap={"periods": periods})
    assert any(
        "quarterly periods start on the first day of a quarter, not 2027-02-01" in i.message
        for i in issues
    )


def test_a_contract_needs_a_current_placement(tmp_path: Path) -> None:
    contract = {"ends_on": date(2027, 6, 30), "exit_fee_eur": 10, "renew": False}
    (issue,) = _issues(tmp_path, workloads=[workload("w", contract=contract)])
    assert issue.line == _line(tmp_path / "workloads.yaml", "- id: w")
    assert "a contract belongs to a current placement" in issue.message


def test_a_new_project_already_placed(tmp_path: Path) -> None:
    bad = workload("w", current_site="pub", starts_on=date(2027, 4, 1))
    (issue,) = _issues(tmp_path, workloads=[bad])
    assert issue.line == _line(tmp_path / "workloads.yaml", "starts_on")
    assert "starts on 2027-04-01, after the roadmap's first day" in issue.message


def test_a_price_change_gives_one_kind_of_change(tmp_path: Path) -> None:
    change = {"effective_from": date(2027, 4, 1), "pct": 5, "unit_prices_eur_month": {"vcpu": 1}}
    issues = _issues(
        tmp_path, providers=[provider("cloud", [offer("pub", price_changes=[change])])]
    )
    assert [i.message for i in issues if "price change" in i.message] == [
        "a price change gives either pct or unit_prices_eur_month"
    ]
