"""Load a scenario: its catalogs, its overrides, validated into frozen `Inputs`."""

from __future__ import annotations

import hashlib
import os
from typing import Any

from planner.errors import InputError, InputIssue
from planner.inputs.csv_file import load_workloads_csv
from planner.inputs.files import irregular_kind, read_input_bytes
from planner.inputs.frozen import Inputs
from planner.inputs.inventory import load_inventory
from planner.inputs.overrides import RawDoc, apply_overrides
from planner.inputs.schema import (
    Policy,
    PolicyFile,
    Provider,
    ProvidersFile,
    Scenario,
    Site,
    SitesFile,
    Workload,
    WorkloadsFile,
)
from planner.inputs.schema.inventory import Inventory
from planner.inputs.schema_errors import freeze, validate
from planner.inputs.source import Pos, SourceMap, dotted, excerpt
from planner.inputs.yaml_file import load_yaml

_MODELS: dict[str, Any] = {
    "sites": SitesFile,
    "providers": ProvidersFile,
    "workloads": WorkloadsFile,
    "policy": PolicyFile,
}


def _digest(path: str) -> str:
    return "sha256:" + hashlib.sha256(read_input_bytes(path)).hexdigest()


def catalog_root(scenario_path: str) -> str:
    """Where a scenario's catalogs must be: its repository (the nearest folder above it with a
    `.git`); outside a repository, the working folder when the scenario is inside it (a
    project unpacked from an archive), else the scenario's own folder."""
    folder = os.path.dirname(os.path.realpath(scenario_path))
    current = folder
    while True:
        if os.path.exists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            break
        current = parent
    cwd = os.path.realpath(os.getcwd())
    return cwd if cwd != os.sep and _inside(folder, cwd) else folder


def _inside(path: str, root: str) -> bool:
    real = os.path.realpath(path)
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


def _load_doc(kind: str, path: str, inventory: Inventory | None = None) -> RawDoc:
    if inventory is not None:
        return RawDoc(kind, path, *load_inventory(path, inventory))
    if kind == "workloads" and path.lower().endswith(".csv"):
        return RawDoc(kind, path, *load_workloads_csv(path))
    return RawDoc(kind, path, *load_yaml(path))


_FIELD_DEPTH = {"sites": None, "providers": None, "workloads": 1, "policy": None}  # None: all


def field_sources(doc: RawDoc, sources: dict[str, Pos]) -> None:
    """Positions of fields inside objects: `offer:snc.qualifications[0].valid_until`, ...

    Sites, offers and data classes get every nested field, workloads only their own fields
    (inventories can be large); checks use them to point at the exact line.
    """
    data = doc.data
    kind = doc.kind
    if kind not in _FIELD_DEPTH or not isinstance(data, dict):
        return
    depth = _FIELD_DEPTH[kind]
    for path, pos in doc.smap.positions.items():
        key, rest = _object_key(data, kind, path)
        if key is not None and rest and (depth is None or len(rest) <= depth):
            sources.setdefault(f"{key}.{dotted(rest)}", pos)


def _object_key(
    data: dict[str, Any], kind: str, path: tuple[str | int, ...]
) -> tuple[str | None, tuple[str | int, ...]]:
    try:
        if kind == "providers" and len(path) >= 4 and path[2] == "offers":
            obj = data["providers"][path[1]]["offers"][path[3]]
            return f"offer:{obj['id']}", path[4:]
        if kind == "policy" and len(path) >= 3 and path[:2] == ("policy", "data_classes"):
            return f"data_class:{path[2]}", path[3:]
        if kind != "providers" and len(path) >= 2 and path[0] == kind:
            return f"{kind[:-1]}:{data[kind][path[1]]['id']}", path[2:]
    except (KeyError, IndexError, TypeError):
        pass
    return None, ()


def _relative(path: str) -> str:
    relative = os.path.relpath(path)
    return path if relative.startswith("..") and os.path.isabs(path) else relative


def _refused_catalog(
    kind: str,
    rel: str,
    file: str,
    root: str,
    scenario_map: SourceMap,
    where_path: tuple[str | int, ...],
) -> InputIssue | None:
    """Why the catalog at `file` is not read (outside the root, missing, or not a regular
    file), if it is not."""
    where = scenario_map.find(where_path)
    field = ".".join(map(str, where_path))
    if "\x00" in file:  # no file system takes it (and os.path refuses it)
        return InputIssue(
            f"{kind} catalog path '{excerpt(rel)}' holds a NUL character",
            where.file,
            where.line,
            where.column,
            field=field,
        )
    if not _inside(file, root):
        return InputIssue(
            f"{kind} catalog '{excerpt(rel)}' is outside {_relative(root)}",
            where.file,
            where.line,
            where.column,
            field=field,
            hint="catalogs must be inside the scenario's repository (its folder "
            "outside a git repository); --root DIR sets another folder",
        )
    if not os.path.exists(file):
        return InputIssue(
            f"{kind} catalog '{excerpt(rel)}' not found",
            where.file,
            where.line,
            where.column,
            field=field,
            hint=f"looked for {file}; paths are relative to the scenario",
        )
    kind_of_file = irregular_kind(file)
    if kind_of_file is not None:
        return InputIssue(
            f"{kind} catalog '{excerpt(rel)}' is {kind_of_file}, not a regular file",
            where.file,
            where.line,
            where.column,
            field=field,
            hint="only regular files are read",
        )
    return None


def load_scenario_file(path: str) -> tuple[Scenario, dict[str, Any], SourceMap]:
    """Read and validate the scenario file alone."""
    raw, smap = load_yaml(path)
    scenario, issues = validate(Scenario, freeze(raw), smap)
    if scenario is None:
        raise InputError(issues)
    return scenario, raw, smap


def load_inputs(scenario_path: str, root: str | None = None) -> Inputs:
    """Scenario file -> catalogs -> overrides -> validated `Inputs` (every issue at once).

    Catalogs must be inside `root` (default: `catalog_root` of the scenario)."""
    scenario_path = _relative(scenario_path)
    scenario, raw_scenario, scenario_map = load_scenario_file(scenario_path)
    return inputs_of(scenario, raw_scenario, scenario_map, scenario_path, root)


def inputs_of(
    scenario: Scenario,
    raw_scenario: dict[str, Any],
    scenario_map: SourceMap,
    scenario_path: str,
    root: str | None = None,
) -> Inputs:
    """A validated scenario's catalogs and overrides -> `Inputs` (paths relative to it).

    A catalog outside `root` (default: `catalog_root` of the scenario) is refused unread."""
    base = os.path.dirname(scenario_path)
    root = os.path.realpath(root if root is not None else catalog_root(scenario_path))
    issues: list[InputIssue] = []
    docs: list[RawDoc] = []
    paths: list[tuple[str, str | Inventory, tuple[str | int, ...]]] = []
    for kind in ("sites", "providers", "workloads"):
        for i, entry in enumerate(getattr(scenario.catalogs, kind)):
            paths.append((kind, entry, ("catalogs", kind, i)))
    paths.append(("policy", scenario.catalogs.policy, ("catalogs", "policy")))
    for kind, entry, where_path in paths:
        inventory = entry if isinstance(entry, Inventory) else None
        rel = entry.file if isinstance(entry, Inventory) else entry
        if inventory is not None:
            where_path = (*where_path, "file")
        file = os.path.normpath(os.path.join(base, rel))
        refused = _refused_catalog(kind, rel, file, root, scenario_map, where_path)
        if refused is not None:
            issues.append(refused)
            continue
        try:
            docs.append(_load_doc(kind, file, inventory))
        except InputError as exc:
            issues.extend(exc.issues)
    log: list[str] = []
    if not issues:  # an override may address an object of a file that could not be read
        log, override_issues = apply_overrides(
            docs, raw_scenario.get("overrides") or {}, scenario_map
        )
        issues.extend(override_issues)
    # the files read are validated even when another could not be: every error at once

    sites: list[Site] = []
    providers: list[Provider] = []
    workloads: list[Workload] = []
    policy: Policy | None = None
    sources: dict[str, Pos] = {
        f"scenario.{key}": scenario_map.find((key,)) for key in raw_scenario if isinstance(key, str)
    }
    for at, pos in scenario_map.positions.items():  # the roadmap's rules, for its checks
        if at and (at[0] == "roadmap" or at[:2] == ("objective", "buy_commitments")):
            sources.setdefault(f"scenario.{dotted(at)}", pos)
    for doc in docs:
        model, doc_issues = validate(_MODELS[doc.kind], freeze(doc.data), doc.smap)
        issues.extend(doc_issues)
        if model is not None:
            field_sources(doc, sources)
        if isinstance(model, SitesFile):
            for i, site in enumerate(model.sites):
                sources.setdefault(f"site:{site.id}", doc.smap.find(("sites", i)))
            sites.extend(model.sites)
        elif isinstance(model, ProvidersFile):
            for i, provider in enumerate(model.providers):
                sources.setdefault(f"provider:{provider.id}", doc.smap.find(("providers", i)))
                for j, offer in enumerate(provider.offers):
                    pos = doc.smap.find(("providers", i, "offers", j))
                    sources.setdefault(f"offer:{offer.id}", pos)
            providers.extend(model.providers)
        elif isinstance(model, WorkloadsFile):
            for i, workload in enumerate(model.workloads):
                sources.setdefault(f"workload:{workload.id}", doc.smap.find(("workloads", i)))
            workloads.extend(model.workloads)
        elif isinstance(model, PolicyFile):
            policy = model.policy
            for name, rule in policy.data_classes.items():
                path: tuple[str | int, ...] = ("policy", "data_classes", name)
                sources[f"data_class:{name}"] = doc.smap.find(path)
                for k in range(len(rule.includes)):
                    pos = doc.smap.find((*path, "includes", k))
                    sources[f"data_class:{name}.includes[{k}]"] = pos
    if issues or policy is None:
        raise InputError(issues)
    return Inputs(
        scenario=scenario,
        scenario_file=scenario_path,
        sites=tuple(sites),
        providers=tuple(providers),
        workloads=tuple(workloads),
        policy=policy,
        sources=sources,
        catalog_digests={doc.file: _digest(doc.file) for doc in docs},
        overrides_applied=tuple(log),
    )
