"""What runs on a cluster's worker processes: one screener per process, checked against the
release a job was started with, and the screening of one partition.

A screener holds a few hundred megabytes of index and takes seconds to build, so it is never
sent with a task: each worker process loads the release from a directory it can read, once, and
keeps it for every later task (:func:`worker_screener`). A task carries only the release's path
and checksum, and a worker whose release has another checksum refuses the task, so one job never
mixes answers from two releases. The functions here need pandas but not Dask: Spark's
``mapInPandas`` can use them too.
"""

from __future__ import annotations

import os
import socket
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from screen.frames.frame import FrameSettings, screen_rows
from screen.release.store import ListError, load_release, resolve_release_dir
from screen.screener import Screener

__all__ = [
    "PartitionJob",
    "WorkerReleaseError",
    "loaded_releases",
    "partition_audit",
    "screen_partition",
    "worker_screener",
]


class WorkerReleaseError(RuntimeError):
    """A worker cannot screen with the job's release: it cannot load it, or its release has
    another checksum. The message names the worker, the directory and both checksums."""


_LOCK = threading.Lock()
_SCREENERS: dict[str, Screener] = {}
_LOADS: list[str] = []
_SCREENING = threading.Lock()


def worker_screener(release: str | Path | None = None, checksum: str | None = None) -> Screener:
    """The screener for the release in directory ``release`` (None: the release in service here,
    as ``Screener.default()`` finds it: ``$SCREEN_LISTS_DIR``, else the store's current release,
    else the shipped one), loaded the first time this process asks for it and reused after.

    With ``checksum``, raises :class:`WorkerReleaseError` unless the release loaded has exactly
    that checksum. Threads of one process share the screener and wait for a single load.
    """
    try:
        directory = resolve_release_dir(release).resolve()
    except ListError as exc:  # the store names a release that is not there
        raise WorkerReleaseError(f"{_worker()}: no list release to load: {exc}") from None
    key = str(directory)
    with _LOCK:
        screener = _SCREENERS.get(key)
        if screener is None:
            try:
                screener = Screener(load_release(directory, cached=True))
            except ListError as exc:
                raise WorkerReleaseError(
                    f"{_worker()}: cannot load the list release in {directory}: {exc}"
                ) from None
            _SCREENERS[key] = screener
            _LOADS.append(key)
    if checksum is not None and screener.release.checksum != checksum:
        release_ = screener.release
        raise WorkerReleaseError(
            f"{_worker()}: the list release in {directory} is {release_.version} with checksum "
            f"{release_.checksum[:16]}..., not the release this job was started with (checksum "
            f"{checksum[:16]}...): put the same release on every worker, or name it with "
            "release= and checksum="
        )
    return screener


def loaded_releases() -> tuple[str, ...]:
    """The release directories this process has loaded a screener for, in order (each once)."""
    with _LOCK:
        return tuple(_LOADS)


def _worker() -> str:
    return f"worker {socket.gethostname()} (pid {os.getpid()})"


@dataclass(frozen=True)
class PartitionJob:
    """What a task needs to screen a partition: small, so it is cheap to send with every task."""

    settings: FrameSettings
    release: str | None
    """The release directory as each worker names it (None: the worker's default release)."""
    checksum: str
    """The checksum every worker's release must have."""

    def screener(self) -> Screener:
        """This process's screener for the job's release (loaded on first use, then reused)."""
        return worker_screener(self.release, self.checksum)


def partition_audit(job: PartitionJob) -> dict[str, Any]:
    """The audit block every partition of ``job`` will carry (loads the release if needed)."""
    return job.settings.audit(job.screener())


def screen_partition(part: pd.DataFrame, start: int, job: PartitionJob) -> pd.DataFrame:
    """Screen one partition whose first row is row ``start + 1`` of the whole frame.

    Threads of one worker process take turns: they share its screener, whose caches are not
    made for concurrent use, and the interpreter lock would run their screening one at a time
    anyway (a worker process wants one thread).
    """
    screener = job.screener()
    with _SCREENING:
        return screen_rows(part, screener, job.settings, first_row=start + 1)
