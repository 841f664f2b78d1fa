"""Renderers: one small module per output format, all reading only a Plan."""

from planner.render.base import Format, render

__all__ = ["Format", "render"]
