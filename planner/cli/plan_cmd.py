"""`planner plan` and `planner validate`."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from planner.cli.common import (
    EXIT_CHANGES,
    EXIT_OK,
    CsvDialect,
    CsvDialectOption,
    Lang,
    LangOption,
    OutFile,
    TemplatesOption,
    emit,
    format_option,
    guarded,
    progress,
    report_issues,
    say_wrote,
)
from planner.cli.output import check_binary_stdout, check_target
from planner.cli.root_option import RootOption
from planner.errors import InfeasibleError, InputError, InputIssue
from planner.optimise.diagnosis import Diagnosis
from planner.plan.roadmap_document import one_period
from planner.render import Format, render_output
from planner.render.base import render_diagnosis
from planner.render.diagnosis import render_diagnosis_json


class Solver(StrEnum):
    highs = "highs"
    cbc = "cbc"


PLAN_FORMATS = (Format.text, Format.json, Format.html, Format.md, Format.csv, Format.xlsx)
ScenarioArg = Annotated[str, typer.Argument(help="Scenario YAML file.", show_default=False)]
SummaryOption = Annotated[
    bool,
    typer.Option(
        "--summary",
        help="Text plan: the totals, the biggest changes and the counts only, without one "
        "block per resource.",
    ),
]


def check_summary(summary: bool, fmt: Format) -> None:
    """`--summary` shortens the text plan; with another format it is a usage error."""
    if summary and fmt is not Format.text:
        raise InputError(
            [
                InputIssue(
                    f"applies to the text plan only, not to --format {fmt.value}",
                    None,
                    field="--summary",
                    hint="drop --summary, or use --format text",
                )
            ]
        )


def check_csv_dialect(dialect: CsvDialect, fmt: Format) -> None:
    """`--csv-dialect` shapes the CSV only; with another format it is a usage error."""
    if dialect is not CsvDialect.rfc4180 and fmt is not Format.csv:
        raise InputError(
            [
                InputIssue(
                    f"applies to the CSV output only, not to --format {fmt.value}",
                    None,
                    field="--csv-dialect",
                    hint="drop --csv-dialect, or use --format csv",
                )
            ]
        )


def check_output(out: str | None, fmt: Format, templates: str | None) -> None:
    """`--out` can take the format (a workbook never goes to a terminal), and `--templates`
    applies to a templated format (a workbook has none): usage errors before any work."""
    target = check_target(out)
    if fmt.binary:
        check_binary_stdout(target)
    if templates is not None and fmt is Format.xlsx:
        raise InputError(
            [
                InputIssue(
                    f"--format {fmt.value} has no templates",
                    templates,
                    field="--templates",
                    hint="drop --templates, or use --format text, html, md or csv",
                )
            ]
        )


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
            "--time-limit",
            min=0.001,
            help="Time limit of the solves, seconds, from the start of solving (loading, "
            "building the model and writing the plan come on top).",
            metavar="S",
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
    summary: SummaryOption = False,
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
    lang: LangOption = Lang.en,
    csv_dialect: CsvDialectOption = CsvDialect.rfc4180,
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
      planner plan scenarios/baseline.yaml --summary
      planner plan scenarios/baseline.yaml --format xlsx --out plan.xlsx
      planner plan scenarios/baseline.yaml --lang fr -f html -o rapport.html
      planner plan scenarios/what-if-price-rise.yaml --baseline plan.json \\
          --detailed-exitcode
    """
    from planner.pipeline import run_plan

    def body() -> int:
        check_output(out, fmt, templates)
        check_summary(summary, fmt)
        check_csv_dialect(csv_dialect, fmt)
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
        except InfeasibleError as exc:  # the diagnosis as JSON (for CI) or HTML too
            if fmt is Format.json and isinstance(exc.diagnosis, Diagnosis):
                emit(render_diagnosis_json(exc.diagnosis), out)
            elif fmt is Format.html and isinstance(exc.diagnosis, Diagnosis):
                emit(render_diagnosis(exc.diagnosis, exc.inputs, templates, lang.value), out)
                say_wrote(out)
            raise
        if run.warnings:
            report_issues(run.warnings)
        shown = run.plan if period is None else one_period(run.plan, period)
        emit(render_output(shown, fmt, templates, summary, lang.value, csv_dialect.value), out)
        say_wrote(out)
        if detailed_exitcode and run.plan.has_changes:
            return EXIT_CHANGES
        return EXIT_OK

    raise typer.Exit(guarded(body, lang.value))
