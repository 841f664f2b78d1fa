"""Golden files: compare an output with tests/golden/NAME (`--update-goldens` rewrites them).

Every golden comparison of the test suite goes through `assert_golden`, and `--update-goldens`
(the `update_goldens` fixture of conftest.py) is the one way to rewrite them.
"""

from __future__ import annotations

from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "golden"


def assert_golden(name: str, text: str, update: bool) -> None:
    """`text` equals golden/NAME byte for byte, line endings included (a CSV report's CRLF);
    with `update`, write it there first."""
    path = GOLDEN / name
    if update:
        path.write_bytes(text.encode("utf-8"))
    assert path.exists(), f"no golden file {path}: run pytest with --update-goldens"
    assert text == path.read_bytes().decode("utf-8"), (
        f"output differs from golden/{name} (rerun with --update-goldens to accept)"
    )
