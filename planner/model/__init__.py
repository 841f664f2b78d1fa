"""The optimisation model (the only package, with solve and extract, that imports pulp)."""

from planner.model.build import Model, build_model, preference_weight

__all__ = ["Model", "build_model", "preference_weight"]
