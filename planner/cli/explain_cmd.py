"""`planner explain`: why one workload goes where it goes."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from planner.cli.common import EXIT_OK, emit, guarded
from planner.cli.root_option import RootOption


class ExplainFormat(StrEnum):
    text = "text"
    json = "json"


def explain(
    scenario: Annotated[str, typer.Argument(help="Scenario YAML file.", show_default=False)],
    workload_id: Annotated[str, typer.Argument(help="Id of the workload to explain.",
                                               show_default=False)],
    fmt: Annotated[ExplainFormat, typer.Option("--format", "-f", help="Output format.")]
    = ExplainFormat.text,
    out: Annotated[str | None, typer.Option("--out", "-o", help="Write to FILE (atomically) "
                                            "instead of stdout.", metavar="FILE")] = None,
    root: RootOption = None,
) -> None:
    """Explain one workload: eligible places and costs, refusals, decision, runner-up.

    Examples:

      planner explain scenarios/baseline.yaml ft-ai-diagnostic

      planner explain scenarios/what-if-impossible.yaml pnds-health-data-platform --format json
    """
    from planner.explain import explain as run_explain
    from planner.render.templating import environment

    def body() -> int:
        found = run_explain(scenario, workload_id, root)
        if fmt is ExplainFormat.json:
            emit(found.to_json(), out)
        else:
            template = environment().get_template("explain.txt.j2")
            emit(template.render(e=found), out)
        return EXIT_OK

    raise typer.Exit(guarded(body))
