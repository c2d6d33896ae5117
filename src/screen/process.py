"""Tuning of a whole process, for the entry points that own one: the command line and the batch
workers it starts. Library code never calls these: a program that imports ``screen`` keeps its
garbage collector and its allocator as it set them.

What each step buys, measured on the shipped release (docs/performance.md):

- the cyclic collector paused while a release and its index load: tens of thousands of small
  objects are made at once, hold no cycles, and were rescanned over and over (load time doubled);
- the loaded objects then frozen out of the collector (``gc.freeze()``), without collecting
  them first: loading makes no cycles to speak of (9 unreachable objects of a million on the
  shipped release), a young collection over them took 0.15 s, each full collection over a
  screener's million objects takes about 0.6 s, and a forked worker's collections would write
  to, and so copy, every shared page;
- in a long run, what each chunk of rows leaves (word caches, mostly) frozen as well, collected
  first only now and then (:class:`ChunkSettler`): screening makes no reference cycles;
- the heap freed while loading (parsed JSON, unpickled buffers: about 150 MB) handed back to the
  operating system (glibc's ``malloc_trim``), which every batch worker would otherwise carry.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import sys
from collections.abc import Iterator
from typing import Final

__all__ = ["ChunkSettler", "collector_paused", "freeze_loaded", "return_freed_memory"]


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


def freeze_loaded() -> None:
    """Move every object out of the collector's scans without collecting first: for a process
    that has just loaded a release and its index, which make no cycles worth the walk over
    every object that a collection is (0.15 s over a screener's million objects, to find 9)."""
    gc.freeze()


class ChunkSettler:
    """The collector's work after each chunk of a long run, in a process whose collector is
    disabled (a batch or re-screen worker, or ``screen batch --workers 1``).

    What a chunk leaves is mostly the word caches, which only grow: left in the collector's
    generations, every collection would walk them again, so they are frozen out of its scans
    after each chunk. Screening makes no reference cycles (``tests/test_reference_cycles.py``
    holds it, in every script), so there is nothing to collect first, and collecting anyway
    walked every survivor once: 0.46 s of the workers' 9.3 s of CPU over 100,000 rows, for the
    few hundred objects a chunk that compiled closures then left in cycles. So the second chunk
    and every :attr:`CHECK_EVERY`-th after it are collected before freezing, and once a
    collection finds garbage (a cycle some code makes after all), every later chunk is:
    garbage once frozen is never freed. Not the first: it loads the data tables the
    normaliser reads on first use (tens of thousands of objects, no cycles), which a
    collection walked for 0.05 s in each worker; the second is the first ordinary chunk.
    """

    CHECK_EVERY: Final = 16
    """Chunks between the collections that look for garbage all the same."""

    def __init__(self) -> None:
        self._chunks = 0
        self._collecting = False

    def settle(self) -> int:
        """After a chunk: collect it when due (see the class), then freeze what is left.
        Returns the number of unreachable objects the collection found (0 when it did not
        collect)."""
        self._chunks += 1
        found = 0
        if self._collecting or self._chunks % self.CHECK_EVERY == 2:
            found = gc.collect(1)
            self._collecting = self._collecting or found > 0
        gc.freeze()
        return found

    @property
    def collecting(self) -> bool:
        """Whether a collection has found garbage, so that every chunk is now collected."""
        return self._collecting


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
