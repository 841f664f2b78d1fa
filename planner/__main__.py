"""The `planner` command (and `python -m planner`).

Ctrl-C exits 130 with "interrupted" on stderr wherever it lands, the imports of start-up
included (the SIGINT handler is installed before anything else is imported), no traceback and
nothing written: `--out` files are written atomically and the solver is asked to stop (see
planner.optimise.highs_direct).
"""

from __future__ import annotations

import signal
import sys
from types import FrameType

EXIT_INTERRUPTED = 130


class Interrupted(BaseException):
    """Ctrl-C. Not a KeyboardInterrupt, which click would turn into "Aborted!" and exit 1."""


def _interrupt(_signum: int, _frame: FrameType | None) -> None:
    raise Interrupted


def main() -> None:
    signal.signal(signal.SIGINT, _interrupt)
    try:
        from planner.cli import app

        app()
    except (Interrupted, KeyboardInterrupt):
        sys.stderr.write("interrupted\n")
        sys.stderr.flush()
        raise SystemExit(EXIT_INTERRUPTED) from None


if __name__ == "__main__":
    main()
