"""Write batch results: CSV (formula-neutralised) or JSON lines, atomically, plus an audit sidecar
(Parquet output is :mod:`screen.batch.parquet`).

The output file appears under its final name only when the run has finished, so a half-written
file from an interrupted run can never be taken for a complete screening.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import shutil
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Literal, NamedTuple

__all__ = [
    "DECIMAL_COLUMNS",
    "FORMULA_PREFIXES",
    "INTEGER_COLUMNS",
    "ITEM_COLUMNS",
    "PARTY_COLUMNS",
    "OutputError",
    "OutputFormat",
    "ResultRow",
    "ResultWriter",
    "RowOutcome",
    "jsonl_row",
    "neutralise",
    "outcome_values",
    "sidecar_path",
    "write_sidecar",
]

OutputFormat = Literal["csv", "jsonl", "parquet"]

PARTY_COLUMNS: tuple[str, ...] = (
    "screen_line",
    "screen_status",
    "screen_reason",
    "screen_hits",
    "screen_entry_id",
    "screen_list",
    "screen_matched_name",
    "screen_entry_name",
    "screen_score",
    "screen_explanation",
)
"""Columns appended to the input's own in CSV output, in this order."""
ITEM_COLUMNS: tuple[str, ...] = ("screen_item_status", "screen_item_summary")
"""Columns appended after :data:`PARTY_COLUMNS` when an item column is classified."""
INTEGER_COLUMNS = frozenset({"screen_line", "screen_hits"})
"""Result columns holding whole numbers in typed output (Parquet, DataFrames)."""
DECIMAL_COLUMNS = frozenset({"screen_score"})
"""Result columns holding a number with one decimal in typed output; every other is text."""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
"""A spreadsheet evaluates a cell starting with one of these as a formula (OWASP's list)."""


class OutputError(Exception):
    """The output cannot be written; the message is one line naming the path."""


class RowOutcome(NamedTuple):
    """What screening one record produced, in a compact picklable form."""

    status: str
    """``clear``, ``hit`` or ``error``."""
    reason: str | None = None
    hit_count: int = 0
    entry_id: str = ""
    source_list: str = ""
    matched_name: str = ""
    entry_name: str = ""
    score: float | None = None
    explanation: str = ""
    result_json: str | None = None
    """The screener's full result as JSON (JSON lines output only)."""
    item_status: str = ""
    item_summary: str = ""
    item_json: str | None = None
    hit_ids: tuple[str, ...] = ()
    """The ids of the entries hit, as the result lists them (best first, at most 25)."""


_FORMULA_STARTS = frozenset(FORMULA_PREFIXES)

ResultRow = tuple[int, Sequence[str], RowOutcome, Mapping[str, str | None] | None]
"""One row to write: its input line, the input's fields, the outcome and (JSON lines only) the
query as screened."""


def neutralise(cell: str) -> str:
    """Prefix a cell a spreadsheet would run as a formula with ``'`` so it stays text."""
    return "'" + cell if cell[:1] in _FORMULA_STARTS else cell


def sidecar_path(output: Path) -> Path:
    """Where the audit sidecar of ``output`` goes: beside it, with ``.audit.json`` appended."""
    return output.with_name(output.name + ".audit.json")


class ResultWriter:
    """Writes result rows to a temporary file and moves it into place on :meth:`commit`."""

    def __init__(
        self,
        path: Path,
        fmt: OutputFormat,
        header: Sequence[str],
        *,
        audit: Mapping[str, Any],
        with_items: bool,
    ) -> None:
        self.path = path
        self.format = fmt
        self._header = tuple(header)
        self._keys = _unique_keys(self._header)
        self._with_items = with_items
        self._audit_json = json.dumps(audit, ensure_ascii=False, sort_keys=True)
        self._tmp = path.with_name(f".{path.name}.partial-{os.getpid()}")
        try:
            self._file: IO[str] = self._tmp.open("w", encoding="utf-8", newline="")
        except OSError as exc:
            raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None
        self._csv = csv.writer(self._file) if fmt == "csv" else None
        if self._csv is not None:
            columns = self._header + PARTY_COLUMNS + (ITEM_COLUMNS if with_items else ())
            with self._guard():
                self._csv.writerow([neutralise(c) for c in columns])

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """Turn a write failure (disk full...) into a one-line OutputError, dropping the file."""
        try:
            yield
        except OSError as exc:
            self.abort()
            raise OutputError(f"{self.path}: cannot write: {exc.strerror or exc}") from None

    def write(
        self,
        line: int,
        fields: Sequence[str],
        outcome: RowOutcome,
        query: Mapping[str, str | None] | None,
    ) -> None:
        """Write one row: the input's fields carried through, then the outcome."""
        self.write_rows([(line, fields, outcome, query)])

    def write_rows(self, rows: Iterable[ResultRow]) -> None:
        """Write rows in order, as :meth:`write` does one (a batch writes a chunk at a time)."""
        with self._guard():
            if self._csv is not None:
                self._csv.writerows(self._csv_rows(rows))
            else:
                self._file.writelines(
                    self._jsonl(line, fields, outcome, query)
                    for line, fields, outcome, query in rows
                )

    def _csv_rows(self, rows: Iterable[ResultRow]) -> Iterator[list[str]]:
        width = len(self._header)
        starts = _FORMULA_STARTS
        last: RowOutcome | None = None
        tail: list[str] = []
        for line, fields, outcome, _ in rows:
            if outcome is not last:  # rows that are clear share one outcome (batch.CLEAR)
                last, tail = outcome, self._outcome_cells(outcome)
            if len(fields) != width:  # an error record: its fields as far as they go
                fields = (*fields[:width], *([""] * (width - len(fields))))
            cells = ["'" + c if c[:1] in starts else c for c in fields]
            cells.append(str(line))
            cells += tail
            yield cells

    def _outcome_cells(self, o: RowOutcome) -> list[str]:
        return [neutralise(_cell_text(value)) for value in outcome_values(o, self._with_items)]

    def _jsonl(
        self,
        line: int,
        fields: Sequence[str],
        o: RowOutcome,
        query: Mapping[str, str | None] | None,
    ) -> str:
        return jsonl_row(self._keys, line, fields, o, query, self._audit_json, self._with_items)

    def append_file(self, part: Path) -> None:
        """Append a file of rows already rendered as JSON lines (UTF-8, each ending in a line
        break), byte for byte: ``screen rescreen`` renders stretches of a result in worker
        processes, each to a file of its own, and joins them in order."""
        if self._csv is not None:
            raise ValueError("rendered JSON lines go to a JSON-lines output only")
        with self._guard():
            self._file.flush()
            with part.open("rb") as source:
                done = _copy_in_kernel(source, self._file)
                if done:  # the file's position moved under the text layer: set it again
                    self._file.seek(0, os.SEEK_END)
                source.seek(done)
                shutil.copyfileobj(source, self._file.buffer, 1 << 20)  # type: ignore[attr-defined]

    def commit(self, sidecar: Mapping[str, Any]) -> Path:
        """Close, move the output into place and write its audit sidecar; returns the sidecar."""
        try:
            self._file.close()
            os.replace(self._tmp, self.path)
        except OSError as exc:
            self.abort()
            raise OutputError(f"{self.path}: cannot write: {exc.strerror or exc}") from None
        return write_sidecar(self.path, sidecar)

    def abort(self) -> None:
        """Close and delete the temporary file (the run did not finish)."""
        with contextlib.suppress(OSError):
            self._file.close()
        self._tmp.unlink(missing_ok=True)


def jsonl_row(
    keys: Sequence[str],
    line: int,
    fields: Sequence[str],
    o: RowOutcome,
    query: Mapping[str, str | None] | None,
    audit_json: str,
    with_items: bool,
) -> str:
    """One row of JSON-lines output: the input's fields under ``keys`` (the header made unique),
    the query as screened, the screener's result, the item (``with_items``) and the audit block
    (already JSON), as one line."""
    row: dict[str, Any] = {
        "line": line,
        "status": o.status,
        "reason": o.reason,
        "hit_count": o.hit_count if o.status != "error" else None,
        "input": dict(zip(keys, fields, strict=False)),
        "query": dict(query) if query is not None else None,
    }
    if len(fields) > len(keys):
        row["extra_fields"] = list(fields[len(keys) :])
    head = json.dumps(row, ensure_ascii=False)[:-1]
    parts = [head, ', "result": ', o.result_json or "null"]
    if with_items:
        item: dict[str, str] = {"status": o.item_status, "summary": o.item_summary}
        parts += [', "item": ', o.item_json or json.dumps(item, ensure_ascii=False)]
    parts += [', "audit": ', audit_json, "}\n"]
    return "".join(parts)


def _copy_in_kernel(source: IO[bytes], target: IO[str]) -> int:
    """Copy ``source`` from its start to the end of ``target`` (flushed) without passing the
    bytes through Python, where the system can (``copy_file_range``, Linux); the bytes copied
    (0 where it cannot: the caller copies the rest)."""
    copy = getattr(os, "copy_file_range", None)
    if copy is None:
        return 0
    size = os.fstat(source.fileno()).st_size
    done = 0
    try:
        while done < size:
            count = copy(source.fileno(), target.fileno(), size - done, done)
            if count <= 0:
                break
            done += count
    except OSError:  # another file system, an old kernel...: the caller copies what is left
        pass
    return done


def write_sidecar(output: Path, sidecar: Mapping[str, Any]) -> Path:
    """Write the audit sidecar of ``output`` beside it (:func:`sidecar_path`); returns its path."""
    side = sidecar_path(output)
    try:
        side.write_text(
            json.dumps(sidecar, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
            encoding="utf-8",
        )
    except OSError as exc:
        raise OutputError(f"{side}: cannot write: {exc.strerror or exc}") from None
    return side


def outcome_values(o: RowOutcome, with_items: bool = False) -> tuple[str | int | float | None, ...]:
    """The result cells of one outcome as values, for the columns after ``screen_line`` in
    :data:`PARTY_COLUMNS` (then :data:`ITEM_COLUMNS` when ``with_items``).

    None stands where the CSV cell is empty; the score is rounded to the one decimal the CSV
    shows. The CSV writer renders these values as text, and typed outputs (Parquet, DataFrames)
    store them as they are, so every format says the same.
    """
    values: list[str | int | float | None] = [
        o.status,
        o.reason or None,
        o.hit_count if o.status != "error" else None,
        o.entry_id or None,
        o.source_list or None,
        o.matched_name or None,
        o.entry_name or None,
        round(o.score, 1) if o.score is not None else None,
        o.explanation or None,
    ]
    if with_items:
        values += [o.item_status or None, o.item_summary or None]
    return tuple(values)


def _cell_text(value: str | int | float | None) -> str:
    """A value of :func:`outcome_values` as its CSV cell."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def _unique_keys(header: Sequence[str]) -> tuple[str, ...]:
    """Header names made unique (``name``, ``name (2)``) so each is a JSON key of its own."""
    seen: dict[str, int] = {}
    keys: list[str] = []
    for name in header:
        count = seen.get(name, 0) + 1
        seen[name] = count
        keys.append(name if count == 1 else f"{name} ({count})")
    return tuple(keys)
