"""Errors the pipeline raises; the CLI turns each into a message and an exit code."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class InputIssue:
    """One problem in the input: where it is and what to do about it."""

    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    field: str | None = None
    hint: str | None = None
    severity: str = "error"
    code: str | None = None  # stable rule name, e.g. "qualification-expiring"

    def location(self) -> str:
        parts = [self.file or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def format(self) -> str:
        text = f"{self.location()}: {self.severity}: "
        if self.field:
            text += f"{self.field}: "
        text += self.message
        if self.hint:
            text += f" (hint: {self.hint})"
        return text


class PlannerError(Exception):
    """Base of every error the planner reports to a user."""

    exit_code = 1


@dataclass
class InputError(PlannerError):
    """The input is wrong; carries every issue found, not only the first."""

    issues: list[InputIssue] = field(default_factory=list)

    exit_code = 1

    def __str__(self) -> str:
        return "\n".join(issue.format() for issue in self.issues)


class InfeasibleError(PlannerError):
    """No plan satisfies every constraint; `diagnosis` says what is missing, when known, and
    `inputs` are the scenario's (for a report of the diagnosis)."""

    exit_code = 3

    def __init__(
        self, message: str, diagnosis: Any = None, inputs: Any = None, expected: bool = False
    ) -> None:
        super().__init__(message)
        self.diagnosis = diagnosis
        self.inputs = inputs  # the scenario's inputs, for the diagnosis report
        self.expected = expected  # the scenario declares `expect: infeasible`


class SolverError(PlannerError):
    """The solver failed without producing a plan."""

    exit_code = 4
