"""Control characters made visible: the one escaping every output meant for a person uses.

An id, a name or a file's text may carry terminal escape sequences (clear the screen, set the
window title, recolour) or invisible reordering marks. Written raw to a terminal, a CI log or
a review page they act instead of showing. `printable` writes each such character as an
escape a person can read (`\\x1b`, `\\u202e`), keeping only newlines and tabs.
"""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, C1 controls, and the bidirectional overrides/isolates
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def json_escaped(text: str) -> str:
    """JSON text with every control character written as its `\\uXXXX` escape: the same JSON
    value, nothing that acts on a terminal. (json.dumps escapes C0 controls already, not DEL,
    C1 or the bidirectional marks; they can only occur inside strings.)"""
    return _CONTROL.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def printable(text: str) -> str:
    """`text` with every control character (but newline and tab) written as an escape."""
    return _CONTROL.sub(_escape, text)
