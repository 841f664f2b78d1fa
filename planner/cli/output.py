"""Where `--out` writes, checked before any work is done, and how it writes there.

- `-` is standard output (binary output, a workbook, only when it is not a terminal).
- A regular file (new or existing) is written atomically: to a temporary file beside it,
  named `.NAME.planner-tmp-XXXXXXXX`, then renamed over it. An existing file keeps its
  mode (and, where permitted, its owner); a new one gets the umask's default mode.
- A symbolic link is followed: its resolved target is written as above; the link stays.
- A character device (such as /dev/null or /dev/stdout) or a FIFO is written in place,
  opened for writing and never replaced.
- Anything else (a directory, a block device, a socket, a missing folder, an empty name,
  a place this user may not write) is refused before solving, with exit 1.

A SIGTERM during an atomic write removes the temporary file before the process ends.
SIGKILL cannot be caught: it may leave one `.NAME.planner-tmp-*` file beside the target,
safe to delete.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from types import FrameType
from typing import Literal

from planner.errors import InputError, InputIssue

TMP_MARK = ".planner-tmp-"

Mode = Literal["stdout", "atomic", "in_place"]


@dataclass(frozen=True)
class Target:
    """A checked output: how to write (`mode`) and where (`path`, resolved for a link)."""

    mode: Mode
    path: str
    given: str


def _refuse(given: str, message: str, hint: str | None = None) -> InputError:
    return InputError([InputIssue(message, given or "''", field="--out", hint=hint)])


def _check_new_file(given: str, path: str) -> None:
    folder = os.path.dirname(path) or "."
    if not os.path.isdir(folder):
        raise _refuse(
            given, f"folder '{folder}' does not exist", "create it first, or write elsewhere"
        )
    try:  # a probe, as the write will do it: permissions alone miss read-only mounts
        fd, probe = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(path)}{TMP_MARK}")
    except OSError as exc:
        raise _refuse(given, f"folder '{folder}' is not writable: {exc.strerror}") from None
    os.close(fd)
    os.unlink(probe)


def check_target(out: str | None) -> Target:
    """Classify an `--out` value, refusing what cannot be written (see the module's doc)."""
    if out is None or out == "-":
        return Target("stdout", "-", out or "-")
    if out == "" or (out.endswith(("/", os.sep)) and not os.path.isdir(out)):
        raise _refuse(out, "not a file name", "give a file, or '-' for standard output")
    path = os.path.realpath(out)
    try:  # `out` itself: a link of /proc/self/fd (what /dev/stdout is) has no real path
        info = os.stat(out)
    except FileNotFoundError:
        _check_new_file(out, path)
        return Target("atomic", path, out)
    except OSError as exc:
        raise _refuse(out, f"cannot be written: {exc.strerror}") from None
    if stat.S_ISREG(info.st_mode):
        _check_new_file(out, path)
        if not os.access(path, os.W_OK):
            raise _refuse(out, "file is not writable")
        return Target("atomic", path, out)
    if stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode):
        if not os.access(out, os.W_OK):
            raise _refuse(out, "device is not writable")
        return Target("in_place", out, out)
    what = "a directory" if stat.S_ISDIR(info.st_mode) else "not a regular file"
    raise _refuse(out, f"is {what}", "give a file name, or '-' for standard output")


@contextlib.contextmanager
def _removed_on_sigterm(tmp: list[str]) -> Iterator[None]:
    """While writing, SIGTERM first removes the temporary file, then ends the process as
    SIGTERM would."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_term(signum: int, _frame: FrameType | None) -> None:
        for name in tmp:
            with contextlib.suppress(OSError):
                os.unlink(name)
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)

    previous = signal.signal(signal.SIGTERM, on_term)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _keep_owner_and_mode(tmp: str, path: str) -> None:
    try:
        info = os.stat(path)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a new output is a normal file
        return
    os.chmod(tmp, stat.S_IMODE(info.st_mode))
    if (info.st_uid, info.st_gid) != (os.getuid(), os.getgid()):
        with contextlib.suppress(OSError):
            os.chown(tmp, info.st_uid, info.st_gid)


def write_atomic(path: str, text: str | bytes) -> None:
    """Write to `.NAME.planner-tmp-*` beside `path`, then rename: never a half-written file
    (text as UTF-8, bytes as they are)."""
    folder, name = os.path.split(os.path.abspath(path))
    tmp: list[str] = []
    with _removed_on_sigterm(tmp):
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{name}{TMP_MARK}")
        tmp.append(tmp_name)
        try:
            if isinstance(text, bytes):
                with os.fdopen(fd, "wb") as binary:
                    binary.write(text)
            else:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(text)
            _keep_owner_and_mode(tmp_name, path)
            os.replace(tmp_name, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp_name)
            raise


def check_binary_stdout(target: Target) -> None:
    """Binary output (a workbook) to standard output only when it is not a terminal."""
    if target.mode == "stdout" and sys.stdout.isatty():
        raise _refuse(
            target.given,
            "binary output (a workbook) is not written to a terminal",
            "give a file with --out, or redirect standard output to a file or a pipe",
        )


def write(target: Target, text: str | bytes) -> None:
    """Write `text` (or bytes, as they are) to a checked target; a failing write is an error
    naming the target."""
    if target.mode == "stdout":
        if isinstance(text, bytes):
            check_binary_stdout(target)
            sys.stdout.flush()
            sys.stdout.buffer.write(text)
            sys.stdout.buffer.flush()
            return
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        if target.mode == "in_place":
            if isinstance(text, bytes):
                with open(target.path, "wb") as binary:
                    binary.write(text)
            else:
                with open(target.path, "w", encoding="utf-8") as handle:
                    handle.write(text)
        else:
            write_atomic(target.path, text)
    except OSError as exc:
        raise _refuse(target.given, f"cannot be written: {exc.strerror or exc}") from None
