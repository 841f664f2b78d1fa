"""`planner validate PATH...`: check catalogs and scenarios, report for people or for CI.

Exit codes: 0 no errors (warnings allowed unless --strict; notes always), 1 errors found or bad
usage.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from planner.cli.common import (
    EXIT_ERROR,
    EXIT_OK,
    OutFile,
    PriceAgeDays,
    QualificationDays,
    emit,
    err_console,
    guarded,
    say_wrote,
)
from planner.cli.output import check_target
from planner.cli.root_option import RootOption
from planner.render.issues import IssueFormat, render_issues


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter("write a date as YYYY-MM-DD") from None


def validate(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Scenario files, catalog files, or directories of them.", show_default=False
        ),
    ],
    fmt: Annotated[
        IssueFormat,
        typer.Option(
            "--format",
            "-f",
            help="text (file:line:column), "
            "json, github (workflow annotations) or gitlab "
            "(code quality report).",
        ),
    ] = IssueFormat.text,
    out: OutFile = None,
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
    qualification_days: QualificationDays = 90,
    price_age_days: PriceAgeDays = 365,
    reference_date: Annotated[
        str | None,
        typer.Option(
            "--reference-date",
            metavar="YYYY-MM-DD",
            help="Date the checks of catalogs given without a scenario use (default: today); "
            "a scenario uses its own reference_date.",
        ),
    ] = None,
    root: RootOption = None,
) -> None:
    """Check scenarios and catalogs: schemas, references, policy coverage, freshness.

    A scenario is checked with all its catalogs; a catalog file against the schema of its
    top-level key and through every scenario of its repository that uses it. Issues a scenario
    expects (expect: infeasible) are notes. Exit 0 when there is no error, 1 otherwise
    (--strict: or any warning).

    Examples:

    \b
      planner validate scenarios/baseline.yaml
      planner validate catalogs/ scenarios/ --strict
      planner validate catalogs/ --format github
    """
    from planner.checks.policy import Limits
    from planner.checks.validate import validate_paths

    day = _date(reference_date) if reference_date else None

    def body() -> int:
        check_target(out)
        report = validate_paths(
            paths,
            limits=Limits(qualification_days, price_age_days),
            reference_date=day,
            strict=strict,
            root=root,
        )
        emit(render_issues(report.issues, fmt, len(report.files)), out)
        console = err_console()
        for line in report.summaries:
            console.print(("ok: " if not report.errors else "checked: ") + line, markup=False)
        say_wrote(out)
        return EXIT_ERROR if report.errors else EXIT_OK

    raise typer.Exit(guarded(body))
