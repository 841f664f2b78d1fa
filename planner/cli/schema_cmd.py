"""`planner schema`: the JSON Schema of each input file kind."""

from __future__ import annotations

import os
from enum import StrEnum
from typing import Annotated

import typer

from planner.cli.common import EXIT_OK, emit, err_console, guarded
from planner.cli.output import write_atomic
from planner.errors import InputError, InputIssue
from planner.inputs.schema import FILE_KINDS

Kind = StrEnum("Kind", {k: k for k in FILE_KINDS})  # type: ignore[misc]


def _check_folder(out: str) -> None:
    """`--out DIR` must be a folder, or a new one inside an existing folder."""
    if os.path.isdir(out):
        return
    if out == "" or os.path.exists(out):
        raise InputError(
            [
                InputIssue(
                    "not a folder",
                    out or "''",
                    field="--out",
                    hint="give a folder for the KIND.schema.json files",
                )
            ]
        )
    parent = os.path.dirname(os.path.abspath(out))
    if not os.path.isdir(parent):
        raise InputError([InputIssue(f"folder '{parent}' does not exist", out, field="--out")])


def schema(
    kind: Annotated[
        Kind | None, typer.Argument(help="One file kind (default: all).", show_default=False)
    ] = None,
    out: Annotated[
        str | None,
        typer.Option(
            "--out",
            "-o",
            metavar="DIR",
            help="Write KIND.schema.json files into DIR instead of printing.",
        ),
    ] = None,
) -> None:
    """Write the JSON Schema of each file kind, for editors and CI.

    Without --out, one KIND prints its schema; all kinds print one JSON object mapping
    each file name (sites.schema.json, ...) to its schema.

    A catalog file can name its schema on its first line, so yaml-language-server
    completes and checks it as it is typed:

    \b
      # yaml-language-server: $schema=../schemas/sites.schema.json

    Examples:

    \b
      planner schema --out schemas/
      planner schema workloads
      planner schema > all-schemas.json
    """
    from planner.inputs.json_schema import all_schemas_text, file_name, schema_text

    kinds = [kind.value] if kind is not None else list(FILE_KINDS)

    def body() -> int:
        if out is None:
            emit(schema_text(kinds[0]) if len(kinds) == 1 else all_schemas_text(), None)
            return EXIT_OK
        _check_folder(out)
        os.makedirs(out, exist_ok=True)
        for name in kinds:
            path = os.path.join(out, file_name(name))
            write_atomic(path, schema_text(name))
            err_console().print(f"wrote {path}", markup=False)
        return EXIT_OK

    raise typer.Exit(guarded(body))
