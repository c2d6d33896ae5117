"""Speed and memory of the batch pipeline alone: reading, decoding, accounting, writing.

    .venv/bin/python benchmarks/batch_pipeline.py [--rows 1000000] [--format csv|jsonl]

Screening is replaced by a no-op that marks every row clear, so the figures say what the
pipeline around the screener costs (one process, no workers) and whether its memory stays flat
as the input grows. They are not screening figures: for those run ``batch_throughput.py``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import resource
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import screen.batch.run as batch
from screen.batch.output import RowOutcome


class _ReleaseInfo:
    """Just what the audit block reads from a release."""

    version = "pipeline-benchmark"
    checksum = "0" * 64
    data_date = dt.date(2025, 1, 1)
    sources: tuple[Any, ...] = ()


class _NoScreening:
    """Stands in for a Screener so that only the pipeline is measured (never used for results)."""

    release = _ReleaseInfo()
    threshold = 80.0


def _no_screening(screening: Any, queries: Sequence[batch.Query]) -> list[RowOutcome]:
    # as screening does: clear rows share one outcome, unless each carries its result as JSON
    if not screening.spec.with_json:
        return [batch.CLEAR for _ in queries]
    return [RowOutcome("clear", result_json="{}") for _ in queries]


def main() -> int:
    """Write a file of ROWS generated rows, run the pipeline on it, print rows/s and peak RSS."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--format", choices=("csv", "jsonl"), default="csv")
    args = parser.parse_args()
    # measure the pipeline only: the in-process path looks screen_all up in screen.batch.run
    batch.screen_all = _no_screening  # type: ignore[assignment]
    with tempfile.TemporaryDirectory() as scratch:
        source = Path(scratch) / "rows.csv"
        with source.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(["customer_id", "name", "country", "notes"])
            for number in range(args.rows):
                writer.writerow([f"C{number:07d}", f"Customer {number} Trading GmbH", "DE", "-"])
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        started = time.monotonic()
        summary = batch.run_batch(
            source,
            Path(scratch) / f"out.{args.format}",
            _NoScreening,  # type: ignore[arg-type]  # called for the "screener"
            batch.BatchOptions(workers=1, output_format=args.format),
        )
        elapsed = time.monotonic() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"command:  .venv/bin/python benchmarks/batch_pipeline.py --rows {args.rows} "
        f"--format {args.format}"
    )
    print(
        f"rows:     {summary.rows:,} in {elapsed:.1f} s = {summary.rows / elapsed:,.0f} rows/s "
        "(one process, screening replaced by a no-op)"
    )
    print(f"peak RSS: {rss:,.0f} MB ({rss_before:,.0f} MB before the run, imports included)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
