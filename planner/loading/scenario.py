"""Load a scenario: its catalogs, its overrides, validated into frozen `Inputs`."""

from __future__ import annotations

import hashlib
import os
from typing import Any

from planner.errors import InputError, InputIssue
from planner.inputs import Inputs
from planner.loading.csv_file import load_workloads_csv
from planner.loading.overrides import RawDoc, apply_overrides
from planner.loading.validate import validate
from planner.loading.yaml_file import load_yaml
from planner.schema import (
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
from planner.source import Pos, SourceMap, dotted

_MODELS: dict[str, Any] = {
    "sites": SitesFile,
    "providers": ProvidersFile,
    "workloads": WorkloadsFile,
    "policy": PolicyFile,
}


def freeze(value: Any) -> Any:
    """Lists -> tuples, recursively (the schemas take tuples for sequences)."""
    if isinstance(value, list):
        return tuple(freeze(v) for v in value)
    if isinstance(value, dict):
        return {k: freeze(v) for k, v in value.items()}
    return value


def _digest(path: str) -> str:
    with open(path, "rb") as handle:
        return "sha256:" + hashlib.sha256(handle.read()).hexdigest()


def _load_doc(kind: str, path: str) -> RawDoc:
    if kind == "workloads" and path.lower().endswith(".csv"):
        data, smap = load_workloads_csv(path)
    else:
        data, smap = load_yaml(path)
    return RawDoc(kind, path, data, smap)


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


def _object_key(data: dict[str, Any], kind: str, path: tuple[str | int, ...]
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


def load_scenario_file(path: str) -> tuple[Scenario, dict[str, Any], SourceMap]:
    """Read and validate the scenario file alone."""
    raw, smap = load_yaml(path)
    scenario, issues = validate(Scenario, freeze(raw), smap)
    if scenario is None:
        raise InputError(issues)
    return scenario, raw, smap


def load_inputs(scenario_path: str) -> Inputs:
    """Scenario file -> catalogs -> overrides -> validated `Inputs` (every issue at once)."""
    scenario_path = _relative(scenario_path)
    scenario, raw_scenario, scenario_map = load_scenario_file(scenario_path)
    return inputs_of(scenario, raw_scenario, scenario_map, scenario_path)


def inputs_of(scenario: Scenario, raw_scenario: dict[str, Any], scenario_map: SourceMap,
              scenario_path: str) -> Inputs:
    """A validated scenario's catalogs and overrides -> `Inputs` (paths relative to it)."""
    base = os.path.dirname(scenario_path)
    issues: list[InputIssue] = []
    docs: list[RawDoc] = []
    paths: list[tuple[str, str, tuple[str | int, ...]]] = []
    for kind in ("sites", "providers", "workloads"):
        for i, rel in enumerate(getattr(scenario.catalogs, kind)):
            paths.append((kind, rel, ("catalogs", kind, i)))
    paths.append(("policy", scenario.catalogs.policy, ("catalogs", "policy")))
    for kind, rel, where_path in paths:
        file = os.path.normpath(os.path.join(base, rel))
        if not os.path.exists(file):
            where = scenario_map.find(where_path)
            issues.append(InputIssue(f"{kind} catalog '{rel}' not found", where.file, where.line,
                                     where.column, field=".".join(map(str, where_path)),
                                     hint=f"looked for {file}; paths are relative to the scenario"))
            continue
        try:
            docs.append(_load_doc(kind, file))
        except InputError as exc:
            issues.extend(exc.issues)
    if issues:
        raise InputError(issues)

    log, override_issues = apply_overrides(docs, raw_scenario.get("overrides") or {}, scenario_map)
    issues.extend(override_issues)

    sites: list[Site] = []
    providers: list[Provider] = []
    workloads: list[Workload] = []
    policy: Policy | None = None
    sources: dict[str, Pos] = {f"scenario.{key}": scenario_map.find((key,))
                               for key in raw_scenario if isinstance(key, str)}
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
            for name in policy.data_classes:
                pos = doc.smap.find(("policy", "data_classes", name))
                sources[f"data_class:{name}"] = pos
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
