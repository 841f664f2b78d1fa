"""Cross-file checks on validated inputs: ids, references, groups. Each check is one function."""

from __future__ import annotations

import difflib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable

from planner.errors import InputIssue
from planner.inputs.frozen import Inputs
from planner.inputs.schema import RESOURCES, Offer


def _issue(
    inputs: Inputs,
    key: str,
    message: str,
    field: str | None = None,
    hint: str | None = None,
    severity: str = "error",
) -> InputIssue:
    pos = inputs.where(key)
    return InputIssue(
        message, pos.file, pos.line, pos.column, field=field, hint=hint, severity=severity
    )


def _did_you_mean(name: str, known: Iterable[str]) -> str | None:
    close = difflib.get_close_matches(name, list(known), n=1)
    return f"did you mean '{close[0]}'?" if close else None


def check_unique_ids(inputs: Inputs) -> list[InputIssue]:
    issues = []
    place_ids = Counter([s.id for s in inputs.sites] + [o.id for o in inputs.offers])
    for site in inputs.sites:
        if place_ids[site.id] > 1:
            issues.append(
                _issue(
                    inputs,
                    f"site:{site.id}",
                    f"id '{site.id}' is used more than once among sites and offers",
                    "id",
                    "ids must be unique",
                )
            )
    for offer in inputs.offers:
        if place_ids[offer.id] > 1 and offer.id not in {s.id for s in inputs.sites}:
            issues.append(
                _issue(
                    inputs,
                    f"offer:{offer.id}",
                    f"offer id '{offer.id}' is used more than once",
                    "id",
                    "ids must be unique",
                )
            )
    for kind, ids in (
        ("provider", [p.id for p in inputs.providers]),
        ("workload", [w.id for w in inputs.workloads]),
    ):
        for name, count in sorted(Counter(ids).items()):
            if count > 1:
                issues.append(
                    _issue(
                        inputs,
                        f"{kind}:{name}",
                        f"{kind} id '{name}' is used {count} times",
                        "id",
                        "ids must be unique",
                    )
                )
    for site in inputs.sites:
        for name, count in Counter(b.id for b in site.expansion_blocks).items():
            if count > 1:
                issues.append(
                    _issue(
                        inputs,
                        f"site:{site.id}",
                        f"expansion block '{name}' appears twice",
                        "expansion_blocks",
                    )
                )
    return issues


def check_references(inputs: Inputs) -> list[InputIssue]:
    issues = []
    places = {s.id for s in inputs.sites} | {o.id for o in inputs.offers}
    classes = set(inputs.policy.data_classes)
    for w in inputs.workloads:
        key = f"workload:{w.id}"
        refs = [("current_site", w.current_site), ("pin", w.pin)]
        refs += [("exclude", x) for x in w.exclude]
        refs += [("site_overrides", x) for x in w.site_overrides]
        for field, ref in refs:
            if ref is not None and ref not in places:
                issues.append(
                    _issue(
                        inputs,
                        key,
                        f"unknown site or offer '{ref}'",
                        field,
                        _did_you_mean(ref, places),
                    )
                )
        if w.data_class not in classes:
            issues.append(
                _issue(
                    inputs,
                    key,
                    f"unknown data class '{w.data_class}'",
                    "data_class",
                    _did_you_mean(w.data_class, classes) or "known: " + ", ".join(sorted(classes)),
                )
            )
    for name, rule in inputs.policy.data_classes.items():
        for k, included in enumerate(rule.includes):
            if included not in classes:
                key = f"data_class:{name}.includes[{k}]"
                issues.append(
                    _issue(
                        inputs,
                        key if key in inputs.sources else f"data_class:{name}",
                        f"data class '{name}' includes unknown data class '{included}'",
                        "includes",
                        _did_you_mean(included, classes) or "known: " + ", ".join(sorted(classes)),
                    )
                )
    return issues


def check_offer_prices(inputs: Inputs) -> list[InputIssue]:
    """An offer with neither flavours nor any unit price can price no workload."""
    issues = []
    for offer in inputs.offers:
        unit_prices = [offer.unit_prices_eur_month.get(r) for r in RESOURCES]
        if not offer.flavours and all(price is None for price in unit_prices):
            issues.append(
                _issue(
                    inputs,
                    f"offer:{offer.id}",
                    f"offer '{offer.id}' has neither "
                    "flavours nor unit prices: it can take no workload",
                    "unit_prices_eur_month",
                    "add its flavours or its unit_prices_eur_month, or remove the offer",
                )
            )
    return issues


def catalog_qualifications(inputs: Inputs) -> set[str]:
    """Names of the qualifications the sites and offers hold (whatever their status)."""
    held = [q for site in inputs.sites for q in site.qualifications]
    held += [q for offer in inputs.offers for q in offer.qualifications]
    return {q.name for q in held}


def check_policy_qualifications(inputs: Inputs) -> list[InputIssue]:
    """A policy clause naming a qualification that no site or offer holds, but close to one
    that some do: a typo that would silently keep the clause from ever matching.

    A name far from every held one is a qualification this estate lacks (the clause is dead
    whatever its spelling, and class-not-covered reports a class left without a place).
    """
    known = catalog_qualifications(inputs)
    issues = []
    for name, rule in inputs.policy.data_classes.items():
        for c, clause in enumerate(rule.any_of):
            named = [(f"qualifications[{i}]", q) for i, q in enumerate(clause.qualifications)]
            named += [(f"activities.{q}", q) for q in clause.activities]
            for field, qualification in named:
                close = None if qualification in known else _did_you_mean(qualification, known)
                if close is None:
                    continue
                path = f"any_of[{c}].{field}"
                pos = inputs.sources.get(f"data_class:{name}.{path}") or inputs.where(
                    f"data_class:{name}"
                )
                issues.append(
                    InputIssue(
                        f"data class '{name}' requires qualification '{qualification}', which no "
                        "site or offer holds",
                        pos.file,
                        pos.line,
                        pos.column,
                        field=path,
                        hint=close,
                        code="unknown-qualification",
                    )
                )
    return issues


def check_unplaceable_classes(inputs: Inputs) -> list[InputIssue]:
    issues = []
    rules = inputs.policy.data_classes
    for w in inputs.workloads:
        rule = rules.get(w.data_class)
        if rule is not None and not rule.placeable and not w.retire:
            issues.append(
                _issue(
                    inputs,
                    f"workload:{w.id}",
                    f"data class '{w.data_class}' may not be placed in any cloud",
                    "data_class",
                    "classified systems are out of scope: remove the workload or "
                    "mark it retire: true",
                )
            )
    return issues


def check_groups(inputs: Inputs) -> list[InputIssue]:
    issues = []
    anti_by_affinity: dict[str, Counter[str]] = defaultdict(Counter)
    for w in inputs.workloads:
        if w.affinity_group and w.anti_affinity_group and not w.retire:
            anti_by_affinity[w.affinity_group][w.anti_affinity_group] += 1
    for group, counter in sorted(anti_by_affinity.items()):
        for anti, count in sorted(counter.items()):
            if count > 1:
                first = next(
                    w
                    for w in inputs.workloads
                    if w.affinity_group == group and w.anti_affinity_group == anti
                )
                issues.append(
                    _issue(
                        inputs,
                        f"workload:{first.id}",
                        f"affinity group '{group}' "
                        f"holds {count} members of anti-affinity group '{anti}'",
                        "anti_affinity_group",
                        "members that must share a site cannot also be kept apart",
                    )
                )
    return issues


def check_owner_budgets(inputs: Inputs) -> list[InputIssue]:
    """A budget for an owner no workload to place has (a misspelt owner, most likely)."""
    owners = {w.owner for w in inputs.workloads if w.owner is not None and not w.retire}
    return [
        _issue(
            inputs,
            "scenario.caps",
            f"owner budget for '{owner}', but no workload to place has that owner",
            f"caps.owner_budgets_eur.{owner}",
            _did_you_mean(owner, owners) or "owners: " + ", ".join(sorted(owners)[:10]),
        )
        for owner in sorted(inputs.scenario.caps.owner_budgets_eur)
        if owner not in owners
    ]


def _term_issues(inputs: Inputs, offer: Offer) -> list[InputIssue]:
    """One offer's commitment terms against its flavours (see CommitmentTerm)."""
    issues = []
    prices = {f.name: f.price_eur_month for f in offer.flavours}
    seen: dict[tuple[int, str], int] = {}
    for i, term in enumerate(offer.commitments):
        at = f"offer:{offer.id}.commitments[{i}]"
        key = (term.term_months, term.unit)
        if key in seen:
            issues.append(
                _issue(
                    inputs,
                    f"{at}.term_months",
                    f"offer '{offer.id}' lists a {term.unit} commitment of {term.term_months} "
                    f"months twice (commitments[{seen[key]}] and commitments[{i}])",
                    f"commitments[{i}].term_months",
                    "give each term once per unit; merge or remove one of them",
                )
            )
        seen.setdefault(key, i)
        if term.unit == "instances" and not offer.flavours:
            issues.append(
                _issue(
                    inputs,
                    f"{at}.unit",
                    f"offer '{offer.id}' has no flavours: it sells no instances to commit to",
                    f"commitments[{i}].unit",
                    "use unit: spend (a savings plan) or list the offer's flavours",
                )
            )
        for name, price in sorted(term.prices_eur_month.items()):
            where = f"{at}.prices_eur_month.{name}"
            field = f"commitments[{i}].prices_eur_month.{name}"
            if name not in prices:
                issues.append(
                    _issue(
                        inputs,
                        where,
                        f"unknown flavour '{name}' in a commitment of offer '{offer.id}'",
                        field,
                        _did_you_mean(name, prices) or "flavours: " + ", ".join(sorted(prices)),
                    )
                )
            elif price >= prices[name]:
                issues.append(
                    _issue(
                        inputs,
                        where,
                        f"the {term.term_months}-month commitment price of '{name}' ({price:g} "
                        f"EUR/month) is not below its on-demand price ({prices[name]:g})",
                        field,
                        "a commitment price is what one instance costs a month when committed",
                    )
                )
    return issues


def check_commitments(inputs: Inputs) -> list[InputIssue]:
    """Commitment terms name the offer's flavours, each term once, below on-demand prices; a
    scenario buying them is a snapshot without owner budgets."""
    issues = [i for offer in inputs.offers for i in _term_issues(inputs, offer)]
    scenario = inputs.scenario
    if not scenario.objective.buy_commitments:
        return issues
    where = (
        "scenario.objective.buy_commitments"
        if "scenario.objective.buy_commitments" in inputs.sources
        else "scenario.objective"
    )
    if scenario.roadmap is not None:
        issues.append(
            _issue(
                inputs,
                where,
                "a roadmap scenario cannot buy commitments yet",
                "objective.buy_commitments",
                "plan the end state as a snapshot scenario to see the commitments it pays to "
                "buy, or remove buy_commitments",
            )
        )
    if scenario.caps.owner_budgets_eur:
        issues.append(
            _issue(
                inputs,
                where,
                "owner budgets and commitments cannot be planned together: a commitment is "
                "shared by the owners whose workloads it covers, with no rule for each one's part",
                "objective.buy_commitments",
                "remove caps.owner_budgets_eur or buy_commitments",
            )
        )
    if not any(offer.commitments for offer in inputs.offers):
        issues.append(
            _issue(
                inputs,
                where,
                "the scenario buys commitments but no offer sells any",
                "objective.buy_commitments",
                "add commitments to the offers (providers catalog) or remove buy_commitments",
                severity="warning",
            )
        )
    return issues


def check_sizing_overrides(inputs: Inputs) -> list[InputIssue]:
    """A sizing rule for a data class or workload the catalogs do not define; a sizing policy
    in a roadmap scenario, which plans as provisioned."""
    sizing = inputs.scenario.sizing
    classes = set(inputs.policy.data_classes)
    workloads = {w.id for w in inputs.workloads}
    issues = []
    for kind, names, known in (
        ("data_classes", sizing.data_classes, classes),
        ("workloads", sizing.workloads, workloads),
    ):
        for name in sorted(set(names) - known):
            what = "data class" if kind == "data_classes" else "workload"
            issues.append(
                _issue(
                    inputs,
                    f"scenario.sizing.{kind}.{name}",
                    f"sizing rule for unknown {what} '{name}'",
                    f"sizing.{kind}.{name}",
                    _did_you_mean(name, known),
                )
            )
    if inputs.scenario.roadmap is not None and sizing.in_play():
        issues.append(
            _issue(
                inputs,
                "scenario.sizing",
                "a roadmap plans workloads as provisioned: its sizing policy must be "
                "as_provisioned",
                "sizing",
                "plan the end state without a roadmap to see right-sizing",
            )
        )
    return issues


CHECKS: tuple[Callable[[Inputs], list[InputIssue]], ...] = (
    check_unique_ids,
    check_references,
    check_offer_prices,
    check_policy_qualifications,
    check_unplaceable_classes,
    check_groups,
    check_owner_budgets,
    check_commitments,
    check_sizing_overrides,
)
