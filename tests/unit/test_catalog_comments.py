"""The demo's catalogs and scenarios cite only paths inside the repository."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
FILES = sorted([*ROOT.glob("catalogs/*.yaml"), *ROOT.glob("scenarios/*.yaml")])
PATH = re.compile(r"(?<![^\s(\"'`])(?:/|\.\./|\./)[\w./-]*\w")  # after a space or opener


def cited_paths(text: str) -> list[str]:
    """Path-like words in the comments of a YAML file."""
    comments = [line.split("#", 1)[1] for line in text.splitlines() if "#" in line]
    return [m.group(0) for comment in comments for m in PATH.finditer(comment)]


def test_the_pattern_finds_absolute_and_escaping_paths() -> None:
    assert cited_paths("a: 1  # see /srv/notes/x.md and ../../y.md, not a/b or €/month") == [
        "/srv/notes/x.md",
        "../../y.md",
    ]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_comments_cite_no_path_outside_the_repository(path: Path) -> None:
    for cited in cited_paths(path.read_text(encoding="utf-8")):
        assert not cited.startswith("/"), f"{path.name} cites the absolute path {cited}"
        target = (path.parent / cited).resolve()
        assert target.is_relative_to(ROOT), f"{path.name} cites {cited}, outside the repository"
