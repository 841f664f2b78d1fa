"""The optimisation model and its constraint families."""

from planner.optimise.model.build import Model, build_model, preference_weight

__all__ = ["Model", "build_model", "preference_weight"]
