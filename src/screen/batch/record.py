"""What reading an input yields: one :class:`Record` per record, sound or saying why it cannot be
screened, and :class:`InputError` for an input that cannot be read at all; with the limits on the
size of one record.

Shared by the CSV reader (:mod:`screen.batch.input`), the Parquet reader
(:mod:`screen.batch.parquet`) and the screening of records (:mod:`screen.batch.rows`).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["MAX_RECORD_CHARS", "MAX_RECORD_LINES", "InputError", "Record"]

MAX_RECORD_CHARS = 65_536
"""Longest record (all its fields and line breaks) accepted, in characters. Party files hold names
and addresses; a longer record is almost always a runaway quote or a pasted blob."""
MAX_RECORD_LINES = 1_000
"""Most physical lines one quoted record may span before it is taken for an unbalanced quote."""


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
