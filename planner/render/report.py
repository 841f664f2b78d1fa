"""What the HTML, Markdown and CSV reports show, read from a Plan alone.

Rows here are plain values; the templates decide how they look. A change's reason is the
plan's own `reason` when it has one, otherwise the fact the plan records (what it saves or
costs per month, a new or retired workload). Its sentence is read in one place,
`_reason_text`; grouping by reason is by the reason's code.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from planner.inputs.schema import RESOURCES
from planner.messages import N_
from planner.plan.budget_lines import plan_budget_years
from planner.plan.document import (
    BudgetYear,
    ExpansionState,
    PlacementState,
    Plan,
    ResourceChange,
    ResourceState,
)
from planner.render.i18n import _
from planner.render.templating import eur
from planner.render.wording import (
    REASON_WORDS,
    commitment_text,
    commitments_text,
    reason_text,
    refusal_text,
)

ACTION_WORDS = {
    ("no-op",): "stay",
    ("create",): "create",
    ("delete",): "delete",
    ("delete", "create"): "move",
    ("update",): "update",
}
KIND_WORDS = {
    "planner_placement": "workload",
    "planner_expansion": "expansion",
    "planner_contract": "contract",
}


@dataclass(frozen=True)
class Row:
    """One resource of the plan, before and after."""

    kind: str
    name: str
    action: str
    symbol: str
    data_class: str
    site_before: str
    site_after: str
    cost_before_eur_month: float | None
    cost_after_eur_month: float | None
    basis: str
    reason: str
    code: str = ""  # the reason's code, or the fact's ('new', 'retired', 'expansion', ...)
    provider_before: str = ""  # 'internal' or the provider's id; '' when absent
    provider_after: str = ""
    owner: str = ""  # the workload's owner, where it has one
    one_off_eur: float = 0.0  # the one-off cost of the move, where the plan moves it

    @property
    def site(self) -> str:
        """The site a change is grouped under: where it ends up, or where it leaves."""
        return self.site_after or self.site_before

    @property
    def delta_eur_month(self) -> float:
        """What the change does to the monthly spend (a new resource adds its cost)."""
        return round((self.cost_after_eur_month or 0.0) - (self.cost_before_eur_month or 0.0), 2)

    @property
    def reason_label(self) -> str:
        return REASON_WORDS.get(self.code, self.code.replace("_", " "))


@dataclass(frozen=True)
class Block:
    """Expansion blocks of one type at one site, built after the plan."""

    name: str
    action: str
    count_before: int
    count_after: int
    cost_eur_month: float
    adds: dict[str, float]


@dataclass(frozen=True)
class SiteExpansion:
    """Expansions at one site, and the outsourced workloads that move onto that site."""

    site: str
    blocks: tuple[Block, ...]
    insourced: tuple[str, ...]
    insourced_cost_before_eur_month: float
    insourced_cost_after_eur_month: float

    @property
    def cost_eur_month(self) -> float:
        return round(sum(b.cost_eur_month for b in self.blocks), 2)


def cap_value(value: float | dict[str, float], name: str) -> str:
    """A scenario cap as people read it: euros, percent or a count, by the cap's name; a cap
    per owner (or other key) as 'key: value' pairs."""
    if isinstance(value, dict):
        return "; ".join(f"{key}: {cap_value(v, name)}" for key, v in sorted(value.items()))
    if name.endswith("_eur"):
        return eur(value)
    if name.endswith("_pct"):
        return f"{value:g} %"
    return f"{value:g}"


def resource_keys(values: dict[str, Any]) -> list[str]:
    """Keys of a per-resource mapping in the planner's resource order (a saved plan's JSON
    sorts them by name), unknown names last."""
    rank = {r: i for i, r in enumerate(RESOURCES)}
    return sorted(values, key=lambda r: (rank.get(r, len(rank)), r))


def _cost(state: ResourceState | None) -> float | None:
    return None if state is None else state.cost_eur_month


def _basis(state: ResourceState | None) -> str:
    """How a placement was priced, or which block an expansion builds."""
    if isinstance(state, PlacementState):
        return state.basis
    if isinstance(state, ExpansionState):
        return state.block
    return ""


def _reason_text(rc: ResourceChange) -> str | None:
    """The plan's sentence for a change's reason: the one place the report reads it."""
    return None if rc.reason is None else reason_text(rc.reason)


def _reason(rc: ResourceChange, refused: dict[str, str]) -> str:
    text = _reason_text(rc)
    if text is not None:
        return text
    before = rc.change.before
    fact = _cost_fact(rc)
    if rc.type == "planner_placement" and rc.name in refused and before is not None:
        why = _(
            "may no longer run on {current}: {why}",
            current=before.site,
            why=refusal_text(refused[rc.name]),
        )
        return f"{why}; {fact}" if fact else why
    return fact


def _reason_code(rc: ResourceChange, refused: dict[str, str]) -> str:
    """The code a change is grouped under: its reason's, else the fact the plan records."""
    if rc.reason is not None:
        return rc.reason.code
    action = ACTION_WORDS.get(rc.change.actions, "")
    if rc.type == "planner_placement":
        if rc.name in refused and rc.change.before is not None:
            return "current_refused"
        return {"create": "new", "delete": "retired"}.get(action, "cost")
    return KIND_WORDS[rc.type]


def _provider(state: ResourceState | None) -> str:
    """Who runs a placement or contract: 'internal' or the provider's id."""
    if state is None:
        return ""
    if isinstance(state, ExpansionState) or state.kind == "internal" or not state.provider:
        return "internal"
    return state.provider


# what a change without a reason of its own says, by its kind
_NEEDED = {
    "planner_expansion": N_("expansion needed"),
    "planner_contract": N_("contract needed"),
}
_NO_LONGER_NEEDED = {
    "planner_expansion": N_("expansion no longer needed"),
    "planner_contract": N_("contract no longer needed"),
}


def _cost_fact(rc: ResourceChange) -> str:
    before, after = rc.change.before, rc.change.after
    action = ACTION_WORDS.get(rc.change.actions, "")
    placement = rc.type == "planner_placement"
    if action == "create":
        return _("new workload") if placement else _(_NEEDED[rc.type])
    if action == "delete":
        return _("retired") if placement else _(_NO_LONGER_NEEDED[rc.type])
    b, a = _cost(before), _cost(after)
    if action in ("move", "update") and a is not None and b is not None:
        delta = a - b
        if abs(delta) < 0.005:
            return _("same monthly cost")
        if delta < 0:
            return _("saves {amount} / month", amount=eur(-delta))
        return _("costs {amount} / month more", amount=eur(delta))
    return ""


def rows(plan: Plan, changes_only: bool = False) -> list[Row]:
    """One row per resource (per workload first, then expansions and contracts), plan order."""
    data_class_of = plan.context.data_class_of if plan.context else {}
    refused = plan.context.refused_before if plan.context else {}
    owner_of = plan.context.owner_of if plan.context else {}
    move_cost_of = plan.context.move_cost_of if plan.context else {}
    out = []
    for rc in plan.resource_changes:
        if changes_only and not rc.is_change:
            continue
        before, after = rc.change.before, rc.change.after
        out.append(
            Row(
                kind=KIND_WORDS[rc.type],
                name=rc.name,
                action=ACTION_WORDS.get(rc.change.actions, "-".join(rc.change.actions)),
                symbol=rc.symbol.strip(),
                data_class=data_class_of.get(rc.name, "") if rc.type == "planner_placement" else "",
                owner=owner_of.get(rc.name, "") if rc.type == "planner_placement" else "",
                one_off_eur=move_cost_of.get(rc.name, 0.0)
                if rc.type == "planner_placement"
                else 0.0,
                site_before=before.site if before else "",
                site_after=after.site if after else "",
                cost_before_eur_month=_cost(before),
                cost_after_eur_month=_cost(after),
                basis=_basis(after or before),
                reason=_reason(rc, refused),
                code=_reason_code(rc, refused),
                provider_before=_provider(before),
                provider_after=_provider(after),
            )
        )
    return out


def commitment_rows(plan: Plan) -> list[Row]:
    """The commitments bought (their monthly cost) and the on-demand spend they cover (a
    negative cost), so that a table of rows() and these sums to the plan's monthly cost."""
    record = plan.commitments
    if record is None or not record.buys:
        return []
    out = []
    for b in record.buys:
        name = f"{b.offer}.{b.term_months}m.{b.unit}" + (f".{b.flavour}" if b.flavour else "")
        out.append(
            Row(
                kind="commitment",
                name=name,
                action="create",
                symbol="+",
                data_class="",
                site_before="",
                site_after=b.offer,
                cost_before_eur_month=None,
                cost_after_eur_month=b.cost_eur_month,
                basis=b.unit,
                reason=commitment_text(b),
                code="commitment",
                provider_after=b.provider,
            )
        )
    out.append(
        Row(
            kind="commitment_cover",
            name="on-demand covered",
            action="",
            symbol="",
            data_class="",
            site_before="",
            site_after="",
            cost_before_eur_month=None,
            cost_after_eur_month=-record.covered_eur_month,
            basis="",
            reason=commitments_text(record),
            code="commitment_cover",
        )
    )
    return out


def changes_by_site(plan: Plan) -> list[tuple[str, list[Row]]]:
    """Changed resources grouped by site (sites in the plan's place order), sorted by name."""
    groups: dict[str, list[Row]] = defaultdict(list)
    for row in rows(plan, changes_only=True):
        groups[row.site].append(row)
    order = {p.id: i for i, p in enumerate(plan.context.places)} if plan.context else {}
    return [
        (site, sorted(groups[site], key=lambda r: (r.kind != "workload", r.name)))
        for site in sorted(groups, key=lambda s: (order.get(s, len(order)), s))
    ]


def expansions(plan: Plan) -> list[SiteExpansion]:
    """Sites with expansions built after the plan (in the plan's place order), with the
    workloads moved there from outsourcing (by name) and what those cost outside before and
    on the site after."""
    blocks: dict[str, list[Block]] = defaultdict(list)
    moves: list[tuple[str, PlacementState, PlacementState]] = []
    for rc in plan.resource_changes:
        if rc.type == "planner_placement":
            if rc.change.before is not None and rc.change.after is not None:
                moves.append((rc.name, rc.change.before, rc.change.after))
            continue
        if rc.type != "planner_expansion" or rc.change.after is None:
            continue
        before, after = rc.change.before, rc.change.after
        blocks[after.site].append(
            Block(
                name=rc.name,
                action=ACTION_WORDS.get(rc.change.actions, ""),
                count_before=before.count if before else 0,
                count_after=after.count,
                cost_eur_month=after.cost_eur_month,
                adds={r: after.adds[r] for r in resource_keys(after.adds)},
            )
        )
    order = {p.id: i for i, p in enumerate(plan.context.places)} if plan.context else {}
    out = []
    for site in sorted(blocks, key=lambda s: (order.get(s, len(order)), s)):
        site_blocks = sorted(blocks[site], key=lambda b: b.name)
        moved_in = sorted(
            (name, b.cost_eur_month, a.cost_eur_month)
            for name, b, a in moves
            if a.site == site and b.kind == "external"
        )
        out.append(
            SiteExpansion(
                site=site,
                blocks=tuple(site_blocks),
                insourced=tuple(name for name, _, _ in moved_in),
                insourced_cost_before_eur_month=round(sum(b for _, b, _ in moved_in), 2),
                insourced_cost_after_eur_month=round(sum(a for _, _, a in moved_in), 2),
            )
        )
    return out


def headline(plan: Plan) -> dict[str, Any]:
    """The summary figures, in the order the reports show them."""
    t, s = plan.totals, plan.solver
    status = "optimal (proven)" if s.proven_optimal else f"{s.status}, not proven optimal"
    if s.status == "gap_limit":
        status = f"within {s.gap_tolerance_pct:g} % of the optimum (proven), not proven optimal"
    return {
        "cost_before": t.monthly_cost_before_eur,
        "cost_after": t.monthly_cost_after_eur,
        "difference": t.monthly_difference_eur,
        "difference_pct": t.monthly_difference_pct,
        "one_off": t.one_off_migration_eur,
        "in_house_pct": round(100.0 - t.outsourced_share_pct, 2)
        if t.monthly_cost_after_eur
        else 100.0,
        "moves": t.moves,
        "to_add": t.to_add,
        "to_change": t.to_change,
        "to_destroy": t.to_destroy,
        "status": status,
        "proven_optimal": s.proven_optimal,
        "gap_pct": s.gap_pct,
        "solver": s.name,
    }


def report_values(plan: Plan) -> dict[str, Any]:
    """Everything the report templates read, besides the plan itself."""
    return {
        "plan": plan,
        "context": plan.context,
        "head": headline(plan),
        "groups": changes_by_site(plan),
        "expansions": expansions(plan),
        "rows": rows(plan),
    }


TOP_CHANGES = 10  # changes listed as the biggest in a summary


@dataclass(frozen=True)
class ReasonLine:
    """The changes of one group that share one reason sentence, said once."""

    text: str
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Group:
    """Changes sharing a reason code, a site or a data class, with their count and money."""

    key: str
    label: str
    rows: tuple[Row, ...]
    lines: tuple[ReasonLine, ...]
    before_eur_month: float
    after_eur_month: float

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def delta_eur_month(self) -> float:
        return round(self.after_eur_month - self.before_eur_month, 2)


@dataclass(frozen=True)
class Grouping:
    """One way of grouping every change: by reason, by site or by data class."""

    id: str
    title: str
    groups: tuple[Group, ...]


def _by_money(row: Row) -> tuple[float, str]:
    return (-abs(row.delta_eur_month), row.name)


def _lines(members: list[Row]) -> tuple[ReasonLine, ...]:
    """Rows under each distinct reason sentence: most rows first, then the sentence."""
    texts: dict[str, list[Row]] = defaultdict(list)
    for row in members:
        texts[row.reason].append(row)
    order = sorted(texts, key=lambda text: (-len(texts[text]), text))
    return tuple(ReasonLine(text, tuple(sorted(texts[text], key=_by_money))) for text in order)


def _group(key: str, label: str, members: list[Row]) -> Group:
    return Group(
        key=key,
        label=label,
        rows=tuple(sorted(members, key=_by_money)),
        lines=_lines(members),
        before_eur_month=round(sum(r.cost_before_eur_month or 0.0 for r in members), 2),
        after_eur_month=round(sum(r.cost_after_eur_month or 0.0 for r in members), 2),
    )


def group_rows(changes: list[Row], key_of: dict[str, str], labels: dict[str, str]) -> list[Group]:
    """Changes grouped by `key_of[name]`: most changes first, then the key."""
    members: dict[str, list[Row]] = defaultdict(list)
    for row in changes:
        members[key_of[row.name]].append(row)
    order = sorted(members, key=lambda key: (-len(members[key]), key))
    return [_group(key, labels.get(key, key), members[key]) for key in order]


def groupings(changes: list[Row]) -> list[Grouping]:
    """Every change three ways: by reason code, by the site it ends on (or leaves), by data
    class (expansions and contracts under their kind); and by owner (for chargeback) where
    workloads have owners (those without one, and expansions and contracts, under their kind)."""
    by_code = {r.name: r.code for r in changes}
    by_site = {r.name: r.site for r in changes}
    by_class = {r.name: r.data_class or r.kind for r in changes}
    out = [
        Grouping(
            "by-reason", _("By reason"), tuple(group_rows(changes, by_code, dict(REASON_WORDS)))
        ),
        Grouping("by-site", _("By site"), tuple(group_rows(changes, by_site, {}))),
        Grouping("by-class", _("By data class"), tuple(group_rows(changes, by_class, {}))),
    ]
    if any(r.owner for r in changes):
        no_owner = {"workload": _("no owner given")}
        by_owner = {r.name: r.owner or r.kind for r in changes}
        by_owner_rows = tuple(group_rows(changes, by_owner, no_owner))
        out.append(Grouping("by-owner", _("By owner"), by_owner_rows))
    return out


def top_one_off(changes: list[Row], limit: int = TOP_CHANGES) -> list[Row]:
    """The moves with the largest one-off cost."""
    return sorted(
        (r for r in changes if r.one_off_eur > 0), key=lambda r: (-r.one_off_eur, r.name)
    )[:limit]


def top_changes(changes: list[Row], limit: int = TOP_CHANGES) -> list[Row]:
    """The changes that move the monthly spend most, either way."""
    return sorted(changes, key=_by_money)[:limit]


@dataclass(frozen=True)
class ProviderShift:
    """One provider's (or in-house) monthly spend and workloads, before and after."""

    provider: str
    before_eur_month: float
    after_eur_month: float
    workloads_before: int
    workloads_after: int
    leaving: int  # workloads it runs before and not after (moved away or retired)
    arriving: int  # workloads it runs after and not before (moved in or new)

    @property
    def delta_eur_month(self) -> float:
        return round(self.after_eur_month - self.before_eur_month, 2)


def _bucket_provider(bucket: str) -> str:
    """'provider:aws' -> 'aws'; 'internal' stays."""
    return bucket.split(":", 1)[1] if bucket.startswith("provider:") else bucket


def provider_shifts(plan: Plan, every_row: list[Row]) -> list[ProviderShift]:
    """Spend by provider before and after (the plan's buckets), with the workloads each
    loses and gains; in-house first, then the biggest spend before or after."""
    t = plan.totals
    before = {_bucket_provider(b): v for b, v in t.cost_by_bucket_before_eur.items()}
    after = {_bucket_provider(b): v for b, v in t.cost_by_bucket_after_eur.items()}
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for row in every_row:
        if row.kind != "workload":
            continue
        b, a = row.provider_before, row.provider_after
        if b:
            counts[b][0] += 1
        if a:
            counts[a][1] += 1
        if b and b != a:
            counts[b][2] += 1
        if a and a != b:
            counts[a][3] += 1
    names = set(before) | set(after) | set(counts)
    out = [
        ProviderShift(
            name,
            round(before.get(name, 0.0), 2),
            round(after.get(name, 0.0), 2),
            *counts[name],
        )
        for name in names
    ]
    return sorted(
        out,
        key=lambda p: (
            p.provider != "internal",
            -max(p.before_eur_month, p.after_eur_month),
            p.provider,
        ),
    )


@dataclass(frozen=True)
class Forced:
    """Workloads the policy no longer allows where they run, by place and rule."""

    site: str
    why: str
    rows: tuple[Row, ...]

    @property
    def delta_eur_month(self) -> float:
        return round(sum(r.delta_eur_month for r in self.rows), 2)


def forced_moves(plan: Plan, changes: list[Row]) -> list[Forced]:
    """The moves the sovereignty rules force: each place and refusal once, with its moves."""
    refused = plan.context.refused_before if plan.context else {}
    members: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for row in changes:
        if row.kind == "workload" and row.name in refused and row.site_before:
            members[row.site_before, refused[row.name]].append(row)
    order = sorted(members, key=lambda key: (-len(members[key]), key))
    return [
        Forced(site, why, tuple(sorted(members[site, why], key=_by_money))) for site, why in order
    ]


def filter_choices(plan: Plan, changes: list[Row]) -> dict[str, list[Any]]:
    """The change list's filter choices: sites in the plan's place order, data classes,
    reason codes (with their words) and actions, each as found among the changes."""
    order = {p.id: i for i, p in enumerate(plan.context.places)} if plan.context else {}
    sites = {s for r in changes for s in (r.site_before, r.site_after) if s}
    codes = {r.code for r in changes}
    return {
        "sites": sorted(sites, key=lambda s: (order.get(s, len(order)), s)),
        "classes": sorted({r.data_class or r.kind for r in changes}),
        "reasons": sorted(
            ((c, REASON_WORDS.get(c, c.replace("_", " "))) for c in codes), key=lambda cl: cl[1]
        ),
        "actions": sorted({r.action for r in changes}),
    }


def review_values(plan: Plan) -> dict[str, Any]:
    """What the summary-first HTML report and the text summary read besides the plan."""
    every_row = rows(plan)
    changes = sorted((r for r in every_row if r.action != "stay"), key=_by_money)
    return {
        "changes": changes,
        "filters": filter_choices(plan, changes),
        "top": top_changes(changes),
        "top_one_off": top_one_off(changes),
        "providers": provider_shifts(plan, every_row),
        "forced": forced_moves(plan, changes),
        "groupings": groupings(changes),
    }


@dataclass(frozen=True)
class OwnerLine:
    """One owner's (ministry's) workloads, monthly spend before and after, and moves with
    their one-off cost: what a chargeback reads. `owner` is '' for workloads naming none."""

    owner: str
    workloads: int
    before_eur_month: float
    after_eur_month: float
    moves: int
    one_off_eur: float
    budget_eur_month: float | None

    @property
    def delta_eur_month(self) -> float:
        return round(self.after_eur_month - self.before_eur_month, 2)


def owner_lines(plan: Plan) -> list[OwnerLine]:
    """Spend and moves per owner, by owner name (those naming none last); none when no
    workload names its owner. Expansions and contracts belong to no owner."""
    every = [r for r in rows(plan) if r.kind == "workload"]
    if not any(r.owner for r in every):
        return []
    members: dict[str, list[Row]] = defaultdict(list)
    for r in every:
        members[r.owner].append(r)
    budgets = plan.scenario.caps.get("owner_budgets_eur") or {}
    assert isinstance(budgets, dict)
    return [
        OwnerLine(
            owner=owner,
            workloads=len(rs),
            before_eur_month=round(sum(r.cost_before_eur_month or 0.0 for r in rs), 2),
            after_eur_month=round(sum(r.cost_after_eur_month or 0.0 for r in rs), 2),
            moves=sum(1 for r in rs if r.action == "move"),
            one_off_eur=round(sum(r.one_off_eur for r in rs), 2),
            budget_eur_month=budgets.get(owner),
        )
        for owner, rs in sorted(members.items(), key=lambda kv: (kv[0] == "", kv[0]))
    ]


@dataclass(frozen=True)
class BudgetView:
    """A snapshot plan's budget years and their total over the horizon (`total.year` 0);
    `stated` is False where a block's purchase price is not stated (capex and amortisation
    then None)."""

    years: tuple[BudgetYear, ...]
    total: BudgetYear
    horizon_months: int

    @property
    def stated(self) -> bool:
        return self.total.capex_eur is not None


def budget_view(plan: Plan) -> BudgetView | None:
    """The budget lines the reports show (None: a roadmap, or no horizon)."""
    years = plan_budget_years(plan)
    if not years:
        return None
    stated = all(y.capex_eur is not None for y in years)

    def total(field: str) -> float:
        return round(float(sum(getattr(y, field) for y in years)), 2)

    return BudgetView(
        years=years,
        total=BudgetYear(
            year=0,
            months=sum(y.months for y in years),
            opex_before_eur=total("opex_before_eur"),
            opex_eur=total("opex_eur"),
            capex_eur=total("capex_eur") if stated else None,
            amortisation_eur=total("amortisation_eur") if stated else None,
            migration_eur=total("migration_eur"),
        ),
        horizon_months=plan.scenario.horizon_months,
    )
