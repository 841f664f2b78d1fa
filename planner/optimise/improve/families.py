"""Which models the incumbent search runs on: the constraint families it is argued sound for.

The search (see `search.py`) only ever hands on a plan that is a solution of the model itself
with some placement units fixed where the incumbent has them, and each such plan is checked
against every row of the model before it is used. That argument holds for any linear row; the
neighbourhoods (freeing the units of a few places) were designed and tested for the families
in SOUND_FOR, so a model with a family not listed there, or a row of no known family, is solved
by HiGHS alone, as pruning (planner.candidates.pruning.SOUND_FOR) does for its own argument.
"""

from __future__ import annotations

from planner.optimise.model import Model
from planner.optimise.rows import RowKind

# the families (RowKind values, 'cap:<code>' for caps) of the rows the search is argued and
# tested for: assignment, capacity with expansion blocks, quotas, fixed costs, anti-affinity,
# and the caps on spend, moves and migration cost
SOUND_FOR: frozenset[str] = frozenset(
    {
        "assignment",
        "capacity",
        "quota",
        "activation",
        "anti_affinity",
        "cap:outsourced_share",
        "cap:monthly_budget",
        "cap:migration_budget",
        "cap:max_moves",
    }
)

# rows the model adds without a RowKey, by the name prefix planner.optimise.model.constraints
# gives them
_UNKEYED: tuple[tuple[str, RowKind], ...] = (
    ("assign_", RowKind.ASSIGNMENT),
    ("act_", RowKind.ACTIVATION),
    ("anti_", RowKind.ANTI_AFFINITY),
)


def row_families(model: Model) -> list[str | None]:
    """The family of each row of the model, in the problem's row order (None: unknown)."""
    keyed = {name: key.family for key, name in model.rows.items()}
    families: list[str | None] = []
    for name, row in model.problem._constraints.items():
        family = keyed.get(name) or keyed.get(str(row.name))
        if family is None:
            family = next((str(kind) for prefix, kind in _UNKEYED if name.startswith(prefix)), None)
        families.append(family)
    return families


def refusal(model: Model) -> str | None:
    """Why the search may not run on this model (None: it may)."""
    if not model.x:
        return "no placement units"
    if model.rows_released:
        return "its rows are in arrays only"
    if not model.problem.isMIP():
        return "not a MIP"
    unknown = sorted({f or "unknown" for f in row_families(model)} - SOUND_FOR)
    if unknown:
        return "constraint families not handled: " + ", ".join(unknown)
    return None
