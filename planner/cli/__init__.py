"""The `planner` command line: arguments -> pipeline -> exit code.

Exit codes: 0 success (or no changes with --detailed-exitcode), 1 bad input or usage,
2 changes (with --detailed-exitcode), 3 infeasible scenario, 4 solver failed without a plan,
5 a merge gate of `planner diff` fired, 130 interrupted (Ctrl-C, see planner.__main__).
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from planner import __version__
from planner.cli import (
    diff_cmd,
    explain_cmd,
    plan_cmd,
    schema_cmd,
    show_cmd,
    sweep_cmd,
    validate_cmd,
)
from planner.cli.common import set_debug


def _usage_exits_1(exc: Exception) -> None:
    """A usage error (click's UsageError, vendored by recent typer) exits 1, not 2."""
    if any(cls.__name__ == "UsageError" for cls in type(exc).__mro__):
        exc.exit_code = 1  # type: ignore[attr-defined]


class _Group(TyperGroup):
    """Usage errors exit 1: exit 2 means 'the plan has changes' with --detailed-exitcode."""

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().make_context(*args, **kwargs)
        except Exception as exc:
            _usage_exits_1(exc)
            raise

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except Exception as exc:
            _usage_exits_1(exc)
            raise


app = typer.Typer(
    cls=_Group,
    name="planner",
    help="Sovereign hybrid-cloud placement planner: catalogs -> MILP -> Terraform-style plan.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # click's help wraps long option names instead of cutting them
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"planner {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks of internal errors.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    set_debug(debug)


app.command()(plan_cmd.plan)
app.command()(validate_cmd.validate)
app.command()(show_cmd.show)
app.command()(diff_cmd.diff)
app.command()(schema_cmd.schema)
app.command()(explain_cmd.explain)
app.command()(sweep_cmd.sweep)


def main() -> None:
    """The command, as planner.__main__ runs it (Ctrl-C exits 130)."""
    from planner.__main__ import main as run

    run()
