"""Source positions: where in which file each value of the input came from."""

from __future__ import annotations

from dataclasses import dataclass

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Pos:
    """A position in an input file (1-based line and column)."""

    file: str
    line: int
    column: int | None = None


class SourceMap:
    """Maps a path inside a loaded document to the position it was read from."""

    def __init__(self, file: str, positions: dict[Path, Pos] | None = None) -> None:
        self.file = file
        self.positions: dict[Path, Pos] = positions if positions is not None else {}

    def find(self, path: Path) -> Pos:
        """Position of the deepest known prefix of `path` (the file itself if none)."""
        for end in range(len(path), -1, -1):
            pos = self.positions.get(tuple(path[:end]))
            if pos is not None:
                return pos
        return Pos(self.file, 1)

    def graft(self, prefix: Path, other: SourceMap, other_prefix: Path) -> None:
        """Record every position of `other` under `other_prefix` as being under `prefix` here."""
        n = len(other_prefix)
        for path, pos in other.positions.items():
            if path[:n] == other_prefix:
                self.positions[prefix + path[n:]] = pos


def dotted(path: Path) -> str:
    """`('sites', 0, 'capacity')` -> `sites[0].capacity`."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + part
    return text


EXCERPT_CHARS = 60


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """`text` safe to quote in a message: control characters escaped, at most `limit` chars.

    Error messages quote keys and values of the files they report on; a file that is not a
    catalog must not reach a terminal or a CI log through them beyond a short excerpt.
    """
    short = text if len(text) <= limit else text[:limit] + "…"
    return "".join(c if c.isprintable() else _escaped(c) for c in short)


def _escaped(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
