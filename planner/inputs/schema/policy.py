"""Sovereignty policy as data: data class -> where it may be placed."""

from __future__ import annotations

from datetime import date

from pydantic import model_validator

from planner.inputs.schema.common import Count, Id, Strict, Zone


class Clause(Strict):
    """Conditions that must all hold on a site or offer."""

    internal: bool | None = None
    qualifications: tuple[str, ...] = ()
    activities: dict[str, tuple[Count, ...]] = {}
    location_zone_in: tuple[Zone, ...] = ()
    jurisdiction_zone_in: tuple[Zone, ...] = ()
    no_extra_eu_law_exposure: bool = False


class DatedRule(Strict):
    """The rule of a data class from a day on (a stricter rule from a legal deadline)."""

    effective_from: date
    placeable: bool = True
    any_of: tuple[Clause, ...] = ()
    includes: tuple[Id, ...] = ()


class DataClassRule(Strict):
    """Where workloads of one data class may go: any one clause suffices (none = anywhere)."""

    description: str | None = None
    placeable: bool = True
    any_of: tuple[Clause, ...] = ()
    includes: tuple[Id, ...] = ()
    changes: tuple[DatedRule, ...] = ()  # dated, read by a roadmap

    @model_validator(mode="after")
    def _changes_in_order(self) -> DataClassRule:
        days = [c.effective_from for c in self.changes]
        if days != sorted(set(days)):
            raise ValueError("changes are listed by effective_from, each day once")
        return self


class Policy(Strict):
    """The policy catalog."""

    data_classes: dict[str, DataClassRule]


class PolicyFile(Strict):
    """A `policy` catalog file."""

    policy: Policy
