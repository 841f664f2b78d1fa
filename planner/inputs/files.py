"""Reading input files safely: regular files only, no larger than a limit, nesting bounded.

Every file the planner reads (YAML catalogs and scenarios, CSV inventories, plan JSON) is opened
here. A named pipe, a device (`/dev/zero`), a socket or a directory is refused without reading
it; so is a file larger than `PLANNER_MAX_FILE_MB` megabytes (default 256), checked before
reading. Nested lists and mappings are limited to `MAX_NESTING` levels.
"""

from __future__ import annotations

import fcntl
import os
import re
import stat
from collections.abc import Iterable
from typing import BinaryIO

from planner.errors import InputError, InputIssue

MAX_FILE_MB_ENV = "PLANNER_MAX_FILE_MB"
DEFAULT_MAX_FILE_MB = 256.0
MAX_NESTING = 64  # lists and mappings inside one another, in YAML and in plan JSON

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def max_file_bytes(file: str) -> int:
    """The size limit in bytes: `PLANNER_MAX_FILE_MB` megabytes, else the default."""
    raw = os.environ.get(MAX_FILE_MB_ENV, "").strip()
    if not raw:
        return int(DEFAULT_MAX_FILE_MB * 1_000_000)
    try:
        megabytes = float(raw)
    except ValueError:
        megabytes = -1.0
    if not 0 < megabytes < 1e9:
        raise InputError(
            [
                InputIssue(
                    f"{MAX_FILE_MB_ENV}={raw[:20]!r} is not a positive number of megabytes",
                    file,
                    hint=f"unset it for the default of {DEFAULT_MAX_FILE_MB:g} MB",
                )
            ]
        )
    return int(megabytes * 1_000_000)


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def irregular_kind(file: str) -> str | None:
    """What `file` is ("a named pipe", ...) if it exists and is not a regular file, else None
    (a symlink is followed; a missing file is None)."""
    try:
        mode = os.stat(file).st_mode
    except OSError:
        return None
    return None if stat.S_ISREG(mode) else _kind(mode)


def _open_regular(file: str, what: str) -> int:
    """A descriptor open on `file`, refused unless it is a regular file within the size limit.

    O_NONBLOCK keeps a named pipe from blocking the open; the type is then read from the open
    descriptor itself, so the file checked is the file read.
    """
    limit = max_file_bytes(file)
    try:
        fd = os.open(file, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise InputError([InputIssue(f"{what} not found", file, hint="check the path")]) from None
    except OSError as exc:
        raise InputError([InputIssue(f"cannot read {what}: {exc.strerror}", file)]) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(
                [
                    InputIssue(
                        f"{_kind(info.st_mode)}, not a regular file",
                        file,
                        hint="only regular files are read",
                    )
                ]
            )
        if info.st_size > limit:
            raise InputError([_too_large(file, info.st_size, limit)])
        fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~os.O_NONBLOCK)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _too_large(file: str, size: int, limit: int) -> InputIssue:
    return InputIssue(
        f"file too large: {size / 1_000_000:,.1f} MB, over the limit of {limit / 1_000_000:,g} MB",
        file,
        hint=f"set {MAX_FILE_MB_ENV} to a larger number of megabytes",
    )


def open_input_binary(file: str, *, what: str = "file") -> BinaryIO:
    """Open an input file for reading bytes (see the module docstring for what is refused)."""
    return os.fdopen(_open_regular(file, what), "rb")


def read_input_bytes(file: str, *, what: str = "file") -> bytes:
    """The whole content of an input file (a file that grows past the limit is refused)."""
    limit = max_file_bytes(file)
    with os.fdopen(_open_regular(file, what), "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise InputError([_too_large(file, len(data), limit)])
    return data


def read_input_text(file: str, *, what: str = "file") -> str:
    """The whole content of an input file as UTF-8 text; a bad byte is named with its line."""
    data = read_input_bytes(file, what=what)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            [
                InputIssue(
                    f"not UTF-8 text: byte 0x{data[exc.start]:02x} cannot be decoded",
                    file,
                    line,
                    hint="save the file as UTF-8",
                )
            ]
        ) from None


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def json_nesting_position(text: str, limit: int = MAX_NESTING) -> tuple[int, int] | None:
    """(line, column) of the first bracket of JSON `text` nested more than `limit` deep."""
    depth = 0
    for token in _JSON_TOKEN.finditer(text):
        bracket = token.group()
        if bracket in "[{":
            depth += 1
            if depth > limit:
                start = token.start()
                return text.count("\n", 0, start) + 1, start - text.rfind("\n", 0, start)
        elif bracket in "]}":
            depth -= 1
    return None


_JSON_WORD = re.compile(r'"(?:[^"\\]|\\.)*"|[^\s"\[\]{},:]+')


def json_word_position(text: str, word: str) -> tuple[int, int] | None:
    """(line, column) of the first `word` (a number, NaN...) of JSON `text` outside strings."""
    for token in _JSON_WORD.finditer(text):
        if token.group() == word:
            start = token.start()
            return text.count("\n", 0, start) + 1, start - text.rfind("\n", 0, start)
    return None


def nesting_exceeds(value: object, limit: int = MAX_NESTING) -> bool:
    """True if lists and dicts are nested more than `limit` deep in `value` (no recursion)."""
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Iterable[object] = item.values()
        elif isinstance(item, list | tuple):
            children = item
        else:
            continue
        if depth + 1 > limit:
            return True
        stack.extend(
            (child, depth + 1) for child in children if isinstance(child, dict | list | tuple)
        )
    return False
