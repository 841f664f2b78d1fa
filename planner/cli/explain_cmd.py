"""`planner explain`: why one workload goes where it goes."""

from __future__ import annotations

from typing import Annotated

import typer

from planner.cli.common import EXIT_OK, Lang, LangOption, OutFile, emit, format_option, guarded
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
    lang: LangOption = Lang.en,
) -> None:
    """Explain one workload: eligible places and costs, refusals, decision, runner-up.

    Examples:

    \b
      planner explain scenarios/baseline.yaml ft-ai-diagnostic
      planner explain scenarios/baseline.yaml ft-ai-diagnostic --lang fr
      planner explain scenarios/what-if-impossible.yaml \\
          pnds-health-data-platform --format json
    """
    from planner.analysis.explain import explain as run_explain
    from planner.render.explain import render_explain_json, render_explain_text
    from planner.render.i18n import speaking

    def body() -> int:
        check_target(out)
        found = run_explain(scenario, workload_id, root)
        with speaking(lang.value):  # the sentences in JSON too; its keys stay English
            text = (
                render_explain_json(found)
                if fmt is Format.json
                else printable(render_explain_text(found))
            )
        emit(text, out)
        return EXIT_OK

    raise typer.Exit(guarded(body))
