"""`planner sweep`: many variants of a scenario on a Dask cluster, summarised."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from planner.cli.common import (
    EXIT_OK,
    OutFile,
    TemplatesOption,
    emit,
    err_console,
    format_option,
    guarded,
    say_wrote,
)
from planner.cli.output import check_target
from planner.cli.root_option import RootOption
from planner.render import Format

SWEEP_FORMATS = (Format.text, Format.json, Format.html)


class _Bar:
    """Variants done, failed (no plan), rate and ETA on stderr, as a rich progress bar."""

    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress
        self.total = 0
        self.failed = 0
        self.started = time.perf_counter()
        self.task: TaskID | None = None
        if progress is not None:
            self.task = progress.add_task("variants", total=0, failed=0, rate="")

    def add(self, variants: int) -> None:
        self.total += variants
        if self.progress is not None and self.task is not None:
            self.progress.update(self.task, total=self.total)

    def done(self, record: dict[str, Any]) -> None:
        from planner.sweep.worker import SOLVED

        if record.get("status") not in SOLVED:
            self.failed += 1
        if self.progress is not None and self.task is not None:
            self.progress.advance(self.task)
            finished = self.progress.tasks[0].completed
            rate = finished / max(time.perf_counter() - self.started, 1e-9)
            self.progress.update(self.task, failed=self.failed, rate=f"{rate * 60:.1f}/min")


@contextmanager
def _progress() -> Iterator[_Bar]:
    console = err_console()
    if not console.is_terminal:
        yield _Bar(None)
        return
    columns = (
        TextColumn("sweep"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[failed]} without a plan"),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        yield _Bar(progress)


def sweep(
    sweep_file: Annotated[str, typer.Argument(help="Sweep YAML file.", show_default=False)],
    fmt: Annotated[Format, format_option(SWEEP_FORMATS, "Summary format.")] = Format.text,
    out: OutFile = None,
    results: Annotated[
        str | None,
        typer.Option(
            "--results",
            metavar="FILE",
            help="Results file, one JSON record per variant (default: NAME.results.jsonl "
            "in the working folder, NAME the sweep file's name).",
        ),
    ] = None,
    resume: Annotated[
        bool,
        typer.Option("--resume", help="Continue the results file: skip variants already done."),
    ] = False,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            metavar="ADDRESS",
            help="Run on this Dask scheduler (tcp://host:8786) instead of a local cluster.",
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=1,
            max=1024,
            metavar="N",
            help="Worker processes of the local cluster (default: one per core).",
        ),
    ] = None,
    templates: TemplatesOption = None,
    root: RootOption = None,
) -> None:
    """Plan many variants of a scenario on Dask and summarise them.

    Examples:

    \b
      planner sweep scenarios/sweeps/price-uncertainty.yaml
      planner sweep scenarios/sweeps/n-minus-1.yaml --format html --out n-1.html
      planner sweep big.yaml --scheduler tcp://10.0.0.5:8786 --resume
    """

    def body() -> int:
        from planner.render.sweep import render_sweep_html, render_sweep_json, render_sweep_text
        from planner.sweep.results import check_results_path
        from planner.sweep.run import run_sweep
        from planner.sweep.summary import summarise
        from planner.sweep.variants import load_sweep

        check_target(out)
        stem = os.path.splitext(os.path.basename(sweep_file))[0]
        results_path = results if results is not None else f"{stem}.results.jsonl"
        check_results_path(results_path, resume)
        spec = load_sweep(sweep_file, root)
        with _progress() as bar:
            outcome = run_sweep(
                spec,
                results_path,
                resume=resume,
                scheduler=scheduler,
                workers=workers,
                progress=bar,
            )
        if outcome.ignored_torn_bytes:
            err_console().print(
                f"{results_path}: a torn last record ({outcome.ignored_torn_bytes} bytes, "
                "from an interrupted run) was ignored and removed; its variant ran again",
                markup=False,
            )
        summary = summarise(outcome)
        if fmt is Format.json:
            text = render_sweep_json(summary)
        elif fmt is Format.html:
            text = render_sweep_html(summary, templates)
        else:
            text = render_sweep_text(summary)
        emit(text, out)
        say_wrote(out)
        err_console().print(f"results in {results_path}", markup=False)
        return EXIT_OK

    raise typer.Exit(guarded(body))
