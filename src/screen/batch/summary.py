"""What a batch run reports: :class:`Progress` snapshots while it runs, and at the end the
:class:`BatchSummary` (counts, timings, how the input was read), the audit block that says which
release, matcher and options produced the results, and the sidecar written beside the output."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from screen import __version__
from screen.batch.options import BatchOptions
from screen.batch.output import RowOutcome
from screen.matching.score import MATCHER_VERSION
from screen.screener import Screener

__all__ = ["BatchSummary", "Progress", "count_outcome", "run_audit", "sidecar"]


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


def count_outcome(outcome: RowOutcome, summary: BatchSummary) -> None:
    """Count one written row in the summary (and keep the first twenty error reasons)."""
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


def sidecar(summary: BatchSummary, started_at: dt.datetime) -> dict[str, Any]:
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
