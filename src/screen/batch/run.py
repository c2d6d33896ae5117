"""Screen a CSV file of parties: every record accounted for, in order, on both cores, audited.

This module runs a batch from end to end: it opens the input and output
(:mod:`screen.batch.files`), picks the columns (:mod:`screen.batch.columns`), checks each record
(:mod:`screen.batch.rows`), screens chunks of them in this process or on worker processes
(:mod:`screen.batch.workers`, :mod:`screen.batch.screening`), writes their outcomes back in
input order and sums the run up (:mod:`screen.batch.summary`). At most a few chunks are in
flight, so memory stays bounded however long the file is. Reading lives in
:mod:`screen.batch.input`, writing in :mod:`screen.batch.output` (Parquet input and output in
:mod:`screen.batch.parquet`, imported only for a ``.parquet`` path).

The names of the batch API are importable from here, where they have always been.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import time
from collections.abc import Callable, Iterator
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from screen.batch.columns import NAME_HEADERS, find_column, pick_name_column
from screen.batch.files import check_paths, open_reader, open_writer
from screen.batch.input import InputReader
from screen.batch.options import BatchError, BatchOptions
from screen.batch.output import ResultRow, ResultWriter
from screen.batch.rows import Columns, Row, fill_outcomes, prepare_row, queries_of, screen_records
from screen.batch.screening import (
    CLEAR,
    Query,
    Screening,
    ScreenSpec,
    classify_item_cell,
    screen_all,
    screen_query,
)
from screen.batch.summary import BatchSummary, Progress, count_outcome, run_audit, sidecar
from screen.batch.workers import screen_in_pool
from screen.screener import Screener
from screen.screener import normalise_country as normalise_country  # importable from here too
from screen.text.scripts import HAN_RANGES, character_class

if TYPE_CHECKING:
    from screen.batch.parquet import ParquetReader, ParquetResultWriter
    from screen.chips import ChipData

__all__ = [
    "CHUNK_ROWS",
    "CLEAR",
    "NAME_HEADERS",
    "SMALL_RUN_ROWS",
    "BatchError",
    "BatchOptions",
    "BatchSummary",
    "Progress",
    "Query",
    "classify_item_cell",
    "find_column",
    "pick_name_column",
    "run_audit",
    "run_batch",
    "screen_query",
    "screen_records",
]

CHUNK_ROWS = 1_000
"""Records sent to a worker at a time: large enough to amortise the hand-over, small enough to
keep the progress bar moving and memory low."""
SMALL_RUN_ROWS = 2_000
"""Inputs up to this many records are screened in-process: starting workers would cost more."""
_HAN: Final = re.compile(character_class(HAN_RANGES))
"""A Han character, by the ranges the normaliser reads as Han: whether the first rows of a run
have a name the Han reader will read (see :func:`screen.batch.workers.screen_in_pool`)."""


def _chunks(rows: Iterator[Row], size: int) -> Iterator[list[Row]]:
    while chunk := list(islice(rows, size)):
        yield chunk


def run_batch(
    input_path: Path,
    output_path: Path,
    screener: Screener | Callable[[], Screener],
    options: BatchOptions,
    progress: Callable[[Progress], None] | None = None,
) -> BatchSummary:
    """Screen every record of ``input_path`` into ``output_path``; see the module docstring.

    ``screener`` may be a function that builds one: it is then called only once the input and its
    columns have been checked, so a mistyped file name fails at once, not after loading a release.
    Raises :class:`BatchError` (or the input/output errors it wraps) for a problem with the run as a
    whole; a problem with one record becomes an ``error`` row and never stops the run.

    The run leaves the calling process's garbage collector and allocator as they are; the
    worker processes it starts tune their own (see :mod:`screen.batch.workers`). A caller that
    owns its process may freeze the screener out of the collector first (``screen batch`` does,
    see :mod:`screen.process`): forked workers then share its pages without copying them.
    """
    started_at = dt.datetime.now(dt.UTC)
    check_paths(input_path, output_path)
    reader = open_reader(input_path, options)
    with contextlib.closing(reader):
        return _run(reader, output_path, screener, options, progress, started_at)


def _run(
    reader: InputReader | ParquetReader,
    output_path: Path,
    screener: Screener | Callable[[], Screener],
    options: BatchOptions,
    progress: Callable[[Progress], None] | None,
    started_at: dt.datetime,
) -> BatchSummary:
    header = reader.header
    name_idx, detected = pick_name_column(header, options.name_column)
    country_idx = None
    if options.country_column is not None:
        if options.country is not None:
            raise BatchError("--country and --country-column cannot be used together")
        country_idx = find_column(header, options.country_column, "--country-column")
    item_idx = None
    item_as_of = None
    chips = None
    if options.item_column is not None:
        item_idx = find_column(header, options.item_column, "--item-column")
        item_as_of = options.item_as_of or dt.date.today()
        chips = _chip_data(options.release_path)
    unit = "line"
    if not isinstance(reader, InputReader):  # Parquet: numbered by row; screened cells are text
        reader.screened_columns = frozenset(
            index for index in (name_idx, country_idx, item_idx) if index is not None
        )
        unit = "row"
    cols = Columns(name_idx, country_idx, item_idx, header, unit)
    column_names: dict[str, Any] = {
        "name_column": header[name_idx],
        "country_column": header[country_idx] if country_idx is not None else None,
    }
    if item_idx is not None and item_as_of is not None:
        column_names["item_column"] = header[item_idx]
        column_names["item_as_of"] = item_as_of.isoformat()
    loading = time.monotonic()
    if not isinstance(screener, Screener):
        screener = screener()
    started = time.monotonic()
    audit = run_audit(screener, options, column_names)
    dates = sorted(source.date for source in screener.release.sources)
    summary = BatchSummary(
        load_seconds=started - loading,
        source_dates=(dates[0], dates[-1]) if dates else None,
        input_path=reader.path,
        output_path=output_path,
        name_column=header[name_idx],
        name_column_detected=detected,
        country_column=column_names["country_column"],
        encoding=reader.encoding_label,
        delimiter=reader.delimiter,
        audit=audit,
    )
    spec = ScreenSpec(
        options.lists, options.threshold, options.output_format == "jsonl", item_as_of
    )
    screening = Screening(screener, spec, chips)
    writer = open_writer(output_path, options, reader, audit, item_idx is not None)
    try:
        rows = (prepare_row(record, cols, reader.bytes_consumed) for record in reader.records())
        for chunk in _screened_chunks(rows, screening, options):
            _write_chunk(writer, chunk, cols, summary)
            if progress is not None:
                progress(
                    Progress(
                        chunk[-1].offset,
                        reader.total_bytes,
                        summary.rows,
                        summary.hits,
                        summary.errors,
                        time.monotonic() - started,
                    )
                )
        summary.blank_lines = reader.blank_lines
        summary.fallback_lines = reader.fallback_lines
        summary.fallback_count = reader.fallback_count
        summary.input_sha256 = reader.sha256
        summary.elapsed = time.monotonic() - started
        summary.sidecar_path = writer.commit(sidecar(summary, started_at))
    except BrokenProcessPool as exc:
        writer.abort()
        raise BatchError(
            f"a screening worker process died ({exc}); no output was written"
        ) from None
    except BaseException:
        writer.abort()
        raise
    return summary


def _write_chunk(
    writer: ResultWriter | ParquetResultWriter,
    chunk: list[Row],
    cols: Columns,
    summary: BatchSummary,
) -> None:
    with_query = writer.format == "jsonl"  # CSV output does not repeat the query
    rows: list[ResultRow] = []
    for row in chunk:
        outcome = row.outcome
        assert outcome is not None
        count_outcome(outcome, summary)
        query = _as_screened(row.query, cols) if with_query else None
        rows.append((row.record.line, row.record.fields, outcome, query))
    writer.write_rows(rows)


def _as_screened(query: Query | None, cols: Columns) -> dict[str, str | None] | None:
    if query is None:
        return None
    screened = {"name": query[0], "country": query[1]}
    if cols.item is not None:
        screened["item"] = query[2]
    return screened


def _screened_chunks(
    rows: Iterator[Row], screening: Screening, options: BatchOptions
) -> Iterator[list[Row]]:
    """Chunks of rows with every outcome filled in, in input order."""
    chunks = _chunks(_with_global_country(rows, options.country), CHUNK_ROWS)
    peek = SMALL_RUN_ROWS // CHUNK_ROWS + 1
    first = list(islice(chunks, peek))
    if options.workers <= 1 or len(first) < peek:
        # in the caller's own process, whose collector is the caller's business
        for chunk in _prepend(first, chunks):
            fill_outcomes(chunk, screen_all(screening, queries_of(chunk)))
            yield chunk
        return
    han_ahead = any(
        _HAN.search(query[0]) is not None for chunk in first for query in queries_of(chunk)
    )
    yield from screen_in_pool(
        _prepend(first, chunks), screening, options.workers, options.release_path,
        han_ahead=han_ahead,
    )


def _prepend(first: list[list[Row]], rest: Iterator[list[Row]]) -> Iterator[list[Row]]:
    yield from first
    yield from rest


def _with_global_country(rows: Iterator[Row], country: str | None) -> Iterator[Row]:
    if country is None:
        yield from rows
        return
    for row in rows:
        if row.query is not None:
            row.query = (row.query[0], country, row.query[2])
        yield row


def _chip_data(release_path: Path | None) -> ChipData:
    from screen.chips import ChipDataError, default_chip_data, load_chip_data

    try:
        return load_chip_data(release_path) if release_path is not None else default_chip_data()
    except ChipDataError as exc:
        raise BatchError(f"--item-column: chip data: {exc}") from None
