"""Input issues for people and for CI: text, JSON, GitHub annotations, GitLab code quality."""

from __future__ import annotations

import hashlib
import json
from enum import StrEnum
from typing import Any

from planner.controls import json_escaped, printable
from planner.errors import InputIssue
from planner.render.templating import count


class IssueFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"
    gitlab = "gitlab"


def _plural(n: int, word: str) -> str:
    return f"{count(n)} {word}{'s' if n != 1 else ''}"


def _counts(issues: list[InputIssue]) -> tuple[int, int, int]:
    """Errors, warnings and notes (issues a scenario expects: `expect: infeasible`)."""
    errors = sum(1 for i in issues if i.severity == "error")
    notes = sum(1 for i in issues if i.severity == "note")
    return errors, len(issues) - errors - notes, notes


def summary_line(issues: list[InputIssue], files: int) -> str:
    """`N errors, W warnings, K notes (expected) in F files (C checked)`: F hold the issues,
    C were checked."""
    errors, warnings, notes = _counts(issues)
    if not issues:
        return f"ok: {_plural(files, 'file')} checked, no issues"
    where = f"{_plural(len({i.file for i in issues}), 'file')} ({files} checked)"
    expected = f", {_plural(notes, 'note')} (expected)" if notes else ""
    return f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}{expected} in {where}"


def render_text(issues: list[InputIssue], files: int) -> str:
    """`file:line:column: severity: field: message (hint: ...)`, then a summary line."""
    lines = [issue.format() for issue in issues]
    lines.append(summary_line(issues, files))
    return "\n".join(lines) + "\n"


def issue_dict(issue: InputIssue) -> dict[str, Any]:
    return {
        "file": issue.file,
        "line": issue.line,
        "column": issue.column,
        "severity": issue.severity,
        "code": issue.code or "input",
        "field": issue.field,
        "message": issue.message,
        "hint": issue.hint,
    }


def render_json(issues: list[InputIssue], files: int) -> str:
    errors, warnings, notes = _counts(issues)
    body = {
        "files_checked": files,
        "errors": errors,
        "warnings": warnings,
        "notes": notes,
        "issues": [issue_dict(i) for i in issues],
    }
    return json_escaped(json.dumps(body, indent=2, ensure_ascii=False)) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _message(issue: InputIssue) -> str:
    text = f"{issue.field}: {issue.message}" if issue.field else issue.message
    return f"{text} (hint: {issue.hint})" if issue.hint else text


def render_github(issues: list[InputIssue], files: int) -> str:
    """GitHub Actions workflow commands: `::error file=F,line=L,col=C,title=T::message`."""
    lines = []
    for issue in issues:
        props = []
        if issue.file:
            props.append(f"file={_escape_property(issue.file)}")
        if issue.line is not None:
            props.append(f"line={issue.line}")
            if issue.column is not None:
                props.append(f"col={issue.column}")
        props.append(f"title={_escape_property('planner ' + (issue.code or 'input'))}")
        level = {"error": "error", "note": "notice"}.get(issue.severity, "warning")
        lines.append(f"::{level} {','.join(props)}::{_escape_data(_message(issue))}")
    lines.append(summary_line(issues, files))
    return "\n".join(lines) + "\n"


def render_gitlab(issues: list[InputIssue], files: int) -> str:
    """GitLab code quality report: a JSON array, one entry per issue, stable fingerprints."""
    entries = []
    for issue in issues:
        code = issue.code or "input"
        key = "\0".join([code, issue.file or "", issue.field or "", issue.message])
        entries.append(
            {
                "description": printable(_message(issue)),  # shown on the merge request
                "check_name": f"planner/{code}",
                "fingerprint": hashlib.sha256(key.encode()).hexdigest(),
                "severity": {"error": "major", "note": "info"}.get(issue.severity, "minor"),
                "location": {"path": issue.file or "", "lines": {"begin": issue.line or 1}},
            }
        )
    return json_escaped(json.dumps(entries, indent=2, ensure_ascii=False)) + "\n"


_RENDERERS = {
    IssueFormat.text: render_text,
    IssueFormat.json: render_json,
    IssueFormat.github: render_github,
    IssueFormat.gitlab: render_gitlab,
}


def render_issues(issues: list[InputIssue], fmt: IssueFormat, files: int) -> str:
    """The issues in one format; text and GitHub annotations (read in a terminal or a
    CI log) show control characters escaped, JSON escapes them its own way."""
    text = _RENDERERS[fmt](issues, files)
    return printable(text) if fmt in (IssueFormat.text, IssueFormat.github) else text
