"""Convert the chip-control sources into the release files ``chips/rules.json`` and ``chips.json``.

Inputs: from the source directory ``chips/`` the known-chip table ``chips.csv`` and the research
notes ``rules.md`` and ``worked_examples.md`` (which the hand-maintained tables quote); from this
package the cited rule table ``chip_rules.json`` and the per-chip additions
``chip_supplements.json``. The output bytes depend on nothing else, so the same inputs always give
byte-identical files.

Checks that make a build fail rather than ship a wrong figure: every TPP equals dense TOPS x bit
length, every performance density matches TPP / die area to its two decimals, every text marked
``quoted`` appears verbatim in ``rules.md``, every caveat and I/O quote appears verbatim in the file
it names, and ``rules.md`` is the version the rule table was reviewed against.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from screen.chips.models import (
    Chip,
    ChipNotice,
    ChipTable,
    IoFigure,
    PrecisionFigure,
    RuleBook,
    SourceFileRef,
)
from screen.release.sources.common import SourceError

__all__ = [
    "CHIPS_CSV",
    "CSV_COLUMNS",
    "RULES_MD",
    "RULE_TABLE",
    "SUPPLEMENTS",
    "WORKED_EXAMPLES_MD",
    "ChipSourceError",
    "convert_chips",
    "dump_json",
]

CHIPS_CSV = "chips/chips.csv"
RULES_MD = "chips/rules.md"
WORKED_EXAMPLES_MD = "chips/worked_examples.md"
RULE_TABLE = Path(__file__).with_name("chip_rules.json")
"""The hand-maintained, cited rule table (thresholds per rule version)."""
SUPPLEMENTS = Path(__file__).with_name("chip_supplements.json")
"""Hand-maintained per-chip additions: I/O rates, quoted caveats, notices outside the ECCNs."""

CSV_COLUMNS = (
    "chip",
    "vendor",
    "announced",
    "precision_for_tpp",
    "dense_tops_at_that_precision",
    "bit_length",
    "tpp",
    "die_area_mm2",
    "performance_density",
    "datacenter",
    "likely_eccn",
    "source_urls",
    "notes",
)

_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
_FIGURE = re.compile(r"^(?P<value>\d+(?:\.\d+)?)(?:\s*\((?P<label>[^()]+)\))?$")
_MULTI = re.compile(r"\s+/\s+")
# The table states densities to two decimals, so the exact quotient may differ by half a unit.
_PD_TOLERANCE = Decimal("0.005")


class ChipSourceError(SourceError):
    """A chip source cannot be converted; names the file, the line and the field.

    A :class:`~screen.release.sources.common.SourceError`, so the list build reports it like any
    other.
    """

    def __init__(self, file: str, line: int | None, message: str, field: str | None = None) -> None:
        super().__init__(file, line, f"field {field!r}: {message}" if field else message)
        self.field = field


def convert_chips(
    chips_dir: Path, *, rule_table: Path = RULE_TABLE, supplements: Path = SUPPLEMENTS
) -> dict[str, bytes]:
    """Build the chip release files from ``chips_dir`` (the ``chips/`` source directory).

    Returns ``{"chips/rules.json": ..., "chips/chips.json": ...}``: paths relative to the release
    directory and their exact bytes. Raises :class:`ChipSourceError` on any bad input.
    """
    csv_bytes = _read(chips_dir / "chips.csv", CHIPS_CSV)
    rules_md = _read(chips_dir / "rules.md", RULES_MD)
    examples_md = _read(chips_dir / "worked_examples.md", WORKED_EXAMPLES_MD)
    texts = {
        CHIPS_CSV: _decode(csv_bytes, CHIPS_CSV),
        RULES_MD: _decode(rules_md, RULES_MD),
        WORKED_EXAMPLES_MD: _decode(examples_md, WORKED_EXAMPLES_MD),
    }
    table_name = f"screen/sources/{rule_table.name}"
    supplements_name = f"screen/sources/{supplements.name}"
    table_bytes = _read(rule_table, table_name)
    supplements_bytes = _read(supplements, supplements_name)

    rows = _parse_csv(texts[CHIPS_CSV])
    raw_rules = _load_json(table_bytes, table_name)
    _check_reviewed(raw_rules, rules_md, table_name)
    _check_quotes(raw_rules, texts[RULES_MD], table_name)

    rule_sources = (
        _ref(RULES_MD, rules_md),
        _ref(table_name, table_bytes),
    )
    rulebook = _build_rulebook(raw_rules, rule_sources, table_name)

    chips = [_chip_from_row(line, row) for line, row in rows]
    chips = _apply_supplements(
        chips, _load_json(supplements_bytes, supplements_name), texts, supplements_name
    )
    chip_sources = (
        _ref(CHIPS_CSV, csv_bytes, records=len(chips)),
        _ref(WORKED_EXAMPLES_MD, examples_md),
        _ref(supplements_name, supplements_bytes),
    )
    try:
        table = ChipTable(format="screen.chips/1", sources=chip_sources, chips=tuple(chips))
    except ValidationError as exc:
        raise ChipSourceError(CHIPS_CSV, None, _first_error(exc)) from exc
    return {"chips/rules.json": dump_json(rulebook), "chips/chips.json": dump_json(table)}


def dump_json(model: RuleBook | ChipTable) -> bytes:
    """Deterministic UTF-8 JSON of a release model: field order as declared, LF, final newline."""
    text = json.dumps(model.model_dump(mode="json"), ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")


def _read(path: Path, name: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ChipSourceError(name, None, f"cannot read source file: {exc.strerror}") from exc


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ChipSourceError(
            name, line, f"not valid UTF-8 (byte 0x{data[exc.start]:02x})"
        ) from exc


def _ref(name: str, data: bytes, records: int | None = None) -> SourceFileRef:
    return SourceFileRef(name=name, sha256=hashlib.sha256(data).hexdigest(), records=records)


def _load_json(data: bytes, name: str) -> dict[str, Any]:
    try:
        loaded = json.loads(_decode(data, name))
    except json.JSONDecodeError as exc:
        raise ChipSourceError(name, exc.lineno, f"invalid JSON: {exc.msg}") from exc
    if not isinstance(loaded, dict):
        raise ChipSourceError(name, None, "expected a JSON object at the top level")
    return loaded


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    return f"{where}: {error['msg']}" if where else str(error["msg"])


# ---- the rule table -------------------------------------------------------------------------


def _check_reviewed(raw: Mapping[str, Any], rules_md: bytes, table_name: str) -> None:
    reviewed = raw.get("reviewed_against")
    if not isinstance(reviewed, dict) or reviewed.get("file") != RULES_MD:
        raise ChipSourceError(table_name, None, f"reviewed_against must name {RULES_MD}")
    actual = hashlib.sha256(rules_md).hexdigest()
    if reviewed.get("sha256") != actual:
        raise ChipSourceError(
            table_name,
            None,
            f"{RULES_MD} changed since the rule table was reviewed (sha256 {actual}, reviewed "
            f"{reviewed.get('sha256')}): re-check the table against it, then update "
            "reviewed_against",
        )


def _squash(text: str) -> str:
    """Text with markdown block-quote markers and line breaks folded into single spaces."""
    lines = (re.sub(r"^\s*>\s?", "", line) for line in text.splitlines())
    return re.sub(r"\s+", " ", " ".join(lines)).strip()


def _cited_texts(node: Any, path: str = "") -> Iterator[tuple[str, Mapping[str, Any]]]:
    if isinstance(node, dict):
        if isinstance(node.get("text"), str) and "verification" in node:
            yield path, node
        for key, value in node.items():
            yield from _cited_texts(value, f"{path}.{key}" if path else key)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _cited_texts(value, f"{path}[{index}]")


def _check_quotes(raw: Mapping[str, Any], rules_md: str, table_name: str) -> None:
    haystack = _squash(rules_md)
    for path, cited in _cited_texts(raw):
        if cited["verification"] == "quoted" and _squash(cited["text"]) not in haystack:
            raise ChipSourceError(
                table_name, None, f"text marked 'quoted' is not verbatim in {RULES_MD}", path
            )


def _build_rulebook(
    raw: Mapping[str, Any], sources: tuple[SourceFileRef, ...], table_name: str
) -> RuleBook:
    fields = {key: value for key, value in raw.items() if key not in {"format", "reviewed_against"}}
    try:
        return RuleBook.model_validate(
            {"format": "screen.chip-rules/1", "sources": sources, **fields}
        )
    except ValidationError as exc:
        raise ChipSourceError(table_name, None, _first_error(exc)) from exc


# ---- the chip table -------------------------------------------------------------------------


def _parse_csv(text: str) -> list[tuple[int, dict[str, str]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, dict[str, str]]] = []
    line = 1
    try:
        header = next(reader, None)
        if header is None or tuple(header) != CSV_COLUMNS:
            raise ChipSourceError(
                CHIPS_CSV, 1, f"header must be {','.join(CSV_COLUMNS)}, found {header}"
            )
        line = reader.line_num + 1
        for row in reader:
            if not any(cell.strip() for cell in row):
                line = reader.line_num + 1
                continue
            if len(row) != len(CSV_COLUMNS):
                raise ChipSourceError(
                    CHIPS_CSV, line, f"expected {len(CSV_COLUMNS)} columns, found {len(row)}"
                )
            rows.append((line, dict(zip(CSV_COLUMNS, row, strict=True))))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise ChipSourceError(CHIPS_CSV, line, f"malformed CSV: {exc}") from exc
    return rows


def _cell(row: Mapping[str, str], column: str) -> str | None:
    value = row[column].strip()
    return value or None


def _number(row: Mapping[str, str], column: str, line: int) -> Decimal | None:
    value = _cell(row, column)
    if value is None:
        return None
    if not _NUMBER.match(value):
        raise ChipSourceError(CHIPS_CSV, line, f"not a plain decimal number: {value!r}", column)
    return Decimal(value)


def _split(value: str) -> list[str]:
    return _MULTI.split(value)


def _figures(row: Mapping[str, str], line: int) -> tuple[PrecisionFigure, ...]:
    dense = _cell(row, "dense_tops_at_that_precision")
    bits = _cell(row, "bit_length")
    precision = _cell(row, "precision_for_tpp")
    if dense is None or bits is None:
        if dense is not None or bits is not None:
            raise ChipSourceError(
                CHIPS_CSV,
                line,
                "dense_tops_at_that_precision and bit_length go together",
                "bit_length",
            )
        return ()
    dense_parts, bit_parts = _split(dense), _split(bits)
    labels = _split(precision) if precision and len(dense_parts) > 1 else [precision or "unstated"]
    if not len(dense_parts) == len(bit_parts) == len(labels):
        raise ChipSourceError(
            CHIPS_CSV,
            line,
            f"{len(dense_parts)} figures, {len(bit_parts)} bit lengths, {len(labels)} precisions",
            "dense_tops_at_that_precision",
        )
    figures = []
    for part, bit_part, label in zip(dense_parts, bit_parts, labels, strict=True):
        match = _FIGURE.match(part)
        if match is None:
            raise ChipSourceError(
                CHIPS_CSV, line, f"not a figure: {part!r}", "dense_tops_at_that_precision"
            )
        if match["label"] is not None and match["label"].strip() != label:
            raise ChipSourceError(
                CHIPS_CSV,
                line,
                f"figure labelled {match['label']!r} but precision is {label!r}",
                "dense_tops_at_that_precision",
            )
        if not bit_part.isdigit() or int(bit_part) == 0:
            raise ChipSourceError(CHIPS_CSV, line, f"not a bit length: {bit_part!r}", "bit_length")
        figures.append(
            PrecisionFigure(
                precision=label, dense_tops=Decimal(match["value"]), bit_length=int(bit_part)
            )
        )
    return tuple(figures)


def _datacenter(row: Mapping[str, str], line: int) -> bool | None:
    value = _cell(row, "datacenter")
    if value is None:
        return None
    if value.lower() not in {"yes", "no"}:
        raise ChipSourceError(CHIPS_CSV, line, f"expected yes or no, found {value!r}", "datacenter")
    return value.lower() == "yes"


def _sources(row: Mapping[str, str], line: int) -> tuple[str, ...]:
    value = _cell(row, "source_urls")
    if value is None:
        return ()
    parts = tuple(part.strip() for part in value.split(" ; "))
    if any(not part for part in parts):
        raise ChipSourceError(CHIPS_CSV, line, "empty source between ' ; '", "source_urls")
    return parts


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _chip_from_row(line: int, row: Mapping[str, str]) -> Chip:
    name = _cell(row, "chip")
    vendor = _cell(row, "vendor")
    if name is None or vendor is None:
        raise ChipSourceError(CHIPS_CSV, line, "chip and vendor are required", "chip")
    figures = _figures(row, line)
    tpp = _number(row, "tpp", line)
    area = _number(row, "die_area_mm2", line)
    density = _number(row, "performance_density", line)
    if figures and tpp is not None:
        highest = max(figure.tpp for figure in figures)
        if highest != tpp:
            raise ChipSourceError(
                CHIPS_CSV, line, f"tpp {tpp} != dense TOPS x bit length = {highest}", "tpp"
            )
    if density is not None and tpp is not None and area is not None:
        if area == 0:
            raise ChipSourceError(CHIPS_CSV, line, "die area must be positive", "die_area_mm2")
        if abs(tpp / area - density) > _PD_TOLERANCE:
            raise ChipSourceError(
                CHIPS_CSV,
                line,
                f"performance density {density} != tpp / die area = {tpp / area:.4f}",
                "performance_density",
            )
    try:
        return Chip(
            id=_slug(name),
            name=name,
            vendor=vendor,
            announced=_cell(row, "announced"),
            precision_for_tpp=_cell(row, "precision_for_tpp"),
            figures=figures,
            tpp=tpp,
            die_area_mm2=area,
            performance_density=density,
            datacenter=_datacenter(row, line),
            likely_eccn=_cell(row, "likely_eccn"),
            sources=_sources(row, line),
            notes=_cell(row, "notes"),
            source_line=line,
        )
    except ValidationError as exc:
        raise ChipSourceError(CHIPS_CSV, line, _first_error(exc)) from exc


# ---- supplements ----------------------------------------------------------------------------


def _apply_supplements(
    chips: list[Chip], raw: Mapping[str, Any], texts: Mapping[str, str], name: str
) -> list[Chip]:
    entries = raw.get("chips")
    if not isinstance(entries, list):
        raise ChipSourceError(name, None, "expected a list under 'chips'")
    by_name = {chip.name: index for index, chip in enumerate(chips)}
    seen: set[str] = set()
    result = list(chips)
    for number, entry in enumerate(entries):
        where = f"chips[{number}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("chip"), str):
            raise ChipSourceError(name, None, "each entry needs a 'chip' name", where)
        chip_name = entry["chip"]
        if chip_name not in by_name:
            raise ChipSourceError(
                name, None, f"no row of {CHIPS_CSV} is named {chip_name!r}", where
            )
        if chip_name in seen:
            raise ChipSourceError(name, None, f"{chip_name!r} appears twice", where)
        seen.add(chip_name)
        chip = result[by_name[chip_name]]
        quotable = " ".join(filter(None, (chip.notes, chip.likely_eccn)))
        for caveat in entry.get("caveats", []):
            if not isinstance(caveat, str) or caveat not in quotable:
                raise ChipSourceError(
                    name, None, f"caveat {caveat!r} is not verbatim in the row's notes", where
                )
        try:
            io_figure = IoFigure.model_validate(entry["io"]) if entry.get("io") else None
            notices = tuple(ChipNotice.model_validate(n) for n in entry.get("notices", []))
        except ValidationError as exc:
            raise ChipSourceError(name, None, _first_error(exc), where) from exc
        if io_figure is not None:
            _check_io_quote(io_figure, chip, texts, name, where)
        result[by_name[chip_name]] = chip.model_copy(
            update={"io": io_figure, "caveats": tuple(entry.get("caveats", [])), "notices": notices}
        )
    return result


def _check_io_quote(
    figure: IoFigure, chip: Chip, texts: Mapping[str, str], name: str, where: str
) -> None:
    if figure.quote_file == CHIPS_CSV:
        found = figure.quote in (chip.notes or "")
    elif figure.quote_file in texts:
        found = _squash(figure.quote) in _squash(texts[figure.quote_file])
    else:
        raise ChipSourceError(name, None, f"unknown quote_file {figure.quote_file!r}", where)
    if not found:
        raise ChipSourceError(
            name, None, f"I/O quote is not verbatim in {figure.quote_file}", f"{where}.io.quote"
        )
