"""The registry of input rules: each rule once, tagged with the commands it runs in."""

from pathlib import Path

from planner.checks.registry import RULES, Where, rules_for, run_rules
from planner.inputs import load_inputs
from tests.helpers import site, workload, write_scenario


def test_every_rule_is_registered_once_with_its_commands() -> None:
    names = [rule.name for rule in RULES]
    assert len(names) == len(set(names))
    assert {"unique_ids", "references", "offer_prices", "class_coverage", "pins"} <= set(names)
    for rule in RULES:
        expected = set(Where) if rule.kind == "reference" else {Where.VALIDATE, Where.DIFF}
        assert rule.runs_in == expected, rule.name
    plan_rules = {rule.name for rule in rules_for(Where.PLAN)}
    assert plan_rules == {rule.name for rule in RULES if rule.kind == "reference"}


def test_plan_runs_reference_rules_and_validate_also_policy_rules(tmp_path: Path) -> None:
    """A dangling current site is a reference error, found alike wherever inputs are read;
    policy rules never run in the plan stage."""
    path = write_scenario(
        tmp_path, sites=[site("alpha")], workloads=[workload("w", current_site="nowhere")]
    )
    inputs = load_inputs(path)
    found = run_rules(inputs, Where.PLAN)
    assert [i.field for i in found] == ["current_site"]
    assert run_rules(inputs, Where.VALIDATE, kind="reference") == found
    assert run_rules(inputs, Where.PLAN, kind="policy") == []
