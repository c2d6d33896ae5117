"""Screen a CSV file of parties: every record accounted for, in order, on both cores, audited.

Reading and accounting live in :mod:`screen.batch.input`, writing in :mod:`screen.batch.output`
(Parquet input and output in :mod:`screen.batch.parquet`, imported only for a ``.parquet`` path);
this module picks the columns, checks each record, sends chunks of names to worker processes and
writes their outcomes back in input order. At most a few chunks are in flight, so memory stays
bounded however long the file is.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import importlib.util
import json
import multiprocessing
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from itertools import islice
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from screen import __version__
from screen.batch.input import InputError, InputReader, Record, open_input
from screen.batch.output import OutputFormat, ResultRow, ResultWriter, RowOutcome
from screen.matching.score import MATCHER_VERSION
from screen.names.tokens import MAX_NAME_CHARS
from screen.process import freeze_survivors, return_freed_memory
from screen.release.models import SourceList
from screen.screener import Screener, normalise_country

if TYPE_CHECKING:
    from screen.batch.parquet import ParquetReader, ParquetResultWriter
    from screen.chips import ChipData

# screen.chips is imported where an item column asks for it: a tenth of a second of start-up
# (its models and tables) that a run without one does not need

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

NAME_HEADERS: tuple[str, ...] = (
    "name",
    "fullname",
    "partyname",
    "party",
    "counterpartyname",
    "counterparty",
    "companyname",
    "company",
    "customername",
    "customer",
    "legalname",
    "entityname",
    "entity",
    "organisationname",
    "organizationname",
    "organisation",
    "organization",
    "businessname",
    "accountname",
    "beneficiaryname",
    "beneficiary",
)
"""Header names taken for the name column, in order of preference, compared lower-case with
spaces, underscores and hyphens removed."""


class BatchError(Exception):
    """The run cannot start or finish (bad column, input or output problem); one-line message."""


@dataclass(frozen=True)
class BatchOptions:
    """How to screen a file; every field ends up in the audit block."""

    output_format: OutputFormat = "csv"
    name_column: str | None = None
    """Header name or 1-based column number; None to auto-detect."""
    country_column: str | None = None
    country: str | None = None
    """ISO alpha-2 filter applied to every row (exclusive with ``country_column``)."""
    item_column: str | None = None
    """Column of item descriptions to classify (advanced-computing chips) next to the party."""
    item_as_of: dt.date | None = None
    """Date whose export rules classify the items (None: today, recorded in the audit block)."""
    lists: tuple[SourceList, ...] | None = None
    threshold: float | None = None
    encoding: str | None = None
    delimiter: str | None = None
    workers: int = 2
    release_path: Path | None = None
    """Where the screener's release was loaded from (None: the shipped one); lets workers that
    cannot inherit the parent's memory build the same screener."""


@dataclass(frozen=True)
class Progress:
    """A snapshot of a running batch, for a progress display."""

    bytes_done: int
    """Bytes of the input up to the last row written."""
    total_bytes: int
    rows: int
    hits: int
    errors: int
    elapsed: float


@dataclass
class BatchSummary:
    """What a finished run did: counts, timings, how the input was read, and the audit block."""

    input_path: Path
    output_path: Path
    sidecar_path: Path | None = None
    rows: int = 0
    clear: int = 0
    hits: int = 0
    errors: int = 0
    blank_lines: int = 0
    elapsed: float = 0.0
    """Seconds spent screening and writing (after the release was loaded)."""
    load_seconds: float = 0.0
    """Seconds spent loading the list release and its index."""
    source_dates: tuple[dt.date, dt.date] | None = None
    """Dates of the oldest and the newest source data in the release."""
    name_column: str = ""
    name_column_detected: bool = False
    country_column: str | None = None
    encoding: str = ""
    delimiter: str = ","
    fallback_lines: tuple[int, ...] = ()
    fallback_count: int = 0
    error_samples: list[str] = field(default_factory=list)
    item_counts: dict[str, int] = field(default_factory=dict)
    """Rows per item status (``controlled``, ``not-controlled``, ...) when items are classified."""
    input_sha256: str = ""
    audit: dict[str, Any] = field(default_factory=dict)

    @property
    def items_to_review(self) -> int:
        """Items classified ``controlled`` or ``insufficient-data``: a person has to look."""
        return sum(
            self.item_counts.get(status, 0) for status in ("controlled", "insufficient-data")
        )

    @property
    def rows_per_second(self) -> float:
        """Throughput of the run."""
        return self.rows / self.elapsed if self.elapsed > 0 else 0.0


def run_audit(screener: Screener, options: BatchOptions, columns: dict[str, Any]) -> dict[str, Any]:
    """The audit block: which release, matcher and options produced a result."""
    release = screener.release
    threshold = options.threshold if options.threshold is not None else screener.threshold
    return {
        "release_version": release.version,
        "release_checksum": release.checksum,
        "release_data_date": release.data_date.isoformat(),
        "matcher_version": MATCHER_VERSION,
        "screen_version": __version__,
        "threshold": threshold,
        "options": {
            "lists": [str(code) for code in options.lists] if options.lists else None,
            "country": options.country,
            **columns,
        },
    }


# --- screening one row (shared by the in-process path, the workers and ``screen verify``) ---


@dataclass(frozen=True)
class _ScreenSpec:
    """What a worker needs besides the screener: the per-call options and the output format."""

    lists: tuple[SourceList, ...] | None
    threshold: float | None
    with_json: bool
    item_as_of: dt.date | None = None
    """Set when rows carry an item to classify."""


CLEAR: Final = RowOutcome("clear")
"""The outcome of every clear row without JSON: one object, so a chunk of them pickles (to and
from a worker) as one, and is written with one set of result cells."""

Query = tuple[str, str | None, str | None]
"""What one row asks: the name, its country filter and its item text (None: no item column)."""


def screen_query(
    screener: Screener,
    name: str,
    country: str | None,
    *,
    lists: Iterable[SourceList | str] | None = None,
    threshold: float | None = None,
    with_json: bool = False,
) -> RowOutcome:
    """Screen one name and condense the result to a :class:`RowOutcome`.

    An exception from the screener becomes an ``error`` outcome: one odd name must not end a run
    of a million rows, and the row says what went wrong.
    """
    try:
        result = screener.screen(
            name,
            country=country,
            lists=None if lists is None else tuple(lists),
            threshold=threshold,
        )
    except Exception as exc:
        return RowOutcome("error", f"screening failed: {type(exc).__name__}: {exc}")
    result_json = json.dumps(result.to_dict(), ensure_ascii=False) if with_json else None
    if result.status == "error":
        reason = result.error or "the screener could not screen this name"
        return RowOutcome("error", reason, result_json=result_json)
    if not result.hits:
        return CLEAR if result_json is None else RowOutcome("clear", result_json=result_json)
    top = result.hits[0]
    return RowOutcome(
        status=result.status,
        hit_count=result.hit_count,
        entry_id=top.entry.id,
        source_list=str(top.entry.source_list),
        matched_name=top.matched_name,
        entry_name=top.entry.name,
        score=top.score,
        explanation=top.explanation.summary(),
        result_json=result_json,
    )


def classify_item_cell(
    text: str, as_of: dt.date, chips: ChipData, *, with_json: bool = False
) -> tuple[str, str, str | None]:
    """Status, one-line summary and (for JSON lines) the JSON of one item cell's classification."""
    if not text.strip():
        return "", "", None
    from screen.chips import classify_item

    try:
        item = classify_item(text, as_of, data=chips)
    except Exception as exc:
        return "error", f"classification failed: {type(exc).__name__}: {exc}", None
    as_json = None
    if with_json:
        as_json = json.dumps(
            {
                "text": text,
                "status": item.status,
                "eccn": item.eccn,
                "chip": item.chip,
                "summary": item.summary,
                "as_of": as_of.isoformat(),
            },
            ensure_ascii=False,
        )
    return item.status, item.summary, as_json


def screen_records(
    screener: Screener,
    records: Iterable[Record],
    header: Sequence[str],
    name_index: int,
    country_index: int | None = None,
    *,
    lists: tuple[SourceList, ...] | None = None,
    threshold: float | None = None,
    unit: str = "line",
) -> list[RowOutcome]:
    """The outcome of each record, in order, decided as ``screen batch`` decides a row's: the
    same checks of the name and country cells with the same reasons (``unit`` names what a
    record's number counts), then :func:`screen_query`.

    Runs in the calling process and leaves its garbage collector alone: it is for library
    callers such as :mod:`screen.frames`, whose process is not theirs to tune.
    """
    cols = _Columns(name_index, country_index, None, tuple(header), unit)
    screening = _Screening(screener, _ScreenSpec(lists, threshold, with_json=False), None)
    rows = [_prepare(record, cols, 0) for record in records]
    _fill(rows, _screen_all(screening, _queries(rows)))
    outcomes: list[RowOutcome] = []
    for row in rows:
        assert row.outcome is not None
        outcomes.append(row.outcome)
    return outcomes


@dataclass(frozen=True)
class _Screening:
    """Everything a row is screened with; built once, then handed to each worker."""

    screener: Screener
    spec: _ScreenSpec
    chips: ChipData | None


# The screening of a worker process, set once by the pool's initializer: a process-wide value is
# the only way ProcessPoolExecutor lets a task reach what the initializer built.
_WORKER: _Screening | None = None


def _init_worker(screening: _Screening | tuple[Path | None, _ScreenSpec]) -> None:
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
        screener = Screener(load_release(path)) if path is not None else Screener.default()
        chips = None
        if spec.item_as_of is not None:
            from screen.chips import default_chip_data, load_chip_data

            chips = load_chip_data(path) if path is not None else default_chip_data()
        screening = _Screening(screener, spec, chips)
        return_freed_memory()
    _WORKER = screening


def _screen_chunk(queries: Sequence[Query]) -> list[RowOutcome]:
    assert _WORKER is not None, "worker used before its initializer ran"
    outcomes = _screen_all(_WORKER, queries)
    _settle_heap()
    return outcomes


def _settle_heap() -> None:
    """In a worker, after each chunk: collect the young garbage, then move what survived out of
    the cyclic collector's scans (:func:`screen.process.freeze_survivors`).

    What survives a chunk is mostly the word caches, which only grow: left in the collector's
    oldest generation, every full collection walks them again (about 5% of a worker's time).
    Collecting the two young generations first keeps frozen cyclic garbage to the few objects
    that became garbage after reaching the oldest generation within the chunk.
    """
    freeze_survivors()


def _screen_all(screening: _Screening, queries: Sequence[Query]) -> list[RowOutcome]:
    spec = screening.spec
    outcomes: list[RowOutcome] = []
    for name, country, item in queries:
        outcome = screen_query(
            screening.screener,
            name,
            country,
            lists=spec.lists,
            threshold=spec.threshold,
            with_json=spec.with_json,
        )
        if item is not None and spec.item_as_of is not None and screening.chips is not None:
            status, summary, as_json = classify_item_cell(
                item, spec.item_as_of, screening.chips, with_json=spec.with_json
            )
            outcome = outcome._replace(item_status=status, item_summary=summary, item_json=as_json)
        outcomes.append(outcome)
    return outcomes


# --- the run ---


@dataclass(frozen=True)
class _Columns:
    name: int
    country: int | None
    item: int | None
    header: tuple[str, ...]
    unit: str = "line"
    """What a record's number counts in the reasons: ``line`` of a CSV file, ``row`` of a
    Parquet file or a DataFrame."""


@dataclass(slots=True)
class _Row:
    """A record on its way through: its query, or the outcome decided before screening."""

    record: Record
    query: Query | None
    outcome: RowOutcome | None
    offset: int = 0
    """Bytes of the input read up to the end of this record (for progress)."""


def pick_name_column(
    header: Sequence[str], wanted: str | None, option: str = "--name-column"
) -> tuple[int, bool]:
    """The index of the name column and whether it was auto-detected (BatchError if not found;
    ``option`` names the setting in the message)."""
    if wanted is not None:
        return find_column(header, wanted, option), False
    normalised = [_squash(name) for name in header]
    for candidate in NAME_HEADERS:
        if candidate in normalised:
            return normalised.index(candidate), True
    return 0, True


def _squash(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch not in " _-.").strip()


def find_column(header: Sequence[str], wanted: str, option: str) -> int:
    """The index of column ``wanted``: its exact name, else its name ignoring case and outer
    spaces, else its 1-based number; BatchError naming ``option`` when there is none."""
    if wanted in header:
        return list(header).index(wanted)
    folded = [name.strip().casefold() for name in header]
    if wanted.strip().casefold() in folded:
        return folded.index(wanted.strip().casefold())
    if wanted.isdigit() and 1 <= int(wanted) <= len(header):
        return int(wanted) - 1
    shown = ", ".join(repr(name) for name in header[:20])
    raise BatchError(f"{option}: no column {wanted!r} in the header (columns: {shown})")


def _prepare(record: Record, cols: _Columns, offset: int) -> _Row:
    """Decide whether a record can be screened; the reasons name its line and column."""
    if record.error is not None:
        return _Row(record, None, RowOutcome("error", record.error), offset)
    name = record.fields[cols.name].strip()
    error = _name_error(record, cols, name)
    country = None
    if error is None and cols.country is not None:
        try:
            country = normalise_country(record.fields[cols.country])
        except ValueError as exc:
            error = f"{cols.unit} {record.line}: {exc} (column {cols.header[cols.country]!r})"
    if error is not None:
        return _Row(record, None, RowOutcome("error", error), offset)
    item = record.fields[cols.item] if cols.item is not None else None
    return _Row(record, (name, country, item), None, offset)


def _name_error(record: Record, cols: _Columns, name: str) -> str | None:
    """Why a sound record's name (stripped) cannot be screened: empty or overlong."""
    if name and len(name) <= MAX_NAME_CHARS:
        return None
    column = cols.header[cols.name]
    if not name:
        return f"{cols.unit} {record.line}: empty name in column {column!r}"
    return (
        f"{cols.unit} {record.line}: name in column {column!r} is {len(name):,} characters long "
        f"(the limit is {MAX_NAME_CHARS:,})"
    )


def _chunks(rows: Iterator[_Row], size: int) -> Iterator[list[_Row]]:
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
    worker processes it starts tune their own (see ``_init_worker``). A caller that owns its
    process may freeze the screener out of the collector first (``screen batch`` does, see
    :mod:`screen.process`): forked workers then share its pages without copying them.
    """
    started_at = dt.datetime.now(dt.UTC)
    _check_paths(input_path, output_path)
    reader = _open_reader(input_path, options)
    with contextlib.closing(reader):
        return _run(reader, output_path, screener, options, progress, started_at)


def _is_parquet(path: Path) -> bool:
    return path.suffix.lower() == ".parquet"


def _require_pyarrow(what: str) -> None:
    """BatchError unless pyarrow, an optional dependency, is installed."""
    if importlib.util.find_spec("pyarrow") is None:
        raise BatchError(
            f"{what} needs pyarrow, an optional extra: pip install 'screen[frames]'"
        )


def _open_reader(input_path: Path, options: BatchOptions) -> InputReader | ParquetReader:
    try:
        if not _is_parquet(input_path):
            return open_input(input_path, encoding=options.encoding, delimiter=options.delimiter)
        if options.encoding is not None or options.delimiter is not None:
            raise BatchError("--encoding and --delimiter apply to CSV input, not to Parquet")
        _require_pyarrow(f"{input_path}: reading Parquet")
        from screen.batch.parquet import open_parquet_input

        return open_parquet_input(input_path, keep_values=options.output_format == "parquet")
    except InputError as exc:
        raise BatchError(str(exc)) from None


def _open_writer(
    output_path: Path,
    options: BatchOptions,
    reader: InputReader | ParquetReader,
    audit: dict[str, Any],
    with_items: bool,
) -> ResultWriter | ParquetResultWriter:
    if options.output_format != "parquet":
        return ResultWriter(
            output_path, options.output_format, reader.header, audit=audit, with_items=with_items
        )
    _require_pyarrow(f"{output_path}: writing Parquet")
    from screen.batch.parquet import ParquetResultWriter

    return ParquetResultWriter(
        output_path,
        reader.header,
        audit=audit,
        with_items=with_items,
        values=None if isinstance(reader, InputReader) else reader,
    )


def _check_paths(input_path: Path, output_path: Path) -> None:
    if output_path.exists() and output_path.is_dir():
        raise BatchError(f"{output_path}: is a directory; -o needs a file name")
    if not output_path.parent.exists():
        raise BatchError(f"{output_path}: folder {output_path.parent} does not exist")
    try:
        same = input_path.exists() and output_path.exists() and input_path.samefile(output_path)
    except OSError:
        same = False
    if same or input_path.resolve() == output_path.resolve():
        raise BatchError(f"{output_path}: is the input file; choose another output name")


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
    cols = _Columns(name_idx, country_idx, item_idx, header, unit)
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
    spec = _ScreenSpec(
        options.lists, options.threshold, options.output_format == "jsonl", item_as_of
    )
    screening = _Screening(screener, spec, chips)
    writer = _open_writer(output_path, options, reader, audit, item_idx is not None)
    try:
        rows = (_prepare(record, cols, reader.bytes_consumed) for record in reader.records())
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
        summary.sidecar_path = writer.commit(_sidecar(summary, started_at))
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
    chunk: list[_Row],
    cols: _Columns,
    summary: BatchSummary,
) -> None:
    with_query = writer.format == "jsonl"  # CSV output does not repeat the query
    rows: list[ResultRow] = []
    for row in chunk:
        outcome = row.outcome
        assert outcome is not None
        _count(outcome, summary)
        query = _as_screened(row.query, cols) if with_query else None
        rows.append((row.record.line, row.record.fields, outcome, query))
    writer.write_rows(rows)


def _count(outcome: RowOutcome, summary: BatchSummary) -> None:
    summary.rows += 1
    if outcome.status == "hit":
        summary.hits += 1
    elif outcome.status == "error":
        summary.errors += 1
        if len(summary.error_samples) < 20:
            summary.error_samples.append(outcome.reason or "")
    else:
        summary.clear += 1
    if outcome.item_status:
        summary.item_counts[outcome.item_status] = (
            summary.item_counts.get(outcome.item_status, 0) + 1
        )


def _as_screened(query: Query | None, cols: _Columns) -> dict[str, str | None] | None:
    if query is None:
        return None
    screened = {"name": query[0], "country": query[1]}
    if cols.item is not None:
        screened["item"] = query[2]
    return screened


def _screened_chunks(
    rows: Iterator[_Row], screening: _Screening, options: BatchOptions
) -> Iterator[list[_Row]]:
    """Chunks of rows with every outcome filled in, in input order."""
    chunks = _chunks(_with_global_country(rows, options.country), CHUNK_ROWS)
    peek = SMALL_RUN_ROWS // CHUNK_ROWS + 1
    first = list(islice(chunks, peek))
    if options.workers <= 1 or len(first) < peek:
        # in the caller's own process, whose collector is the caller's business
        for chunk in _prepend(first, chunks):
            _fill(chunk, _screen_all(screening, _queries(chunk)))
            yield chunk
        return
    yield from _pooled(_prepend(first, chunks), screening, options)


def _prepend(first: list[list[_Row]], rest: Iterator[list[_Row]]) -> Iterator[list[_Row]]:
    yield from first
    yield from rest


def _with_global_country(rows: Iterator[_Row], country: str | None) -> Iterator[_Row]:
    if country is None:
        yield from rows
        return
    for row in rows:
        if row.query is not None:
            row.query = (row.query[0], country, row.query[2])
        yield row


def _queries(chunk: list[_Row]) -> list[Query]:
    return [row.query for row in chunk if row.query is not None]


def _fill(chunk: list[_Row], outcomes: list[RowOutcome]) -> None:
    results = iter(outcomes)
    for row in chunk:
        if row.outcome is None:
            row.outcome = next(results)


def _chip_data(release_path: Path | None) -> ChipData:
    from screen.chips import ChipDataError, default_chip_data, load_chip_data

    try:
        return load_chip_data(release_path) if release_path is not None else default_chip_data()
    except ChipDataError as exc:
        raise BatchError(f"--item-column: chip data: {exc}") from None


def _pooled(
    chunks: Iterator[list[_Row]], screening: _Screening, options: BatchOptions
) -> Iterator[list[_Row]]:
    """Screen chunks on worker processes, a bounded number in flight, yielding them in order."""
    handed: _Screening | tuple[Path | None, _ScreenSpec]
    context: BaseContext
    if "fork" in multiprocessing.get_all_start_methods() and sys.platform == "linux":
        # fork hands each worker the parent's screener without rebuilding or pickling it
        context = multiprocessing.get_context("fork")
        handed = screening
    else:  # pragma: no cover - exercised on platforms without fork
        context = multiprocessing.get_context("spawn")
        handed = (options.release_path, screening.spec)
    in_flight: deque[tuple[list[_Row], Future[list[RowOutcome]]]] = deque()
    limit = 2 * options.workers + 1
    with ProcessPoolExecutor(
        max_workers=options.workers,
        mp_context=context,
        initializer=_init_worker,
        initargs=(handed,),
    ) as pool:
        try:
            for chunk in chunks:
                in_flight.append((chunk, pool.submit(_screen_chunk, _queries(chunk))))
                if len(in_flight) >= limit:
                    done, future = in_flight.popleft()
                    _fill(done, future.result())
                    yield done
            while in_flight:
                done, future = in_flight.popleft()
                _fill(done, future.result())
                yield done
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise


def _sidecar(summary: BatchSummary, started_at: dt.datetime) -> dict[str, Any]:
    """The audit sidecar written beside the output."""
    return {
        "audit": summary.audit,
        "input": {
            "path": str(summary.input_path),
            "sha256": summary.input_sha256,
            "encoding": summary.encoding,
            "delimiter": summary.delimiter or None,
            "windows_1252_lines": list(summary.fallback_lines),
            "windows_1252_line_count": summary.fallback_count,
            "name_column": summary.name_column,
            "name_column_detected": summary.name_column_detected,
            "country_column": summary.country_column,
            "blank_lines": summary.blank_lines,
        },
        "output": {"path": str(summary.output_path)},
        "summary": {
            "rows": summary.rows,
            "clear": summary.clear,
            "hits": summary.hits,
            "errors": summary.errors,
            "first_errors": summary.error_samples,
            "items": dict(sorted(summary.item_counts.items())),
        },
        "timing": {
            "started": started_at.isoformat(timespec="seconds"),
            "seconds": round(summary.elapsed, 3),
            "release_load_seconds": round(summary.load_seconds, 3),
        },
    }
