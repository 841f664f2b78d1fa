"""Renderers: one small module per output format, all reading only a Plan."""

from planner.render.base import Format, render, render_bytes, render_output

__all__ = ["Format", "render", "render_bytes", "render_output"]
