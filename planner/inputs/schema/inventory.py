"""An inventory as it comes (an RVTools export, a GLPI or iTop CSV, any CSV or XLSX), declared
in a scenario's workloads catalogs with the mapping of its columns to workload fields."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, field_validator, model_validator

from planner.inputs.schema.common import RESOURCES, Strict
from planner.inputs.schema.workloads import UTILISATION_COLUMNS, Workload

# workload fields an inventory column can fill (the resources are read into `demand`, the
# utilisation columns of csv_file.py into `utilisation`)
MAPPABLE_FIELDS: tuple[str, ...] = (
    *(f for f in Workload.model_fields if f not in ("demand", "site_overrides", "utilisation")),
    *RESOURCES,
    *UTILISATION_COLUMNS,
)
REQUIRED_FIELDS: tuple[str, ...] = (
    "id",
    "data_class",
    "needs_24_7",
    "vcpu",
    "ram_gib",
    "storage_gib",
)
NUMBER_FIELDS = frozenset((*RESOURCES, *UTILISATION_COLUMNS, "egress_gib_month", "move_cost_eur"))
# fields that are a size, so a column may give them in another unit
SIZE_FIELDS = frozenset((*RESOURCES, *(c for c in UTILISATION_COLUMNS if c.endswith("_gib"))))
BOOLEAN_FIELDS = frozenset(("needs_24_7", "retire"))
# GiB in one unit of each size unit a column may be in
UNIT_GIB: dict[str, float] = {
    "GiB": 1.0,
    "MiB": 1 / 1024,
    "TiB": 1024.0,
    "GB": 1e9 / 2**30,
    "MB": 1e6 / 2**30,
}
# what an RVTools vInfo sheet gives without being asked (a mapping entry replaces it)
RVTOOLS_MAPPING: dict[str, str | dict[str, str]] = {
    "id": "VM",
    "name": "VM",
    "vcpu": "CPUs",
    "ram_gib": {"column": "Memory", "unit": "MiB"},
    "storage_gib": {"column": "Provisioned MiB", "unit": "MiB"},
}
RVTOOLS_SHEETS = ("vDisk", "vPartition")  # sheets a storage column may be summed from, per VM

Value = str | bool | float | None
Text = Annotated[str, Field(min_length=1)]


class Column(Strict):
    """Where one field comes from: a column, optionally a regular expression whose first group
    (or whole match) is the value, a map of values (`"Oui": true`), a size unit, and (RVTools)
    the sheet whose rows are summed per VM."""

    column: Text
    match: Text | None = None
    values: dict[str, Value] | None = None
    unit: Literal["GiB", "MiB", "TiB", "GB", "MB"] | None = None
    sheet: Text | None = None

    @field_validator("match")
    @classmethod
    def _a_regular_expression(cls, pattern: str | None) -> str | None:
        if pattern is None:
            return None
        try:
            compiled = re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"not a regular expression: {exc}") from None
        if compiled.groups > 1:
            raise ValueError("use at most one group: its text is the value")
        return pattern


def _column_named(value: object) -> object:
    return {"column": value} if isinstance(value, str) else value


# a mapping entry: a column's name, or a Column with more to say
ColumnEntry = Annotated[Column, BeforeValidator(_column_named, json_schema_input_type=str | Column)]


class Filter(Strict):
    """Which rows are workloads: RVTools templates and powered-off VMs (`skip`, `keep`, or,
    powered off, `retire`), rows whose column has one of `only`'s values, none of `skip`'s."""

    templates: Literal["skip", "keep"] | None = None
    powered_off: Literal["skip", "keep", "retire"] | None = None
    only: dict[Text, tuple[str, ...]] = {}
    skip: dict[Text, tuple[str, ...]] = {}


class Inventory(Strict):
    """A workloads catalog read through a declared mapping (README, "Inventories as they come")."""

    file: Text
    format: Literal["rvtools", "csv", "xlsx"]
    sheet: Text | None = None  # xlsx: default the first sheet; rvtools: vInfo
    encoding: Text = "utf-8"  # csv only
    separator: Literal[",", ";", "\t"] | None = None  # csv only; default sniffed
    decimal: Literal[".", ","] = "."  # text cells
    mapping: dict[str, ColumnEntry] = {}
    defaults: dict[str, str | bool | float | tuple[str, ...]] = {}
    filter: Filter = Filter()

    @field_validator("mapping", "defaults")
    @classmethod
    def _known_fields(cls, value: dict[str, object]) -> dict[str, object]:
        unknown = sorted(set(value) - set(MAPPABLE_FIELDS))
        if unknown:
            raise ValueError(
                f"unknown workload field '{unknown[0]}' (fields: {', '.join(MAPPABLE_FIELDS)})"
            )
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Inventory:
        rvtools = self.format == "rvtools"
        if rvtools and (self.filter.templates is None or self.filter.powered_off is None):
            raise ValueError(
                "an RVTools inventory says what to do with templates (filter.templates: skip or "
                "keep) and powered-off VMs (filter.powered_off: skip, keep or retire)"
            )
        if not rvtools and (self.filter.templates or self.filter.powered_off):
            raise ValueError("filter.templates and filter.powered_off are for RVTools exports")
        if self.format != "csv" and (self.encoding != "utf-8" or self.separator is not None):
            raise ValueError("encoding and separator are for CSV files (xlsx cells are typed)")
        if self.format == "xlsx" and not self.mapping:
            raise ValueError("an xlsx inventory needs a mapping: workload field -> column")
        if self.format == "csv" and self.sheet is not None:
            raise ValueError("sheet is for xlsx and RVTools files")
        for name, source in self.mapping.items():
            _check_column(name, source, rvtools)
        for name, default in self.defaults.items():
            _check_value(name, default, "defaults")
        if self.mapping or rvtools:
            given = {*self.mapping, *self.defaults, *(RVTOOLS_MAPPING if rvtools else ())}
            missing = [f for f in REQUIRED_FIELDS if f not in given]
            if missing:
                raise ValueError(
                    f"required field '{missing[0]}' has neither a column in mapping nor a "
                    "value in defaults"
                )
        return self

    def effective_mapping(self) -> dict[str, Column]:
        """Field -> column, the RVTools columns included unless the mapping replaces them."""
        merged: dict[str, Column] = {}
        if self.format == "rvtools":
            merged.update(
                (name, Column.model_validate(_column_named(source)))
                for name, source in RVTOOLS_MAPPING.items()
            )
        merged.update(self.mapping)
        return merged


def _check_column(name: str, source: Column, rvtools: bool) -> None:
    if source.unit is not None and name not in SIZE_FIELDS:
        raise ValueError(
            f"mapping.{name}: unit is for sizes in GiB ({', '.join(sorted(SIZE_FIELDS))})"
        )
    if source.sheet is not None:
        if not rvtools or source.sheet not in RVTOOLS_SHEETS:
            raise ValueError(
                f"mapping.{name}: sheet is an RVTools sheet summed per VM: "
                + " or ".join(RVTOOLS_SHEETS)
            )
        if name not in NUMBER_FIELDS:
            raise ValueError(f"mapping.{name}: only numbers are summed from another sheet")
    for value in (source.values or {}).values():
        if value is not None:
            _check_value(name, value, f"mapping.{name}.values")


def _check_value(name: str, value: object, where: str) -> None:
    """A constant given for a field has that field's type."""
    if name in BOOLEAN_FIELDS:
        ok = isinstance(value, bool)
        kind = "true or false"
    elif name in NUMBER_FIELDS:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        kind = "a number"
    elif name == "exclude":
        ok = isinstance(value, tuple | str)
        kind = "a list of ids"
    else:
        ok = isinstance(value, str)
        kind = "text"
    if not ok:
        raise ValueError(f"{where}: the value for {name} must be {kind}, not {value!r}")
