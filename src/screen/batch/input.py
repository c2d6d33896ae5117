"""Read a CSV file of parties record by record, accounting for every physical line.

A customer file is never trusted: one bad line (undecodable bytes, a NUL byte, a stray quote, a
200 kB cell, a wrong number of fields) becomes one :class:`Record` carrying an ``error`` and the
line it starts on, and reading goes on. Bytes are decoded here, line by line, rather than by a
text wrapper, so that an undecodable line is one error record instead of an exception that ends
the run. Memory stays bounded: a line or record longer than the limits below is skipped as it
streams past.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

__all__ = [
    "MAX_RECORD_CHARS",
    "MAX_RECORD_LINES",
    "InputError",
    "InputReader",
    "Record",
    "open_input",
]

MAX_RECORD_CHARS = 65_536
"""Longest record (all its fields and line breaks) accepted, in characters. Party files hold names
and addresses; a longer record is almost always a runaway quote or a pasted blob."""
MAX_RECORD_LINES = 1_000
"""Most physical lines one quoted record may span before it is taken for an unbalanced quote."""
_MAX_REPORTED_FALLBACK_LINES = 1_000
_READ_BLOCK = 1 << 16

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32 LE with byte-order mark"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32 BE with byte-order mark"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8 with byte-order mark"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16 LE with byte-order mark"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16 BE with byte-order mark"),
)


class InputError(Exception):
    """The input as a whole cannot be read (missing file, bad header, unknown encoding...).

    The message is one line meant for the user and names the file and, where it applies, the line.
    """


@dataclass(frozen=True, slots=True)
class Record:
    """One CSV record of the input: its fields, or why it cannot be screened."""

    line: int
    """Physical line (1-based, the header is line 1 in most files) the record starts on."""
    end_line: int
    """Physical line the record ends on (differs from ``line`` when a quoted field spans lines)."""
    fields: tuple[str, ...]
    """The fields as parsed; for a broken record, whatever could be recovered (may be empty)."""
    error: str | None = None
    """Why the record cannot be screened, starting with its line number; None when it is sound."""


@dataclass(slots=True)
class _Line:
    number: int
    text: str
    error: str | None = None
    """Why this line's bytes could not be decoded (or were too long to read); text is then a
    best-effort decoding so that CSV parsing stays aligned."""


class _Codec:
    """How to split a byte stream into physical lines and decode each line."""

    def __init__(self, name: str, label: str, *, cp1252_fallback: bool) -> None:
        self.name = name
        self.label = label
        self.cp1252_fallback = cp1252_fallback
        self.newline = "\n".encode(name)
        self.unit = len(self.newline)
        self._seen_real_utf8 = False
        self.fallback_lines: list[int] = []
        self.fallback_count = 0

    def decode(self, number: int, raw: bytes) -> _Line:
        """Decode one physical line; an undecodable one keeps a replacement-decoded text."""
        try:
            text = raw.decode(self.name)
        except UnicodeDecodeError as exc:
            return self._undecodable(number, raw, exc)
        except UnicodeError as exc:  # codecs such as idna fail without a byte position
            return _Line(number, "", f"undecodable bytes: not valid {self.name.upper()} ({exc})")
        if self.cp1252_fallback and not self._seen_real_utf8 and not raw.isascii():
            self._seen_real_utf8 = True
        return _Line(number, text)

    def saw_text(self, text: str) -> None:
        """Note lines decoded together (by the block) as :meth:`decode` notes each line."""
        if self.cp1252_fallback and not self._seen_real_utf8 and not text.isascii():
            self._seen_real_utf8 = True

    def _undecodable(self, number: int, raw: bytes, exc: UnicodeDecodeError) -> _Line:
        bad = raw[exc.start : exc.start + 1].hex().upper()
        if self.cp1252_fallback and not self._seen_real_utf8:
            # Only while no line of the file has been real UTF-8: in a UTF-8 file a broken line
            # read as Windows-1252 would be screened as mojibake and could be cleared wrongly.
            try:
                text = raw.decode("cp1252")
            except UnicodeDecodeError:
                reason = f"undecodable bytes: neither UTF-8 nor Windows-1252 (byte 0x{bad})"
            else:
                self.fallback_count += 1
                if len(self.fallback_lines) < _MAX_REPORTED_FALLBACK_LINES:
                    self.fallback_lines.append(number)
                return _Line(number, text)
        else:
            reason = (
                f"undecodable bytes: not valid {self.name.upper()} "
                f"(byte 0x{bad} at byte {exc.start + 1} of the line)"
            )
        return _Line(number, raw.decode(self.name, errors="replace"), reason)


def _codec_for(head: bytes, forced: str | None) -> tuple[_Codec, int]:
    """Pick the codec from a forced name or the byte-order mark; returns it and the BOM length."""
    if forced is not None:
        try:
            name = codecs.lookup(forced).name
        except LookupError:
            raise InputError(f"unknown encoding {forced!r} (--encoding)") from None
        if name == "utf-8-sig":
            name = "utf-8"
        if name in ("utf-16", "utf-32"):
            # The bare names mean "BOM decides"; without a BOM, Python assumes little-endian.
            for bom, bom_name, _ in _BOMS:
                if bom_name.startswith(name) and head.startswith(bom):
                    return _Codec(bom_name, bom_name.upper(), cp1252_fallback=False), len(bom)
            name = f"{name}-le"
        if not _newline_ok(name):
            raise InputError(
                f"encoding {forced!r} is not supported: it is not a text encoding whose line "
                "break is a plain newline"
            )
        codec = _Codec(name, name.upper(), cp1252_fallback=False)
        bom_len = (
            len(codecs.BOM_UTF8) if name == "utf-8" and head.startswith(codecs.BOM_UTF8) else 0
        )
        return codec, bom_len
    for bom, name, label in _BOMS:
        if head.startswith(bom):
            return _Codec(name, label, cp1252_fallback=False), len(bom)
    return _Codec("utf-8", "UTF-8", cp1252_fallback=True), 0


def _newline_ok(name: str) -> bool:
    """True when ``name`` is a text encoding whose newline is the byte 0x0A in its code unit."""
    try:
        newline = "\n".encode(name)
    except (UnicodeError, LookupError):  # LookupError: a bytes-to-bytes codec such as hex
        return False
    return newline in (b"\n", b"\n\x00", b"\x00\n", b"\n\x00\x00\x00", b"\x00\x00\x00\n")


class _PhysicalLines:
    """Split a binary stream into raw physical lines (each with its line break), bounded in size."""

    def __init__(self, stream: BinaryIO, codec: _Codec, skip: int, max_bytes: int) -> None:
        self._stream = stream
        self._newline = codec.newline
        self._unit = codec.unit
        self._max = max_bytes
        self._buf = b""
        self._pos = 0
        self.bytes_read = 0
        self.sha256 = hashlib.sha256()
        if skip:
            self._fill()
            self._pos = skip

    @property
    def consumed(self) -> int:
        """Bytes of the file handed out as lines so far."""
        return self.bytes_read - (len(self._buf) - self._pos)

    def _fill(self) -> bool:
        """Append the next block to the unread part of the buffer; False at end of file."""
        block = self._stream.read(_READ_BLOCK)
        if not block:
            return False
        self.bytes_read += len(block)
        self.sha256.update(block)
        self._buf = self._buf[self._pos :] + block
        self._pos = 0
        return True

    def _find_newline(self, start: int) -> int:
        pos = self._buf.find(self._newline, start)
        # In UTF-16/32 a newline only counts on a code-unit boundary.
        while pos >= 0 and (pos - self._pos) % self._unit:
            pos = self._buf.find(self._newline, pos + 1)
        return pos

    def complete_lines(self, limit: int) -> memoryview:
        """The unread part of the buffer up to its last newline within ``limit`` bytes (reading
        a block first when the buffer holds no newline at all), without handing it out (see
        :meth:`skip`) or copying it. Empty when there is no complete line within one more block.
        Only for one-byte newlines."""
        end = self._buf.rfind(b"\n", self._pos, self._pos + limit)
        if end < 0:
            if len(self._buf) - self._pos > self._max or not self._fill():
                return memoryview(b"")
            end = self._buf.rfind(b"\n", self._pos, self._pos + limit)
            if end < 0:
                return memoryview(b"")
        return memoryview(self._buf)[self._pos : end + 1]

    def skip(self, count: int) -> None:
        """Hand out the next ``count`` bytes (lines taken through :meth:`complete_lines`)."""
        self._pos += count

    def next_line(self) -> tuple[bytes, int] | None:
        """The next raw line and its full length in bytes (longer than the bytes when truncated)."""
        searched = self._pos
        while True:
            pos = self._find_newline(searched)
            if pos >= 0:
                end = pos + self._unit
                line = self._buf[self._pos : end]
                self._pos = end
                return line, len(line)
            pending = len(self._buf) - self._pos
            if pending > self._max:
                return self._skip_overlong()
            searched = max(0, pending - len(self._newline) + 1)
            searched -= searched % self._unit
            if not self._fill():
                if not pending:
                    return None
                line = self._buf[self._pos :]
                self._buf, self._pos = b"", 0
                return line, len(line)

    def _skip_overlong(self) -> tuple[bytes, int]:
        """Drop the rest of an overlong line without holding it; keep its start for the report."""
        head = self._buf[self._pos : self._pos + self._max]
        total = 0
        while True:
            pos = self._find_newline(self._pos)
            if pos >= 0:
                end = pos + self._unit
                total += end - self._pos
                self._pos = end
                return head, total
            pending = len(self._buf) - self._pos
            keep = pending - pending % self._unit
            total += keep
            self._pos += keep
            if not self._fill():
                total += len(self._buf) - self._pos
                self._buf, self._pos = b"", 0
                return head, total


class _RunawayRecord(Exception):
    """Raised into the csv reader when a record grows past the limits."""


class _Feeder:
    """The line iterator handed to :func:`csv.reader`; it tracks which lines each record used.

    Being a class rather than a generator, it can go on yielding after raising, so a runaway
    record's later lines can be replayed as records of their own.
    """

    def __init__(self, lines: Iterator[_Line]) -> None:
        self._lines = lines
        self.pending: deque[_Line] = deque()
        self.current: list[_Line] = []
        self.chars = 0
        self.open_at_eof = False
        self.overlong: _Line | None = None

    def start_record(self) -> None:
        """Forget the previous record's lines: a new record starts."""
        self.current = []
        self.chars = 0
        self.open_at_eof = False
        self.overlong = None

    def __iter__(self) -> _Feeder:
        return self

    def __next__(self) -> str:
        if self.pending:
            line = self.pending.popleft()
        else:
            try:
                line = next(self._lines)
            except StopIteration:
                if self.current:
                    self.open_at_eof = True
                raise
        too_long = self.chars + len(line.text) > MAX_RECORD_CHARS or line.error == _OVERLONG
        if too_long or len(self.current) >= MAX_RECORD_LINES:
            if self.current:
                self.pending.appendleft(line)
            else:
                self.overlong = line
            raise _RunawayRecord
        self.current.append(line)
        self.chars += len(line.text)
        return line.text

    def replay_after_first(self) -> None:
        """Put back every line of the current record but its first, to be read again."""
        self.pending.extendleft(reversed(self.current[1:]))


_OVERLONG = "overlong"


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
    _codec: _Codec
    _lines: _PhysicalLines
    _feeder: _Feeder
    _source: _LineSource
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
        records = _parse(
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


class _LineSource:
    """The physical lines of the input, decoded and numbered, one at a time (an iterator, for
    the CSV reader) or, where that is safe, as a block of many (:meth:`take_block`)."""

    def __init__(self, lines: _PhysicalLines, codec: _Codec, sizes: dict[int, int]) -> None:
        self._lines = lines
        self._codec = codec
        self._sizes = sizes
        self.number = 0
        """Physical lines handed out so far."""
        self._wait = 0
        self._backoff = 0

    def __iter__(self) -> _LineSource:
        return self

    def __next__(self) -> _Line:
        item = self._lines.next_line()
        if item is None:
            raise StopIteration
        raw, size = item
        self.number += 1
        if size > len(raw):
            self._sizes[self.number] = size
            return _Line(self.number, "", _OVERLONG)
        return self._codec.decode(self.number, raw)

    def take_block(self) -> tuple[int, list[str]] | None:
        """The complete lines read so far, decoded, with the number of the first: when the
        input is UTF-8 and they all decode; None otherwise (read them one at a time)."""
        if self._codec.name != "utf-8":
            return None
        if self._wait:
            self._wait -= 1
            return None
        raw = self._lines.complete_lines(_BLOCK_BYTES)
        if not raw:
            return None
        try:
            text = codecs.utf_8_decode(raw, "strict", True)[0]
        except UnicodeDecodeError as exc:
            # the lines before the one that does not decode; that one needs its own error or
            # fallback, so it is read on its own (and the bytes after it by the next block)
            end = bytes(raw[: exc.start]).rfind(b"\n") + 1
            if end < _MIN_BLOCK_BYTES:
                # a few lines: not worth a block. Where lines that do not decode are many (a
                # Windows-1252 file), blocks are tried again after ever more lines read alone.
                self._backoff = min(2 * self._backoff + 1, _MAX_BACKOFF)
                self._wait = self._backoff
                return None
            raw = raw[:end]
            text = codecs.utf_8_decode(raw, "strict", True)[0]
        self._backoff = 0
        self._lines.skip(len(raw))
        self._codec.saw_text(text)
        texts = _LINE.findall(text)
        first = self.number + 1
        self.number += len(texts)
        return first, texts


_LINE = re.compile(r"[^\n]*\n")
_BLOCK_BYTES = 16_384
"""Lines are read in blocks of at most this many bytes: a line that does not decode costs a
copy of its block (the error holds it), and longer blocks gain nothing."""
_MAX_BACKOFF = 1023
"""At most this many records are read line by line before blocks are tried again."""
_MIN_BLOCK_BYTES = 4096
"""Lines that decode before one that does not are read as a block only when they are at least
this long: a block costs more to set up than a line, and its last line is read again."""


def _parse(
    feeder: _Feeder,
    reader: Iterator[list[str]],
    sizes: dict[int, int],
    delimiter: str,
    source: _LineSource | None = None,
) -> Iterator[Record | None]:
    """Records (None for a blank line) with their line spans; decoding and CSV errors folded in.

    With ``source``, lines that need no care (see :func:`_plain_records`) are parsed a block at
    a time; the lines of any other record go through ``feeder`` one at a time.
    """
    while True:
        if source is not None and not feeder.pending:
            block = source.take_block()
            if block is not None:
                yield from _plain_records(*block, delimiter, feeder)
                continue
        feeder.start_record()
        try:
            fields = next(reader)
        except StopIteration:
            return
        except _RunawayRecord:
            yield _runaway(feeder, sizes, delimiter)
            continue
        except csv.Error as exc:
            if not feeder.current:  # pragma: no cover - csv only fails on a line it was given
                raise
            first, last = feeder.current[0].number, feeder.current[-1].number
            where = f"line {first}" if first == last else f"lines {first}-{last}"
            yield Record(
                first, last, _first_line_fields(feeder, delimiter), f"{where}: {_csv_problem(exc)}"
            )
            continue
        if not feeder.current:  # pragma: no cover - csv yields nothing without a line
            return
        first, last = feeder.current[0].number, feeder.current[-1].number
        if feeder.open_at_eof:
            feeder.replay_after_first()
            yield Record(
                first,
                first,
                _first_line_fields(feeder, delimiter),
                f"line {first}: a quoted field opens on this line and never closes",
            )
            continue
        bad = next((line for line in feeder.current if line.error is not None), None)
        if not fields and bad is None:
            yield None
            continue
        error = None
        if bad is not None:
            at = "" if bad.number == first else f" (on line {bad.number})"
            where = f"line {first}" if first == last else f"lines {first}-{last}"
            error = f"{where}: {bad.error}{at}"
        yield Record(first, last, tuple(fields), error)


def _plain_records(
    first: int, texts: list[str], delimiter: str, feeder: _Feeder
) -> Iterator[Record | None]:
    """The records of a block of decoded lines (``first`` the number of the first line), as
    long as each is one line of at most ``MAX_RECORD_CHARS`` that parses without error: what
    the line-by-line reading gives for such lines, at a fraction of the cost. From the first
    record that is not so, the block's lines are handed to ``feeder`` to be read one at a
    time; so are those of a record ending on the block's last line, which may go on in lines
    not read yet."""
    reader = csv.reader(texts, delimiter=delimiter)
    done = 0  # lines of the block made into records
    last = len(texts)
    try:
        for fields in reader:
            end = reader.line_num
            if end != done + 1 or end == last or len(texts[done]) > MAX_RECORD_CHARS:
                break
            if fields:
                yield Record(first + done, first + done, tuple(fields))
            else:
                yield None
            done = end
    except csv.Error:
        pass  # read again, one line at a time, to say what is wrong
    feeder.pending.extend(
        _Line(first + index, texts[index]) for index in range(done, last)
    )


def _csv_problem(exc: csv.Error) -> str:
    """The csv module's complaint in the user's terms."""
    text = str(exc)
    if "new-line character seen in unquoted field" in text:
        return (
            "a carriage return (CR) inside an unquoted field: quote the field, or convert "
            "old Mac (CR-only) line endings to LF or CRLF"
        )
    return f"not valid CSV ({text})"


def _first_line_fields(feeder: _Feeder, delimiter: str) -> tuple[str, ...]:
    """The fields of a broken record's first line alone, to help find it in the output."""
    first = feeder.current[0]
    if first.error is not None:
        return ()
    try:
        return tuple(next(csv.reader([first.text], delimiter=delimiter), []))
    except csv.Error:  # the first line alone is not CSV either: nothing to show
        return ()


def _runaway(feeder: _Feeder, sizes: dict[int, int], delimiter: str) -> Record:
    if feeder.overlong is not None:
        number = feeder.overlong.number
        size = sizes.pop(number, None)
        what = (
            f"{size:,} bytes" if size is not None else f"{len(feeder.overlong.text):,} characters"
        )
        return Record(
            number,
            number,
            (),
            f"line {number}: record too long ({what}; "
            f"the limit is {MAX_RECORD_CHARS:,} characters)",
        )
    first = feeder.current[0].number
    fields = _first_line_fields(feeder, delimiter)
    feeder.replay_after_first()
    return Record(
        first,
        first,
        fields,
        f"line {first}: a quoted field opens on this line and does not close within "
        f"{MAX_RECORD_LINES:,} lines or {MAX_RECORD_CHARS:,} characters (unbalanced quote?)",
    )


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
    codec, bom_len = _codec_for(head, encoding)
    # A character takes at most 4 bytes in every supported encoding.
    lines = _PhysicalLines(stream, codec, bom_len, max_bytes=4 * MAX_RECORD_CHARS + 4)
    sizes: dict[int, int] = {}
    source = _LineSource(lines, codec, sizes)
    feeder = _Feeder(source)

    first = _first_nonblank(source, feeder)
    if first is None:
        raise InputError(f"{path}: the file is empty: expected a header line naming the columns")
    if delimiter is None:
        delimiter = _detect_delimiter(first.text)
    elif len(delimiter) != 1:
        raise InputError(f"--delimiter must be one character, not {delimiter!r}")
    reader = csv.reader(feeder, delimiter=delimiter)
    header_rec = next((r for r in _parse(feeder, reader, sizes, delimiter) if r is not None), None)
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


def _first_nonblank(line_iter: Iterator[_Line], feeder: _Feeder) -> _Line | None:
    """Peek at the first non-blank line (for the delimiter) and put it back for the parser."""
    skipped: list[_Line] = []
    for line in line_iter:
        skipped.append(line)
        if line.text.strip("\r\n") or line.error is not None:
            feeder.pending.extend(skipped)
            return line
    return None
