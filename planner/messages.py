"""The marker of a catalog message: an English sentence defined in one stage (with named
fields) and translated by the render, in its language (planner.render.i18n)."""

from __future__ import annotations


def N_(message: str) -> str:
    """Marks a message for the catalog where it is defined; translated where it is used."""
    return message
