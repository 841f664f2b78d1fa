"""`planner show`: re-render a saved plan JSON without solving."""

from __future__ import annotations

from typing import Annotated

import typer

from planner.cli.common import (
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
    say_wrote,
)
from planner.cli.plan_cmd import (
    PLAN_FORMATS,
    SummaryOption,
    check_csv_dialect,
    check_output,
    check_summary,
)
from planner.plan.roadmap_document import one_period
from planner.render import Format, render_output


def show(
    plan_file: Annotated[
        str,
        typer.Argument(
            help="Plan JSON written by `planner plan --format json`.",
            metavar="PLAN.json",
            show_default=False,
        ),
    ],
    fmt: Annotated[Format, format_option(PLAN_FORMATS, "Output format.")] = Format.text,
    out: OutFile = None,
    templates: TemplatesOption = None,
    summary: SummaryOption = False,
    lang: LangOption = Lang.en,
    csv_dialect: CsvDialectOption = CsvDialect.rfc4180,
    period: Annotated[
        str | None,
        typer.Option("--period", help="A roadmap's one wave to show.", metavar="NAME"),
    ] = None,
) -> None:
    """Render a saved plan again, in any format, without solving.

    Examples:

    \b
      planner show plan.json
      planner show plan.json --format html --out report.html
      planner show plan.json --summary
      planner show plan.json --lang fr --format xlsx --out plan.xlsx
      planner show plan.json --lang fr --format csv --csv-dialect excel-fr
      planner show plan.json --format md --templates ministry-templates/
    """
    from planner.plan.document import load_plan

    def body() -> int:
        check_output(out, fmt, templates)
        check_summary(summary, fmt)
        check_csv_dialect(csv_dialect, fmt)
        plan = load_plan(plan_file)
        if period is not None:
            plan = one_period(plan, period)
        emit(render_output(plan, fmt, templates, summary, lang.value, csv_dialect.value), out)
        say_wrote(out)
        return EXIT_OK

    raise typer.Exit(guarded(body))
