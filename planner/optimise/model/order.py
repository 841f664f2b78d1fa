"""The order the model numbers and adds things in: by id, never the catalogs' order."""

from __future__ import annotations

from planner.candidates.places import Place
from planner.candidates.units import Option, Unit
from planner.inputs.schema import ExpansionBlock, Site


def by_id(places: tuple[Place, ...]) -> list[Place]:
    """Places in id order."""
    return sorted(places, key=lambda p: p.id)


def options_by_place(unit: Unit) -> list[Option]:
    """A unit's options in place id order."""
    return sorted(unit.options, key=lambda o: o.place_id)


def blocks_by_id(site: Site) -> list[ExpansionBlock]:
    """A site's expansion blocks in id order."""
    return sorted(site.expansion_blocks, key=lambda b: b.id)
