"""The plan: the source of truth every renderer reads, saved and re-read as JSON.

Shaped like `terraform show -json` (`format_version`, `terraform_version`, `resource_changes[]`
with `address` = `type.name`, `mode`, `provider_name`, `change.actions/before/after`, and the
derived `planned_values`, `prior_state` and `configuration` of `terraform.py`), plus the
planner's totals, the solver record and the scenario's assumptions. Same inputs give
byte-identical JSON.

`format_version` is the Terraform JSON plan format the file follows; `planner_format_version`
is the planner's own. Plans written before both existed (`format_version` "1.0", addresses
`placement.x`) are still read: their addresses are read as `planner_placement.x`.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import PurePath
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from planner.candidates.sizing import WorkloadSizing
from planner.errors import InputError, InputIssue
from planner.inputs.files import (
    MAX_NESTING,
    json_nesting_position,
    json_word_position,
    nesting_exceeds,
    read_input_text,
)
from planner.inputs.source import excerpt
from planner.optimise.caps import CapRef
from planner.plan.facts import Reason
from planner.plan.terraform import (
    DERIVED_KEYS,
    DERIVED_STATE_KEYS,
    PROVIDER_NAME,
    TERRAFORM_FORMAT_VERSION,
    terraform_parts,
)

FORMAT_VERSION = TERRAFORM_FORMAT_VERSION
PLANNER_FORMAT_VERSION = "2"
LEGACY_FORMAT_VERSION = "1.0"  # plans written before the Terraform parts: addresses `placement.x`

Action = Literal["no-op", "create", "delete", "update"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PlacementState(_Frozen):
    """Where one workload runs and what it costs there."""

    site: str
    kind: str  # 'internal' | 'external'
    provider: str | None
    cost_eur_month: float
    basis: str  # how it was priced: 'unit costs', 'flavour b3-16', 'per-site override', ...


class ExpansionState(_Frozen):
    """Blocks of one type built at one internal site. `cost_eur_month` is the blocks' monthly
    cost (amortised purchase price plus running cost); one block's purchase price, its
    amortisation period and its running cost are stated apart (plans saved before they were
    have None: the budget lines then say the purchase price is not stated)."""

    site: str
    block: str
    count: int
    cost_eur_month: float
    adds: dict[str, float]  # resource -> capacity the blocks add (resources they add only)
    capex_eur: float | None = None  # one block's purchase price
    amortisation_months: int | None = None
    opex_eur_month: float | None = None  # one block's running cost


class ContractState(_Frozen):
    """A place with a fixed monthly cost, held because the plan uses it."""

    site: str
    kind: str
    provider: str | None
    cost_eur_month: float


ResourceState = PlacementState | ExpansionState | ContractState
State = TypeVar("State", PlacementState, ExpansionState, ContractState)


class Change(_Frozen, Generic[State]):
    actions: tuple[Action, ...]
    before: State | None
    after: State | None


class _Resource(_Frozen, Generic[State]):
    address: str  # `type.name`, as in Terraform
    name: str
    change: Change[State]
    reason: Reason | None = None
    mode: Literal["managed"] = "managed"
    provider_name: str = PROVIDER_NAME

    @model_validator(mode="after")
    def _address_is_type_dot_name(self) -> _Resource[State]:
        expected = f"{getattr(self, 'type', '')}.{self.name}"
        if self.address != expected:
            raise ValueError(f"address must be '{excerpt(expected)}' (type.name)")
        return self

    @property
    def symbol(self) -> str:
        return {
            ("create",): "+",
            ("delete",): "-",
            ("delete", "create"): "-/+",
            ("update",): "~",
        }.get(self.change.actions, " ")

    @property
    def is_change(self) -> bool:
        return self.change.actions != ("no-op",)


class PlacementChange(_Resource[PlacementState]):
    type: Literal["planner_placement"] = "planner_placement"


class ExpansionChange(_Resource[ExpansionState]):
    type: Literal["planner_expansion"] = "planner_expansion"


class ContractChange(_Resource[ContractState]):
    type: Literal["planner_contract"] = "planner_contract"


# One resource of the plan; its `type` says which state its change carries.
ResourceChange = Annotated[
    PlacementChange | ExpansionChange | ContractChange, Field(discriminator="type")
]
RESOURCE_TYPES = ("planner_placement", "planner_expansion", "planner_contract")


class ClassShare(_Frozen):
    """Where one data class runs after the plan."""

    workloads: int
    in_house: int
    outsourced: int
    cost_in_house_eur_month: float
    cost_outsourced_eur_month: float
    share_in_house_pct: float


class SiteUse(_Frozen):
    """Use of one internal site per resource, before and after the plan."""

    site: str
    capacity: dict[str, float]
    usable_before: dict[str, float]
    usable_after: dict[str, float]
    used_before: dict[str, float]
    used_after: dict[str, float]


class BudgetYear(_Frozen):
    """One calendar (State budget) year of the horizon, as planner/plan/budget_lines.py counts
    it: `months` of the horizon in the year; running costs (opex) before and after the plan,
    the purchase price of the blocks the plan orders (capex, at the reference date) and their
    amortisation, and one-off moves (at the reference date). `capex_eur` and
    `amortisation_eur` are None where a block's purchase price is not stated."""

    year: int
    months: int
    opex_before_eur: float
    opex_eur: float
    capex_eur: float | None
    amortisation_eur: float | None
    migration_eur: float


class Totals(_Frozen):
    monthly_cost_before_eur: float
    monthly_cost_after_eur: float
    monthly_difference_eur: float
    monthly_difference_pct: float | None
    one_off_migration_eur: float
    to_add: int
    to_change: int
    to_destroy: int
    moves: int
    cost_by_bucket_before_eur: dict[str, float]
    cost_by_bucket_after_eur: dict[str, float]
    expansion_cost_eur_month: float
    outsourced_share_pct: float
    by_data_class: dict[str, ClassShare]
    sites: tuple[SiteUse, ...]
    # the share caps' denominator: monthly spend of the plan made without them (None: no cap)
    share_cap_reference_eur_month: float | None = None
    # monthly spend after, per owner with a budget (caps.owner_budgets_eur); left out of the
    # JSON when no owner has one
    owner_spend_eur_month: dict[str, float] = {}
    # the horizon's budget years (planner/plan/budget_lines.py); plans saved before have none
    budget_years: tuple[BudgetYear, ...] = ()


class SizingSummary(_Frozen):
    """Right-sizing in the plan (planner/candidates/sizing.py): one record per workload a
    performance rule reads (sized, unchanged or kept as provisioned, with why), how many of
    each outcome, and the vCPU, GiB of memory and GiB of storage provisioned and planned over
    the workloads sized."""

    workloads: tuple[WorkloadSizing, ...]
    outcomes: dict[str, int]  # outcome -> workloads
    provisioned: dict[str, float]  # resource -> total provisioned, workloads sized
    sized: dict[str, float]  # resource -> total planned, workloads sized

    @property
    def sized_count(self) -> int:
        return self.outcomes.get("sized", 0)

    def saved(self, resource: str) -> float:
        return round(self.provisioned[resource] - self.sized[resource], 3)

    def of(self, workload: str) -> WorkloadSizing | None:
        for record in self.workloads:
            if record.workload == workload:
                return record
        return None


class SavingsSplit(_Frozen):
    """Where the monthly saving against today comes from, by a sequential decomposition:
    right-sizing = today's placements as provisioned - today's placements at the sized demand;
    placement = that - the plan at on-demand prices; commitments = that - the plan (zero
    without commitments). The three parts sum to `total_eur_month` (today - the plan, the
    negated `totals.monthly_difference_eur`) to the cent."""

    right_sizing_eur_month: float
    placement_eur_month: float
    commitments_eur_month: float
    total_eur_month: float


class CutRecord(_Frozen):
    """One part of the run its time limit cut short (planner.optimise.budget.CutKind):
    `skipped` of `planned` steps, where it has steps."""

    kind: Literal["reference_solve", "shadow_prices", "shadow_resolves"]
    skipped: int = 0
    planned: int = 0


class SolverRecord(_Frozen):
    name: str
    status: str
    proven_optimal: bool
    objective_eur: float | None
    bound_eur: float | None
    gap_pct: float | None
    gap_tolerance_pct: float
    time_s: float | None
    time_limit_s: float
    message: str
    # what the run's time limit cut short; left out of the JSON when nothing was
    cut_short: tuple[CutRecord, ...] = ()


def relative_to_scenario(path: str, scenario_file: str) -> str:
    """`path` as seen from the scenario file's folder, with '/' separators: the same whatever
    the working directory the plan was made from (a plan names no runner's folders)."""
    folder = os.path.dirname(os.path.abspath(scenario_file))
    relative = os.path.relpath(os.path.abspath(path), folder)
    return PurePath(relative).as_posix()


class ScenarioRecord(_Frozen):
    """The scenario as planned. `file` is the scenario's file name; `catalog_digests` keys are
    catalog paths relative to the scenario's folder."""

    name: str
    description: str | None
    file: str
    reference_date: str
    internal_preference_pct: float
    horizon_months: int
    caps: dict[str, float | int | dict[str, float] | None]
    catalog_digests: dict[str, str]
    overrides_applied: tuple[str, ...]
    baseline: str | None
    buy_commitments: bool = False  # left out of the JSON when false


class CommitmentBuy(_Frozen):
    """One commitment to buy (planner/candidates/commitments.py): `amount` is on-demand euros
    a month of compute for a savings plan (`unit: spend`), instances for reserved instances."""

    offer: str
    provider: str
    term_months: int
    unit: Literal["spend", "instances"]
    flavour: str | None
    amount: float
    discount_pct: float
    cost_eur_month: float  # paid every month of the term, used or not
    early_exit: Literal["owed", "fee"]
    exit_fee_pct: float | None  # with `fee`: the share of the rest of the term owed on leaving
    committed_beyond_12_months_eur: float  # what it still commits after month 12, 36
    committed_beyond_36_months_eur: float
    owed_beyond_horizon_eur: float  # what leaving at the horizon's end would cost
    source: str
    source_date: str


class CommitmentsRecord(_Frozen):
    """The commitments a plan buys (a scenario with `objective.buy_commitments`), what they
    cost, what they save against the same placements on demand and the lock-in they make."""

    buys: tuple[CommitmentBuy, ...]
    committed_eur_month: float  # what the commitments cost a month, used or not
    covered_eur_month: float  # the on-demand spend they cover in this plan
    saving_eur_month: float  # covered - committed: the saving against on-demand prices
    on_demand_eur_month: float  # the plan's monthly cost were every offer paid on demand
    committed_beyond_12_months_eur: float
    committed_beyond_36_months_eur: float
    owed_beyond_horizon_eur: float
    horizon_months: int


class ShadowPrice(_Frozen):
    """Monthly value of relaxing one binding constraint by one unit (planner.optimise.shadow)."""

    constraint: str  # e.g. 'capacity:alpha:vcpu', 'cap:monthly_budget'
    kind: Literal["capacity", "quota", "cap", "expansion"]
    place: str | None
    resource: str | None
    unit: str  # what 'one unit' is: 'vcpu', 'EUR', 'percentage point', 'move', 'block'
    value_eur_month: float  # objective saved per unit of relaxation (the LP dual)
    gain_eur_month: float | None = None  # saved by one more unit, re-solving the LP
    # the cap row (kind 'cap') or block (kind 'expansion') worded in the sentence; the JSON
    # keeps the sentence instead, as `text`
    cap: CapRef | None = None
    block: str | None = None
    block_cost_eur_month: float | None = None
    text: str | None = None  # the sentence, as a saved plan states it


class QualificationRecord(_Frozen):
    name: str
    status: str
    valid_until: str | None
    reference: str | None
    expires_in_horizon: bool


class PlaceRecord(_Frozen):
    """A site or offer as the reports show it: where, under which law, qualified how, priced how."""

    id: str
    name: str | None
    kind: str
    provider: str | None
    location: str
    jurisdiction: str
    extra_eu_law_exposure: bool
    qualifications: tuple[QualificationRecord, ...]
    price_source: str | None
    price_date: str | None


class ClassPlacement(_Frozen):
    """Workloads of one data class on one place after the plan, and the policy basis for it."""

    data_class: str
    site: str
    workloads: int
    cost_eur_month: float
    basis: tuple[str, ...]
    expiring: tuple[str, ...]


class ReportContext(_Frozen):
    """What reports need beyond the changes: data classes, places, sovereignty basis, and
    why a workload may no longer stay where it was (`refused_before`, workload id -> reason)."""

    horizon_end: str
    data_class_of: dict[str, str]
    class_descriptions: dict[str, str]
    places: tuple[PlaceRecord, ...]
    sovereignty: tuple[ClassPlacement, ...]
    refused_before: dict[str, str] = {}
    owner_of: dict[str, str] = {}  # workload id -> its owner (a ministry), where it has one
    move_cost_of: dict[str, float] = {}  # moved workload id -> its one-off move cost, EUR


class Plan(_Frozen):
    format_version: str = FORMAT_VERSION
    planner_format_version: str = PLANNER_FORMAT_VERSION
    planner_version: str
    scenario: ScenarioRecord
    resource_changes: tuple[ResourceChange, ...]
    totals: Totals
    solver: SolverRecord
    shadow_prices: tuple[ShadowPrice, ...] = ()
    context: ReportContext | None = None
    # the commitments bought, where the scenario buys them (left out of the JSON otherwise)
    commitments: CommitmentsRecord | None = None
    # right-sizing and the split of the saving: only where a sizing policy is in play (left
    # out of the JSON otherwise, so plans without it read as before)
    sizing: SizingSummary | None = None
    savings: SavingsSplit | None = None

    @property
    def changes(self) -> tuple[ResourceChange, ...]:
        return tuple(rc for rc in self.resource_changes if rc.is_change)

    @property
    def has_changes(self) -> bool:
        return any(rc.is_change for rc in self.resource_changes)

    @model_validator(mode="before")
    @classmethod
    def _cuts_untold(cls, data: Any) -> Any:
        """JSON data less the sentences the JSON gives the cuts (`text`): a cut is its kind
        and counts, and its sentence is made again."""
        solver = data.get("solver") if isinstance(data, dict) else None
        if isinstance(solver, dict) and isinstance(solver.get("cut_short"), list):
            cuts = [_untold(c) for c in solver["cut_short"]]
            data = {**data, "solver": {**solver, "cut_short": cuts}}
        return data

    def to_data(self) -> dict[str, Any]:
        """The plan as JSON data with the parts Terraform plan consumers read, and its facts
        (the JSON renderer words them)."""
        data = self.model_dump(mode="json")
        # fields left out when empty, so plans without them read as before
        if not data["totals"]["owner_spend_eur_month"]:
            del data["totals"]["owner_spend_eur_month"]
        if not data["solver"]["cut_short"]:
            del data["solver"]["cut_short"]
        if not data["scenario"]["buy_commitments"]:
            del data["scenario"]["buy_commitments"]
        if data["commitments"] is None:
            del data["commitments"]
        for key in ("sizing", "savings"):
            if data.get(key) is None:
                data.pop(key, None)
        data.update(terraform_parts(data))
        return data


def _untold(record: Any) -> Any:
    """A JSON object without its `text`."""
    if isinstance(record, dict) and "text" in record:
        return {k: v for k, v in record.items() if k != "text"}
    return record


def dump_json(data: Any) -> str:
    """JSON text as the planner writes it: sorted keys, two-space indent, finite numbers,
    control characters escaped; same data, same bytes."""
    from planner.controls import json_escaped

    text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False)
    return json_escaped(text) + "\n"


class _NotFinite(ValueError):
    """A number of a plan JSON that is not finite (`NaN`, `Infinity`, `1e400`), as written."""

    def __init__(self, text: str) -> None:
        super().__init__(f"{text} is not a finite number")
        self.text = text


def _not_finite(text: str) -> float:
    raise _NotFinite(text)


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        _not_finite(text)
    return value


def read_plan_json(path: str) -> Any:
    """The JSON value of a plan file: finite numbers only, nesting at most `MAX_NESTING` deep."""
    text = read_input_text(path, what="plan file")
    try:
        data = json.loads(text, parse_constant=_not_finite, parse_float=_finite)
    except json.JSONDecodeError as exc:
        raise InputError(
            [InputIssue(f"not valid JSON: {exc.msg}", path, exc.lineno, exc.colno)]
        ) from None
    except _NotFinite as exc:
        line, column = json_word_position(text, exc.text) or (None, None)
        raise InputError(
            [InputIssue(f"not a planner plan: {excerpt(str(exc))}", path, line, column)]
        ) from None
    except ValueError as exc:
        raise InputError([InputIssue(f"not a planner plan: {excerpt(str(exc))}", path)]) from None
    except RecursionError:
        raise _too_deep(path, text) from None
    if nesting_exceeds(data):
        raise _too_deep(path, text)
    return data


def _too_deep(path: str, text: str) -> InputError:
    """Plan JSON nested too deep, at its first bracket past the limit."""
    line, column = json_nesting_position(text) or (None, None)
    return InputError(
        [
            InputIssue(
                f"lists and objects nested more than {MAX_NESTING} levels deep",
                path,
                line,
                column,
                hint="this is not a plan the planner wrote",
            )
        ]
    )


def load_plan(path: str) -> Plan:
    """Read a plan JSON written by `planner plan --format json`."""
    return plan_of(read_plan_json(path), path)


def plan_of(data: Any, path: str = "<plan>") -> Plan:
    """The plan a plan JSON's value holds (today's format, or format_version 1.0)."""
    versions = (
        (data.get("format_version"), data.get("planner_format_version"))
        if isinstance(data, dict)
        else (None, None)
    )
    if versions == (LEGACY_FORMAT_VERSION, None):
        data = _from_legacy(data)
    elif versions == (FORMAT_VERSION, PLANNER_FORMAT_VERSION):
        data = _without_derived(data)
    else:
        shown = excerpt(repr(versions[0])) + (
            f", planner_format_version {excerpt(repr(versions[1]))}" if versions[1] else ""
        )
        raise InputError(
            [
                InputIssue(
                    f"unsupported plan format_version {shown}",
                    path,
                    hint=f"this planner reads format_version {FORMAT_VERSION} with "
                    f"planner_format_version {PLANNER_FORMAT_VERSION}, and its older plans "
                    f"of format_version {LEGACY_FORMAT_VERSION}",
                )
            ]
        )
    try:
        if "roadmap" in data:  # a roadmap's plan: the end state and its waves
            from planner.plan.roadmap_document import RoadmapPlan

            return RoadmapPlan.model_validate(data)
        return Plan.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        loc = list(first["loc"])
        if len(loc) > 2 and loc[0] == "resource_changes" and loc[2] in RESOURCE_TYPES:
            del loc[2]  # the union's tag: `resource_changes.3.change.after.site` reads better
        field = excerpt(".".join(str(p) for p in loc), 120)
        raise InputError(
            [InputIssue(f"not a planner plan: {first['msg']}", path, field=field)]
        ) from None


def _from_legacy(data: dict[str, Any]) -> dict[str, Any]:
    """A plan of format_version 1.0 in today's shape: each address `type.name`."""
    changes = data.get("resource_changes")
    if isinstance(changes, list):
        changes = [
            {**rc, "address": f"{rc['type']}.{rc['name']}"}
            if isinstance(rc, dict)
            and isinstance(rc.get("type"), str)
            and isinstance(rc.get("name"), str)
            else rc
            for rc in changes
        ]
    return {**data, "resource_changes": changes, "format_version": FORMAT_VERSION}


def _without_derived(data: dict[str, Any]) -> dict[str, Any]:
    """A plan's JSON without what `terraform.py` derives: the planner's own content."""
    kept = {k: v for k, v in data.items() if k not in DERIVED_KEYS}
    changes = kept.get("resource_changes")
    if isinstance(changes, list):
        kept["resource_changes"] = [_states_without_derived(rc) for rc in changes]
    return kept


def _states_without_derived(rc: Any) -> Any:
    if not isinstance(rc, dict) or rc.get("type") != "planner_placement":
        return rc
    change = rc.get("change")
    if not isinstance(change, dict):
        return rc
    states = {
        side: {k: v for k, v in state.items() if k not in DERIVED_STATE_KEYS}
        for side in ("before", "after")
        if isinstance(state := change.get(side), dict)
    }
    return {**rc, "change": {**change, **states}}
