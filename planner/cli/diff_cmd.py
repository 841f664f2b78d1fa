"""`planner diff [OLD] NEW`: what a change does to the plan and its cost, with merge gates.

Exit codes: 0 no gate failed (a gate 'not proven' does not fail; with --detailed-exitcode:
nothing differs), 1 bad input or usage, 2 with --detailed-exitcode: something differs (the end
state, or only two roadmaps' timing or figures), 3 a side is infeasible, 4 the solver failed,
5 a gate failed.
"""

from __future__ import annotations

from typing import Annotated

import typer

from planner.cli.common import (
    EXIT_CHANGES,
    EXIT_ERROR,
    EXIT_OK,
    Lang,
    LangOption,
    OutFile,
    PriceAgeDays,
    QualificationDays,
    emit,
    err_console,
    format_option,
    guarded,
    progress,
)
from planner.cli.output import check_target
from planner.cli.root_option import RootOption
from planner.render.base import Format

EXIT_GATE = 5


def diff(
    sides: Annotated[
        list[str],
        typer.Argument(
            help="OLD and NEW: plan JSON files or scenarios to solve. With --base-ref, only NEW "
            "(OLD is then NEW itself at that revision).",
            metavar="[OLD] NEW",
            show_default=False,
        ),
    ],
    base_ref: Annotated[
        str | None,
        typer.Option(
            "--base-ref",
            metavar="REV",
            help="Read OLD (a scenario) and its catalogs as they are "
            "at this git revision, e.g. origin/main.",
        ),
    ] = None,
    fmt: Annotated[
        Format,
        format_option(
            (Format.text, Format.json, Format.md),
            "text, json, or md (markdown: a merge-request comment).",
        ),
    ] = Format.text,
    out: OutFile = None,
    tolerance_eur: Annotated[
        float,
        typer.Option(
            "--tolerance-eur",
            min=0.0,
            metavar="E",
            help="Amounts that differ by no more than E euros are unchanged.",
        ),
    ] = 0.01,
    fail_pct: Annotated[
        float | None,
        typer.Option(
            "--fail-on-cost-increase-pct",
            min=0.0,
            metavar="P",
            help="Exit 5 if the monthly cost rises by more than P %.",
        ),
    ] = None,
    fail_eur: Annotated[
        float | None,
        typer.Option(
            "--fail-on-cost-increase-eur",
            min=0.0,
            metavar="E",
            help="Exit 5 if the monthly cost rises by more than E euros.",
        ),
    ] = None,
    fail_share: Annotated[
        float | None,
        typer.Option(
            "--fail-on-outsourced-share",
            min=0.0,
            max=100.0,
            metavar="S",
            help="Exit 5 if more than S % of the new plan's monthly spend is outsourced.",
        ),
    ] = None,
    fail_warning: Annotated[
        bool, typer.Option("--fail-on-warning", help="Exit 5 if the new inputs raise any warning.")
    ] = False,
    require_proven: Annotated[
        bool,
        typer.Option(
            "--require-proven",
            help="Exit 5 if either plan is not proven optimal. Without it, a "
            "cost rise within the new plan's solver gap is reported as not proven and does not "
            "fail.",
        ),
    ] = False,
    qualification_days: QualificationDays = 90,
    price_age_days: PriceAgeDays = 365,
    time_limit: Annotated[
        float | None,
        typer.Option(
            "--time-limit",
            min=0.001,
            metavar="S",
            help="Time limit of each side's solves, seconds.",
        ),
    ] = None,
    detailed_exitcode: Annotated[
        bool,
        typer.Option(
            "--detailed-exitcode",
            help="Exit 0 when nothing differs, 2 when anything does (also only two "
            "roadmaps' timing); a failed gate still exits 5.",
        ),
    ] = False,
    lang: LangOption = Lang.en,
    root: RootOption = None,
) -> None:
    """Compare two plans: moves, additions, retirements, expansions, costs; gate the merge.

    Lines appear only for what changed by more than the tolerance. When both sides are
    roadmaps, their waves and budget years are compared first, period by period. Exit 0, or
    5 when a gate fires, or 2 with --detailed-exitcode when anything differs (1 bad input, 3
    infeasible, 4 solver failure).

    Examples:

    \b
      planner diff old-plan.json new-plan.json
      planner diff old-roadmap.json new-roadmap.json --detailed-exitcode
      planner diff --base-ref origin/main scenarios/baseline.yaml --format md
      planner diff --base-ref origin/main scenarios/baseline.yaml \\
          --fail-on-cost-increase-pct 5
    """
    from planner.analysis.diff import diff_plans
    from planner.analysis.gates import Gates, Proof, evaluate
    from planner.checks.policy import Limits
    from planner.cli.common import report_issues
    from planner.cli.diff_sides import SolveSettings, load_side, load_side_at
    from planner.render.diff import render_diff

    def body() -> int:
        if not 1 <= len(sides) <= 2 or (base_ref is None and len(sides) != 2):
            err_console().print("error: give OLD and NEW, or NEW with --base-ref REV", markup=False)
            return EXIT_ERROR
        if base_ref is not None and sides[0].lower().endswith(".json"):
            err_console().print(
                f"error: {sides[0]}: --base-ref solves a scenario as it is at "
                "that revision; give a scenario, not a plan JSON",
                markup=False,
            )
            return EXIT_ERROR
        check_target(out)
        new_path = sides[-1]
        settings = SolveSettings(
            time_limit_s=time_limit, limits=Limits(qualification_days, price_age_days), root=root
        )
        with progress() as say:
            say(f"planning {new_path}")
            new = load_side(new_path, settings)
            if base_ref is not None:
                say(f"planning {sides[0]} at {base_ref}")
                old = load_side_at(sides[0], base_ref, settings)
            else:
                say(f"planning {sides[0]}")
                old = load_side(sides[0], settings)
        if new.warnings:
            report_issues(list(new.warnings))
        result = diff_plans(old.plan, new.plan, old.label, new.label, tolerance_eur)
        gates = Gates(fail_pct, fail_eur, fail_share, fail_warning, require_proven)
        fired = evaluate(
            result, gates, len(new.warnings), Proof.of(old.plan.solver), Proof.of(new.plan.solver)
        )
        emit(render_diff(result, fmt, fired, lang.value), out)
        console = err_console()
        for gate in fired:
            console.print(f"gate {gate.verdict}: {gate.format()}", markup=False)
        if any(gate.failed for gate in fired):
            return EXIT_GATE
        return EXIT_CHANGES if detailed_exitcode and result.anything_changed else EXIT_OK

    raise typer.Exit(guarded(body, lang.value))
