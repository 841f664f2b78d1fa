"""Memory freed by Python is given back to the system before a large solve
(planner/optimise/memory.py)."""

from __future__ import annotations

import sys

import psutil
import pytest

from planner.optimise.memory import _malloc_trim, give_back_freed


def _resident_mib() -> float:
    return psutil.Process().memory_info().rss / 2**20


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or _malloc_trim() is None,
    reason="the C library's trim (glibc) only",
)
def test_freed_heap_pages_are_given_back() -> None:
    """256 MiB of 1 KiB blocks (the C heap's, not Python's small-object arenas), one in a
    hundred kept: the heap keeps the freed pages as the process's until trimmed."""
    blocks = [bytearray(1024) for _ in range(256 * 1024)]
    kept = blocks[::100]
    del blocks
    before = _resident_mib()
    give_back_freed()
    after = _resident_mib()
    assert len(kept) == 2622
    assert before - after > 128, (before, after)
