"""The physical lines of a CSV input, split from its bytes in bounded memory and numbered.

:class:`PhysicalLines` reads the file in blocks, hashes every byte (the audit's input checksum)
and hands out raw lines, cutting short a line longer than the record limit as it streams past.
:class:`LineSource` decodes and numbers them: one at a time for the CSV reader, or, for UTF-8,
a whole block of lines at once when they all decode (the fast path of
:func:`screen.batch.csv_records.parse_records`).
"""

from __future__ import annotations

import codecs
import hashlib
import re
from typing import BinaryIO

from screen.batch.encoding import Codec, Line

__all__ = ["OVERLONG", "LineSource", "PhysicalLines"]

_READ_BLOCK = 1 << 16
"""Bytes read from the file at a time."""
_LINE = re.compile(r"[^\n]*\n")
_BLOCK_BYTES = 16_384
"""Lines are read in blocks of at most this many bytes: a line that does not decode costs a
copy of its block (the error holds it), and longer blocks gain nothing."""
_MAX_BACKOFF = 1023
"""At most this many records are read line by line before blocks are tried again."""
_MIN_BLOCK_BYTES = 4096
"""Lines that decode before one that does not are read as a block only when they are at least
this long: a block costs more to set up than a line, and its last line is read again."""
OVERLONG = "overlong"
"""The ``error`` of a :class:`~screen.batch.encoding.Line` cut short because it is longer than a
record may be; the record it starts is reported with the line's full size."""


class PhysicalLines:
    """Split a binary stream into raw physical lines (each with its line break), bounded in size."""

    def __init__(self, stream: BinaryIO, codec: Codec, skip: int, max_bytes: int) -> None:
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


class LineSource:
    """The physical lines of the input, decoded and numbered, one at a time (an iterator, for
    the CSV reader) or, where that is safe, as a block of many (:meth:`take_block`)."""

    def __init__(self, lines: PhysicalLines, codec: Codec, sizes: dict[int, int]) -> None:
        self._lines = lines
        self._codec = codec
        self._sizes = sizes
        self.number = 0
        """Physical lines handed out so far."""
        self._wait = 0
        self._backoff = 0

    def __iter__(self) -> LineSource:
        return self

    def __next__(self) -> Line:
        item = self._lines.next_line()
        if item is None:
            raise StopIteration
        raw, size = item
        self.number += 1
        if size > len(raw):
            self._sizes[self.number] = size
            return Line(self.number, "", OVERLONG)
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

