"""A sweep file read and checked, and its variations expanded into variants.

Every variant is checked against the base inputs before anything runs: an address that reaches
nothing, a value its field refuses or a variant the input checks refuse is an error at the
line of the sweep file that asked for it.
"""

from __future__ import annotations

import difflib
import hashlib
import itertools
import json
import os
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from planner.checks.registry import Where, run_rules
from planner.errors import InputError, InputIssue
from planner.inputs.frozen import Inputs
from planner.inputs.schema import RESOURCES
from planner.inputs.schema_errors import freeze, validate
from planner.inputs.source import Path, SourceMap, dotted
from planner.inputs.yaml_file import load_yaml
from planner.pipeline import load_and_check
from planner.sweep.address import Setting, apply_settings, check_address
from planner.sweep.schema import (
    BreakEven,
    Change,
    Each,
    Grid,
    Normal,
    Pareto,
    SampleParameter,
    Samples,
    SweepFile,
    Triangular,
    Uniform,
    Variation,
)

MAX_DRAWS = 10_000  # draws of a bounded normal before its bounds are called too tight


@dataclass(frozen=True)
class Variant:
    """One scenario of the sweep: its settings on top of the base, and what it stands for."""

    key: str
    variation: str
    kind: str  # 'base' | 'grid' | 'samples' | 'each' | 'pareto' | 'break_even'
    label: str
    settings: tuple[Setting, ...]
    origins: tuple[Path, ...]  # where in the sweep file each setting comes from
    meta: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The variant's part of its record."""
        return {
            "key": self.key,
            "variation": self.variation,
            "kind": self.kind,
            "label": self.label,
            "settings": [s.as_json() for s in self.settings],
            "meta": self.meta,
        }


@dataclass
class Sweep:
    """A checked sweep: its file, base inputs, and the variants known before running (break
    evens add theirs as their bisections go)."""

    path: str
    spec: SweepFile
    smap: SourceMap
    inputs: Inputs
    digest: str  # of the base: scenario and catalogs, so a changed catalog is a new variant
    variants: list[Variant]

    def variant(
        self,
        variation: str,
        kind: str,
        label: str,
        settings: list[tuple[Setting, Path]],
        meta: dict[str, Any],
    ) -> Variant:
        return make_variant(self.digest, self.limits(), variation, kind, label, settings, meta)

    def limits(self) -> tuple[float | None, float | None]:
        return (self.spec.time_limit_s, self.spec.gap_rel)


def make_variant(
    digest: str,
    limits: tuple[float | None, float | None],
    variation: str,
    kind: str,
    label: str,
    settings: list[tuple[Setting, Path]],
    meta: dict[str, Any],
) -> Variant:
    """A variant and its key: a hash of the base, the limits, its variation, label and
    settings (what `--resume` recognises as done)."""
    plain = [s.as_json() for s, _ in settings]
    text = json.dumps(
        {"base": digest, "limits": limits, "variation": variation, "label": label, "s": plain},
        sort_keys=True,
        separators=(",", ":"),
    )
    key = hashlib.sha256(text.encode()).hexdigest()[:20]
    return Variant(
        key,
        variation,
        kind,
        label,
        tuple(s for s, _ in settings),
        tuple(o for _, o in settings),
        meta,
    )


def _base_digest(inputs: Inputs, base_path: str) -> str:
    with open(base_path, "rb") as handle:
        scenario = hashlib.sha256(handle.read()).hexdigest()
    catalogs = sorted(inputs.catalog_digests.values())
    return hashlib.sha256(json.dumps([scenario, catalogs]).encode()).hexdigest()[:20]


def _draws(parameter: SampleParameter, rng: np.random.Generator, count: int) -> list[float]:
    dist = parameter.distribution
    if isinstance(dist, Uniform):
        values = rng.uniform(dist.uniform[0], dist.uniform[1], count)
    elif isinstance(dist, Triangular):
        values = rng.triangular(*dist.triangular, count)
    else:
        assert isinstance(dist, Normal)
        mean, sd, low, high = dist.normal
        kept: list[float] = []
        for _ in range(MAX_DRAWS // max(count, 1) + 10):
            batch = rng.normal(mean, sd, count)
            kept += [float(v) for v in batch if low <= v <= high]
            if len(kept) >= count:
                break
        if len(kept) < count:
            raise ValueError("normal: the bounds are too tight for its spread")
        values = np.array(kept[:count])
    return [float(v) for v in values]


def _name(variation: Any, index: int) -> str:
    return str(variation.name or f"{variation.kind}-{index + 1}")


def _grid(sweep: Sweep, g: Grid, index: int, fixed: list[tuple[Setting, Path]]) -> list[Variant]:
    name = _name(g, index)
    here: Path = ("variations", index, "parameters")
    params = [(p, (*here, j, "values")) for j, p in enumerate(g.parameters)]
    out: list[Variant] = []
    if g.one_at_a_time:
        for p, origin in params:
            for value in p.values:
                setting = Setting(p.address, p.op, value)
                out.append(
                    sweep.variant(
                        name,
                        "grid",
                        f"{p.address} {p.op} {value}",
                        [*fixed, (setting, origin)],
                        {"values": {p.address: value}, "one_at_a_time": True, "op": p.op},
                    )
                )
        return out
    for combo in itertools.product(*(p.values for p, _ in params)):
        settings = [
            (Setting(p.address, p.op, v), origin)
            for (p, origin), v in zip(params, combo, strict=True)
        ]
        label = ", ".join(
            f"{p.address} {p.op} {v}" for (p, _), v in zip(params, combo, strict=True)
        )
        values = {p.address: v for (p, _), v in zip(params, combo, strict=True)}
        out.append(sweep.variant(name, "grid", label, [*fixed, *settings], {"values": values}))
    return out


def _samples(
    sweep: Sweep, s: Samples, index: int, fixed: list[tuple[Setting, Path]]
) -> list[Variant]:
    name = _name(s, index)
    rng = np.random.default_rng(s.seed)
    columns = [_draws(p, rng, s.count) for p in s.parameters]
    out = []
    for i in range(s.count):
        settings = [
            (Setting(p.address, p.op, columns[j][i]), ("variations", index, "parameters", j))
            for j, p in enumerate(s.parameters)
        ]
        values = {p.address: columns[j][i] for j, p in enumerate(s.parameters)}
        out.append(
            sweep.variant(
                name, "samples", f"sample {i + 1}", [*fixed, *settings], {"values": values}
            )
        )
    return out


def _members(inputs: Inputs, e: Each) -> list[str]:
    if e.member == "site_lost":
        return sorted(s.id for s in inputs.sites)
    if e.member == "provider_unqualified":
        return sorted(p.id for p in inputs.providers if any(o.qualifications for o in p.offers))
    return sorted(o.id for o in inputs.offers)


def _each(sweep: Sweep, e: Each, index: int, fixed: list[tuple[Setting, Path]]) -> list[Variant]:
    name = _name(e, index)
    known = _members(sweep.inputs, e)
    ids = list(e.ids) if e.ids is not None else known
    origin: Path = ("variations", index, "ids") if e.ids is not None else ("variations", index)
    out = []
    for i, member in enumerate(ids):
        where: Path = (*origin, i) if e.ids is not None else origin
        if member not in known:
            raise InputError(
                [_issue(sweep, where, f"'{member}' is not one of: {', '.join(known)}")]
            )
        if e.member == "site_lost":
            settings = [
                Setting(f"sites[{member}].capacity.*", "set", 0.0),
                Setting(f"sites[{member}].expansion_blocks", "set", ()),
            ]
            label = f"site {member} lost"
        elif e.member == "provider_unqualified":
            settings = [
                Setting(
                    f"providers[{member}].offers[*].qualifications[*].status", "set", "withdrawn"
                )
            ]
            label = f"provider {member} loses its qualifications"
        else:
            settings = [Setting(f"offers[{member}].quota.{r}", "set", 0.0) for r in RESOURCES]
            label = f"offer {member} withdrawn"
        out.append(
            sweep.variant(
                name,
                "each",
                label,
                [*fixed, *((s, where) for s in settings)],
                {"member": member, "what": e.member},
            )
        )
    return out


def _pareto(
    sweep: Sweep, p: Pareto, index: int, fixed: list[tuple[Setting, Path]]
) -> list[Variant]:
    name = _name(p, index)
    return [
        sweep.variant(
            name,
            "pareto",
            f"{p.cap} = {value:g}",
            [
                *fixed,
                (
                    Setting(f"scenario.caps.{p.cap}", "set", value),
                    ("variations", index, "values", j),
                ),
            ],
            {"cap": p.cap, "value": value},
        )
        for j, value in enumerate(p.values)
    ]


def _fixed(changes: tuple[Change, ...], index: int) -> list[tuple[Setting, Path]]:
    """A variation's fixed changes as settings, each with its place in the sweep file."""
    return [
        (Setting(c.address, c.op, c.value), ("variations", index, "changes", j, "address"))
        for j, c in enumerate(changes)
    ]


def break_even_variant(sweep: Sweep, b: BreakEven, index: int, value: float, step: int) -> Variant:
    """The variant of one point of a bisection."""
    fixed = _fixed(b.changes, index)
    setting = Setting(b.address, b.op, value)
    return sweep.variant(
        _name(b, index),
        "break_even",
        f"{b.address} {b.op} {value:.6g}",
        [*fixed, (setting, ("variations", index, "address"))],
        {"value": value, "step": step},
    )


def _issue(sweep: Sweep, path: Path, message: str) -> InputIssue:
    pos = sweep.smap.find(path)
    return InputIssue(message, pos.file, pos.line, pos.column, field=dotted(path) or None)


def _check(sweep: Sweep, variants: list[Variant]) -> list[InputIssue]:
    """Every address reaches a value; every variant applies and passes the input checks."""
    issues: dict[tuple[int | None, str], InputIssue] = {}
    seen: set[tuple[str, str]] = set()
    for variant in variants:
        for setting, origin in zip(variant.settings, variant.origins, strict=True):
            if (setting.address, setting.op) in seen:
                continue
            seen.add((setting.address, setting.op))
            why = check_address(sweep.inputs, setting)
            if why is not None:
                issue = _issue(sweep, origin, f"'{setting.address}': {why}")
                issues.setdefault((issue.line, issue.message), issue)
    if issues:
        return list(issues.values())
    for variant in variants:
        applied, errors = apply_settings(sweep.inputs, variant.settings)
        for error in errors:
            setting = variant.settings[error.index]
            issue = _issue(
                sweep,
                variant.origins[error.index],
                f"'{setting.address}' {setting.op} {setting.value!r} ({variant.label}): "
                f"{error.message}",
            )
            issues.setdefault((issue.line, error.message), issue)
        if errors:
            continue
        for found in run_rules(applied, Where.PLAN):
            if found.severity == "error" and variant.origins:
                issue = _issue(sweep, variant.origins[-1], f"{variant.label}: {found.format()}")
                issues.setdefault((issue.line, found.message), issue)
    return list(issues.values())


def _check_watch(sweep: Sweep, b: BreakEven, index: int) -> None:
    watch = b.watch
    if watch.workload is not None:
        known = sorted(w.id for w in sweep.inputs.workloads)
        name, what = watch.workload, "workload"
    else:
        known = sorted(sweep.inputs.policy.data_classes)
        name, what = str(watch.data_class), "data_class"
    if name not in known:
        close = difflib.get_close_matches(name, known, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        path: Path = ("variations", index, "watch", what)
        raise InputError([_issue(sweep, path, f"no {what} '{name}' in the base scenario{hint}")])


_KINDS: dict[str, type[Variation]] = {
    "grid": Grid,
    "samples": Samples,
    "each": Each,
    "pareto": Pareto,
    "break_even": BreakEven,
}


def _validated(data: Any, smap: SourceMap) -> SweepFile:
    """The sweep file validated, each variation by the schema of its `kind` (so that errors
    name the variation's own path, at its line)."""
    issues: list[InputIssue] = []
    raw_variations = data.get("variations") if isinstance(data, dict) else None
    if isinstance(raw_variations, tuple):
        parsed: list[Any] = []
        for i, item in enumerate(raw_variations):
            kind = item.get("kind") if isinstance(item, dict) else None
            model = _KINDS.get(kind) if isinstance(kind, str) else None
            if model is None:
                issues.append(
                    _located_issue(
                        smap,
                        ("variations", i, "kind"),
                        f"a variation's kind is one of: {', '.join(_KINDS)}",
                    )
                )
                continue
            prefix: Path = ("variations", i)
            inner = SourceMap(
                smap.file,
                {p[2:]: pos for p, pos in smap.positions.items() if p[:2] == prefix},
            )
            found, found_issues = validate(model, item, inner)
            for issue in _without_echoes(found_issues):
                field = dotted(prefix) + ("." + issue.field if issue.field else "")
                issues.append(replace(issue, field=field))
            parsed.append(found if found is not None else item)
        data = {**data, "variations": tuple(parsed)}
    if issues:
        raise InputError(issues)
    spec, header_issues = validate(SweepFile, data, smap)
    if spec is None:
        raise InputError(header_issues)
    return spec


def _without_echoes(issues: list[InputIssue]) -> list[InputIssue]:
    """Leave out "at least 1 item" of a list whose items are reported wrong already."""
    return [
        i
        for i in issues
        if not (
            i.message.startswith("Tuple should have at least")
            and any(j.field and j.field.startswith(f"{i.field}[") for j in issues)
        )
    ]


def _located_issue(smap: SourceMap, path: Path, message: str) -> InputIssue:
    pos = smap.find(path)
    return InputIssue(message, pos.file, pos.line, pos.column, field=dotted(path))


def load_sweep(path: str, root: str | None = None) -> Sweep:
    """Read, validate and expand a sweep file; InputError with every located issue."""
    raw, smap = load_yaml(path)
    spec = _validated(freeze(raw), smap)
    base_path = os.path.normpath(os.path.join(os.path.dirname(path), spec.base))
    if not os.path.isfile(base_path):
        pos = smap.find(("base",))
        raise InputError(
            [
                InputIssue(
                    f"base scenario '{spec.base}' not found",
                    pos.file,
                    pos.line,
                    pos.column,
                    field="base",
                    hint=f"looked for {base_path}; the path is relative to the sweep file",
                )
            ]
        )
    inputs, _warnings = load_and_check(base_path, root)
    sweep = Sweep(path, spec, smap, inputs, _base_digest(inputs, base_path), [])
    variants = [sweep.variant("base", "base", "base scenario", [], {})]
    for i, variation in enumerate(spec.variations):
        fixed = _fixed(variation.changes, i)
        if isinstance(variation, Grid):
            variants += _grid(sweep, variation, i, fixed)
        elif isinstance(variation, Samples):
            try:
                variants += _samples(sweep, variation, i, fixed)
            except ValueError as exc:
                raise InputError(
                    [_issue(sweep, ("variations", i, "parameters"), str(exc))]
                ) from None
        elif isinstance(variation, Each):
            variants += _each(sweep, variation, i, fixed)
        elif isinstance(variation, Pareto):
            variants += _pareto(sweep, variation, i, fixed)
        else:
            assert isinstance(variation, BreakEven)
            _check_watch(sweep, variation, i)
            variants += [
                break_even_variant(sweep, variation, i, variation.low, 0),
                break_even_variant(sweep, variation, i, variation.high, 0),
            ]
    issues = _check(sweep, variants)
    if issues:
        raise InputError(issues)
    sweep.variants = [v for v in variants if v.kind != "break_even"]
    return sweep
