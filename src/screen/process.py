"""Tuning of a whole process, for the entry points that own one: the command line and the batch
workers it starts. Library code never calls these: a program that imports ``screen`` keeps its
garbage collector and its allocator as it set them.

What each step buys, measured on the shipped release (docs/performance.md):

- the cyclic collector paused while a release and its index load: tens of thousands of small
  objects are made at once, hold no cycles, and were rescanned over and over (load time doubled);
- the survivors then frozen out of the collector (``gc.freeze()``): each full collection over a
  screener's million objects takes about 0.6 s, and a forked worker's collections would write
  to, and so copy, every shared page;
- the heap freed while loading (parsed JSON, unpickled buffers: about 150 MB) handed back to the
  operating system (glibc's ``malloc_trim``), which every batch worker would otherwise carry.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import sys
from collections.abc import Iterator

__all__ = ["collector_paused", "freeze_survivors", "return_freed_memory"]


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block (restored as it was after)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def freeze_survivors() -> None:
    """Collect the young garbage, then move every object left out of the collector's scans."""
    gc.collect(1)
    gc.freeze()


def return_freed_memory() -> None:
    """Hand memory freed to the heap back to the operating system; a no-op where glibc's
    ``malloc_trim`` is not available."""
    if sys.platform != "linux":
        return
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.malloc_trim(0)
    except (OSError, AttributeError):
        pass
