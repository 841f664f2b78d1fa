"""The one registry of input rules, each tagged with the commands it runs in.

Reference rules (ids, references, prices, groups) run wherever inputs are read; a plan cannot
be built on broken references. Policy rules (coverage, freshness, capacity, pins) run in
`validate` and `diff`, where their warnings inform a review; `plan` meets the same facts as
eligibility refusals and capacity rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from planner.checks import policy, references, roadmap
from planner.checks.policy import Limits
from planner.errors import InputIssue
from planner.inputs.frozen import Inputs


class Where(StrEnum):
    """A command that runs input rules."""

    VALIDATE = "validate"
    PLAN = "plan"
    DIFF = "diff"


Check = Callable[[Inputs, Limits], list[InputIssue]]


@dataclass(frozen=True)
class Rule:
    name: str
    kind: Literal["reference", "policy"]
    check: Check
    runs_in: frozenset[Where]


def _without_limits(check: Callable[[Inputs], list[InputIssue]]) -> Check:
    return lambda inputs, _limits: check(inputs)


_EVERYWHERE = frozenset(Where)
_REVIEWS = frozenset({Where.VALIDATE, Where.DIFF})

RULES: tuple[Rule, ...] = (
    *(
        Rule(
            check.__name__.removeprefix("check_"), "reference", _without_limits(check), _EVERYWHERE
        )
        for check in references.CHECKS
    ),
    *(
        Rule(check.__name__.removeprefix("check_"), "policy", check, _REVIEWS)
        for check in policy.POLICY_CHECKS
    ),
    Rule("roadmap", "reference", _without_limits(roadmap.check_roadmap), _EVERYWHERE),
)


def rules_for(where: Where) -> tuple[Rule, ...]:
    return tuple(rule for rule in RULES if where in rule.runs_in)


def run_rules(
    inputs: Inputs,
    where: Where,
    limits: Limits | None = None,
    kind: Literal["reference", "policy"] | None = None,
) -> list[InputIssue]:
    """The issues of every rule (of `kind`, if given) that runs in `where`, in registry order."""
    limits = limits or Limits()
    return [
        issue
        for rule in rules_for(where)
        if kind is None or rule.kind == kind
        for issue in rule.check(inputs, limits)
    ]
