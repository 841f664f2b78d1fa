"""Units over the horizon: the periods each runs in, where its members are today and what
one move of it costs and moves."""

from __future__ import annotations

from dataclasses import dataclass

from planner.candidates.periods import PeriodCandidates
from planner.candidates.units import Option, Unit
from planner.inputs.schema import Amounts, Workload


@dataclass(frozen=True)
class Member:
    """One workload of a unit: where it is today and its contract there."""

    id: str
    current: str | None
    exit_fee_eur: float
    contract_ends_on: str | None  # ISO day, the contract's last day (None: no contract)


@dataclass(frozen=True)
class Track:
    """A unit over the horizon: `periods` it runs in (consecutive), in period order."""

    id: str
    kind: str  # 'workload' | 'affinity' | 'class'
    count: int
    members: tuple[Member, ...]
    periods: tuple[int, ...]

    @property
    def size(self) -> int:
        """Workloads moved when one unit of its placement moves (a group moves whole)."""
        return len(self.members) if self.kind == "affinity" else 1

    @property
    def current(self) -> str | None:
        """A class's members' current place (they share it)."""
        return self.members[0].current

    @property
    def first(self) -> int:
        return self.periods[0]


def _member(w: Workload) -> Member:
    c = w.contract
    return Member(
        w.id,
        w.current_site,
        0.0 if c is None else c.exit_fee_eur,
        None if c is None else c.ends_on.isoformat(),
    )


def tracks_of(periods: tuple[PeriodCandidates, ...]) -> dict[str, Track]:
    """Every unit of any period, with the periods it is placed in (sorted by unit id)."""
    seen: dict[str, tuple[Unit, Workload, list[int]]] = {}
    for pc in periods:
        for unit in pc.cands.units:
            if unit.id not in seen:
                seen[unit.id] = (unit, pc.cands.workloads[unit.members[0]], [])
            seen[unit.id][2].append(pc.period.index)
    out: dict[str, Track] = {}
    for uid in sorted(seen):
        unit, _, present = seen[uid]
        workloads = next(pc.cands.workloads for pc in periods if pc.period.index == present[0])
        members = tuple(_member(workloads[m]) for m in unit.members)
        out[uid] = Track(uid, unit.kind, unit.count, members, tuple(present))
    return out


def member_demand(pc: PeriodCandidates, member_id: str) -> Amounts:
    """A member's demand in a period (grown)."""
    return pc.cands.workloads[member_id].demand.amounts()


def moving_demand(pc: PeriodCandidates, track: Track, option: Option) -> Amounts:
    """Demand that moves when one unit of the placement goes to `option` from today's place
    (members already there do not move)."""
    total = Amounts.zero()
    members = track.members[:1] if track.kind == "class" else track.members
    for m in members:
        if m.current is not None and m.current != option.place_id:
            total = total.plus(member_demand(pc, m.id))
    return total


def whole_demand(pc: PeriodCandidates, track: Track) -> Amounts:
    """Demand of one unit of the placement (a class member, a whole group)."""
    members = track.members[:1] if track.kind == "class" else track.members
    total = Amounts.zero()
    for m in members:
        total = total.plus(member_demand(pc, m.id))
    return total
