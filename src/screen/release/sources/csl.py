"""Converter for trade.gov's Consolidated Screening List CSV (``consolidated.csv``).

One CSV row becomes one :class:`~screen.release.models.ListEntry`. Multi-valued columns
(``alt_names``, ``addresses``, ``programs``, ``dates_of_birth`` ...) are ``;``-separated; each
part is kept as published, only surrounding whitespace is stripped. ``addresses`` end in an ISO
alpha-2 country code, which becomes the address's ``country``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from screen.release.models import (
    SOURCE_LIST_TITLES,
    Address,
    Alias,
    EntityType,
    ListEntry,
    SourceList,
    SourceRef,
)
from screen.release.sources.common import (
    SourceError,
    SourceFile,
    clean,
    read_csv_rows,
    split_semicolons,
    unique,
)

__all__ = ["CSL_COLUMNS", "CslRecord", "convert_row", "parse_csl", "source_list_for_title"]

CSL_COLUMNS: tuple[str, ...] = (
    "_id",
    "source",
    "entity_number",
    "type",
    "programs",
    "name",
    "title",
    "addresses",
    "federal_register_notice",
    "start_date",
    "end_date",
    "standard_order",
    "license_requirement",
    "license_policy",
    "call_sign",
    "vessel_type",
    "gross_tonnage",
    "gross_registered_tonnage",
    "vessel_flag",
    "vessel_owner",
    "remarks",
    "source_list_url",
    "alt_names",
    "citizenships",
    "dates_of_birth",
    "nationalities",
    "places_of_birth",
    "source_information_url",
    "ids",
)
"""The header of the CSL CSV, identical in the 2022 and the 2025 files."""

_TYPES = {
    "Individual": EntityType.INDIVIDUAL,
    "Entity": EntityType.ENTITY,
    "Vessel": EntityType.VESSEL,
    "Aircraft": EntityType.AIRCRAFT,
}
_TITLE_TO_LIST = {title: code for code, title in SOURCE_LIST_TITLES.items()}
_CODE_IN_TITLE = re.compile(r"\(([A-Z][A-Z-]*?)(?: List)?\)")
_ISO2 = re.compile(r"^[A-Z]{2}$")
_VESSEL_FIELDS = (
    ("call_sign", "Call Sign"),
    ("vessel_type", "Vessel Type"),
    ("gross_tonnage", "Gross Tonnage"),
    ("gross_registered_tonnage", "Gross Registered Tonnage"),
    ("vessel_flag", "Vessel Flag"),
    ("vessel_owner", "Vessel Owner"),
)


@dataclass(frozen=True)
class CslRecord:
    """A converted CSL row with the row facts needed to merge two CSL snapshots."""

    entry: ListEntry
    line: int
    csl_id: str
    entity_number: str | None
    address_text: str | None
    """The ``addresses`` column as published, used to tell apart entries with the same name."""


def source_list_for_title(title: str) -> SourceList | None:
    """The list code for a CSL ``source`` title (exact title, else the code in parentheses)."""
    title = title.strip()
    if title in _TITLE_TO_LIST:
        return _TITLE_TO_LIST[title]
    match = _CODE_IN_TITLE.search(title)
    if match is None:
        return None
    try:
        return SourceList(match.group(1))
    except ValueError:
        return None


def _date(value: str, source: SourceFile, line: int, column: str) -> dt.date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise SourceError(
            source.name, line, f"column {column}: not an ISO date: {value!r}"
        ) from exc


def _address(text: str) -> Address:
    country = text.rsplit(",", 1)[-1].strip()
    return Address(text=text, country=country if _ISO2.match(country) else None)


def _codes(value: str) -> list[str]:
    return [part for part in split_semicolons(value) if _ISO2.match(part)]


def convert_row(source: SourceFile, line: int, row: dict[str, str]) -> CslRecord:
    """Convert one CSL row (column name -> value, as in the CSV) read from ``line`` of
    ``source``; a value it cannot take is a :class:`SourceError` naming the line."""
    code = source_list_for_title(row["source"])
    if code is None:
        raise SourceError(source.name, line, f"column source: unknown list {row['source']!r}")
    name = clean(row["name"])
    if name is None:
        raise SourceError(source.name, line, "column name: empty")
    csl_id = row["_id"].strip()
    entity_number = clean(row["entity_number"])
    # SDN rows are keyed by OFAC's ent_num so that CSL- and OFAC-built releases share ids.
    key = entity_number if code is SourceList.SDN and entity_number else csl_id
    if not key:
        raise SourceError(source.name, line, "column _id: empty")
    raw_type = row["type"].strip()
    if raw_type and raw_type not in _TYPES:
        raise SourceError(source.name, line, f"column type: unknown type {raw_type!r}")
    addresses = tuple(_address(part) for part in split_semicolons(row["addresses"]))
    countries = unique(
        [a.country for a in addresses if a.country]
        + _codes(row["nationalities"])
        + _codes(row["citizenships"])
    )
    aliases = tuple(Alias(name=alias) for alias in unique(split_semicolons(row["alt_names"])))
    notice = clean(row["federal_register_notice"])
    vessel = [
        f"{label}: {value}"
        for column, label in _VESSEL_FIELDS
        if (value := clean(row[column])) is not None
    ]
    url = clean(row["source_information_url"]) or clean(row["source_list_url"])
    entry = ListEntry(
        id=f"{code.value}-{key}",
        source_list=code,
        entity_type=_TYPES.get(raw_type),
        name=name,
        aliases=aliases,
        addresses=addresses,
        countries=countries,
        programs=tuple(split_semicolons(row["programs"])),
        title=clean(row["title"]),
        license_requirement=clean(row["license_requirement"]),
        license_policy=clean(row["license_policy"]),
        federal_register=(notice,) if notice else (),
        start_date=_date(row["start_date"], source, line, "start_date"),
        end_date=_date(row["end_date"], source, line, "end_date"),
        dates_of_birth=tuple(split_semicolons(row["dates_of_birth"])),
        places_of_birth=tuple(split_semicolons(row["places_of_birth"])),
        identifiers=(*split_semicolons(row["ids"]), *vessel),
        remarks=clean(row["remarks"]),
        source=SourceRef(
            file=source.name, record=f"line {line}, _id {csl_id}", date=source.date, url=url
        ),
    )
    return CslRecord(
        entry=entry,
        line=line,
        csl_id=csl_id,
        entity_number=entity_number,
        address_text=clean(row["addresses"]),
    )


def parse_csl(source: SourceFile) -> list[CslRecord]:
    """Convert every row of a CSL CSV file, in file order; any bad row is a :class:`SourceError`."""
    rows = read_csv_rows(source)
    if not rows:
        raise SourceError(source.name, 1, "empty file")
    header_line, header = rows[0]
    missing = [column for column in CSL_COLUMNS if column not in header]
    if missing:
        raise SourceError(source.name, header_line, f"header lacks columns {', '.join(missing)}")
    records = []
    for line, values in rows[1:]:
        if len(values) != len(header):
            raise SourceError(
                source.name, line, f"{len(values)} columns where the header has {len(header)}"
            )
        records.append(convert_row(source, line, dict(zip(header, values, strict=True))))
    return records
