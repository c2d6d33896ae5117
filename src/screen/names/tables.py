"""Read the normaliser's data tables (``screen/data/*.tsv``), each row with its source.

The tables are data, maintained by hand with a source on every row; see ``data/README.md``.
They are read once, on first use, and cached.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = [
    "TableRow",
    "abbreviations",
    "branch_words",
    "han_terms",
    "hangul_romanisation",
    "kana_hepburn",
    "korean_surnames",
    "latin_letters",
    "legal_form_classes",
    "legal_forms",
    "letter_stand_ins",
    "place_romanisations",
    "read_columns",
    "read_table",
    "romanisation_rules",
    "romanisation_signals",
    "term_translations",
    "unihan_readings",
    "wade_giles",
]


@dataclass(frozen=True, slots=True)
class TableRow:
    """One row of a data table, by column name; ``line`` is its line number in the file."""

    table: str
    line: int
    values: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values[column]


class TableError(ValueError):
    """A data table of the package is malformed (a packaging bug, never user input)."""


def read_table(name: str) -> tuple[TableRow, ...]:
    """Every row of ``screen/data/<name>``; comment (``#``) and blank lines are skipped."""
    header, rows = _rows(name)
    return tuple(
        TableRow(name, line_number, dict(zip(header, cells, strict=True)))
        for line_number, cells in rows
    )


def read_columns(name: str, columns: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """The cells of ``columns`` in every row of ``screen/data/<name>``, in that order: for a
    large table read on first use (``unihan_readings.tsv``, 16,000 rows), where making a
    :class:`TableRow` a row took twice as long or more (0.04-0.07 s against 0.02 s, in every
    process that meets a Han name). The same rows as :func:`read_table`'s."""
    header, rows = _rows(name)
    missing = [column for column in columns if column not in header]
    if missing:
        raise TableError(f"{name}: no column {', '.join(missing)}")
    picks = [header.index(column) for column in columns]
    return tuple(tuple([cells[pick] for pick in picks]) for _, cells in rows)


def _rows(name: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header of ``screen/data/<name>`` and its data rows with their line numbers, each
    as many cells as the header (trailing optional columns may be left off); a row with more
    is a :class:`TableError`."""
    text = resources.files("screen.names").joinpath("data", name).read_text(encoding="utf-8")
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    for line_number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            continue
        if len(cells) < len(header):
            cells += [""] * (len(header) - len(cells))
        if len(cells) > len(header):
            raise TableError(f"{name}:{line_number}: {len(cells)} cells, header has {len(header)}")
        rows.append((line_number, cells))
    return header or [], rows


@cache
def legal_forms() -> tuple[TableRow, ...]:
    """``variant, canonical, language, source[, note]``: legal-form spellings and their class."""
    return read_table("legal_forms.tsv")


@cache
def branch_words() -> tuple[TableRow, ...]:
    """``word, language, source``: words naming a branch or an office of an organisation."""
    return read_table("branch_words.tsv")


@cache
def legal_form_classes() -> tuple[TableRow, ...]:
    """``canonical, family, description, source``: what each legal-form class code means."""
    return read_table("legal_form_classes.tsv")


@cache
def han_terms() -> tuple[TableRow, ...]:
    """``han, english, kind, source``: generic words of Chinese names, rendered in English."""
    return read_table("han_terms.tsv")


@cache
def wade_giles() -> tuple[TableRow, ...]:
    """``wade_giles, pinyin, source``: Wade-Giles syllables and their pinyin."""
    return read_table("wade_giles.tsv")


@cache
def place_romanisations() -> tuple[TableRow, ...]:
    """``variant, pinyin, system, source``: older romanisations of Chinese place names."""
    return read_table("place_romanisations.tsv")


@cache
def abbreviations() -> tuple[TableRow, ...]:
    """``abbreviation, expansion, language, source``: abbreviations common in organisation names."""
    return read_table("abbreviations.tsv")


@cache
def term_translations() -> tuple[TableRow, ...]:
    """``term, english, language, source``: generic organisation words in other languages."""
    return read_table("term_translations.tsv")


@cache
def name_parts() -> tuple[TableRow, ...]:
    """``form, match, language, source``: endings and words that mark a patronymic."""
    return read_table("name_parts.tsv")


@cache
def places() -> tuple[TableRow, ...]:
    """``place, kind, source``: countries, capitals and large cities (GeoNames)."""
    return read_table("places.tsv")
def romanisation_rules() -> tuple[TableRow, ...]:
    """``conventions, where, match, replacement, optional, source``: how national conventions
    write Russian names, read back into the lists' spelling."""
    return read_table("romanisation_rules.tsv")


@cache
def romanisation_signals() -> tuple[TableRow, ...]:
    """``conventions, where, match, weight, source``: what shows a word is written in one of
    those conventions."""
    return read_table("romanisation_signals.tsv")


@cache
def latin_letters() -> tuple[TableRow, ...]:
    """``letter, reading, languages, source``: Latin letters with a diacritic read as digraphs."""
    return read_table("latin_letters.tsv")


@cache
def letter_stand_ins() -> tuple[TableRow, ...]:
    """``character, letters, source``: digits and symbols written for letters inside words."""
    return read_table("letter_stand_ins.tsv")
def hangul_romanisation() -> tuple[TableRow, ...]:
    """``jamo, position, context, rr, mr, mr_voiced, kp, source``: Hangul letters romanised."""
    return read_table("hangul_romanisation.tsv")


@cache
def korean_surnames() -> tuple[TableRow, ...]:
    """``hangul, hanja, spelling, source``: Korean surnames and their customary spellings."""
    return read_table("korean_surnames.tsv")


@cache
def kana_hepburn() -> tuple[TableRow, ...]:
    """``kana, hepburn, foreign, source``: Japanese kana in Hepburn romanisation."""
    return read_table("kana_hepburn.tsv")


@cache
def unihan_readings() -> tuple[tuple[str, ...], ...]:
    """``han, hangul, japanese_on`` of each row of ``han, hangul, japanese_on, source``: Korean
    and Sino-Japanese readings of Han characters (Unihan; ``-`` for none)."""
    return read_columns("unihan_readings.tsv", ("han", "hangul", "japanese_on"))
