"""Parameter addresses into a scenario's validated inputs, and changes applied through them.

An address names a kind, the ids it applies to (globs such as `*-snc`, `*` and `?` as in
shell patterns, several separated by commas: `offers[*-snc,s3ns-premi3ns]`), then a path of
fields: `offers[*-snc].unit_prices_eur_month.*`,
`sites[nubo].expansion_blocks[nubo-compute-rack].max_blocks`, `workloads[*].demand.vcpu`,
`data_classes[health].placeable`, `scenario.caps.max_outsourced_share_pct`. A `*` field is
every field of that object that has a value (a number, for `multiply` and `add`); `[glob]`
after a list field picks its items by `id` (or `name`).

A change (`set`, `multiply`, `add`) is applied to a plain copy of each object it touches, and
the object is validated again by its schema: a variant is always a valid scenario.
"""

from __future__ import annotations

import difflib
import fnmatch
import re
from dataclasses import dataclass, replace
from typing import Any

from pydantic import BaseModel, ValidationError

from planner.inputs.frozen import Inputs
from planner.inputs.schema import Policy, Provider, Scenario, Site, Workload
from planner.inputs.schema_errors import freeze
from planner.inputs.source import excerpt

KINDS = ("sites", "offers", "providers", "workloads", "data_classes", "scenario")
_HEAD = re.compile(r"^(sites|offers|providers|workloads|data_classes)\[([^\[\]]+)\]")
_STEP = re.compile(r"\.([A-Za-z0-9_]+|\*)(?:\[([^\[\]]+)\])?")


class AddressError(ValueError):
    """An address that cannot be read, or a change that cannot be applied; `str` says why."""


@dataclass(frozen=True)
class Step:
    """One field of a path (`*`: every field with a value), optionally its items by id."""

    name: str
    items: str | None = None


@dataclass(frozen=True)
class Address:
    text: str
    kind: str
    ids: str | None  # glob over the objects' ids (None for `scenario`)
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Setting:
    """One change of a variant: an address, an operation and its value."""

    address: str
    op: str  # 'set' | 'multiply' | 'add'
    value: Any

    def as_json(self) -> dict[str, Any]:
        return {"address": self.address, "op": self.op, "value": _plain(self.value)}


def _plain(value: Any) -> Any:
    """Tuples as lists: the JSON form of a value."""
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def parse_address(text: str) -> Address:
    """`offers[*-snc].unit_prices_eur_month.*` -> its parts; AddressError if malformed."""
    if text.startswith("scenario."):
        kind, ids, rest = "scenario", None, text[len("scenario") :]
    else:
        head = _HEAD.match(text)
        if head is None:
            raise AddressError(
                "an address starts with sites[ID], offers[ID], providers[ID], workloads[ID], "
                "data_classes[NAME] or scenario."
            )
        kind, ids, rest = head.group(1), head.group(2), text[head.end() :]
    steps: list[Step] = []
    at = 0
    while at < len(rest):
        step = _STEP.match(rest, at)
        if step is None:
            raise AddressError(f"cannot read the path at '{excerpt(rest[at:])}'")
        steps.append(Step(step.group(1), step.group(2)))
        at = step.end()
    if not steps:
        raise AddressError("an address names a field after the object, e.g. '.capacity.vcpu'")
    return Address(text, kind, ids, tuple(steps))


# ------------------------------------------------------------------------ the objects


Top = tuple[str, int | None]  # ('sites', 3), ('providers', 0), ('policy', None), ...


def _collection(inputs: Inputs, name: str) -> tuple[BaseModel, ...]:
    return {"sites": inputs.sites, "providers": inputs.providers, "workloads": inputs.workloads}[
        name
    ]


def _matches(name: str, globs: str) -> bool:
    """`name` matches one of the comma-separated globs."""
    return any(fnmatch.fnmatchcase(name, glob.strip()) for glob in globs.split(","))


def _objects(inputs: Inputs, address: Address) -> list[tuple[Top, tuple[str | int, ...]]]:
    """Each object the address's kind and ids select: its top object and its path in it."""
    glob = address.ids or "*"
    if address.kind == "scenario":
        return [(("scenario", None), ())]
    if address.kind == "data_classes":
        return [
            (("policy", None), ("data_classes", name))
            for name in sorted(inputs.policy.data_classes)
            if _matches(name, glob)
        ]
    if address.kind == "offers":
        return [
            (("providers", i), ("offers", j))
            for i, provider in enumerate(inputs.providers)
            for j, offer in enumerate(provider.offers)
            if _matches(offer.id, glob)
        ]
    items = _collection(inputs, address.kind)
    return [
        ((address.kind, i), ())
        for i, obj in enumerate(items)
        if _matches(str(getattr(obj, "id", "")), glob)
    ]


def _ids(inputs: Inputs, kind: str) -> list[str]:
    if kind == "data_classes":
        return sorted(inputs.policy.data_classes)
    if kind == "offers":
        return sorted(o.id for o in inputs.offers)
    return sorted(str(getattr(o, "id", "")) for o in _collection(inputs, kind))


def _top_object(inputs: Inputs, top: Top) -> BaseModel:
    name, index = top
    if name == "scenario":
        return inputs.scenario
    if name == "policy":
        return inputs.policy
    assert index is not None
    return _collection(inputs, name)[index]


# ------------------------------------------------------------------------ paths in data


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _leaves(
    data: Any, steps: tuple[Step, ...], numeric: bool, path: tuple[str | int, ...] = ()
) -> tuple[list[tuple[str | int, ...]], str | None]:
    """The concrete paths `steps` reach in `data`, or why they reach nothing."""
    if not steps:
        return [path], None
    step, rest = steps[0], steps[1:]
    if not isinstance(data, dict):
        return [], f"'{step.name}' is below a value that has no fields"
    if step.name == "*":
        names = [
            k for k, v in data.items() if v is not None and (not numeric or rest or _is_number(v))
        ]
    elif step.name in data:
        names = [step.name]
    else:
        close = difflib.get_close_matches(step.name, [str(k) for k in data], n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        return [], f"no field '{excerpt(step.name)}'{hint}"
    found: list[tuple[str | int, ...]] = []
    why: str | None = None
    for name in names:
        value = data[name]
        if step.items is not None:
            if not isinstance(value, tuple | list):
                return [], f"'{name}' is not a list: '[{excerpt(step.items)}]' picks list items"
            for i, item in enumerate(value):
                key = item.get("id", item.get("name")) if isinstance(item, dict) else None
                if isinstance(key, str) and fnmatch.fnmatchcase(key, step.items):
                    more, reason = _leaves(item, rest, numeric, (*path, name, i))
                    found += more
                    why = why or reason
            if not found and why is None:
                why = f"no item of '{name}' has an id matching '{excerpt(step.items)}'"
        else:
            more, reason = _leaves(value, rest, numeric, (*path, name))
            found += more
            why = why or reason
    if not names:
        why = why or ("'*' matches no field with a number" if numeric else "'*' matches no field")
    return found, why


def _get(data: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def _put(data: Any, path: tuple[str | int, ...], value: Any) -> None:
    """Set `value` at `path`, turning the tuples on the way into lists (a copy is edited)."""
    for part in path[:-1]:
        child = data[part]
        if isinstance(child, tuple):
            child = list(child)
            data[part] = child
        data = child
    data[path[-1]] = value


def _operated(old: Any, op: str, value: Any) -> Any:
    if op == "set":
        return freeze(value)
    if not _is_number(value):
        raise AddressError(f"{op} takes a number, not '{excerpt(str(value))}'")
    if old is None:
        raise AddressError(f"cannot {op} a value that is not given (set it instead)")
    if not _is_number(old):
        raise AddressError(f"cannot {op} '{excerpt(str(old))}': it is not a number")
    new = old * value if op == "multiply" else old + value
    if isinstance(old, int) and float(new).is_integer():
        return int(new)
    return float(new)


# ------------------------------------------------------------------------ applying


_REBUILD: dict[str, type[BaseModel]] = {
    "sites": Site,
    "providers": Provider,
    "workloads": Workload,
    "policy": Policy,
    "scenario": Scenario,
}


@dataclass(frozen=True)
class ChangeError:
    """Why change number `index` of a list could not be applied."""

    index: int
    message: str


def check_address(inputs: Inputs, setting: Setting) -> str | None:
    """Why `setting`'s address reaches nothing in `inputs`, or None if it reaches a value."""
    try:
        address = parse_address(setting.address)
    except AddressError as exc:
        return str(exc)
    objects = _objects(inputs, address)
    if not objects:
        ids = _ids(inputs, address.kind)
        close = difflib.get_close_matches(address.ids or "", ids, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        return f"no {address.kind[:-1]} id matches '{excerpt(address.ids or '')}'{hint}"
    numeric = setting.op != "set"
    why: str | None = None
    for top, inner in objects:
        data = _get(_top_object(inputs, top).model_dump(), inner)
        leaves, reason = _leaves(data, address.steps, numeric)
        if leaves:
            return None
        why = why or reason
    return why or "the address reaches no value"


def apply_settings(
    inputs: Inputs, settings: tuple[Setting, ...]
) -> tuple[Inputs, list[ChangeError]]:
    """`inputs` with every setting applied in order, each touched object validated again."""
    plain: dict[Top, dict[str, Any]] = {}
    touched_by: dict[Top, list[int]] = {}
    errors: list[ChangeError] = []
    for n, setting in enumerate(settings):
        try:
            address = parse_address(setting.address)
        except AddressError as exc:
            errors.append(ChangeError(n, str(exc)))
            continue
        for top, inner in _objects(inputs, address):
            if top not in plain:
                plain[top] = _top_object(inputs, top).model_dump()
            base = _get(plain[top], inner)
            leaves, _why = _leaves(base, address.steps, setting.op != "set")
            try:
                for leaf in leaves:
                    full = (*inner, *leaf)
                    _put(
                        plain[top],
                        full,
                        _operated(_get(plain[top], full), setting.op, setting.value),
                    )
            except AddressError as exc:
                errors.append(ChangeError(n, str(exc)))
            touched_by.setdefault(top, []).append(n)
    if errors:
        return inputs, errors
    rebuilt: dict[Top, BaseModel] = {}
    for top, data in plain.items():
        try:
            rebuilt[top] = _REBUILD[top[0]].model_validate(freeze(data))
        except ValidationError as exc:
            first = exc.errors(include_url=False)[0]
            where = ".".join(str(p) for p in first["loc"])
            errors.append(ChangeError(touched_by[top][-1], f"{where}: {first['msg']}"))
    if errors:
        return inputs, errors
    return _with(inputs, rebuilt), []


def _with(inputs: Inputs, rebuilt: dict[Top, BaseModel]) -> Inputs:
    def collection(name: str) -> tuple[Any, ...]:
        items = list(_collection(inputs, name))
        for (kind, index), obj in rebuilt.items():
            if kind == name and index is not None:
                items[index] = obj
        return tuple(items)

    scenario = rebuilt.get(("scenario", None), inputs.scenario)
    policy = rebuilt.get(("policy", None), inputs.policy)
    assert isinstance(scenario, Scenario) and isinstance(policy, Policy)
    return replace(
        inputs,
        sites=collection("sites"),
        providers=collection("providers"),
        workloads=collection("workloads"),
        policy=policy,
        scenario=scenario,
    )
