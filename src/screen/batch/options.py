"""How a batch run is asked for (:class:`BatchOptions`), and the error that stops a run as a whole
(:class:`BatchError`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from screen.batch.output import OutputFormat
from screen.release.models import SourceList

__all__ = ["BatchError", "BatchOptions"]


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
