"""The HTML page of a scenario without a plan: what is missing, per site and data class, and
which rule refuses which workload. Read from the diagnosis (and the scenario's workloads,
for their data class and owner); self-contained like the plan report, with no script."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from planner.inputs.frozen import Inputs
from planner.optimise.diagnosis import Diagnosis, Shortfall, Unplaced
from planner.render.html import amount
from planner.render.templating import environment
from planner.render.wording import diagnosis_text, unplaced_text, violation_text

CAUSE_WORDS = {
    "no_eligible_place": "no place the policy allows",
    "anti_affinity": "too few places to keep the group apart",
    "conflict": "cannot be placed with the others",
}


@dataclass(frozen=True)
class Rule:
    """One refusal and the places it shuts to a group of workloads."""

    rule: str
    places: tuple[str, ...]


@dataclass(frozen=True)
class UnplacedGroup:
    """Workloads refused alike, with every place's refusal grouped by rule."""

    cause: str
    text: str
    workloads: tuple[str, ...]
    data_classes: tuple[str, ...]
    owners: tuple[str, ...]
    rules: tuple[Rule, ...]

    @property
    def cause_words(self) -> str:
        return CAUSE_WORDS.get(self.cause, self.cause.replace("_", " "))


@dataclass(frozen=True)
class SiteNeed:
    """What one site (or offer's quota) lacks, resource by resource."""

    site: str
    shortfalls: tuple[Shortfall, ...]


@dataclass(frozen=True)
class ClassNeed:
    """One data class: its workloads that cannot be placed and the capacity it lacks."""

    data_class: str
    unplaced: tuple[str, ...]
    shortfalls: tuple[Shortfall, ...]


def _rules(refusals: dict[str, str]) -> tuple[Rule, ...]:
    """Places under each refusal, the refusal with the most places first."""
    places: dict[str, list[str]] = defaultdict(list)
    for place, why in refusals.items():
        places[why].append(place)
    order = sorted(places, key=lambda why: (-len(places[why]), why))
    return tuple(Rule(why, tuple(places[why])) for why in order)


def unplaced_groups(diagnosis: Diagnosis, inputs: Inputs | None) -> list[UnplacedGroup]:
    workloads = {w.id: w for w in inputs.workloads} if inputs else {}

    def view(u: Unplaced) -> UnplacedGroup:
        found = [workloads[w] for w in u.workloads if w in workloads]
        return UnplacedGroup(
            cause=u.cause,
            text=unplaced_text(u),
            workloads=u.workloads,
            data_classes=tuple(sorted({w.data_class for w in found})),
            owners=tuple(sorted({w.owner for w in found if w.owner})),
            rules=_rules(u.refusals),
        )

    return [view(u) for u in diagnosis.unplaced]


def site_needs(diagnosis: Diagnosis) -> list[SiteNeed]:
    """Shortfalls per site, the site short of most resources first."""
    by_site: dict[str, list[Shortfall]] = defaultdict(list)
    for s in diagnosis.shortfalls:
        by_site[s.place].append(s)
    order = sorted(by_site, key=lambda site: (-len(by_site[site]), site))
    return [
        SiteNeed(site, tuple(sorted(by_site[site], key=lambda s: (s.kind, s.resource))))
        for site in order
    ]


def class_needs(diagnosis: Diagnosis, groups: list[UnplacedGroup]) -> list[ClassNeed]:
    """Per data class: the workloads refused everywhere and the shortfalls it shares in."""
    unplaced: dict[str, set[str]] = defaultdict(set)
    for g in groups:
        for data_class in g.data_classes or ("(data class not known)",):
            unplaced[data_class].update(g.workloads)
    short: dict[str, list[Shortfall]] = defaultdict(list)
    for s in diagnosis.shortfalls:
        for data_class in s.data_classes:
            short[data_class].append(s)
    names = sorted(set(unplaced) | set(short))
    return [
        ClassNeed(
            name,
            tuple(sorted(unplaced.get(name, ()))),
            tuple(sorted(short.get(name, []), key=lambda s: (s.place, s.resource))),
        )
        for name in names
    ]


def render_diagnosis_html(
    diagnosis: Diagnosis, inputs: Inputs | None = None, templates: str | None = None
) -> str:
    """The HTML page of an infeasible scenario's diagnosis; every value is escaped."""
    env = environment(templates, autoescape=True)
    env.filters["amount"] = amount
    env.filters["violation_text"] = violation_text
    groups = unplaced_groups(diagnosis, inputs)
    scenario = inputs.scenario if inputs else None
    return env.get_template("diagnosis.html.j2").render(
        diagnosis=diagnosis,
        description=scenario.description if scenario else None,
        reference_date=scenario.reference_date.isoformat() if scenario else None,
        lines=diagnosis_text(diagnosis).splitlines()[1:],
        groups=groups,
        sites=site_needs(diagnosis),
        classes=class_needs(diagnosis, groups),
        unplaced_count=sum(len(g.workloads) for g in groups),
    )
