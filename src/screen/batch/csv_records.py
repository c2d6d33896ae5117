"""CSV records from numbered lines, with the lines each record spans, and every way a record can
be broken turned into one error record instead of an exception.

The standard :mod:`csv` reader parses; :class:`Feeder` hands it lines one at a time and records
which lines a record used, stops a record that grows past the limits (an unbalanced quote) and
puts its later lines back to be read as records of their own. Blocks of plain one-line records
are parsed in one go (:func:`parse_records` with a :class:`~screen.batch.lines.LineSource`),
with the same result.
"""

from __future__ import annotations

import csv
from collections import deque
from collections.abc import Iterator

from screen.batch.encoding import Line
from screen.batch.lines import OVERLONG, LineSource
from screen.batch.record import MAX_RECORD_CHARS, MAX_RECORD_LINES, Record

__all__ = ["Feeder", "parse_records"]


class _RunawayRecord(Exception):
    """Raised into the csv reader when a record grows past the limits."""


class Feeder:
    """The line iterator handed to :func:`csv.reader`; it tracks which lines each record used.

    Being a class rather than a generator, it can go on yielding after raising, so a runaway
    record's later lines can be replayed as records of their own.
    """

    def __init__(self, lines: Iterator[Line]) -> None:
        self._lines = lines
        self.pending: deque[Line] = deque()
        self.current: list[Line] = []
        self.chars = 0
        self.open_at_eof = False
        self.overlong: Line | None = None

    def start_record(self) -> None:
        """Forget the previous record's lines: a new record starts."""
        self.current = []
        self.chars = 0
        self.open_at_eof = False
        self.overlong = None

    def __iter__(self) -> Feeder:
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
        too_long = self.chars + len(line.text) > MAX_RECORD_CHARS or line.error == OVERLONG
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


def parse_records(
    feeder: Feeder,
    reader: Iterator[list[str]],
    sizes: dict[int, int],
    delimiter: str,
    source: LineSource | None = None,
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
    first: int, texts: list[str], delimiter: str, feeder: Feeder
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
        Line(first + index, texts[index]) for index in range(done, last)
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


def _first_line_fields(feeder: Feeder, delimiter: str) -> tuple[str, ...]:
    """The fields of a broken record's first line alone, to help find it in the output."""
    first = feeder.current[0]
    if first.error is not None:
        return ()
    try:
        return tuple(next(csv.reader([first.text], delimiter=delimiter), []))
    except csv.Error:  # the first line alone is not CSV either: nothing to show
        return ()


def _runaway(feeder: Feeder, sizes: dict[int, int], delimiter: str) -> Record:
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

