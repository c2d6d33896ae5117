"""Screen the rows of a pandas DataFrame exactly as ``screen batch`` screens a file's records.

Each row's name (and country) cell goes through the batch layer's own checks and screening
(:func:`screen.batch.run.screen_records`), and each outcome becomes the batch output's result
columns (:func:`screen.batch.output.outcome_values`), so a frame and a file with the same rows get
the same statuses, hits, scores and reasons. Rows are numbered from 1 (``screen_line``; reasons
say ``row N``), as in a Parquet file.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from screen.batch.input import Record
from screen.batch.output import (
    DECIMAL_COLUMNS,
    INTEGER_COLUMNS,
    PARTY_COLUMNS,
    RowOutcome,
    outcome_values,
)
from screen.batch.run import (
    BatchError,
    BatchOptions,
    find_column,
    pick_name_column,
    run_audit,
    screen_records,
)
from screen.release.models import SourceList
from screen.screener import Screener

__all__ = [
    "AUDIT_ATTR",
    "FrameError",
    "FrameSettings",
    "audit_of",
    "frame_settings",
    "result_columns",
    "screen_frame",
    "screen_rows",
]

AUDIT_ATTR = "screen_audit"
"""Key of the audit block in a screened frame's ``attrs``."""
_CHUNK_ROWS = 10_000
"""Rows checked and screened at a time: bounds the bookkeeping held besides the frame itself."""


class FrameError(ValueError):
    """The frame cannot be screened as asked (no such column, result columns already there, a
    bad option); the message is one line."""


@dataclass(frozen=True)
class FrameSettings:
    """Which columns to screen and how: checked once, then applied to every frame or partition."""

    header: tuple[str, ...]
    """The frame's column labels as text."""
    name_index: int
    country_index: int | None
    lists: tuple[SourceList, ...] | None
    threshold: float | None

    def audit(self, screener: Screener) -> dict[str, Any]:
        """The audit block of a screening with these settings: the one ``screen batch`` writes."""
        columns = {
            "name_column": self.header[self.name_index],
            "country_column": (
                self.header[self.country_index] if self.country_index is not None else None
            ),
        }
        options = BatchOptions(lists=self.lists, threshold=self.threshold)
        return run_audit(screener, options, columns)


def frame_settings(
    columns: Iterable[Hashable],
    name_column: str | None,
    country_column: str | None,
    lists: Iterable[SourceList | str] | str | None,
    threshold: float | None,
) -> FrameSettings:
    """Check the options against a frame's column labels; :class:`FrameError` when they do not
    fit. Columns are found as ``screen batch`` finds them (exact label, then ignoring case, then
    a 1-based number; the name column auto-detected when ``name_column`` is None)."""
    header = tuple(str(label) for label in columns)
    taken = [name for name in PARTY_COLUMNS if name in header]
    if taken:
        raise FrameError(
            f"the frame already has result columns ({', '.join(taken)}): drop them before "
            "screening it again"
        )
    if not header:
        raise FrameError("the frame has no columns: there is no name to screen")
    try:
        name_index, _ = pick_name_column(header, name_column, "name_column")
        country_index = (
            find_column(header, country_column, "country_column")
            if country_column is not None
            else None
        )
    except BatchError as exc:
        raise FrameError(str(exc)) from None
    return FrameSettings(header, name_index, country_index, _lists(lists), _threshold(threshold))


def _lists(value: Iterable[SourceList | str] | str | None) -> tuple[SourceList, ...] | None:
    if value is None:
        return None
    items = [value] if isinstance(value, str) else list(value)
    codes: list[SourceList] = []
    for item in items:
        try:
            codes.append(SourceList(str(item).strip().upper()))
        except ValueError:
            known = ", ".join(code.value for code in SourceList)
            raise FrameError(f"lists: unknown list {item!r} (known: {known})") from None
    if not codes:
        raise FrameError("lists is empty: give at least one list code, or None for all lists")
    return tuple(dict.fromkeys(codes))


def _threshold(value: float | None) -> float | None:
    if value is None:
        return None
    problem = f"threshold must be a number above 0 and at most 100, not {value!r}"
    try:
        threshold = float(value)
    except (TypeError, ValueError):
        raise FrameError(problem) from None
    if not 0 < threshold <= 100:  # also false for NaN
        raise FrameError(problem)
    return threshold


def screen_frame(
    df: pd.DataFrame,
    name_column: str | None = None,
    country_column: str | None = None,
    lists: Iterable[SourceList | str] | str | None = None,
    threshold: float | None = None,
    screener: Screener | None = None,
) -> pd.DataFrame:
    """Screen every row of ``df``; a copy of it with the result columns of ``screen batch``'s
    CSV output added, and the audit block in ``attrs["screen_audit"]``.

    Every row is kept, in order, with its index: ``screen_line`` (the row's number, from 1),
    ``screen_status`` (``clear``, ``hit`` or ``error``), ``screen_reason`` (why an error row
    could not be screened: an empty or overlong name, a country that is not an ISO alpha-2
    code...), ``screen_hits``, ``screen_entry_id``, ``screen_list``, ``screen_matched_name``,
    ``screen_entry_name``, ``screen_score`` and ``screen_explanation`` (the best hit's).
    Missing cells are NA.

    ``name_column``: the column of names (None: the first column named like ``name``,
    ``company``, ``counterparty``..., else the first column). ``country_column``: a column of
    ISO 3166-1 alpha-2 codes used as filters. ``lists``: list codes to screen against (None:
    all). ``threshold``: the lowest score reported (None: the screener's). ``screener``: the
    screener to use (None: ``Screener.default()``, the release in service).

    Raises :class:`FrameError` for options that do not fit the frame; a problem with one row
    becomes an ``error`` row and never stops the screening.
    """
    settings = frame_settings(df.columns, name_column, country_column, lists, threshold)
    return screen_rows(df, screener if screener is not None else Screener.default(), settings)


def screen_rows(
    df: pd.DataFrame, screener: Screener, settings: FrameSettings, first_row: int = 1
) -> pd.DataFrame:
    """:func:`screen_frame` with its options checked, numbering rows from ``first_row`` (a
    partition of a larger frame numbers its rows as that frame's)."""
    names, problems = _texts(df.iloc[:, settings.name_index], settings.header[settings.name_index])
    columns = [names]
    header = [settings.header[settings.name_index]]
    country_index = None
    if settings.country_index is not None:
        label = settings.header[settings.country_index]
        countries, country_problems = _texts(df.iloc[:, settings.country_index], label)
        for offset, problem in country_problems.items():
            problems.setdefault(offset, problem)
        columns.append(countries)
        header.append(label)
        country_index = 1
    outcomes: list[RowOutcome] = []
    for start in range(0, len(df), _CHUNK_ROWS):
        records = [
            _record(first_row + offset, fields, problems.get(offset))
            for offset, fields in enumerate(
                zip(*(column[start : start + _CHUNK_ROWS] for column in columns), strict=True),
                start=start,
            )
        ]
        outcomes += screen_records(
            screener,
            records,
            header,
            0,
            country_index,
            lists=settings.lists,
            threshold=settings.threshold,
            unit="row",
        )
    screened = df.assign(**result_columns(outcomes, first_row))
    screened.attrs = {**df.attrs, AUDIT_ATTR: settings.audit(screener)}
    return screened


def _record(number: int, fields: tuple[str, ...], problem: str | None) -> Record:
    return Record(number, number, fields, None if problem is None else f"row {number}: {problem}")


def _texts(column: pd.Series[Any], label: str) -> tuple[list[str], dict[int, str]]:
    """The cells of a column as text ("" for a missing one), and the offsets of cells that are
    bytes but not UTF-8 text, with why."""
    missing = column.isna().to_numpy()
    texts: list[str] = []
    problems: dict[int, str] = {}
    cells = column.to_numpy(dtype=object)
    for offset, (value, absent) in enumerate(zip(cells, missing, strict=True)):
        if absent:
            texts.append("")
        elif isinstance(value, str):
            texts.append(value)
        elif isinstance(value, bytes):
            try:
                texts.append(value.decode("utf-8"))
            except UnicodeDecodeError as exc:
                texts.append("")
                bad = value[exc.start : exc.start + 1].hex().upper()
                problems[offset] = (
                    f"undecodable bytes in column {label!r}: not valid UTF-8 "
                    f"(byte 0x{bad} at byte {exc.start + 1} of the cell)"
                )
        else:
            texts.append(str(value))
    return texts, problems


def result_columns(outcomes: Sequence[RowOutcome], first_row: int = 1) -> dict[str, Any]:
    """The result columns for ``outcomes`` (rows numbered from ``first_row``) as pandas arrays:
    whole numbers as ``Int64``, the score as ``Float64``, text as ``string``; NA where the CSV
    output has an empty cell."""
    rows: list[tuple[str | int | float | None, ...]] = []
    last: RowOutcome | None = None
    values: tuple[str | int | float | None, ...] = ()
    for outcome in outcomes:
        if outcome is not last:  # clear rows share one outcome
            last, values = outcome, outcome_values(outcome)
        rows.append(values)
    arrays: dict[str, Any] = {
        PARTY_COLUMNS[0]: pd.array(range(first_row, first_row + len(outcomes)), dtype="Int64")
    }
    for index, name in enumerate(PARTY_COLUMNS[1:]):
        cells: list[Any] = [row[index] for row in rows]
        if name in INTEGER_COLUMNS:
            arrays[name] = pd.array(cells, dtype="Int64")
        elif name in DECIMAL_COLUMNS:
            arrays[name] = pd.array(cells, dtype="Float64")
        else:
            arrays[name] = pd.array(cells, dtype="string")
    return arrays


def audit_of(frame: Any) -> dict[str, Any]:
    """The audit block of a frame that :func:`screen_frame` or
    :func:`screen.frames.screen_dask` returned (pandas or Dask); FrameError when it has none."""
    attrs = getattr(frame, "attrs", None)
    if attrs is None:  # a Dask frame keeps its pandas attrs on its empty model frame
        attrs = getattr(getattr(frame, "_meta", None), "attrs", None)
    if not isinstance(attrs, dict) or not isinstance(attrs.get(AUDIT_ATTR), dict):
        raise FrameError(
            "this frame carries no screen audit block: it was not returned by screen_frame or "
            "screen_dask, or an operation since dropped its attrs"
        )
    block: dict[str, Any] = attrs[AUDIT_ATTR]
    return block
