"""`planner show`: re-render a saved plan JSON without solving."""

from __future__ import annotations

from typing import Annotated

import typer

from planner.cli.common import EXIT_OK, emit, err_console, guarded
from planner.render import Format, render


def show(
    plan_file: Annotated[str, typer.Argument(help="Plan JSON written by `planner plan "
                                             "--format json`.", metavar="PLAN.json",
                                             show_default=False)],
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    out: Annotated[str | None, typer.Option("--out", "-o", help="Write to FILE (atomically) "
                                            "instead of stdout.", metavar="FILE")] = None,
    templates: Annotated[str | None, typer.Option("--templates", help="Directory of templates "
                                                  "overriding the packaged ones.",
                                                  metavar="DIR")] = None,
) -> None:
    """Render a saved plan again, in any format, without solving.

    Examples:

      planner show plan.json

      planner show plan.json --format html --out report.html

      planner show plan.json --format md --templates ministry-templates/
    """
    from planner.plan import load_plan

    def body() -> int:
        plan = load_plan(plan_file)
        emit(render(plan, fmt, templates), out)
        if out is not None:
            err_console().print(f"wrote {out}", markup=False)
        return EXIT_OK

    raise typer.Exit(guarded(body))
