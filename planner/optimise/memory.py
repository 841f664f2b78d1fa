"""Give the memory freed by Python and HiGHS back to the system before a large solve."""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import gc
from collections.abc import Callable


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's `malloc_trim`, or None where the C library has none (macOS, musl)."""
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    trim = getattr(ctypes.CDLL(name), "malloc_trim", None)
    if trim is None:
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim  # type: ignore[no-any-return]


def give_back_freed() -> None:
    """Collect Python's cycles, then return the C heap's free pages to the system.

    Objects freed by Python or HiGHS leave their pages in the heap, counted as the process's
    own until reused; a model built of millions of objects and then dropped (a roadmap's
    rows, HiGHS's instance of the relaxation) leaves hundreds of MiB there (docs/benchmarks.md,
    section 12). Where the C library cannot trim, only the collection runs.
    """
    gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
