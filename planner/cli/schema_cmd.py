"""`planner schema`: the JSON Schema of each input file kind."""

from __future__ import annotations

import os
from enum import StrEnum
from typing import Annotated

import typer

from planner.cli.common import EXIT_OK, emit, err_console, guarded, write_atomic
from planner.schema import FILE_KINDS

Kind = StrEnum("Kind", {k: k for k in FILE_KINDS})  # type: ignore[misc]


def schema(
    kind: Annotated[Kind | None, typer.Argument(help="One file kind (default: all).",
                                                show_default=False)] = None,
    out: Annotated[str | None, typer.Option("--out", "-o", metavar="DIR",
                                            help="Write KIND.schema.json files into DIR "
                                                 "instead of printing.")] = None,
) -> None:
    """Write the JSON Schema of each file kind, for editors and CI.

    A catalog file can name its schema on its first line, so yaml-language-server
    completes and checks it as it is typed:

      # yaml-language-server: $schema=../schemas/sites.schema.json

    Examples:

      planner schema --out schemas/

      planner schema workloads
    """
    from planner.json_schema import file_name, schema_text

    kinds = [kind.value] if kind is not None else list(FILE_KINDS)

    def body() -> int:
        if out is None:
            if len(kinds) != 1:
                err_console().print("error: name one KIND to print, or give --out DIR",
                                    markup=False)
                return 1
            emit(schema_text(kinds[0]), None)
            return EXIT_OK
        os.makedirs(out, exist_ok=True)
        for name in kinds:
            path = os.path.join(out, file_name(name))
            write_atomic(path, schema_text(name))
            err_console().print(f"wrote {path}", markup=False)
        return EXIT_OK

    raise typer.Exit(guarded(body))
