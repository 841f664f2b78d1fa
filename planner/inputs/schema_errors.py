"""Validate raw documents against the schemas; pydantic errors become located input issues."""

from __future__ import annotations

import difflib
import re
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from planner.errors import InputIssue
from planner.inputs.schema.common import MAX_AMOUNT
from planner.inputs.source import SourceMap, dotted, excerpt

M = TypeVar("M", bound=BaseModel)

_NUMBER = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")


def _model_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The model class that holds the field at `loc` (best effort, for did-you-mean hints)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(part)
            if field is None:
                return None
            current = _innermost(field.annotation)
        elif typing.get_origin(current) is dict:
            current = _innermost(typing.get_args(current)[1])
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _innermost(annotation: Any) -> Any:
    """Strip Optional/tuple/Annotated wrappers down to a model class or a dict type."""
    while True:
        origin = typing.get_origin(annotation)
        args = [a for a in typing.get_args(annotation) if a is not type(None) and a is not Ellipsis]
        if origin is dict:
            return annotation
        if origin is None or not args:
            return annotation
        models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
        annotation = models[0] if models else args[0]


def _hint(
    root: type[BaseModel], loc: tuple[str | int, ...], error_type: str, value: Any
) -> str | None:
    if error_type == "extra_forbidden" and loc and isinstance(loc[-1], str):
        owner = _model_at(root, loc[:-1])
        if owner is not None:
            names = list(owner.model_fields)
            close = difflib.get_close_matches(loc[-1], names, n=1, cutoff=0.6)
            if close:
                return f"did you mean '{close[0]}'?"
            return "allowed fields: " + ", ".join(names)
    if error_type in ("float_type", "int_type", "finite_number", "string_type", "bool_type"):
        return _type_hint(error_type, value)
    if error_type == "greater_than_equal":
        return "the value must not be negative"
    if error_type in ("date_type", "date_from_datetime_inexact"):
        return "write a date as YYYY-MM-DD"
    return None


def _type_hint(error_type: str, value: Any) -> str | None:
    """What the value was read as, and how to write what was meant."""
    if error_type == "string_type":
        if isinstance(value, bool):
            return f"read as the boolean {str(value).lower()}: put it in quotes to keep it as text"
        if isinstance(value, int | float):
            return f"read as the number {value!r}: put it in quotes to keep it as text"
        return "the value is empty or null: write it" if value is None else None
    if error_type == "bool_type":
        return "use true or false" + (
            " (yes, no, on and off are text)" if isinstance(value, str) else ""
        )
    if isinstance(value, bool):
        return f"read as the boolean {str(value).lower()}: write a number"
    if isinstance(value, str):
        if _NUMBER.fullmatch(value.strip()):
            return "write the number without quotes"
        return "write a plain number such as 1500, 1500.5 or 1.5e3 (no separators or units)"
    if error_type == "finite_number" or isinstance(value, int):
        return f"write an ordinary number, at most {MAX_AMOUNT:,.0f}"
    if error_type == "int_type" and isinstance(value, float):
        return "write a whole number"
    return None


def freeze(value: Any) -> Any:
    """Lists -> tuples, recursively (the schemas take tuples for sequences).

    A mapping with no list inside is returned as it is, not copied: inventories can be large.
    """
    if isinstance(value, list):
        return tuple(v if type(v) in _PLAIN else freeze(v) for v in value)
    if isinstance(value, dict):
        changed = {
            k: frozen
            for k, v in value.items()
            if type(v) not in _PLAIN and (frozen := freeze(v)) is not v
        }
        return {**value, **changed} if changed else value
    return value


# values `freeze` returns as they are, skipped without a call (a large inventory has millions)
_PLAIN = frozenset({str, int, float, bool, type(None), tuple})


def validate(model: type[M], data: Any, smap: SourceMap) -> tuple[M | None, list[InputIssue]]:
    """Validate `data` as `model`; on failure return every issue, each with file and line."""
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        return None, _located(model, exc, smap)


def check_items(
    model: type[BaseModel], key: str, data: Any, smap: SourceMap, chunk_items: int = 1_000
) -> list[InputIssue]:
    """The issues `validate` finds, for a check that does not keep the model.

    A file that is one long list under `key` (an inventory) is validated a chunk of items at a
    time and each chunk's models dropped, so memory stays that of the raw data.
    """
    items = data.get(key) if isinstance(data, dict) else None
    if not isinstance(items, list) or set(data) != {key}:
        return validate(model, freeze(data), smap)[1]
    issues: list[InputIssue] = []
    for start in range(0, len(items), chunk_items):
        chunk = {key: tuple(freeze(item) for item in items[start : start + chunk_items])}
        try:
            model.model_validate(chunk)
        except ValidationError as exc:
            issues += _located(model, exc, smap, start)
    return issues


_ENTRY_TAGS = ("file", "inventory")


def _located(
    model: type[BaseModel], exc: ValidationError, smap: SourceMap, offset: int = 0
) -> list[InputIssue]:
    """Pydantic's errors as issues with file and line; `offset` is added to the item index."""
    issues = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        if loc[:2] == ("catalogs", "workloads") and len(loc) > 3 and loc[3] in _ENTRY_TAGS:
            loc = loc[:3] + loc[4:]  # the tag of a workloads entry's kind (scenario.py)
        if offset and len(loc) >= 2 and isinstance(loc[1], int):
            loc = (loc[0], loc[1] + offset, *loc[2:])
        # pydantic appends the literal/union branch name to some locations; keep the real path
        pos = smap.find(loc)
        message = error["msg"]
        if error["type"] == "extra_forbidden":
            message = f"unknown field '{excerpt(str(loc[-1]))}'"
        elif error["type"] == "missing":
            message = f"missing required field '{loc[-1]}'"
        elif error["type"] == "value_error":  # a model's own check: its sentence alone
            message = message.removeprefix("Value error, ")
        hint = _hint(model, loc, error["type"], error.get("input"))
        shown = tuple(excerpt(p) if isinstance(p, str) else p for p in loc)
        issues.append(
            InputIssue(
                message, pos.file, pos.line, pos.column, field=dotted(shown) or None, hint=hint
            )
        )
    return issues
