"""``screen rescreen``: a stored batch result screened again on a newer list release.

Only the rows the update can have changed are screened again (see :mod:`screen.rescreen`):
rows with hits (their entries may be gone or changed, their scores moved), rows that could match
a name added or changed (found by searching the records with those names,
:mod:`screen.rescreen.reverse`), rows with a token whose weight the update moved materially
(:mod:`screen.rescreen.drift`), and rows the screener could not screen. Every other row is carried
over with only its audit blocks replaced. ``full=True`` screens every row again instead.

The file is cut into stretches of whole lines; worker processes take them in turn, each writing
its stretch to a part file, and the parts are joined in order into the output, which appears
under its name only when all went well (as ``screen batch`` writes).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import gc
import json
import multiprocessing
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from screen.batch.output import ResultWriter
from screen.matching.score import MATCHER_VERSION
from screen.process import ChunkSettler
from screen.rescreen.parts import Context, PartResult, process_part
from screen.rescreen.plan import AuditBlocks, Plan, RescreenError, first_row_audit, make_plan
from screen.rescreen.reverse import ReverseSearch
from screen.rescreen.shared import DecisionBoard
from screen.rescreen.summary import RescreenSummary
from screen.rescreen.words import WordTable

__all__ = ["STRETCH_BYTES", "RescreenOptions", "rescreen"]

STRETCH_BYTES = 8 << 20
"""Bytes of the result a worker takes at a time (about 8,000 rows)."""
FIRST_STRETCH_BYTES = 1 << 20
"""Bytes the command's own process re-screens before the workers start (about 1,000 rows): the
words a file uses most are then probed once, before the fork, rather than in every worker;
more would keep the workers waiting (every name of a first stretch is new)."""


@dataclass(frozen=True)
class RescreenOptions:
    """How to re-screen a stored result."""

    to: str | Path
    """The new release: a version of the store, a checksum or a release folder."""
    output: Path
    old: str | Path | None = None
    """The release the result was screened on, when the store and the package lack it."""
    full: bool = False
    """Screen every row again (the reference a delta re-screen equals)."""
    workers: int = 2


def default_output(result: Path, version: str) -> Path:
    """Where the output goes without ``-o``: beside the result, named after the new release."""
    return result.with_name(f"{result.stem}.{version}.jsonl")


def _stretches(path: Path, size: int, first: int | None = None) -> list[tuple[int, int]]:
    """Byte ranges of ``path`` of about ``size`` bytes (the first of about ``first``), each
    ending after a line break (or at the end of the file)."""
    total = path.stat().st_size
    ranges: list[tuple[int, int]] = []
    with path.open("rb") as handle:
        start = 0
        while start < total:
            end = min(start + (size if ranges or first is None else first), total)
            if end < total:
                handle.seek(end)
                rest = handle.readline()
                end += len(rest)
            ranges.append((start, end))
            start = end
    return ranges


# The context of a worker process, set by the pool's initializer (forked, so shared with the
# parent rather than rebuilt): a process-wide value is how ProcessPoolExecutor hands it over.
_CONTEXT: Context | None = None
_BOARD: DecisionBoard | None = None
_SETTLER = ChunkSettler()
"""The collector's work after each stretch, one per worker process (see screen.process)."""


def _init_worker(context: Context, folder: Path) -> None:
    global _CONTEXT, _BOARD
    import signal

    # the worker's process is ours (the pool forked it for this run), so its collector is too
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    gc.disable()  # screening makes next to no cycles; see screen.batch.workers._init_worker
    # what the parent built, out of the worker's collections (which would otherwise scan it
    # all, and write to, so copy, every shared page): moving it costs no scan
    gc.freeze()
    context.sharing = True
    _CONTEXT = context
    _BOARD = DecisionBoard(folder)


def _work(start: int, end: int, part: Path) -> PartResult:
    assert _CONTEXT is not None and _BOARD is not None, "worker used before its initializer ran"
    _CONTEXT.learn(_BOARD.news())
    result = process_part(_CONTEXT, start, end, part)
    _BOARD.publish(_CONTEXT.fresh())
    _SETTLER.settle()
    return result


def _results(
    context: Context, stretches: list[tuple[int, int]], parts: list[Path], workers: int,
    folder: Path,
) -> Iterator[PartResult]:
    """Each stretch re-screened, in order (on worker processes when ``workers`` > 1, which
    share what they decide through files in ``folder``)."""
    if workers <= 1 or len(stretches) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for (start, end), part in zip(stretches, parts, strict=True):
            yield process_part(context, start, end, part)
        return
    # the first (short) stretch here: see FIRST_STRETCH_BYTES
    yield process_part(context, *stretches[0], parts[0])
    stretches, parts = stretches[1:], parts[1:]
    # the Han reader is shared with the workers when the first stretch had a Han name (reading
    # it loaded the reader here, before the fork); else a worker that meets one loads it, as
    # a batch's workers do (see screen.batch.workers.screen_in_pool)
    pool_context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=pool_context, initializer=_init_worker,
        initargs=(context, folder),
    ) as pool:
        # a few stretches in flight: part files wait on disk until joined, so at most these
        in_flight: deque[Future[PartResult]] = deque()
        pending = iter(zip(stretches, parts, strict=True))
        try:
            for (start, end), part in pending:
                in_flight.append(pool.submit(_work, start, end, part))
                if len(in_flight) > 2 * workers:
                    yield in_flight.popleft().result()
            while in_flight:
                yield in_flight.popleft().result()
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise


def rescreen(
    path: Path,
    options: RescreenOptions,
    progress: Callable[[int, int], None] | None = None,
) -> RescreenSummary:
    """Re-screen the stored result ``path`` on the release ``options.to`` into
    ``options.output``; ``progress(bytes_done, total_bytes)`` after each stretch.

    Leaves the process's garbage collector as it is (worker processes set their own): a
    program that owns its process may pause it meanwhile, as ``screen rescreen`` does
    (:func:`screen.process.collector_paused`), since loading makes hundreds of thousands of
    objects without cycles.

    Raises :class:`RescreenError` before writing anything when the file is not a batch result,
    its release cannot be found, it was made by another matcher, or a row cannot be read.
    """
    started_at = dt.datetime.now(dt.UTC)
    loading = time.monotonic()
    if options.output.exists() and options.output.is_dir():
        raise RescreenError(f"{options.output}: is a directory; -o needs a file name")
    audit = first_row_audit(path)
    with contextlib.suppress(OSError):
        if options.output.exists() and path.samefile(options.output):
            raise RescreenError(f"{options.output}: is the result itself; choose another name")
    plan = make_plan(path, audit, options.to, options.old)
    threshold = float(audit["threshold"])
    table = WordTable()
    search = None
    if not options.full:
        search = ReverseSearch(
            plan.new_release, plan.screener.index.weights, plan.targets, threshold, table,
            plan.drift.lowered_keys,
        )
    chips = None
    if plan.chips_changed and (audit.get("options") or {}).get("item_column"):
        from screen.chips import ChipDataError, load_chip_data

        try:
            chips = load_chip_data(plan.new_release_dir)
        except ChipDataError as exc:
            raise RescreenError(f"--to: chip data: {exc}") from None
    context = Context(
        path=path, plan=plan, full=options.full, search=search, table=table, chips=chips,
        audits=AuditBlocks(plan.new_release), checksum=str(audit["release_checksum"]),
    )
    summary = _summary(path, options, plan, threshold)
    started = time.monotonic()
    summary.load_seconds = started - loading
    writer = ResultWriter(
        options.output, "jsonl", (), audit={}, with_items=False
    )
    try:
        _run(context, options, writer, summary, progress)
        summary.seconds = time.monotonic() - started
        new_audit = json.loads(context.audits.row(json.dumps(audit), audit))
        summary.sidecar_path = writer.commit(_sidecar(summary, started_at, new_audit))
    except BrokenProcessPool as exc:
        writer.abort()
        raise RescreenError(f"a worker process died ({exc}); no output was written") from None
    except BaseException:
        writer.abort()
        raise
    return summary


def _summary(
    path: Path, options: RescreenOptions, plan: Plan, threshold: float
) -> RescreenSummary:
    old, new = plan.old_release, plan.new_release
    difference = plan.difference
    summary = RescreenSummary(
        input_path=path,
        output_path=options.output,
        mode="full" if options.full else "delta",
        old_release={"version": old.version, "checksum": old.checksum},
        new_release={"version": new.version, "checksum": new.checksum,
                     "data_date": new.data_date.isoformat()},
        matcher_version=MATCHER_VERSION,
        diff_counts={
            "added": len(difference.added),
            "removed": len(difference.removed),
            "changed": len(difference.changed),
            "names searched for": 0 if options.full else len(plan.targets),
        },
        material_tokens=len(plan.drift.material_keys),
    )
    if not options.full:
        summary.drift_bound = plan.drift.bound(threshold)
    return summary


def _run(
    context: Context,
    options: RescreenOptions,
    writer: ResultWriter,
    summary: RescreenSummary,
    progress: Callable[[int, int], None] | None,
) -> None:
    path = context.path
    stretches = _stretches(
        path, STRETCH_BYTES, FIRST_STRETCH_BYTES if options.workers > 1 else None
    )
    total = stretches[-1][1] if stretches else 0
    folder = Path(tempfile.mkdtemp(prefix=f".{options.output.name}.parts-",
                                   dir=options.output.parent))
    parts = [folder / f"{number:06d}.jsonl" for number in range(len(stretches))]
    offset = 0
    try:
        for (_, end), part, result in zip(stretches, parts,
                                         _results(context, stretches, parts, options.workers,
                                                  folder),
                                         strict=False):
            if result.error is not None:
                number, message = result.error
                raise RescreenError(f"{path}: line {offset + number}: {message}")
            _add(summary, result, offset)
            offset += result.lines
            writer.append_file(part)
            part.unlink()
            if progress is not None:
                progress(end, total)
        if summary.rows == 0:
            raise RescreenError(f"{path}: no result rows")
    finally:
        for part in parts:
            part.unlink(missing_ok=True)
        DecisionBoard.remove(folder)
        with contextlib.suppress(OSError):
            folder.rmdir()


def _add(summary: RescreenSummary, result: PartResult, offset: int) -> None:
    summary.rows += result.rows
    summary.clear += result.status["clear"]
    summary.hits += result.status["hit"]
    summary.errors += result.status["error"]
    summary.items_to_review += result.items_to_review
    summary.rescreened.update(result.rescreened)
    summary.narrowed += result.narrowed
    summary.names_decided += result.decided
    summary.words += result.words
    summary.carried += result.carried
    summary.unchanged += result.unchanged
    for change in result.changes:
        summary.add_change(dataclasses.replace(change, result_line=change.result_line + offset))


def _sidecar(
    summary: RescreenSummary, started_at: dt.datetime, audit: dict[str, Any]
) -> dict[str, Any]:
    """The audit sidecar written beside the output: the audit block of its rows, what was
    re-screened from what and how, and when."""
    return {
        "audit": audit,
        "rescreen": summary.to_dict(),
        "output": {"path": str(summary.output_path)},
        "timing": {
            "started": started_at.isoformat(timespec="seconds"),
            "seconds": round(summary.seconds, 3),
            "release_load_seconds": round(summary.load_seconds, 3),
        },
    }
