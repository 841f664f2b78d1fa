"""Throw-away git repositories laid out like the project: catalogs/ and scenarios/."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

TINY = Path(__file__).resolve().parent / "fixtures" / "tiny"
CATALOGS = ("sites.yaml", "providers.yaml", "workloads.yaml", "policy.yaml")


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        [
            "git",
            "-c",
            "user.name=test",
            "-c",
            "user.email=test@example.org",
            "-c",
            "commit.gpgsign=false",
            *args,
        ],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def make_repo(repo: Path) -> Path:
    """A repository whose first commit holds the tiny catalogs and scenarios/baseline.yaml."""
    (repo / "catalogs").mkdir(parents=True)
    (repo / "scenarios").mkdir()
    for name in CATALOGS:
        shutil.copy(TINY / name, repo / "catalogs" / name)
    text = (TINY / "scenario.yaml").read_text()
    for name in CATALOGS:
        text = text.replace(name, f"../catalogs/{name}")
    (repo / "scenarios" / "baseline.yaml").write_text(text.replace("name: tiny", "name: baseline"))
    git(repo, "init", "-q")
    commit_all(repo, "catalogs as they are")
    return repo


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def set_price(repo: Path, old: str, new: str) -> None:
    """Change one price in the providers catalog (a flavour's monthly list price)."""
    path = repo / "catalogs" / "providers.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))
