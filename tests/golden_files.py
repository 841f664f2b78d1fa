"""Golden files: compare an output with tests/golden/NAME (`--update-goldens` rewrites them)."""

from __future__ import annotations

from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "golden"


def assert_golden(name: str, text: str, update: bool) -> None:
    path = GOLDEN / name
    if update:
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path}: run pytest with --update-goldens"
    assert text == path.read_text(encoding="utf-8"), (
        f"output differs from golden/{name} (rerun with --update-goldens to accept)")
