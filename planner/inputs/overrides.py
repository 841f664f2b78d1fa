"""Scenario overrides: deep-merge partial values into catalog objects, by id.

Priority, stated once: catalog files are read in the order the scenario lists them; the
scenario's `overrides` are applied last and win. Mappings merge key by key; any other value
(a number, a string, a list) replaces the catalog value whole.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from planner.errors import InputIssue
from planner.inputs.source import Path, SourceMap, dotted


@dataclass
class RawDoc:
    """One catalog file as loaded: its kind, raw data and source map."""

    kind: str
    file: str
    data: Any
    smap: SourceMap


def _targets(docs: list[RawDoc], kind: str) -> dict[str, tuple[RawDoc, Path, dict[str, Any]]]:
    """Objects an override of `kind` can address: id -> (doc, path, raw object)."""
    found: dict[str, tuple[RawDoc, Path, dict[str, Any]]] = {}

    def items(doc: RawDoc, key: str) -> list[tuple[int, Any]]:
        value = doc.data.get(key) if isinstance(doc.data, dict) else None
        return list(enumerate(value)) if isinstance(value, list) else []

    for doc in docs:
        if kind in ("sites", "workloads") and doc.kind == kind:
            for i, obj in items(doc, kind):
                if isinstance(obj, dict) and isinstance(obj.get("id"), str):
                    found.setdefault(obj["id"], (doc, (kind, i), obj))
        elif kind in ("providers", "offers") and doc.kind == "providers":
            for i, provider in items(doc, "providers"):
                if not isinstance(provider, dict):
                    continue
                if kind == "providers" and isinstance(provider.get("id"), str):
                    found.setdefault(provider["id"], (doc, ("providers", i), provider))
                offers = provider.get("offers")
                if kind == "offers" and isinstance(offers, list):
                    for j, offer in enumerate(offers):
                        if isinstance(offer, dict) and isinstance(offer.get("id"), str):
                            path: Path = ("providers", i, "offers", j)
                            found.setdefault(offer["id"], (doc, path, offer))
        elif kind == "data_classes" and doc.kind == "policy":
            policy = doc.data.get("policy") if isinstance(doc.data, dict) else None
            classes = policy.get("data_classes") if isinstance(policy, dict) else None
            if isinstance(classes, dict):
                for name, rule in classes.items():
                    if isinstance(rule, dict):
                        found[name] = (doc, ("policy", "data_classes", name), rule)
    return found


def _merge(target: dict[str, Any], patch: dict[str, Any], prefix: str, log: list[str]) -> None:
    for key, value in patch.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value, f"{prefix}.{key}", log)
        else:
            before = target.get(key, "(unset)")
            target[key] = value
            log.append(f"{prefix}.{key}: {_short(before)} -> {_short(value)}")


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def apply_overrides(
    docs: list[RawDoc], overrides: dict[str, Any], scenario_map: SourceMap
) -> tuple[list[str], list[InputIssue]]:
    """Apply the scenario's overrides in place; return the change log and any issues."""
    log: list[str] = []
    issues: list[InputIssue] = []
    for kind, by_id in overrides.items():
        targets = _targets(docs, kind)
        for object_id, patch in by_id.items():
            where = scenario_map.find(("overrides", kind, object_id))
            if object_id not in targets:
                close = difflib.get_close_matches(object_id, list(targets), n=1)
                hint = f"did you mean '{close[0]}'?" if close else f"no {kind} has this id"
                issues.append(
                    InputIssue(
                        f"override of unknown {kind[:-1]} '{object_id}'",
                        where.file,
                        where.line,
                        where.column,
                        field=dotted(("overrides", kind, object_id)),
                        hint=hint,
                    )
                )
                continue
            if "id" in patch and patch["id"] != object_id:
                issues.append(
                    InputIssue(
                        "an override cannot change an id",
                        where.file,
                        where.line,
                        where.column,
                        field="id",
                    )
                )
                continue
            doc, path, obj = targets[object_id]
            _merge(obj, patch, f"{kind}.{object_id}", log)
            doc.smap.graft(path, scenario_map, ("overrides", kind, object_id))
    return log, issues
