"""Read a CSV file of parties record by record, accounting for every physical line.

A customer file is never trusted: one bad line (undecodable bytes, a NUL byte, a stray quote, a
200 kB cell, a wrong number of fields) becomes one :class:`Record` carrying an ``error`` and the
line it starts on, and reading goes on. Bytes are decoded here, line by line, rather than by a
text wrapper, so that an undecodable line is one error record instead of an exception that ends
the run. Memory stays bounded: a line or record longer than the limits is skipped as it
streams past.

This module opens the file, reads its header and checks each record against it; the steps
below it each have a module: choosing the encoding and decoding lines
(:mod:`screen.batch.encoding`), splitting the bytes into lines (:mod:`screen.batch.lines`),
parsing CSV records from them (:mod:`screen.batch.csv_records`), and what a record is
(:mod:`screen.batch.record`).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from screen.batch.csv_records import Feeder, parse_records
from screen.batch.encoding import Codec, Line, codec_for
from screen.batch.lines import LineSource, PhysicalLines
from screen.batch.record import MAX_RECORD_CHARS, MAX_RECORD_LINES, InputError, Record

__all__ = [
    "MAX_RECORD_CHARS",
    "MAX_RECORD_LINES",
    "InputError",
    "InputReader",
    "Record",
    "open_input",
]


@dataclass
class InputReader:
    """An opened input file: its header, how it was decoded, and its records."""

    path: Path
    header: tuple[str, ...]
    header_line: int
    header_end_line: int
    delimiter: str
    encoding_label: str
    _stream: BinaryIO
    _codec: Codec
    _lines: PhysicalLines
    _feeder: Feeder
    _source: LineSource
    _reader: Iterator[list[str]]
    total_bytes: int
    blank_lines: int = 0
    _line_sizes: dict[int, int] = field(default_factory=dict)

    def close(self) -> None:
        """Close the underlying file."""
        self._stream.close()

    def __enter__(self) -> InputReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def bytes_read(self) -> int:
        """Bytes read from the file so far."""
        return self._lines.bytes_read

    @property
    def bytes_consumed(self) -> int:
        """Bytes of the file up to the end of the last line parsed (for progress)."""
        return self._lines.consumed

    @property
    def sha256(self) -> str:
        """sha256 of the bytes read so far; of the whole file once records() is exhausted."""
        return self._lines.sha256.hexdigest()

    @property
    def fallback_lines(self) -> tuple[int, ...]:
        """Lines that were not UTF-8 and were read as Windows-1252 (the first 1,000 of them)."""
        return tuple(self._codec.fallback_lines)

    @property
    def fallback_count(self) -> int:
        """How many lines were read as Windows-1252."""
        return self._codec.fallback_count

    def records(self) -> Iterator[Record]:
        """Every data record after the header, in input order; broken ones carry an error."""
        width = len(self.header)
        records = parse_records(
            self._feeder, self._reader, self._line_sizes, self.delimiter, self._source
        )
        for rec in records:
            if rec is None:
                self.blank_lines += 1
                continue
            if rec.error is None and len(rec.fields) != width:
                rec = Record(rec.line, rec.end_line, rec.fields, _field_count_error(rec, width))
            if rec.error is None:
                nul = next((i for i, value in enumerate(rec.fields) if "\x00" in value), None)
                if nul is not None:
                    rec = Record(
                        rec.line,
                        rec.end_line,
                        rec.fields,
                        f"{_where(rec)}: NUL byte in column {self.header[nul]!r}",
                    )
            yield rec
        # Read to the very end so the checksum covers the whole file.
        while self._lines.next_line() is not None:
            pass


def _where(rec: Record) -> str:
    if rec.end_line > rec.line:
        return f"lines {rec.line}-{rec.end_line}"
    return f"line {rec.line}"


def _field_count_error(rec: Record, width: int) -> str:
    hint = ""
    if rec.end_line > rec.line:
        hint = " (a quoted field spans several lines: check for an unbalanced quote)"
    return f"{_where(rec)}: {len(rec.fields)} fields where the header has {width}{hint}"


def _detect_delimiter(text: str) -> str:
    """The most frequent of , ; tab and | in the header line (comma when none occurs)."""
    counts = {d: text.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def open_input(
    path: Path, *, encoding: str | None = None, delimiter: str | None = None
) -> InputReader:
    """Open ``path``, decode and parse its header; :class:`InputError` (one line) if it cannot."""
    try:
        stream: BinaryIO = path.open("rb")
        total = path.stat().st_size
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a CSV file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        return _open(path, stream, total, encoding, delimiter)
    except BaseException:
        stream.close()
        raise


def _open(
    path: Path, stream: BinaryIO, total: int, encoding: str | None, delimiter: str | None
) -> InputReader:
    try:
        head = stream.read(4)
        stream.seek(0)
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    codec, bom_len = codec_for(head, encoding)
    # A character takes at most 4 bytes in every supported encoding.
    lines = PhysicalLines(stream, codec, bom_len, max_bytes=4 * MAX_RECORD_CHARS + 4)
    sizes: dict[int, int] = {}
    source = LineSource(lines, codec, sizes)
    feeder = Feeder(source)

    first = _first_nonblank(source, feeder)
    if first is None:
        raise InputError(f"{path}: the file is empty: expected a header line naming the columns")
    if delimiter is None:
        delimiter = _detect_delimiter(first.text)
    elif len(delimiter) != 1:
        raise InputError(f"--delimiter must be one character, not {delimiter!r}")
    reader = csv.reader(feeder, delimiter=delimiter)
    header_rec = next(
        (r for r in parse_records(feeder, reader, sizes, delimiter) if r is not None), None
    )
    if header_rec is None:  # pragma: no cover - _first_nonblank found a line
        raise InputError(f"{path}: no header line")
    if header_rec.error is not None:
        raise InputError(f"{path}: header {header_rec.error}")
    header = tuple(header_rec.fields)
    if any("\x00" in name for name in header):
        raise InputError(
            f"{path}: line {header_rec.line}: NUL byte in the header "
            "(a UTF-16 file without byte-order mark? try --encoding utf-16-le)"
        )
    return InputReader(
        path=path,
        header=header,
        header_line=header_rec.line,
        header_end_line=header_rec.end_line,
        delimiter=delimiter,
        encoding_label=codec.label,
        _stream=stream,
        _codec=codec,
        _lines=lines,
        _feeder=feeder,
        _source=source,
        _reader=reader,
        total_bytes=total,
        blank_lines=header_rec.line - 1,
        _line_sizes=sizes,
    )


def _first_nonblank(line_iter: Iterator[Line], feeder: Feeder) -> Line | None:
    """Peek at the first non-blank line (for the delimiter) and put it back for the parser."""
    skipped: list[Line] = []
    for line in line_iter:
        skipped.append(line)
        if line.text.strip("\r\n") or line.error is not None:
            feeder.pending.extend(skipped)
            return line
    return None
