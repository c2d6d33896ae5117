"""The worker processes of a batch run: a pool that screens chunks of queries, a bounded number in
flight, and hands the chunks back in input order.

Workers are forked where the platform allows, so each inherits the parent's screener without
rebuilding or pickling it; elsewhere each loads the release again. A worker owns its process, so
it tunes its own garbage collector (see :func:`_init_worker`); the parent's is left alone.
"""

from __future__ import annotations

import gc
import multiprocessing
import signal
import sys
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing.context import BaseContext
from pathlib import Path

from screen.batch.output import RowOutcome
from screen.batch.rows import Row, fill_outcomes, queries_of
from screen.batch.screening import Query, Screening, ScreenSpec, screen_all
from screen.names.transliterate import han_reader
from screen.process import ChunkSettler, freeze_loaded, return_freed_memory
from screen.screener import Screener

__all__ = ["screen_in_pool"]

# The screening of a worker process, set once by the pool's initializer: a process-wide value is
# the only way ProcessPoolExecutor lets a task reach what the initializer built.
_WORKER: Screening | None = None
_SETTLER = ChunkSettler()
"""The collector's work after each chunk (:func:`_settle_heap`), one per worker process."""


def _init_worker(screening: Screening | tuple[Path | None, ScreenSpec]) -> None:
    global _WORKER
    # Ctrl-C is the parent's to handle: it stops the pool and removes the partial output.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A worker collects cyclic garbage once per chunk (_settle_heap) instead of every 700
    # allocations: screening makes almost no cycles (about one object in five names), and the
    # automatic collections cost 3-8% of a worker's time for nothing. The process is ours (the
    # pool started it for this run), so its collector's setting is too.
    gc.disable()
    if isinstance(screening, tuple):  # spawn start: rebuild from the release path
        from screen.release.store import load_release

        path, spec = screening
        screener = (
            Screener(load_release(path, cached=True)) if path is not None else Screener.default()
        )
        chips = None
        if spec.item_as_of is not None:
            from screen.chips import default_chip_data, load_chip_data

            chips = load_chip_data(path) if path is not None else default_chip_data()
        screening = Screening(screener, spec, chips)
        return_freed_memory()
    # What this process holds before its first chunk is moved out of the collector's scans
    # (as the command freezes its loaded screener): forked, what the parent made after that
    # freeze (the Han reader, the rows read ahead), which the first collection walked for
    # 0.08-0.11 s in each worker to free nothing; spawned, the screener loaded just above.
    # Moving it costs no scan, and forked pages stay shared.
    freeze_loaded()
    _WORKER = screening


def _screen_chunk(queries: Sequence[Query]) -> list[RowOutcome]:
    assert _WORKER is not None, "worker used before its initializer ran"
    outcomes = screen_all(_WORKER, queries)
    _settle_heap()
    return outcomes


def _settle_heap() -> None:
    """In a worker, after each chunk: move what the chunk left out of the cyclic collector's
    scans, collecting it first when due (:class:`screen.process.ChunkSettler`).

    What survives a chunk is mostly the word caches, which only grow: left in the collector's
    oldest generation, every full collection walks them again (about 5% of a worker's time).
    """
    _SETTLER.settle()


def screen_in_pool(
    chunks: Iterator[list[Row]],
    screening: Screening,
    workers: int,
    release_path: Path | None,
    *,
    han_ahead: bool = True,
) -> Iterator[list[Row]]:
    """Screen chunks on ``workers`` processes, a bounded number in flight, yielding them in
    order. ``release_path`` (None: the shipped release) is where a worker that cannot inherit
    the parent's memory loads the same release from. ``han_ahead``: names with Han characters
    are expected (the first rows have one), so the Han reader is loaded before the workers
    fork, to be shared by them."""
    handed: Screening | tuple[Path | None, ScreenSpec]
    context: BaseContext
    if "fork" in multiprocessing.get_all_start_methods() and sys.platform == "linux":
        # fork hands each worker the parent's screener without rebuilding or pickling it, and
        # the Han reader's dictionaries when Han names are expected, loaded here once rather
        # than by each worker on its first Han name (0.17 s and 54 MB each); a file whose
        # first rows have none (most customer books outside East Asia) skips them, and a
        # worker that meets a Han name later loads them itself
        context = multiprocessing.get_context("fork")
        handed = screening
        if han_ahead:
            han_reader()
    else:  # pragma: no cover - exercised on platforms without fork
        context = multiprocessing.get_context("spawn")
        handed = (release_path, screening.spec)
    in_flight: deque[tuple[list[Row], Future[list[RowOutcome]]]] = deque()
    limit = 2 * workers + 1
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_init_worker,
        initargs=(handed,),
    ) as pool:
        try:
            for chunk in chunks:
                in_flight.append((chunk, pool.submit(_screen_chunk, queries_of(chunk))))
                if len(in_flight) >= limit:
                    done, future = in_flight.popleft()
                    fill_outcomes(done, future.result())
                    yield done
            while in_flight:
                done, future = in_flight.popleft()
                fill_outcomes(done, future.result())
                yield done
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
