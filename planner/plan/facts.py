"""The decisive reason for a placement, as codes and numbers.

A reason is one of the models below, told apart by `code`; it carries the places, amounts and
caps its sentence needs, and no words: planner/render/wording.py makes the sentence (the same
sentence in every format, and a translation is a second wording). `Stated` is the exception: a
reason read back from a saved plan, whose JSON keeps the code and the sentence. Amounts are per
member of a class of identical workloads, in EUR; `Comparison` sets another place against the
chosen one.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Tag

from planner.optimise.caps import CapRef

ReasonCode = Literal[
    "pinned",
    "affinity_group",
    "cheapest",
    "in_house_preference",
    "outsourced_cheaper",
    "kept_move_cost",
    "capacity_full",
    "contract_not_worth",
    "anti_affinity",
    "forced_by_cap",
    "solver_choice",
    "current_refused",
    "retired",
]


class _Fact(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Comparison(_Fact):
    """Another place's real monthly cost against the chosen place's. `verdict` is 'cheaper',
    'dearer' or 'same' (within half a cent); where the other place is not cheaper, `preference`
    says how the in-house preference makes it the better one in the objective: 'in_house' (it
    is internal and the chosen place is not) or 'weights_external'."""

    place: str
    verdict: Literal["cheaper", "dearer", "same"]
    difference_eur_month: float  # always >= 0
    preference: Literal["in_house", "weights_external"] | None
    preference_pct: float


class Shortfall(_Fact):
    """A resource a place cannot spare for the unit: needed against free."""

    resource: str
    needed: float
    free: float


class FullPlace(_Fact):
    """A better place that lacks room."""

    comparison: Comparison
    internal: bool
    shortfalls: tuple[Shortfall, ...]


class PricedBlock(_Fact):
    """An expansion block the plan could still build."""

    block: str
    cost_eur_month: float


class Occupant(_Fact):
    """A workload and its use of one resource at a site."""

    workload: str
    amount: float


class RoomTaken(_Fact):
    """Who holds the room a unit left at its current site: workloads moved in
    (`moved_in`), else those staying; the largest users first, `count` in all."""

    site: str
    resource: str
    moved_in: bool
    shown: tuple[Occupant, ...]
    count: int


class Pinned(_Fact):
    code: Literal["pinned"] = "pinned"
    place: str


class Cheapest(_Fact):
    """The cheapest place in the objective with nothing cheaper left out. `runner` is the next
    place and its cost (None: the only eligible place)."""

    code: Literal["cheapest"] = "cheapest"
    place: str
    cost_eur_month: float
    runner: str | None = None
    runner_eur_month: float | None = None
    moves_amortised_months: int | None = None  # one-off moves are part of the comparison
    no_internal_site: bool = False  # outsourced because no internal site may take it


class KeptMoveCost(_Fact):
    code: Literal["kept_move_cost"] = "kept_move_cost"
    place: str
    cheaper: str
    saving_eur_month: float
    horizon_months: int
    move_cost_eur: float


class InHousePreference(_Fact):
    code: Literal["in_house_preference"] = "in_house_preference"
    place: str
    cheaper: str
    saving_eur_month: float
    saving_pct: float
    preference_pct: float


class OutsourcedCheaper(_Fact):
    code: Literal["outsourced_cheaper"] = "outsourced_cheaper"
    place: str
    in_house: str
    in_house_eur_month: float
    dearer_eur_month: float
    dearer_pct: float
    preference_pct: float


class CapacityFull(_Fact):
    """Better places lack room. `best_is_full`: the best of them is among `full` (the first
    three full ones, with what could be built at the best one and who took the unit's room);
    otherwise `full` holds the one full place that decides."""

    code: Literal["capacity_full"] = "capacity_full"
    place: str
    internal: bool
    best_is_full: bool
    full: tuple[FullPlace, ...]
    blocks: tuple[PricedBlock, ...] = ()
    room: RoomTaken | None = None


class ContractNotWorth(_Fact):
    code: Literal["contract_not_worth"] = "contract_not_worth"
    comparison: Comparison
    contract_eur_month: float


class AntiAffinity(_Fact):
    code: Literal["anti_affinity"] = "anti_affinity"
    comparison: Comparison
    group: str
    partners: tuple[str, ...]  # the first few, by id
    partner_count: int


class ForcedByCap(_Fact):
    code: Literal["forced_by_cap"] = "forced_by_cap"
    place: str
    internal: bool
    comparison: Comparison
    caps: tuple[CapRef, ...]


class SolverChoice(_Fact):
    code: Literal["solver_choice"] = "solver_choice"
    comparison: Comparison
    proven: bool


class AffinityGroup(_Fact):
    code: Literal["affinity_group"] = "affinity_group"
    group: str
    members: int
    then: Reason


class CurrentRefused(_Fact):
    """The workload's current place may no longer take it: `refusal` says why (None: its
    affinity group may not run there)."""

    code: Literal["current_refused"] = "current_refused"
    current: str
    refusal: str | None
    then: Reason


class Retired(_Fact):
    code: Literal["retired"] = "retired"


class Stated(_Fact):
    """A reason as a saved plan states it: its code and its sentence (the plan JSON keeps
    the sentence, not the numbers behind it)."""

    code: ReasonCode
    text: str


def _kind(value: Any) -> str:
    """Which model a reason is: a stated one where it has its sentence, else by its code."""
    if isinstance(value, dict):
        return "stated" if "text" in value else str(value.get("code"))
    return "stated" if isinstance(value, Stated) else str(value.code)


Reason = Annotated[
    Annotated[Pinned, Tag("pinned")]
    | Annotated[Cheapest, Tag("cheapest")]
    | Annotated[KeptMoveCost, Tag("kept_move_cost")]
    | Annotated[InHousePreference, Tag("in_house_preference")]
    | Annotated[OutsourcedCheaper, Tag("outsourced_cheaper")]
    | Annotated[CapacityFull, Tag("capacity_full")]
    | Annotated[ContractNotWorth, Tag("contract_not_worth")]
    | Annotated[AntiAffinity, Tag("anti_affinity")]
    | Annotated[ForcedByCap, Tag("forced_by_cap")]
    | Annotated[SolverChoice, Tag("solver_choice")]
    | Annotated[AffinityGroup, Tag("affinity_group")]
    | Annotated[CurrentRefused, Tag("current_refused")]
    | Annotated[Retired, Tag("retired")]
    | Annotated[Stated, Tag("stated")],
    Discriminator(_kind),
]

AffinityGroup.model_rebuild()
CurrentRefused.model_rebuild()
