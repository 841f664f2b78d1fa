"""The one golden-file mechanism: byte-exact comparison, `--update-goldens` to rewrite."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests import golden_files
from tests.golden_files import assert_golden

TESTS = Path(__file__).resolve().parent.parent


@pytest.fixture
def golden_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(golden_files, "GOLDEN", tmp_path)
    return tmp_path


def test_line_endings_count(golden_dir: Path) -> None:
    """A CSV report's CRLF is part of its golden: LF output does not match it."""
    (golden_dir / "report.csv").write_bytes(b"a,b\r\n1,2\r\n")
    assert_golden("report.csv", "a,b\r\n1,2\r\n", update=False)
    with pytest.raises(AssertionError, match=r"differs from golden/report\.csv"):
        assert_golden("report.csv", "a,b\n1,2\n", update=False)


def test_update_writes_the_exact_bytes(golden_dir: Path) -> None:
    assert_golden("new.txt", "é\r\nx\n", update=True)
    assert (golden_dir / "new.txt").read_bytes() == "é\r\nx\n".encode()
    assert_golden("new.txt", "é\r\nx\n", update=False)


def test_a_missing_golden_fails_and_is_not_written(golden_dir: Path) -> None:
    with pytest.raises(AssertionError, match="run pytest with --update-goldens"):
        assert_golden("absent.txt", "x", update=False)
    assert not (golden_dir / "absent.txt").exists()


def test_no_other_golden_mechanism_in_the_tests() -> None:
    """No test module but golden_files.py builds the golden folder's path (to write into it)
    or reads an environment variable to switch updates on."""
    pattern = re.compile(r'/ "golden"|environ\S*\(\s*"UPDATE')
    others = [
        path.relative_to(TESTS).as_posix()
        for path in sorted(TESTS.rglob("*.py"))
        if path.name not in ("golden_files.py", Path(__file__).name)
        and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert others == []
