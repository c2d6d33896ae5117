"""Records on their way through a run: each checked (a sound record with a name that can be
screened, and a valid country cell) into a query, or given its error outcome at once, with the
reasons naming its line and column; then the screened outcomes filled back in input order.

:func:`screen_records` applies the same checks and screening to records in the calling
process, for library callers such as :mod:`screen.frames`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from screen.batch.output import RowOutcome
from screen.batch.record import Record
from screen.batch.screening import Query, Screening, ScreenSpec, screen_all
from screen.names.tokens import MAX_NAME_CHARS
from screen.release.models import SourceList
from screen.screener import Screener, normalise_country

__all__ = ["Columns", "Row", "fill_outcomes", "prepare_row", "queries_of", "screen_records"]


@dataclass(frozen=True)
class Columns:
    """The columns a run screens, as indexes into ``header``."""

    name: int
    country: int | None
    item: int | None
    header: tuple[str, ...]
    unit: str = "line"
    """What a record's number counts in the reasons: ``line`` of a CSV file, ``row`` of a
    Parquet file or a DataFrame."""


@dataclass(slots=True)
class Row:
    """A record on its way through: its query, or the outcome decided before screening."""

    record: Record
    query: Query | None
    outcome: RowOutcome | None
    offset: int = 0
    """Bytes of the input read up to the end of this record (for progress)."""


def prepare_row(record: Record, cols: Columns, offset: int) -> Row:
    """Decide whether a record can be screened; the reasons name its line and column."""
    if record.error is not None:
        return Row(record, None, RowOutcome("error", record.error), offset)
    name = record.fields[cols.name].strip()
    error = _name_error(record, cols, name)
    country = None
    if error is None and cols.country is not None:
        try:
            country = normalise_country(record.fields[cols.country])
        except ValueError as exc:
            error = f"{cols.unit} {record.line}: {exc} (column {cols.header[cols.country]!r})"
    if error is not None:
        return Row(record, None, RowOutcome("error", error), offset)
    item = record.fields[cols.item] if cols.item is not None else None
    return Row(record, (name, country, item), None, offset)


def _name_error(record: Record, cols: Columns, name: str) -> str | None:
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


def queries_of(chunk: list[Row]) -> list[Query]:
    """The queries of the rows still to be screened, in order."""
    return [row.query for row in chunk if row.query is not None]


def fill_outcomes(chunk: list[Row], outcomes: list[RowOutcome]) -> None:
    """Give each row still to be screened its outcome, ``outcomes`` being those of
    :func:`queries_of` the chunk."""
    results = iter(outcomes)
    for row in chunk:
        if row.outcome is None:
            row.outcome = next(results)


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
    cols = Columns(name_index, country_index, None, tuple(header), unit)
    screening = Screening(screener, ScreenSpec(lists, threshold, with_json=False), None)
    rows = [prepare_row(record, cols, 0) for record in records]
    fill_outcomes(rows, screen_all(screening, queries_of(rows)))
    outcomes: list[RowOutcome] = []
    for row in rows:
        assert row.outcome is not None
        outcomes.append(row.outcome)
    return outcomes
