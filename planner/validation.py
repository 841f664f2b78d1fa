"""`planner validate PATH...`: schemas, cross-references and policy checks over many files.

A scenario is checked with everything it uses (catalogs, overrides, cross-file checks, policy
checks, eligibility). A catalog file alone is checked against the schema its top-level key names
(`sites`, `providers`, `workloads`, `policy`). Catalog files given without any scenario are also
checked together, as if a scenario listed them all, when they make a whole (a policy, workloads,
and sites or providers).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from planner.candidates import build_candidates
from planner.checks import CHECKS
from planner.errors import InputError, InputIssue
from planner.inputs import Inputs
from planner.loading.csv_file import load_workloads_csv
from planner.loading.scenario import inputs_of
from planner.loading.validate import check_items, freeze, validate
from planner.loading.yaml_file import load_yaml
from planner.policy_checks import Limits, run_policy_checks
from planner.schema import FILE_KINDS, Scenario
from planner.source import SourceMap

CATALOG_KINDS = ("sites", "providers", "workloads", "policy")
_SUFFIXES = (".yaml", ".yml", ".csv")
IMPLICIT_SCENARIO = "<catalogs>"


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
        return sum(1 for i in self.issues if i.severity != "error")


def find_files(paths: list[str]) -> tuple[list[str], list[InputIssue]]:
    """Files named, plus catalog-like files under directories (hidden ones skipped)."""
    files: list[str] = []
    issues: list[InputIssue] = []
    for path in paths:
        if os.path.isdir(path):
            found = sorted(
                str(p) for p in Path(path).rglob("*")
                if p.is_file() and p.suffix in _SUFFIXES
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
    return [InputIssue("the inventory has a header but no data rows", file, 1,
                       severity="warning", code="empty-inventory")
            for kind, file in catalogs
            if kind == "workloads" and file.lower().endswith(".csv") and file not in used]


def _includes_resolve(inputs: Inputs) -> bool:
    """Every class a data class includes exists (the policy checks follow `includes`)."""
    classes = inputs.policy.data_classes
    return all(name in classes for rule in classes.values() for name in rule.includes)


def _check_inputs(inputs: Inputs, limits: Limits) -> list[InputIssue]:
    issues = [issue for check in CHECKS for issue in check(inputs)]
    if _includes_resolve(inputs):  # otherwise the reference check has said which is unknown
        issues += run_policy_checks(inputs, limits)
    if not any(i.severity == "error" for i in issues):
        try:
            build_candidates(inputs)
        except InputError as exc:
            issues += exc.issues
    return issues


def _summary(inputs: Inputs, name: str) -> str:
    return (f"{len(inputs.sites)} sites, {len(inputs.offers)} offers, "
            f"{len(inputs.workloads)} workloads, {len(inputs.policy.data_classes)} data classes "
            f"({name})")


def _check_scenario(path: str, data: Any, smap: SourceMap, limits: Limits, report: Report,
                    root: str | None = None) -> None:
    scenario, issues = validate(Scenario, freeze(data), smap)
    report.issues += issues
    catalogs = _catalog_files(path, data)
    for kind, file in catalogs:
        report.files.setdefault(file, kind)
    if scenario is None:
        # the scenario's own errors (a bad reference_date...) must not hide its catalogs'
        for kind, file in catalogs:
            report.issues += _check_catalog(file, kind)
        return
    try:
        inputs = inputs_of(scenario, data, smap, path, root)
    except InputError as exc:
        report.issues += exc.issues
        return
    report.issues += _check_inputs(inputs, limits) + _empty_inventories(inputs, catalogs)
    report.summaries.append(_summary(inputs, path))


def _check_together(catalogs: dict[str, list[str]], reference_date: date, limits: Limits,
                    report: Report) -> None:
    """Catalog files without a scenario, checked as one implicit scenario."""
    if len(catalogs["policy"]) != 1 or not catalogs["workloads"] or not (
            catalogs["sites"] or catalogs["providers"]):
        return
    raw = {"name": "catalogs", "reference_date": reference_date,
           "catalogs": {"sites": catalogs["sites"], "providers": catalogs["providers"],
                        "workloads": catalogs["workloads"], "policy": catalogs["policy"][0]}}
    scenario = Scenario.model_validate(freeze(raw))
    try:
        named = [os.path.dirname(os.path.realpath(f)) for files in catalogs.values() for f in files]
        inputs = inputs_of(scenario, raw, SourceMap(IMPLICIT_SCENARIO), IMPLICIT_SCENARIO,
                           root=os.path.commonpath(named))  # files named on the command line
    except InputError as exc:
        report.issues += exc.issues
        return
    report.issues += _check_inputs(inputs, limits)
    report.summaries.append(_summary(inputs, "catalogs together"))


def validate_paths(paths: list[str], *, limits: Limits | None = None,
                   reference_date: date | None = None, strict: bool = False,
                   root: str | None = None) -> Report:
    """Check every file under `paths`; `strict` makes every warning an error; a scenario's
    catalogs must be inside `root` (default: the scenario's repository)."""
    limits = limits or Limits()
    report = Report()
    files, report.issues = find_files(paths)
    catalogs: dict[str, list[str]] = {kind: [] for kind in CATALOG_KINDS}
    scenarios = 0
    for path in files:
        try:
            data, smap, warnings = _load(path)
        except InputError as exc:
            report.issues += exc.issues
            continue
        report.issues += warnings
        kind = "workloads" if path.lower().endswith(".csv") else _kind_of(data)
        if kind is None:
            report.issues.append(InputIssue(
                "cannot tell what kind of file this is", path, 1, code="unknown-kind",
                hint="a catalog has one top-level key (sites, providers, workloads or policy); "
                     "a scenario has a 'catalogs' section"))
            continue
        report.files[path] = kind
        if kind == "scenario":
            scenarios += 1
            _check_scenario(path, data, smap, limits, report, root)
            continue
        issues = _schema_issues(kind, data, smap)
        del data, smap  # an inventory's raw rows are not needed past this point
        report.issues += issues
        if not issues:
            catalogs[kind].append(path)
    if scenarios == 0 and not any(i.severity == "error" for i in report.issues):
        _check_together(catalogs, reference_date or date.today(), limits, report)
    report.issues = _unique_sorted(report.issues, strict)
    return report


def _unique_sorted(issues: list[InputIssue], strict: bool) -> list[InputIssue]:
    seen: dict[tuple[Any, ...], InputIssue] = {}
    for issue in issues:
        if strict and issue.severity != "error":
            issue = replace(issue, severity="error")
        key = (issue.file, issue.line, issue.column, issue.field, issue.message)
        seen.setdefault(key, issue)
    return sorted(seen.values(), key=lambda i: (i.file or "", i.line or 0, i.column or 0,
                                                i.message))
