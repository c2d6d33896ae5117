"""Parquet input and output for ``screen batch``, read and written with pyarrow in bounded memory.

pyarrow is an optional dependency (``pip install 'screen[frames]'``): :mod:`screen.batch.files`
imports this module only for a path ending in ``.parquet``.

Input is read a batch of rows at a time, row group by row group. Every row becomes a
:class:`~screen.batch.input.Record` numbered from 1 (the file's first row) whose fields are its
cells as text, so the batch checks and screens it exactly as it does a CSV record. A row group
that cannot be read becomes one error row for each row it holds: every row of the file is still
in the output, with a status.

Output is buffered up to :data:`ROW_GROUP_ROWS` rows and written a row group at a time, to a
temporary file moved into place when the run completes. When the input is Parquet too, the
caller's columns keep their Parquet types (the original values are carried through, not their
text). The audit block is stored in the file's key-value metadata under :data:`AUDIT_KEY`, as
well as in the sidecar.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from screen.batch.input import InputError, Record
from screen.batch.output import (
    DECIMAL_COLUMNS,
    INTEGER_COLUMNS,
    ITEM_COLUMNS,
    PARTY_COLUMNS,
    OutputError,
    ResultRow,
    RowOutcome,
    outcome_values,
    write_sidecar,
)

__all__ = [
    "AUDIT_KEY",
    "READ_BATCH_ROWS",
    "ROW_GROUP_ROWS",
    "ParquetReader",
    "ParquetResultWriter",
    "open_parquet_input",
    "result_schema",
]

READ_BATCH_ROWS = 10_000
"""Rows decoded from the input at a time: what the reader holds besides the rows in flight."""
ROW_GROUP_ROWS = 100_000
"""Rows per row group of the output: what the writer buffers before writing."""
AUDIT_KEY: Final = b"screen_audit"
"""Key of the audit block (JSON) in an output file's key-value metadata."""
_HASH_BLOCK = 1 << 20


def result_schema(with_items: bool = False) -> pa.Schema:
    """The Arrow types of the result columns: whole numbers, the score, and text."""
    names = PARTY_COLUMNS + (ITEM_COLUMNS if with_items else ())
    return pa.schema([pa.field(name, _result_type(name)) for name in names])


def _result_type(name: str) -> pa.DataType:
    if name in INTEGER_COLUMNS:
        return pa.int64()
    if name in DECIMAL_COLUMNS:
        return pa.float64()
    return pa.string()


class ParquetReader:
    """An opened Parquet file: its column names as the header and its rows as records.

    Offers what :func:`screen.batch.run.run_batch` reads from a CSV reader (header, records,
    progress, checksum); the CSV-only parts (encoding fallback, blank lines) are empty.
    """

    encoding_label = "Parquet"
    delimiter = ""
    blank_lines = 0
    fallback_lines: tuple[int, ...] = ()
    fallback_count = 0

    def __init__(self, path: Path, file: pq.ParquetFile, *, keep_values: bool) -> None:
        self.path = path
        self._file = file
        schema = file.schema_arrow
        self.header: tuple[str, ...] = tuple(schema.names)
        self.value_schema: pa.Schema = pa.schema([field.with_nullable(True) for field in schema])
        """The input's columns, every one nullable (an unreadable row's values are null)."""
        self.total_bytes = path.stat().st_size
        self.total_rows: int = file.metadata.num_rows
        self.screened_columns: frozenset[int] = frozenset()
        """Columns whose binary cells must be UTF-8 text (name, country, item): a cell that is
        not makes its row an error. Other binary columns are carried as they are."""
        self._keep_values = keep_values
        self._kept: deque[pa.RecordBatch] = deque()
        self._rows_read = 0
        self._sha256 = ""

    def close(self) -> None:
        """Close the underlying file."""
        self._file.close()

    @property
    def bytes_consumed(self) -> int:
        """An estimate of the bytes read so far, from the share of rows read (for progress)."""
        return self.total_bytes * self._rows_read // max(1, self.total_rows)

    @property
    def sha256(self) -> str:
        """sha256 of the file's bytes, once :meth:`records` is exhausted."""
        return self._sha256

    def records(self) -> Iterator[Record]:
        """Every row of the file in order, numbered from 1; unreadable ones carry an error."""
        number = 1
        for group in range(self._file.num_row_groups):
            expected = self._file.metadata.row_group(group).num_rows
            read = 0
            batches = self._file.iter_batches(
                batch_size=READ_BATCH_ROWS, row_groups=[group], use_threads=False
            )
            problem = None
            while read < expected:
                try:
                    batch = next(batches)
                except StopIteration:
                    problem = f"it holds {read:,} rows where the file's metadata says {expected:,}"
                    break
                except (pa.ArrowException, OSError, ValueError) as exc:
                    problem = f"{type(exc).__name__}: {_one_line(str(exc))}"
                    break
                batch = pa.RecordBatch.from_arrays(batch.columns, schema=self.value_schema)
                yield from self._rows(batch, number)
                number += batch.num_rows
                read += batch.num_rows
            if problem is not None and read < expected:
                yield from self._unreadable(group, expected - read, number, problem)
                number += expected - read
        self._sha256 = _file_sha256(self.path)

    def _rows(self, batch: pa.RecordBatch, first: int) -> Iterator[Record]:
        if self._keep_values:
            self._kept.append(batch)
        problems: dict[int, str] = {}
        screened = self.screened_columns
        columns = [
            _texts(batch.column(index), self.header[index], problems, index in screened)
            for index in range(batch.num_columns)
        ]
        for offset, fields in enumerate(zip(*columns, strict=True)):
            number = first + offset
            self._rows_read += 1
            problem = problems.get(offset)
            error = None if problem is None else f"row {number}: {problem}"
            yield Record(number, number, fields, error)

    def _unreadable(self, group: int, count: int, first: int, problem: str) -> Iterator[Record]:
        """Error records for the ``count`` rows of row ``group`` that could not be read."""
        if self._keep_values:
            nulls = [pa.nulls(count, field.type) for field in self.value_schema]
            self._kept.append(pa.RecordBatch.from_arrays(nulls, schema=self.value_schema))
        last = first + count - 1
        for number in range(first, last + 1):
            self._rows_read += 1
            yield Record(
                number,
                number,
                (),
                f"row {number}: row group {group + 1} (rows {first:,}-{last:,}) of the Parquet "
                f"file cannot be read: {problem}",
            )

    def take_values(self, count: int) -> pa.Table:
        """The original values of the next ``count`` rows read, in order, and forget them."""
        parts: list[pa.RecordBatch] = []
        while count > 0:
            batch = self._kept[0]
            if batch.num_rows <= count:
                parts.append(self._kept.popleft())
                count -= batch.num_rows
            else:
                parts.append(batch.slice(0, count))
                self._kept[0] = batch.slice(count)
                count = 0
        return pa.Table.from_batches(parts, schema=self.value_schema)


def _texts(array: pa.Array, column: str, problems: dict[int, str], strict: bool) -> list[str]:
    """The cells of one column as text ("" for null); an undecodable cell of a ``strict``
    column is noted in ``problems`` by its offset in the batch."""
    kind = array.type
    if pa.types.is_dictionary(kind):
        array = array.dictionary_decode()
        kind = array.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return ["" if value is None else value for value in array.to_pylist()]
    if pa.types.is_binary(kind) or pa.types.is_large_binary(kind):
        return _decoded(array.to_pylist(), column, problems, strict)
    try:
        text = pc.cast(array, pa.string())
    except (pa.ArrowNotImplementedError, pa.ArrowInvalid, pa.ArrowTypeError):
        # nested and other types without a cast to text: their values as JSON
        return [
            "" if value is None else json.dumps(value, ensure_ascii=False, default=str)
            for value in array.to_pylist()
        ]
    return ["" if value is None else value for value in text.to_pylist()]


def _decoded(
    values: list[bytes | None], column: str, problems: dict[int, str], strict: bool
) -> list[str]:
    texts: list[str] = []
    for offset, value in enumerate(values):
        if value is None:
            texts.append("")
            continue
        try:
            texts.append(value.decode("utf-8"))
        except UnicodeDecodeError as exc:
            texts.append(value.decode("utf-8", errors="backslashreplace"))
            if strict and offset not in problems:
                bad = value[exc.start : exc.start + 1].hex().upper()
                problems[offset] = (
                    f"undecodable bytes in column {column!r}: not valid UTF-8 "
                    f"(byte 0x{bad} at byte {exc.start + 1} of the cell)"
                )
    return texts


def _one_line(text: str) -> str:
    """``text`` with control characters and runs of white space made single spaces."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(_HASH_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def open_parquet_input(path: Path, *, keep_values: bool) -> ParquetReader:
    """Open a Parquet file for reading (:class:`InputError`, one line, if it cannot be).

    ``keep_values`` keeps each row's original values until :meth:`ParquetReader.take_values`
    asks for them (Parquet output carries them through with their types).
    """
    if path.is_dir():
        raise InputError(f"{path}: is a directory, not a Parquet file")
    try:
        file = pq.ParquetFile(path)
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except (pa.ArrowException, ValueError) as exc:
        raise InputError(f"{path}: not a readable Parquet file ({exc})") from None
    try:
        if not file.schema_arrow.names:
            raise InputError(f"{path}: the Parquet file has no columns")
        return ParquetReader(path, file, keep_values=keep_values)
    except BaseException:
        file.close()
        raise


class ParquetResultWriter:
    """Writes result rows as Parquet to a temporary file and moves it into place on
    :meth:`commit`; the interface of :class:`screen.batch.output.ResultWriter`."""

    format: Final = "parquet"

    def __init__(
        self,
        path: Path,
        header: Sequence[str],
        *,
        audit: Mapping[str, Any],
        with_items: bool,
        values: ParquetReader | None = None,
    ) -> None:
        """``values``: the Parquet input whose original values to carry through (None: the
        caller's columns are written as the text the input gave)."""
        self.path = path
        self._width = len(header)
        self._with_items = with_items
        self._values = values
        caller = (
            list(values.value_schema)
            if values is not None
            else [pa.field(name, pa.string()) for name in header]
        )
        audit_json = json.dumps(audit, ensure_ascii=False, sort_keys=True)
        self._schema = pa.schema(
            [*caller, *result_schema(with_items)], metadata={AUDIT_KEY: audit_json.encode()}
        )
        self._pending: list[ResultRow] = []
        self._tmp = path.with_name(f".{path.name}.partial-{os.getpid()}")
        try:
            self._writer = pq.ParquetWriter(self._tmp, self._schema)
        except (OSError, pa.ArrowException) as exc:
            self._tmp.unlink(missing_ok=True)
            raise OutputError(f"{path}: cannot write: {_why(exc)}") from None

    def write_rows(self, rows: Iterable[ResultRow]) -> None:
        """Add rows in order; a full row group is written as soon as there is one."""
        self._pending.extend(rows)
        while len(self._pending) >= ROW_GROUP_ROWS:
            self._flush(ROW_GROUP_ROWS)

    def _flush(self, count: int) -> None:
        rows, self._pending = self._pending[:count], self._pending[count:]
        if not rows:
            return
        if self._values is not None:
            caller = self._values.take_values(len(rows)).columns
        else:
            caller = [
                pa.array(
                    [fields[index] if index < len(fields) else None for _, fields, _, _ in rows],
                    pa.string(),
                )
                for index in range(self._width)
            ]
        results = _result_columns(rows, self._with_items)
        table = pa.Table.from_arrays([*caller, *results], schema=self._schema)
        try:
            self._writer.write_table(table, row_group_size=len(rows))
        except (OSError, pa.ArrowException) as exc:
            self.abort()
            raise OutputError(f"{self.path}: cannot write: {_why(exc)}") from None

    def commit(self, sidecar: Mapping[str, Any]) -> Path:
        """Write what is buffered, close, move the output into place and write its audit
        sidecar; returns the sidecar's path."""
        self._flush(len(self._pending))
        try:
            self._writer.close()
            os.replace(self._tmp, self.path)
        except (OSError, pa.ArrowException) as exc:
            self.abort()
            raise OutputError(f"{self.path}: cannot write: {_why(exc)}") from None
        return write_sidecar(self.path, sidecar)

    def abort(self) -> None:
        """Close and delete the temporary file (the run did not finish)."""
        with contextlib.suppress(OSError, pa.ArrowException):
            self._writer.close()
        self._tmp.unlink(missing_ok=True)


def _result_columns(rows: Sequence[ResultRow], with_items: bool) -> list[pa.Array]:
    """The result columns of ``rows``: line numbers, then the outcomes' values."""
    last: RowOutcome | None = None
    values: tuple[str | int | float | None, ...] = ()
    table: list[tuple[str | int | float | None, ...]] = []
    for _, _, outcome, _ in rows:
        if outcome is not last:  # clear rows share one outcome
            last, values = outcome, outcome_values(outcome, with_items)
        table.append(values)
    schema = result_schema(with_items)
    arrays = [pa.array([line for line, _, _, _ in rows], pa.int64())]
    for index, column in enumerate(zip(*table, strict=True)):
        arrays.append(pa.array(column, schema.field(index + 1).type))
    return arrays


def _why(exc: BaseException) -> str:
    return (exc.strerror if isinstance(exc, OSError) else None) or str(exc)
