"""The scenario file: which catalogs, what-if overrides, objective, caps and solver options."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, SerializerFunctionWrapHandler, Tag, model_serializer

from planner.inputs.schema.common import MAX_MONTHS, Count, Months, NonNegative, Percent, Strict
from planner.inputs.schema.inventory import Inventory
from planner.inputs.schema.roadmap import Roadmap
from planner.inputs.schema.sizing import Sizing

MAX_TIME_LIMIT_S = 1e6  # eleven days
MAX_THREADS = 1024
# the last reference date whose longest horizon still ends in a calendar year (9999 at most)
LAST_REFERENCE_DATE = date(9999 - MAX_MONTHS // 12, 12, 31)


class Overrides(Strict):
    """What-if changes: kind -> object id -> partial values deep-merged into that object."""

    sites: dict[str, dict[str, Any]] = {}
    providers: dict[str, dict[str, Any]] = {}
    offers: dict[str, dict[str, Any]] = {}
    workloads: dict[str, dict[str, Any]] = {}
    data_classes: dict[str, dict[str, Any]] = {}


def _entry_kind(entry: Any) -> str:
    return "inventory" if isinstance(entry, dict | Inventory) else "file"


# a workloads catalog: a file's path, or an inventory with its mapping (errors of one kind only)
WorkloadsEntry = Annotated[
    Annotated[str, Tag("file")] | Annotated[Inventory, Tag("inventory")],
    Discriminator(_entry_kind),
]


class CatalogPaths(Strict):
    """Catalog files, relative to the scenario file; a workloads catalog may be an inventory
    read through a declared mapping."""

    sites: tuple[str, ...]
    providers: tuple[str, ...]
    workloads: tuple[WorkloadsEntry, ...]
    policy: str


class Objective(Strict):
    """Parameters of the objective."""

    internal_preference_pct: Annotated[float, Field(ge=0, lt=100, allow_inf_nan=False)] = 0.0
    horizon_months: Months = 36
    # buy the commitments the offers sell (their `commitments`) where the plan's load pays
    # for them; off: every offer is priced on demand, as before
    buy_commitments: bool = False


class Caps(Strict):
    """Optional policy caps; an absent cap does not constrain."""

    max_outsourced_share_pct: Percent | None = None
    max_provider_share_pct: Percent | None = None
    monthly_budget_eur: NonNegative | None = None
    migration_budget_eur: NonNegative | None = None
    max_moves: Count | None = None
    # owner (a workload's `owner`, e.g. a ministry) -> most its workloads may cost per month
    owner_budgets_eur: dict[Annotated[str, Field(min_length=1)], NonNegative] = {}

    @model_serializer(mode="wrap")
    def _without_unset_owner_budgets(
        self, handler: SerializerFunctionWrapHandler
    ) -> dict[str, Any]:
        """Plans of scenarios without owner budgets record the caps as they always did."""
        data: dict[str, Any] = handler(self)
        if not self.owner_budgets_eur:
            data.pop("owner_budgets_eur", None)
        return data


class SolverOptions(Strict):
    """Solver choice and limits."""

    name: Literal["highs", "cbc"] = "highs"
    time_limit_s: Annotated[float, Field(gt=0, le=MAX_TIME_LIMIT_S, allow_inf_nan=False)] = 60.0
    gap_rel: Annotated[float, Field(ge=0, lt=1, allow_inf_nan=False)] = 0.0
    threads: Annotated[int, Field(ge=1, le=MAX_THREADS)] | None = None
    # a neighbourhood search beside HiGHS when its solve is still open after a tenth of the
    # limit (planner.optimise.improve); off by default
    incumbent_search: bool = False


class Scenario(Strict):
    """A scenario: the catalogs it uses and the what-if changes applied on top of them."""

    name: Annotated[str, Field(min_length=1)]
    description: str | None = None
    reference_date: Annotated[date, Field(le=LAST_REFERENCE_DATE)]
    # "infeasible": a what-if meant to have no plan; validate reports what its policy checks
    # find there as expected notes, and plan says its exit 3 was expected
    expect: Literal["feasible", "infeasible"] = "feasible"
    catalogs: CatalogPaths
    overrides: Overrides = Overrides()
    objective: Objective = Objective()
    caps: Caps = Caps()
    solver: SolverOptions = SolverOptions()
    roadmap: Roadmap | None = None  # plan period by period (planner/inputs/schema/roadmap.py)
    # right-sizing before placement (planner/inputs/schema/sizing.py); default: as provisioned
    sizing: Sizing = Sizing()

    @model_serializer(mode="wrap")
    def _without_default_sizing(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """Scenarios that plan as provisioned dump as they always did."""
        data: dict[str, Any] = handler(self)
        if not self.sizing.in_play():
            data.pop("sizing", None)
        return data
