"""`planner plan` and `planner validate`."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from planner.cli.common import (
    EXIT_CHANGES,
    EXIT_OK,
    OutFile,
    TemplatesOption,
    emit,
    format_option,
    guarded,
    progress,
    report_issues,
    say_wrote,
)
from planner.cli.output import check_target
from planner.cli.root_option import RootOption
from planner.errors import InfeasibleError
from planner.optimise.diagnosis import Diagnosis
from planner.plan.roadmap_document import one_period
from planner.render import Format, render
from planner.render.diagnosis import render_diagnosis_json


class Solver(StrEnum):
    highs = "highs"
    cbc = "cbc"


PLAN_FORMATS = (Format.text, Format.json, Format.html, Format.md, Format.csv)
ScenarioArg = Annotated[str, typer.Argument(help="Scenario YAML file.", show_default=False)]


def plan(
    scenario: ScenarioArg,
    fmt: Annotated[Format, format_option(PLAN_FORMATS, "Output format.")] = Format.text,
    out: OutFile = None,
    solver: Annotated[
        Solver | None, typer.Option(help="Solver (default: the scenario's, else highs).")
    ] = None,
    time_limit: Annotated[
        float | None,
        typer.Option(
            "--time-limit", min=0.001, help="Time limit of the whole run, seconds.", metavar="S"
        ),
    ] = None,
    gap: Annotated[
        float | None,
        typer.Option(
            "--gap",
            min=0.0,
            max=0.99,
            help="Relative MIP gap tolerance (0.001 = 0.1 %).",
            metavar="G",
        ),
    ] = None,
    baseline: Annotated[
        str | None,
        typer.Option(
            "--baseline",
            help="Compare with a previous plan JSON instead of the catalogs' current sites.",
            metavar="PLAN.json",
        ),
    ] = None,
    detailed_exitcode: Annotated[
        bool,
        typer.Option(
            "--detailed-exitcode", help="Exit 0 when nothing changes, 2 when the plan has changes."
        ),
    ] = False,
    templates: TemplatesOption = None,
    timings: Annotated[
        bool,
        typer.Option(
            "--timings",
            help="Record the solve time in the "
            "plan JSON (off by default: plans are "
            "byte-identical).",
        ),
    ] = False,
    root: RootOption = None,
    period: Annotated[
        str | None,
        typer.Option("--period", help="A roadmap's one wave to show.", metavar="NAME"),
    ] = None,
) -> None:
    """Solve a scenario and print its Terraform-style plan.

    Examples:

    \b
      planner plan scenarios/baseline.yaml
      planner plan scenarios/baseline.yaml --format json --out plan.json
      planner plan scenarios/baseline.yaml --format html --out report.html
      planner plan scenarios/what-if-price-rise.yaml --baseline plan.json \\
          --detailed-exitcode
    """
    from planner.pipeline import run_plan

    def body() -> int:
        check_target(out)
        try:
            with progress() as say:
                run = run_plan(
                    scenario,
                    solver=solver.value if solver else None,
                    time_limit_s=time_limit,
                    gap_rel=gap,
                    baseline_path=baseline,
                    timings=timings or fmt is Format.text,
                    progress=say,
                    root=root,
                )
        except InfeasibleError as exc:  # the diagnosis as JSON too, for CI
            if fmt is Format.json and isinstance(exc.diagnosis, Diagnosis):
                emit(render_diagnosis_json(exc.diagnosis), out)
            raise
        if run.warnings:
            report_issues(run.warnings)
        shown = run.plan if period is None else one_period(run.plan, period)
        emit(render(shown, fmt, templates), out)
        say_wrote(out)
        if detailed_exitcode and run.plan.has_changes:
            return EXIT_CHANGES
        return EXIT_OK

    raise typer.Exit(guarded(body))
