"""Screen a Dask DataFrame: :func:`screen.frames.screen_frame` over its partitions, on as many
worker processes as the cluster has, each with one screener of its own.

The job is pinned to one list release by checksum: the checksum the client sees (or the one
given), which every worker checks against the release it loads (see
:mod:`screen.frames.worker`). Before returning, one task runs at once to load the release on a
worker and fill the audit block, so a missing or different release fails here, not hours into
the run.
"""

from __future__ import annotations

import json
import operator
import os
from pathlib import Path
from typing import Any

import dask.dataframe as dd
from dask.delayed import Delayed, delayed

from screen.frames.frame import AUDIT_ATTR, FrameError, frame_settings, result_columns
from screen.frames.worker import PartitionJob, partition_audit, screen_partition
from screen.release.models import SourceList
from screen.release.store import MANIFEST, ListError, resolve_release_dir

__all__ = ["screen_dask"]


def screen_dask(
    ddf: dd.DataFrame,
    name_column: str | None = None,
    country_column: str | None = None,
    lists: list[SourceList | str] | tuple[SourceList | str, ...] | str | None = None,
    threshold: float | None = None,
    release: str | Path | None = None,
    checksum: str | None = None,
) -> dd.DataFrame:
    """Screen every row of a Dask DataFrame; a Dask DataFrame with the columns and statuses of
    :func:`screen.frames.screen_frame` (rows numbered through the whole frame) whose computed
    partitions, and whose model frame, carry the audit block in ``attrs["screen_audit"]`` (see
    :func:`screen.frames.audit_of`).

    ``release``: the list release directory as every worker names it (None: the release in
    service on each worker, as ``Screener.default()`` finds it). ``checksum``: the release
    checksum every worker must have (None: the checksum of ``release`` as this process sees
    it). A worker with another release refuses its tasks with
    :class:`screen.frames.WorkerReleaseError`. Each worker process loads the release once and
    keeps it; the tasks carry only its path and checksum.

    Computes one task at once, to check the release on a worker and make the audit block.
    """
    settings = frame_settings(ddf.columns, name_column, country_column, lists, threshold)
    where = None if release is None else os.fspath(release)
    if checksum is None:
        checksum = _declared_checksum(where)
    job = PartitionJob(settings, where, checksum)
    audit: dict[str, Any] = delayed(partition_audit, pure=False)(job).compute()
    meta = ddf._meta.assign(**result_columns([]))
    meta.attrs = {**ddf._meta.attrs, AUDIT_ATTR: audit}
    # The partitions as they will be computed (after Dask's optimisations, which may merge
    # some): rows are numbered from the lengths of these very partitions, each read once.
    parts: list[Delayed] = ddf.to_delayed()  # type: ignore[no-untyped-call]
    screened = [
        delayed(screen_partition, pure=True)(part, start, job)
        for part, start in zip(parts, _starts(parts), strict=True)
    ]
    divisions = ddf.divisions if len(parts) == ddf.npartitions else None
    frame: dd.DataFrame = dd.from_delayed(screened, meta=meta, divisions=divisions)
    return frame


def _declared_checksum(release: str | None) -> str:
    """The checksum the release's manifest declares, as this process sees it. Only read here:
    each worker verifies every file of the release against it when it loads the release."""
    try:
        manifest = resolve_release_dir(release) / MANIFEST
    except ListError as exc:  # the store names a release that is not there
        raise FrameError(f"release: {exc}") from None
    try:
        checksum = json.loads(manifest.read_bytes())["checksum"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise FrameError(
            f"release: cannot read the checksum in {manifest} ({type(exc).__name__}: {exc}); "
            "pass checksum= when this process has no copy of the release"
        ) from None
    if not isinstance(checksum, str):
        raise FrameError(f"release: {manifest}: the checksum is not text")
    return checksum


def _starts(parts: list[Delayed]) -> list[int | Delayed]:
    """The number of rows before each partition: a chain of small tasks, so that screening a
    partition waits for the earlier partitions to be read, not for the whole frame."""
    starts: list[int | Delayed] = [0]
    for part in parts[:-1]:
        starts.append(delayed(operator.add)(starts[-1], delayed(len)(part)))
    return starts
