"""Helpers shared by the source converters: reading source files, hashing and splitting fields."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from screen.release.models import ReleaseSource

__all__ = [
    "SourceError",
    "SourceFile",
    "clean",
    "read_source",
    "read_text",
    "slug",
    "split_semicolons",
    "unique",
]


class SourceError(Exception):
    """A source file cannot be converted; names the file, the line and what is wrong."""

    def __init__(self, file: str, line: int | None, message: str) -> None:
        self.file = file
        self.line = line
        self.message = message
        where = f"{file}:{line}" if line is not None else file
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class SourceFile:
    """A source file's bytes together with its release metadata."""

    name: str
    """Path relative to the source directory, with ``/`` separators."""
    data: bytes
    date: dt.date
    url: str | None
    publisher: str | None

    @property
    def sha256(self) -> str:
        """Hex sha256 of the file's bytes."""
        return hashlib.sha256(self.data).hexdigest()

    def release_source(self, records: int) -> ReleaseSource:
        """The manifest record of this file, with the number of records converted from it."""
        return ReleaseSource(
            name=self.name,
            date=self.date,
            sha256=self.sha256,
            url=self.url,
            publisher=self.publisher,
            records=records,
        )


def read_source(
    source_dir: Path, name: str, date: dt.date, url: str | None, publisher: str | None
) -> SourceFile:
    """Read one source file; a missing file is a :class:`SourceError`."""
    path = source_dir / name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(name, None, f"cannot read source file: {exc.strerror}") from exc
    return SourceFile(name=name, data=data, date=date, url=url, publisher=publisher)


def read_text(source: SourceFile) -> str:
    """Decode a source file as strict UTF-8 (ASCII included), naming the line of a bad byte."""
    try:
        return source.data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = source.data[: exc.start].count(b"\n") + 1
        raise SourceError(
            source.name, line, f"not valid UTF-8 (byte 0x{source.data[exc.start]:02x})"
        ) from exc


def read_csv_rows(source: SourceFile, *, strip_eof: bool = False) -> list[tuple[int, list[str]]]:
    """Rows of a CSV file with the line number each row starts on.

    ``strip_eof`` drops a trailing DOS end-of-file byte (0x1A), which OFAC's legacy files carry.
    """
    text = read_text(source)
    if strip_eof:
        text = text.rstrip("\x1a")
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for row in reader:
            rows.append((line, row))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise SourceError(source.name, line, f"malformed CSV: {exc}") from exc
    return rows


def clean(value: str | None) -> str | None:
    """Strip surrounding whitespace; empty strings become None."""
    if value is None:
        return None
    value = value.strip()
    return value or None


def split_semicolons(value: str | None) -> list[str]:
    """Split a ``; ``-separated field into its non-empty, stripped parts, in order."""
    if not value:
        return []
    return [part.strip() for part in value.split(";") if part.strip()]


def unique(values: Iterable[str]) -> tuple[str, ...]:
    """The values without exact duplicates, first occurrence kept."""
    return tuple(dict.fromkeys(values))


def slug(text: str) -> str:
    """A lower-case ASCII slug of a name, used in ids of entries without a publisher id."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
