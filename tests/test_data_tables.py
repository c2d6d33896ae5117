"""Format checks for the TSV data tables shipped in ``src/screen/data``.

Each table is UTF-8, tab-separated, ``#`` lines are comments, the first other line is the
header, and every row names a source key that ``data/README.md`` explains.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

DATA_DIR = Path(__file__).resolve().parents[1] / "src" / "screen" / "names" / "data"


@dataclass(frozen=True)
class TableSpec:
    """What one table must look like."""

    name: str
    columns: tuple[str, ...]
    key: tuple[str, ...]
    optional: frozenset[str] = frozenset()
    allowed: tuple[tuple[str, frozenset[str]], ...] = ()


TABLES = (
    TableSpec(
        "legal_forms.tsv",
        ("variant", "canonical", "language", "source", "note"),
        key=("variant", "canonical"),
        optional=frozenset({"note"}),
        allowed=(("note", frozenset({"", "word"})),),
    ),
    TableSpec(
        "legal_form_classes.tsv",
        ("canonical", "family", "description", "source"),
        key=("canonical",),
        allowed=(("family", frozenset({"company", "partnership", "state_body", "nonprofit"})),),
    ),
    TableSpec(
        "han_terms.tsv",
        ("han", "english", "kind", "source"),
        key=("han", "english"),
        allowed=(("kind", frozenset({"generic", "legal_form", "place", "name"})),),
    ),
    TableSpec(
        "wade_giles.tsv",
        ("wade_giles", "pinyin", "source"),
        key=("wade_giles",),
    ),
    TableSpec(
        "place_romanisations.tsv",
        ("variant", "pinyin", "system", "source"),
        key=("variant",),
        allowed=(("system", frozenset({"postal", "wade-giles", "conventional", "exonym"})),),
    ),
    TableSpec(
        "abbreviations.tsv",
        ("abbreviation", "expansion", "language", "source"),
        key=("abbreviation", "expansion", "language"),
    ),
    TableSpec(
        "term_translations.tsv",
        ("term", "english", "language", "source"),
        key=("term", "english"),
    ),
    TableSpec(
        "name_parts.tsv",
        ("form", "match", "language", "source"),
        key=("form",),
        allowed=(("match", frozenset({"ending", "word"})),),
    ),
    TableSpec(
        "branch_words.tsv",
        ("word", "language", "source"),
        key=("word",),
    ),
    TableSpec(
        "places.tsv",
        ("place", "kind", "source"),
        key=("place",),
        allowed=(("kind", frozenset({"country", "city"})),),
    ),
    TableSpec(
        "romanisation_rules.tsv",
        ("conventions", "where", "match", "replacement", "optional", "source"),
        key=("conventions", "where", "match", "replacement"),
        optional=frozenset({"replacement", "optional"}),
        allowed=(("optional", frozenset({"", "yes"})),),
    ),
    TableSpec(
        "romanisation_signals.tsv",
        ("conventions", "where", "match", "weight", "source"),
        key=("conventions", "where", "match"),
        allowed=(("weight", frozenset({"1", "2"})),),
    ),
    TableSpec(
        "latin_letters.tsv",
        ("letter", "reading", "languages", "source"),
        key=("letter",),
    ),
    TableSpec(
        "letter_stand_ins.tsv",
        ("character", "letters", "source"),
        key=("character",),
    ),
    TableSpec(
        "hangul_romanisation.tsv",
        ("jamo", "position", "context", "rr", "mr", "mr_voiced", "kp", "source"),
        key=("jamo", "position", "context"),
        optional=frozenset({"context"}),
        allowed=(("position", frozenset({"initial", "vowel", "final"})),),
    ),
    TableSpec(
        "korean_surnames.tsv",
        ("hangul", "hanja", "spelling", "source"),
        key=("hangul", "spelling"),
    ),
    TableSpec(
        "kana_hepburn.tsv",
        ("kana", "hepburn", "foreign", "source"),
        key=("kana",),
        optional=frozenset({"foreign"}),
    ),
    TableSpec(
        "unihan_readings.tsv",
        ("han", "hangul", "japanese_on", "source"),
        key=("han",),
    ),
)


def _rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Return the header and the (line number, cells) of each data row."""
    text = path.read_bytes().decode("utf-8")  # raises on anything that is not UTF-8
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
        else:
            rows.append((number, cells))
    assert header is not None, f"{path.name}: no header line"
    return header, rows


def _documented_sources() -> set[str]:
    """Source keys explained in data/README.md (rows of its source table: `| `key` | ...`)."""
    readme = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    return set(re.findall(r"^\|\s*`([a-z0-9-]+)`\s*\|", readme, flags=re.MULTILINE))


@pytest.mark.parametrize("spec", TABLES, ids=lambda spec: spec.name)
def test_table_is_well_formed(spec: TableSpec) -> None:
    """Columns, keys, required cells, whitespace and sources of one table."""
    header, rows = _rows(DATA_DIR / spec.name)
    assert tuple(header) == spec.columns, f"{spec.name}: header {header}"
    assert rows, f"{spec.name}: no rows"
    sources = _documented_sources()
    index = {name: position for position, name in enumerate(spec.columns)}
    seen: dict[tuple[str, ...], int] = {}
    for number, cells in rows:
        where = f"{spec.name}:{number}"
        assert len(cells) == len(spec.columns), f"{where}: {len(cells)} cells"
        for name, cell in zip(spec.columns, cells, strict=True):
            assert cell == cell.strip(), f"{where}: whitespace around {name!r}"
            assert "  " not in cell, f"{where}: double space in {name!r}"
            if name not in spec.optional:
                assert cell, f"{where}: empty {name!r}"
        for name, values in spec.allowed:
            assert cells[index[name]] in values, f"{where}: bad {name} {cells[index[name]]!r}"
        for source in cells[index["source"]].split(","):
            assert source in sources, f"{where}: source {source!r} not in data/README.md"
        key = tuple(cells[index[name]].casefold() for name in spec.key)
        assert key not in seen, f"{where}: duplicate of line {seen[key]}"
        seen[key] = number


def test_legal_form_classes_cover_legal_forms() -> None:
    """Every class used in legal_forms.tsv is described in legal_form_classes.tsv."""
    _, forms = _rows(DATA_DIR / "legal_forms.tsv")
    _, classes = _rows(DATA_DIR / "legal_form_classes.tsv")
    described = {cells[0] for _, cells in classes}
    for number, cells in forms:
        assert cells[1] in described, f"legal_forms.tsv:{number}: class {cells[1]!r}"


def test_read_columns_gives_read_tables_cells() -> None:
    """The lean reader of the large Unihan table gives the rows the general reader gives, and
    refuses a column the table lacks."""
    from screen.names import tables

    columns = ("han", "hangul", "japanese_on")
    rows = tables.read_table("unihan_readings.tsv")
    assert tables.read_columns("unihan_readings.tsv", columns) == tuple(
        tuple(row[column] for column in columns) for row in rows
    )
    with pytest.raises(tables.TableError, match="no column pinyin"):
        tables.read_columns("unihan_readings.tsv", ("han", "pinyin"))
