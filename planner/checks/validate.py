"""`planner validate PATH...`: schemas, cross-references and policy checks over many files.

A scenario is checked with everything it uses (catalogs, overrides, cross-file checks, policy
checks, eligibility). A catalog file is checked against the schema its top-level key names
(`sites`, `providers`, `workloads`, `policy`), and every scenario that uses it is checked too
(`scenarios_using`). Catalog files that no scenario uses are checked together, as if a scenario
listed them all, when they make a whole (a policy, workloads, and sites or providers).

An issue found in a scenario's catalogs names the scenario and its reference date. In a
scenario that declares `expect: infeasible`, what the policy checks and eligibility find is
expected: those issues are notes, which count neither as errors nor as warnings.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from planner.candidates.sizing import size_demand
from planner.candidates.units import build_candidates
from planner.checks.policy import Limits
from planner.checks.registry import Where, run_rules
from planner.errors import InputError, InputIssue
from planner.inputs.csv_file import load_workloads_csv
from planner.inputs.files import read_input_text
from planner.inputs.frozen import Inputs
from planner.inputs.scenario import inputs_of
from planner.inputs.schema import FILE_KINDS, Scenario
from planner.inputs.schema_errors import check_items, freeze, validate
from planner.inputs.source import SourceMap
from planner.inputs.yaml_file import load_yaml

CATALOG_KINDS = ("sites", "providers", "workloads", "policy")
_SUFFIXES = (".yaml", ".yml", ".csv")
_YAML_SUFFIXES = (".yaml", ".yml")
_SCENARIO_MAX_BYTES = 1_000_000  # a larger YAML file is a catalog, not a scenario
IMPLICIT_SCENARIO = "<catalogs>"
NOTE = "note"  # the severity of an issue a scenario expects (`expect: infeasible`)


@dataclass
class Report:
    """What was checked and every issue found, sorted by place in the files."""

    files: dict[str, str] = field(default_factory=dict)  # path -> kind
    issues: list[InputIssue] = field(default_factory=list)
    summaries: list[str] = field(default_factory=list)  # one line per scenario checked

    @property
    def errors(self) -> int:
        return sum(1 for i in self.issues if i.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for i in self.issues if i.severity == "warning")

    @property
    def notes(self) -> int:
        return sum(1 for i in self.issues if i.severity == NOTE)


@dataclass(frozen=True)
class ScenarioContext:
    """The scenario an issue was found in: issues in its catalogs name it and its date."""

    path: str
    reference_date: date
    expect_infeasible: bool

    def when(self) -> str:
        expect = ", expect: infeasible" if self.expect_infeasible else ""
        return f"(reference date {self.reference_date}{expect})"


@dataclass(frozen=True)
class Found:
    """An issue and the scenario being checked when it was found (None: the file alone)."""

    issue: InputIssue
    context: ScenarioContext | None = None


def find_files(paths: list[str]) -> tuple[list[str], list[InputIssue]]:
    """Files named, plus catalog-like files under directories (hidden ones skipped)."""
    files: list[str] = []
    issues: list[InputIssue] = []
    for path in paths:
        if os.path.isdir(path):
            found = sorted(
                str(p)
                for p in Path(path).rglob("*")
                if p.is_file()
                and p.suffix in _SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not found:
                issues.append(InputIssue("no YAML or CSV file in this directory", path))
            files.extend(os.path.normpath(f) for f in found)
        elif os.path.exists(path):
            files.append(os.path.normpath(path))
        else:
            issues.append(InputIssue("file not found", path, hint="check the path"))
    return list(dict.fromkeys(files)), issues


def _kind_of(data: Any) -> str | None:
    if not isinstance(data, dict):
        return None
    if "catalogs" in data:
        return "scenario"
    if "base" in data and "variations" in data:
        return "sweep"  # checked, variant by variant, by `planner sweep` (planner.sweep)
    keys = [k for k in CATALOG_KINDS if k in data]
    return keys[0] if len(keys) == 1 else None


def _load(path: str) -> tuple[Any, SourceMap, list[InputIssue]]:
    """A file's data, source map and the warnings of reading it; raises InputError."""
    if path.lower().endswith(".csv"):
        data, inventory = load_workloads_csv(path)
        return data, inventory, list(inventory.warnings)
    return (*load_yaml(path), [])


def _schema_issues(kind: str, data: Any, smap: SourceMap) -> list[InputIssue]:
    """A catalog checked alone against the schema of its kind (inventories a chunk at a time)."""
    if kind == "workloads":
        return check_items(FILE_KINDS[kind], "workloads", data, smap)
    return validate(FILE_KINDS[kind], freeze(data), smap)[1]


def _check_catalog(path: str, kind: str) -> list[InputIssue]:
    try:
        data, smap, warnings = _load(path)
    except InputError as exc:
        return exc.issues
    return warnings + _schema_issues(kind, data, smap)


def _catalog_files(scenario_path: str, raw: Any) -> list[tuple[str, str]]:
    """(kind, path) of each existing catalog file a scenario lists, valid scenario or not."""
    catalogs = raw.get("catalogs") if isinstance(raw, dict) else None
    if not isinstance(catalogs, dict):
        return []
    base = os.path.dirname(scenario_path)
    found = []
    for kind in CATALOG_KINDS:
        listed = catalogs.get(kind)
        for name in listed if isinstance(listed, list) else [listed]:
            if isinstance(name, str) and name:
                file = os.path.normpath(os.path.join(base, name))
                if os.path.isfile(file):
                    found.append((kind, file))
    return found


def _empty_inventories(inputs: Inputs, catalogs: list[tuple[str, str]]) -> list[InputIssue]:
    """A warning for each CSV inventory of the scenario that holds no workload."""
    used = {inputs.where(f"workload:{w.id}").file for w in inputs.workloads}
    return [
        InputIssue(
            "the inventory has a header but no data rows",
            file,
            1,
            severity="warning",
            code="empty-inventory",
        )
        for kind, file in catalogs
        if kind == "workloads" and file.lower().endswith(".csv") and file not in used
    ]


def _includes_resolve(inputs: Inputs) -> bool:
    """Every class a data class includes exists (the policy checks follow `includes`)."""
    classes = inputs.policy.data_classes
    return all(name in classes for rule in classes.values() for name in rule.includes)


def _check_inputs(inputs: Inputs, limits: Limits, context: ScenarioContext) -> list[Found]:
    """Cross-reference checks, then policy checks and eligibility.

    In a scenario that expects to be infeasible, what the policy checks and eligibility find
    is what makes it so: those issues are notes. Broken references stay errors.
    """
    found = [
        Found(issue, context)
        for issue in run_rules(inputs, Where.VALIDATE, limits, kind="reference")
    ]
    # an unknown included class is named by the reference check; policy checks follow includes
    policy = (
        run_rules(inputs, Where.VALIDATE, limits, kind="policy")
        if _includes_resolve(inputs)
        else []
    )
    if not any(f.issue.severity == "error" for f in found) and not any(
        i.severity == "error" for i in policy
    ):
        try:
            sized = size_demand(inputs)  # the demand a plan places
            build_candidates(sized.inputs, sizing=sized)
        except InputError as exc:
            policy += exc.issues
    if context.expect_infeasible:
        policy = [replace(i, severity=NOTE) for i in policy]
    return found + [Found(issue, context) for issue in policy]


def _summary(inputs: Inputs, name: str) -> str:
    return (
        f"{len(inputs.sites)} sites, {len(inputs.offers)} offers, "
        f"{len(inputs.workloads)} workloads, {len(inputs.policy.data_classes)} data classes "
        f"({name})"
    )


def _check_scenario(
    path: str, data: Any, smap: SourceMap, limits: Limits, report: Report, root: str | None = None
) -> tuple[list[Found], str | None]:
    """Every issue of one scenario with everything it uses, and its summary line."""
    scenario, issues = validate(Scenario, freeze(data), smap)
    catalogs = _catalog_files(path, data)
    for kind, file in catalogs:
        report.files.setdefault(file, kind)
    if scenario is None:
        # the scenario's own errors (a bad reference_date...) must not hide its catalogs'
        found = [Found(i) for i in issues]
        for kind, file in catalogs:
            found += [Found(i) for i in _check_catalog(file, kind)]
        return found, None
    context = ScenarioContext(path, scenario.reference_date, scenario.expect == "infeasible")
    for entry in scenario.catalogs.workloads:  # inventories read through a mapping
        if not isinstance(entry, str):
            mapped = os.path.normpath(os.path.join(os.path.dirname(path), entry.file))
            report.files.setdefault(mapped, "workloads")
    try:
        inputs = inputs_of(scenario, data, smap, path, root)
    except InputError as exc:
        return [Found(i, context) for i in exc.issues], None
    name = path + (", expect: infeasible" if context.expect_infeasible else "")
    found = _check_inputs(inputs, limits, context)
    found += [Found(i, context) for i in _empty_inventories(inputs, catalogs)]
    return found, _summary(inputs, name)


def _check_together(
    catalogs: dict[str, list[str]], reference_date: date, limits: Limits, report: Report
) -> None:
    """Catalog files without a scenario, checked as one implicit scenario."""
    if (
        len(catalogs["policy"]) != 1
        or not catalogs["workloads"]
        or not (catalogs["sites"] or catalogs["providers"])
    ):
        return
    raw = {
        "name": "catalogs",
        "reference_date": reference_date,
        "catalogs": {
            "sites": catalogs["sites"],
            "providers": catalogs["providers"],
            "workloads": catalogs["workloads"],
            "policy": catalogs["policy"][0],
        },
    }
    scenario = Scenario.model_validate(freeze(raw))
    named = [os.path.dirname(os.path.realpath(f)) for files in catalogs.values() for f in files]
    try:
        inputs = inputs_of(
            scenario,
            raw,
            SourceMap(IMPLICIT_SCENARIO),
            IMPLICIT_SCENARIO,
            root=os.path.commonpath(named),
        )  # files named on the command line
    except InputError as exc:
        report.issues += exc.issues
        return
    context = ScenarioContext(IMPLICIT_SCENARIO, reference_date, False)
    report.issues += [f.issue for f in _check_inputs(inputs, limits, context)]
    report.summaries.append(_summary(inputs, "catalogs together"))


def validate_paths(
    paths: list[str],
    *,
    limits: Limits | None = None,
    reference_date: date | None = None,
    strict: bool = False,
    root: str | None = None,
) -> Report:
    """Check every file under `paths`; `strict` makes every warning an error; a scenario's
    catalogs must be inside `root` (default: the scenario's repository).

    Each scenario given, and each scenario that uses a catalog file given (see
    `scenarios_using`), is checked with everything it uses.
    """
    limits = limits or Limits()
    report = Report()
    files, issues = find_files(paths)
    found = [Found(i) for i in issues]
    catalogs: dict[str, list[str]] = {kind: [] for kind in CATALOG_KINDS}
    scenarios: dict[str, tuple[Any, SourceMap]] = {}
    for path in files:
        try:
            data, smap, warnings = _load(path)
        except InputError as exc:
            found += [Found(i) for i in exc.issues]
            continue
        found += [Found(i) for i in warnings]
        kind = "workloads" if path.lower().endswith(".csv") else _kind_of(data)
        if kind is None:
            found.append(
                Found(
                    InputIssue(
                        "cannot tell what kind of file this is",
                        path,
                        1,
                        code="unknown-kind",
                        hint="a catalog has one top-level key (sites, providers, workloads or "
                        "policy); a scenario has a 'catalogs' section",
                    )
                )
            )
            continue
        report.files[path] = kind
        if kind == "sweep":
            continue
        if kind == "scenario":
            scenarios[path] = (data, smap)
            continue
        schema_issues = _schema_issues(kind, data, smap)
        del data, smap  # an inventory's raw rows are not needed past this point
        found += [Found(i) for i in schema_issues]
        if not schema_issues:
            catalogs[kind].append(path)
    given = {os.path.realpath(p) for p in scenarios}
    catalog_files = [p for p, kind in report.files.items() if kind != "scenario"]
    for path, (data, smap) in scenarios_using(catalog_files, given).items():
        report.files[path] = "scenario"
        scenarios[path] = (data, smap)
    for path, (data, smap) in scenarios.items():
        scenario_found, summary = _check_scenario(path, data, smap, limits, report, root)
        found += scenario_found
        if summary is not None:
            report.summaries.append(summary)
    report.issues = _unique_sorted(_as_given(found, files), strict)
    if not scenarios and not any(i.severity == "error" for i in report.issues):
        _check_together(catalogs, reference_date or date.today(), limits, report)
        report.issues = _unique_sorted([Found(i) for i in report.issues], strict)
    return report


def repository_root(path: str) -> str | None:
    """The work tree holding `path`: the nearest folder above it with a `.git` entry."""
    folder = os.path.dirname(os.path.abspath(path))
    while True:
        if os.path.exists(os.path.join(folder, ".git")):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _yaml_files_under(root: str) -> list[str]:
    """YAML files of a work tree, hidden folders (.git, .venv...) skipped."""
    out = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        out += [os.path.join(folder, n) for n in sorted(names) if n.endswith(_YAML_SUFFIXES)]
    return out


def _yaml_files_beside(path: str) -> list[str]:
    """YAML files in the folder of `path` and in the folders next to it (not deeper)."""
    folder = os.path.dirname(os.path.abspath(path))
    parent = os.path.dirname(folder)
    beside = [
        os.path.join(parent, d)
        for d in sorted(os.listdir(parent))
        if not d.startswith(".") and os.path.join(parent, d) != folder
    ]
    folders = [folder, *(d for d in beside if os.path.isdir(d))]
    return [
        os.path.join(f, n)
        for f in folders
        for n in sorted(os.listdir(f))
        if n.endswith(_YAML_SUFFIXES) and os.path.isfile(os.path.join(f, n))
    ]


def _catalog_paths(data: Any) -> list[str]:
    """The catalog paths a raw scenario names (whatever the shape of its `catalogs`)."""
    catalogs = data.get("catalogs") if isinstance(data, dict) else None
    if not isinstance(catalogs, dict):
        return []
    out: list[str] = []
    for value in catalogs.values():
        items = value if isinstance(value, list) else [value]
        out += [item for item in items if isinstance(item, str)]
    return out


def _read_scenario(path: str) -> tuple[Any, SourceMap] | None:
    """A candidate file loaded if it may be a scenario; None if it cannot be one."""
    try:
        if os.path.getsize(path) > _SCENARIO_MAX_BYTES:
            return None
        text = read_input_text(path)
        if "catalogs" not in text:
            return None
        data, smap = load_yaml(path, text)
    except (OSError, UnicodeDecodeError, InputError, RecursionError):
        return None
    return (data, smap) if _kind_of(data) == "scenario" else None


def scenarios_using(catalog_files: list[str], known: set[str]) -> dict[str, tuple[Any, SourceMap]]:
    """Scenarios (other than those in `known`, real paths) that use one of `catalog_files`.

    A catalog file's scenarios are looked for in its repository: every YAML file of the git
    work tree holding it. Outside a repository, in its own folder and the folders beside it
    (`catalogs/x.yaml` finds `scenarios/*.yaml`). A scenario uses the file when one of its
    catalog paths, relative to the scenario, leads to it.
    """
    targets = {os.path.realpath(f) for f in catalog_files}
    candidates: list[str] = []
    for file in catalog_files:
        root = repository_root(file)
        candidates += _yaml_files_under(root) if root else _yaml_files_beside(file)
    found: dict[str, tuple[Any, SourceMap]] = {}
    for candidate in dict.fromkeys(candidates):
        real = os.path.realpath(candidate)
        if real in known or real in targets:
            continue
        shown = _display(candidate)
        loaded = _read_scenario(shown)
        if loaded is None:
            continue
        base = os.path.dirname(real)
        used = {os.path.realpath(os.path.join(base, p)) for p in _catalog_paths(loaded[0])}
        if used & targets:
            found[shown] = loaded
            known.add(real)
    return dict(sorted(found.items()))


def _display(path: str) -> str:
    """A found file's path relative to the working folder (absolute on another drive)."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return path


def _as_given(found: list[Found], files: list[str]) -> list[Found]:
    """Issues in a file given on the command line name it as it was given (a scenario may
    reach it by another path, `../catalogs/x.yaml` for `x.yaml`)."""
    spelled = {os.path.realpath(f): f for f in files}
    out = []
    for item in found:
        file = item.issue.file
        given = spelled.get(os.path.realpath(file)) if file else None
        if given is not None and given != file:
            item = Found(replace(item.issue, file=given), item.context)
        out.append(item)
    return out


def _with_scenarios(issue: InputIssue, contexts: list[ScenarioContext | None]) -> InputIssue:
    """The issue naming the scenarios it arose in, unless its own file says it all."""
    if any(c is None for c in contexts):
        return issue
    named = [c for c in contexts if c is not None and c.path != issue.file]
    if not named:
        return issue
    by_when: dict[str, list[str]] = defaultdict(list)  # "(reference date ...)" -> paths
    for c in sorted(set(named), key=lambda c: c.path):
        by_when[c.when()].append(c.path)
    labels = "; ".join(f"{', '.join(paths)} {when}" for when, paths in by_when.items())
    word = "scenario" if len(set(named)) == 1 else "scenarios"
    return replace(issue, message=f"{issue.message} [{word} {labels}]")


def _unique_sorted(found: list[Found], strict: bool) -> list[InputIssue]:
    groups: dict[tuple[Any, ...], tuple[InputIssue, list[ScenarioContext | None]]] = {}
    for item in found:
        issue = item.issue
        if strict and issue.severity == "warning":
            issue = replace(issue, severity="error")
        key = (issue.file, issue.line, issue.column, issue.field, issue.message, issue.severity)
        groups.setdefault(key, (issue, []))[1].append(item.context)
    issues = [_with_scenarios(issue, contexts) for issue, contexts in groups.values()]
    return sorted(issues, key=lambda i: (i.file or "", i.line or 0, i.column or 0, i.message))
