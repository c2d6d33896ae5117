"""``screen batch INPUT.csv -o OUTPUT.csv``: screen every record of a CSV (or Parquet) file of
parties."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from screen.batch.input import InputError
from screen.batch.output import OutputError, OutputFormat
from screen.batch.run import BatchError, BatchOptions, BatchSummary, Progress, run_batch
from screen.cli import EXIT_CLEAR, EXIT_HITS
from screen.cli.screen_options import (
    UserError,
    add_screen_options,
    fail,
    load_screener,
    parse_lists,
)
from screen.process import ChunkSettler, collector_paused
from screen.screener import Screener

__all__ = ["EXIT_ROW_ERRORS", "register"]

EXIT_ROW_ERRORS = 3
"""The output was written, but some records could not be screened (there may be hits too)."""

_EPILOG = """\
output: every input record appears once, in input order, with the input's columns followed by
screen_line, screen_status (clear / hit / error), screen_reason, screen_hits, screen_entry_id,
screen_list, screen_matched_name, screen_entry_name, screen_score and screen_explanation.
CSV cells starting with = + - @ are prefixed with ' so a spreadsheet shows them as text.
The audit block (list release, checksum, matcher version, threshold, options) is on every JSONL
row, in a Parquet output's key-value metadata (key screen_audit), and for every format in
OUTPUT.audit.json beside the output.

Parquet (needs pip install 'screen[frames]'): an INPUT or OUTPUT ending in .parquet is read or
written a row group at a time. Its rows are numbered from 1 (screen_line, and the reasons say
"row N"); a Parquet output keeps a Parquet input's column types, and stores screen_line,
screen_hits and screen_score as numbers.

exit codes:
  0  every record screened, no hits (and no controlled or undecidable item)
  1  every record screened, at least one hit (or an item classified controlled or
     insufficient-data with --item-column)
  2  the run failed (usage, input, output or list release problem); no output was written
  3  the output was written, but some records could not be screened (status error); there may
     also be hits
"""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``batch`` subcommand."""
    parser = subparsers.add_parser(
        "batch",
        help="screen every record of a CSV or Parquet file of parties",
        description="Screen every record of a CSV or Parquet file of parties against the list "
        "release. The first line of a CSV file must be a header.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "input",
        type=Path,
        metavar="INPUT.csv",
        help="CSV file with a header line, or a Parquet file (name ending in .parquet)",
    )
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        metavar="OUTPUT",
        help="where to write the results (replaced only when the run completes)",
    )
    parser.add_argument(
        "--format",
        choices=("csv", "jsonl", "parquet"),
        help="output format (default: jsonl when OUTPUT ends in .jsonl, parquet when it ends in "
        ".parquet, else csv)",
    )
    parser.add_argument(
        "--name-column",
        metavar="COLUMN",
        help="header name or 1-based number of the column holding the party name "
        "(default: a column named name, company, party, counterparty, customer ... "
        "else the first column)",
    )
    parser.add_argument(
        "--country-column",
        metavar="COLUMN",
        help="column holding each party's ISO alpha-2 country, used as a filter",
    )
    parser.add_argument(
        "--item-column",
        metavar="COLUMN",
        help="column of item descriptions to classify next to the party (advanced-computing "
        "chips, ECCN 3A090/4A090): adds screen_item_status and screen_item_summary",
    )
    parser.add_argument(
        "--as-of",
        type=_date,
        metavar="YYYY-MM-DD",
        help="classify items under the export rules in force on this date (default: today)",
    )
    add_screen_options(parser)
    parser.add_argument(
        "--encoding",
        metavar="NAME",
        help="force the input encoding (default: UTF-8 or the byte-order mark's; "
        "lines that are not UTF-8 are read as Windows-1252 and reported)",
    )
    parser.add_argument(
        "--delimiter",
        metavar="CHAR",
        help="field delimiter (default: the most frequent of , ; tab | in the header)",
    )
    parser.add_argument(
        "--workers", type=int, default=2, metavar="N", help="worker processes (default: 2)"
    )
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="no progress bar and no summary; errors only"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Handle ``screen batch``."""
    output: Path = args.output
    fmt: OutputFormat = args.format or _format_of(output)
    try:
        if args.workers < 1:
            raise UserError("--workers must be at least 1")
        if args.country is not None and args.country_column is not None:
            raise UserError("--country and --country-column cannot be used together")
        if args.as_of is not None and args.item_column is None:
            raise UserError("--as-of needs --item-column (it dates the item rules)")
        options = BatchOptions(
            output_format=fmt,
            name_column=args.name_column,
            country_column=args.country_column,
            country=args.country,
            item_column=args.item_column,
            item_as_of=args.as_of,
            lists=parse_lists(args.lists),
            threshold=args.threshold,
            encoding=args.encoding,
            delimiter=args.delimiter,
            workers=args.workers,
            release_path=args.release,
        )
        bar = None if args.quiet or not sys.stderr.isatty() else _ProgressBar(sys.stderr)
        try:
            with collector_paused():
                summary = run_batch(
                    args.input, output, lambda: load_screener(args.release), options,
                    _after_each_chunk(bar, collect=args.workers <= 1),
                )
        finally:
            if bar is not None:
                bar.clear()
    except (UserError, BatchError, InputError, OutputError) as exc:
        return fail("batch", str(exc))
    except KeyboardInterrupt:
        print("screen batch: interrupted; no output was written", file=sys.stderr)
        return 130
    if not args.quiet:
        _print_summary(summary, sys.stdout)
    if summary.errors:
        return EXIT_ROW_ERRORS
    return EXIT_HITS if summary.hits or summary.items_to_review else EXIT_CLEAR


def _after_each_chunk(
    bar: Callable[[Progress], None] | None, *, collect: bool
) -> Callable[[Progress], None]:
    """What this process does after each chunk of rows is written: the progress bar and, when
    it screens the rows itself (``collect``), the garbage collector's work (this command owns
    the process, so the choice is its own; see :mod:`screen.process`).

    The collector is paused for the run. Screening in this process (``--workers 1``) grows
    the word caches, and automatic collections cost a fifth of the run (2.9 s of 14.6 s over
    100,000 rows), most of it rescanning them; so what each chunk leaves is frozen out of the
    collector's scans, collected first when due, as each worker does after its chunks
    (:class:`screen.process.ChunkSettler`). With workers screening, this process only reads,
    checks and writes rows, which make next to no cycles (33 in a run of 100,000 rows), while
    each collection still scans the rows of the chunks in flight (about 2 ms a chunk, 0.2 s of
    a core the workers need over 100,000 rows): it does not collect until the run ends. (A run
    short enough not to start workers screens at most 2,000 rows here, whose garbage is left to
    the collector when it resumes.)
    """

    settler = ChunkSettler()

    def after_chunk(progress: Progress) -> None:
        if collect:
            settler.settle()
        if bar is not None:
            bar(progress)

    return after_chunk


def _format_of(output: Path) -> OutputFormat:
    """The output format an output file's name implies."""
    suffix = output.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    return "parquet" if suffix == ".parquet" else "csv"


def _load(release: Path | None, bar: _ProgressBar | None) -> Screener:
    if bar is not None:
        bar.note("loading the list release ...")
    return load_screener(release)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _print_summary(s: BatchSummary, out: TextIO) -> None:
    audit = s.audit
    how = "auto-detected; --name-column to choose" if s.name_column_detected else "--name-column"
    extra = f", delimiter {s.delimiter!r}" if s.delimiter not in (",", "") else ""
    print(
        f"input:   {s.input_path} ({s.encoding}{extra}); name column {s.name_column!r} ({how})"
        + (f"; country column {s.country_column!r}" if s.country_column else ""),
        file=out,
    )
    if s.fallback_count:
        shown = ", ".join(str(n) for n in s.fallback_lines[:10])
        more = f" and {s.fallback_count - 10:,} more" if s.fallback_count > 10 else ""
        print(
            f"warning: {s.fallback_count:,} line(s) were not UTF-8 and were read as Windows-1252: "
            f"line {shown}{more}",
            file=out,
        )
    print(
        f"screened {s.rows:,} rows: {s.clear:,} clear, {s.hits:,} hits, {s.errors:,} errors "
        f"in {s.elapsed:.1f} s ({s.rows_per_second:,.0f} rows/s; "
        f"list release loaded in {s.load_seconds:.1f} s)",
        file=out,
    )
    if s.item_counts:
        counts = ", ".join(f"{count:,} {status}" for status, count in sorted(s.item_counts.items()))
        print(f"items:   {counts}", file=out)
    dates = f"sources dated {s.source_dates[0]} to {s.source_dates[1]}, " if s.source_dates else ""
    print(
        f"release: {audit['release_version']} ({dates}sha256 "
        f"{audit['release_checksum'][:12]}...), matcher {audit['matcher_version']}, "
        f"threshold {audit['threshold']:g}",
        file=out,
    )
    print(f"output:  {s.output_path} (audit: {s.sidecar_path})", file=out)
    if s.errors:
        print(f"errors (first {min(len(s.error_samples), s.errors)} of {s.errors:,}):", file=out)
        for reason in s.error_samples[:10]:
            print(f"  {reason}", file=out)


class _ProgressBar:
    """A one-line progress bar on a terminal, redrawn at most five times a second."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._last = 0.0
        self._drawn = False

    def __call__(self, p: Progress) -> None:
        now = time.monotonic()
        if now - self._last < 0.2:
            return
        self._last = now
        fraction = min(1.0, p.bytes_done / p.total_bytes) if p.total_bytes else 0.0
        width = 24
        filled = int(fraction * width)
        rate = p.rows / p.elapsed if p.elapsed > 0 else 0.0
        eta = ""
        if 0 < fraction < 1 and p.elapsed > 1:
            left = p.elapsed * (1 - fraction) / fraction
            eta = f"  ~{int(left) // 60}:{int(left) % 60:02d} left"
        line = (
            f"\r[{'#' * filled}{'.' * (width - filled)}] {fraction:4.0%}  {p.rows:,} rows  "
            f"{rate:,.0f}/s  {p.hits:,} hits  {p.errors:,} errors{eta}"
        )
        self._stream.write(line + "\x1b[K")
        self._stream.flush()
        self._drawn = True

    def note(self, text: str) -> None:
        """Show a short status line until the bar replaces it."""
        self._stream.write(f"\r{text}\x1b[K")
        self._stream.flush()
        self._drawn = True

    def clear(self) -> None:
        """Remove the bar so the summary starts on a clean line."""
        if self._drawn:
            self._stream.write("\r\x1b[K")
            self._stream.flush()
