"""Better incumbents where HiGHS stalls: a large-neighbourhood search over the placement units,
run beside the main solve, whose plans are checked against the model's own rows."""

from planner.optimise.improve.families import SOUND_FOR, refusal
from planner.optimise.improve.search import NeighbourhoodSearch
from planner.optimise.improve.space import SearchSpace

__all__ = ["SOUND_FOR", "NeighbourhoodSearch", "SearchSpace", "refusal"]
