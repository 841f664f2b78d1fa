"""What every command shares: error reporting, exit codes, atomic output, progress."""

from __future__ import annotations

import contextlib
import time
import traceback
from collections.abc import Callable, Iterator
from enum import StrEnum
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.text import Text

from planner.cli.output import check_target, write
from planner.controls import printable
from planner.errors import InfeasibleError, InputError, InputIssue, PlannerError
from planner.render.base import Format
from planner.render.csv_format import CSV_DIALECTS
from planner.render.i18n import LANGUAGES
from planner.render.templating import count

T = TypeVar("T")

QualificationDays = Annotated[
    int,
    typer.Option(
        "--qualification-days",
        min=0,
        metavar="N",
        help="Warn of qualifications that expire within N days of the reference date.",
    ),
]
PriceAgeDays = Annotated[
    int,
    typer.Option(
        "--price-age-days",
        min=0,
        metavar="N",
        help="Warn of offer prices dated more than N days before the reference date.",
    ),
]

OutFile = Annotated[
    str | None,
    typer.Option(
        "--out",
        "-o",
        metavar="FILE",
        help="Write to FILE instead of stdout ('-' is stdout); a regular file is replaced "
        "atomically, a device or FIFO written in place.",
    ),
]
TemplatesOption = Annotated[
    str | None,
    typer.Option(
        "--templates",
        help="Directory of templates overriding the packaged ones.",
        metavar="DIR",
    ),
]


class Lang(StrEnum):
    """The languages of planner.render.i18n.LANGUAGES."""

    en = "en"
    fr = "fr"


class CsvDialect(StrEnum):
    """The dialects of planner.render.csv_format.CSV_DIALECTS."""

    rfc4180 = "rfc4180"
    excel_fr = "excel-fr"


assert tuple(Lang) == LANGUAGES and tuple(CsvDialect) == CSV_DIALECTS

LangOption = Annotated[
    Lang,
    typer.Option("--lang", help="Language of the text, HTML, Markdown, CSV and xlsx outputs."),
]
CsvDialectOption = Annotated[
    CsvDialect,
    typer.Option(
        "--csv-dialect",
        help="CSV: rfc4180 (',' and a decimal point) or excel-fr (';', a decimal comma and a "
        "UTF-8 byte order mark, as a French Excel opens it).",
    ),
]


def format_option(allowed: tuple[Format, ...], help_text: str) -> Any:
    """The `--format/-f` option taking one of `allowed` (`markdown` and `md` alike)."""
    names = "|".join(f.value for f in allowed)

    def parse(value: str) -> Format:
        try:
            fmt = Format.parse(value)
        except ValueError:
            fmt = None
        if fmt not in allowed:
            raise typer.BadParameter(
                f"'{value}' is not one of {names}"
                + (" (or markdown)" if Format.md in allowed else "")
            )
        return fmt

    return typer.Option("--format", "-f", parser=parse, metavar=f"[{names}]", help=help_text)


EXIT_OK = 0
EXIT_ERROR = 1
EXIT_CHANGES = 2

_state = {"debug": False}


def set_debug(debug: bool) -> None:
    _state["debug"] = debug


class _Console(Console):
    """A console that shows control characters in the text it prints escaped (an id or a
    file's text may carry terminal escape sequences), and prints text as it is: no emoji codes
    (`file:100:` is not the emoji `:100:`) and no markup (`[...]` in a message is kept)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(emoji=False, markup=False, **kwargs)

    def print(self, *objects: Any, **kwargs: Any) -> None:
        super().print(*(printable(o) if isinstance(o, str) else o for o in objects), **kwargs)


def err_console() -> Console:
    return _Console(stderr=True, highlight=False, soft_wrap=True)


def report_issues(issues: list[InputIssue]) -> None:
    console = err_console()
    for issue in issues:
        console.print(issue.format(), markup=False)
    errors = sum(1 for i in issues if i.severity == "error")
    warnings = len(issues) - errors
    if errors:
        console.print(
            f"{count(errors)} error{'s' if errors != 1 else ''}"
            + (f", {count(warnings)} warning{'s' if warnings != 1 else ''}" if warnings else ""),
            markup=False,
        )


def guarded(action: Callable[[], T], lang: str = "en") -> T:
    """Run a command body; a PlannerError becomes a message and its exit code, never a trace.
    A scenario without a plan is diagnosed in `lang` (the command's `--lang`)."""
    try:
        return action()
    except InputError as exc:
        report_issues(exc.issues)
        raise typer.Exit(exc.exit_code) from None
    except InfeasibleError as exc:
        from planner.render.diagnosis import infeasible_text
        from planner.render.i18n import speaking

        with speaking(lang):
            text = infeasible_text(exc)
        err_console().print(f"error: {text}", markup=False)
        raise typer.Exit(exc.exit_code) from None
    except PlannerError as exc:
        err_console().print(f"error: {exc}", markup=False)
        raise typer.Exit(exc.exit_code) from None
    except typer.Exit:
        raise
    except KeyboardInterrupt:
        err_console().print("interrupted", markup=False)
        raise typer.Exit(130) from None
    except Exception as exc:  # a bug: say so plainly, trace only with --debug
        if _state["debug"]:
            traceback.print_exc()
        else:
            err_console().print(
                f"internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback)",
                markup=False,
            )
        raise typer.Exit(EXIT_ERROR) from None


def emit(text: str | bytes, out: str | None) -> None:
    """Print to stdout (no `--out`, or `-`), or write to `out` as planner.cli.output says
    (bytes, a workbook, as they are)."""
    write(check_target(out), text)


def say_wrote(out: str | None) -> None:
    """Tell stderr which file was written (nothing for standard output)."""
    if out is not None and out != "-":
        err_console().print(f"wrote {out}", markup=False)


class StageLine:
    """The spinner's text: the current stage and the time elapsed, recomputed at each refresh."""

    def __init__(self, start: float) -> None:
        self.start = start
        self.stage = "starting"

    def __rich__(self) -> Text:
        elapsed = time.perf_counter() - self.start
        return Text(self.stage).append(f" ({elapsed:.1f} s)", style="dim")


@contextlib.contextmanager
def progress(enabled: bool | None = None) -> Iterator[Callable[[str], None]]:
    """A spinner on stderr naming the current stage with live elapsed time (and, while solving,
    the best plan so far and its gap, as the pipeline reports them); silent off a terminal."""
    console = err_console()
    if enabled is None:
        enabled = console.is_terminal
    if not enabled:
        yield lambda _stage: None
        return
    line = StageLine(time.perf_counter())
    with console.status(line):

        def update(stage: str) -> None:
            line.stage = printable(stage)

        yield update
