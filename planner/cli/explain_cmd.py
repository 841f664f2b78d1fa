"""`planner explain`: why one workload goes where it goes."""

from __future__ import annotations

from typing import Annotated

import typer

from planner.cli.common import EXIT_OK, OutFile, emit, format_option, guarded
from planner.cli.output import check_target
from planner.cli.root_option import RootOption
from planner.controls import printable
from planner.render.base import Format


def explain(
    scenario: Annotated[str, typer.Argument(help="Scenario YAML file.", show_default=False)],
    workload_id: Annotated[
        str, typer.Argument(help="Id of the workload to explain.", show_default=False)
    ],
    fmt: Annotated[
        Format, format_option((Format.text, Format.json), "Output format.")
    ] = Format.text,
    out: OutFile = None,
    root: RootOption = None,
) -> None:
    """Explain one workload: eligible places and costs, refusals, decision, runner-up.

    Examples:

    \b
      planner explain scenarios/baseline.yaml ft-ai-diagnostic
      planner explain scenarios/what-if-impossible.yaml \\
          pnds-health-data-platform --format json
    """
    from planner.analysis.explain import explain as run_explain
    from planner.render.explain import render_explain_json, render_explain_text

    def body() -> int:
        check_target(out)
        found = run_explain(scenario, workload_id, root)
        if fmt is Format.json:
            emit(render_explain_json(found), out)
        else:
            emit(printable(render_explain_text(found)), out)
        return EXIT_OK

    raise typer.Exit(guarded(body))
