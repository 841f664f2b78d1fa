"""A scenario and its catalogs as they are at a git revision, copied into a directory.

`git show REV:path` reads each file; relative paths are kept, so the scenario finds its
catalogs in the copy exactly as it did in the repository at that revision.
"""

from __future__ import annotations

import os
import subprocess
from typing import Any

from planner.errors import InputError, InputIssue
from planner.inputs.yaml_file import load_yaml


def _git(args: list[str], cwd: str, what: str, hint: str) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise InputError(
            [InputIssue("git is not installed", what, hint="--base-ref needs git on the PATH")]
        ) from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputError(
            [InputIssue(f"git {args[0]} failed: {reason[-1] if reason else '?'}", what, hint=hint)]
        )
    return done.stdout


def repository_root(path: str) -> str:
    start = os.path.dirname(os.path.abspath(path)) or "."
    if not os.path.isdir(start):
        raise InputError([InputIssue("file not found", path)])
    out = _git(
        ["rev-parse", "--show-toplevel"],
        start,
        path,
        "--base-ref reads files from the git repository that holds the scenario",
    )
    return out.decode().strip()


def _catalog_paths(text: bytes) -> list[str]:
    """Catalog paths a scenario lists (best effort: a broken scenario is reported later)."""
    try:
        data: Any = load_yaml("<scenario>", text.decode("utf-8"))[0]
    except (InputError, UnicodeDecodeError):
        return []
    catalogs = data.get("catalogs") if isinstance(data, dict) else None
    if not isinstance(catalogs, dict):
        return []
    paths: list[str] = []
    for value in catalogs.values():
        items = value if isinstance(value, list) else [value]
        paths.extend(item for item in items if isinstance(item, str))
    return paths


def checkout_scenario(scenario_path: str, rev: str, dest: str) -> tuple[str, str]:
    """Copy the scenario and its catalogs at `rev` under `dest`.

    Returns (path of the copied scenario, its path in the repository).
    """
    top = repository_root(scenario_path)
    real = os.path.realpath(os.path.abspath(scenario_path))
    rel = os.path.relpath(real, os.path.realpath(top))
    if rel.startswith(".."):
        raise InputError([InputIssue("the scenario is outside the git repository", scenario_path)])

    def copy(repo_path: str, needed_by: str) -> None:
        posix = repo_path.replace(os.sep, "/")
        text = _git(
            ["show", f"{rev}:{posix}"],
            top,
            f"{rev}:{posix}",
            f"is '{rev}' a known revision, and did {needed_by} exist there?",
        )
        target = os.path.join(dest, repo_path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as handle:
            handle.write(text)

    copy(rel, "the scenario")
    with open(os.path.join(dest, rel), "rb") as handle:
        listed = _catalog_paths(handle.read())
    base = os.path.dirname(rel)
    for catalog in listed:
        repo_path = os.path.normpath(os.path.join(base, catalog))
        if repo_path.startswith(".."):
            raise InputError(
                [InputIssue(f"catalog '{catalog}' is outside the git repository", f"{rev}:{rel}")]
            )
        copy(repo_path, f"catalog '{catalog}'")
    return os.path.join(dest, rel), rel
