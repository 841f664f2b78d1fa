"""Typed keys of the model's rows: which constraint family, place, resource and cap a row is.

A row's `id` ('capacity:alpha:vcpu', 'quota:snc:ram_gib', 'cap:monthly_budget',
'cap:provider_share:bigco') names it in the plan document and orders the rows; nothing reads
it back: code asks the key's fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class RowKind(StrEnum):
    """The constraint families of the model."""

    ASSIGNMENT = "assignment"
    CAPACITY = "capacity"
    QUOTA = "quota"
    ACTIVATION = "activation"
    ANTI_AFFINITY = "anti_affinity"
    CAP = "cap"
    COMMITMENT = "commitment"  # what commitments cover (rows commit_use_*, commit_cover_*)


# the families every model has, whatever the scenario sets (caps come on top of them)
STRUCTURAL: tuple[RowKind, ...] = (
    RowKind.ASSIGNMENT,
    RowKind.CAPACITY,
    RowKind.QUOTA,
    RowKind.ACTIVATION,
    RowKind.ANTI_AFFINITY,
)


@dataclass(frozen=True)
class RowKey:
    """One row of the model: a capacity or quota row of a (place, resource), or a cap row
    (`cap`: the cap's code; `subject`: the provider or owner the row is about, if any)."""

    kind: RowKind
    place: str | None = None
    resource: str | None = None
    cap: str | None = None
    subject: str | None = None

    @property
    def family(self) -> str:
        """'capacity', 'quota', ... or 'cap:<code>' for a cap."""
        return f"{self.kind}:{self.cap}" if self.kind == RowKind.CAP else str(self.kind)

    @property
    def name(self) -> str:
        """The row's name without its kind: 'alpha:vcpu', 'monthly_budget',
        'provider_share:bigco'."""
        parts = (
            [self.place, self.resource] if self.kind != RowKind.CAP else [self.cap, self.subject]
        )
        return ":".join(p for p in parts if p is not None)

    @property
    def id(self) -> str:
        return f"{self.kind}:{self.name}"


def capacity_key(place: str, resource: str) -> RowKey:
    return RowKey(RowKind.CAPACITY, place=place, resource=resource)


def quota_key(place: str, resource: str) -> RowKey:
    return RowKey(RowKind.QUOTA, place=place, resource=resource)


def cap_key(cap: str, subject: str | None = None) -> RowKey:
    return RowKey(RowKind.CAP, cap=cap, subject=subject)
