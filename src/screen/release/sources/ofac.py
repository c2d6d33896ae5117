"""Converter for the legacy OFAC SDN CSV set: sdn.csv, alt.csv, add.csv, sdn_comments.csv.

Format (OFAC ``dat_spec.txt``): no header row, ``-0-`` means empty, CRLF line ends and a trailing
DOS end-of-file byte (0x1A). The files available here are pure ASCII; they are decoded as strict
UTF-8 so that any other byte is reported rather than guessed at.

``sdn.csv`` rows: ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type, Tonnage, GRT,
Vess_flag, Vess_owner, Remarks. An empty SDN_Type means an entity. Programs are written
``A] [B``. Remarks longer than 1,000 characters are cut there and continue in ``sdn_comments.csv``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from screen.release.models import (
    Address,
    Alias,
    AliasKind,
    EntityType,
    ListEntry,
    SourceList,
    SourceRef,
)
from screen.release.sources.common import SourceError, SourceFile, read_csv_rows, unique
from screen.release.sources.countries import country_code

__all__ = [
    "REMARKS_LIMIT",
    "WEAK_ALIAS_REMARK",
    "AddRow",
    "AltRow",
    "SdnRow",
    "UnknownCountries",
    "address_of",
    "alias_of",
    "read_add",
    "read_alt",
    "read_comments",
    "read_sdn",
    "remark_facts",
    "sdn_entry",
]

REMARKS_LIMIT = 1000
"""OFAC cuts ``sdn.csv`` remarks at this many characters; the rest is in ``sdn_comments.csv``."""

_TYPES = {
    None: EntityType.ENTITY,
    "individual": EntityType.INDIVIDUAL,
    "vessel": EntityType.VESSEL,
    "aircraft": EntityType.AIRCRAFT,
}
_ALIAS_KINDS = {"aka": AliasKind.AKA, "fka": AliasKind.FKA, "nka": AliasKind.NKA}
_VESSEL_FIELDS = ("Call Sign", "Vessel Type", "Tonnage", "GRT", "Vessel Flag", "Vessel Owner")
_WEAK_ALIAS = re.compile(r"^(a\.k\.a\.|f\.k\.a\.|n\.k\.a\.) '(.+)'$")
WEAK_ALIAS_REMARK = "weak (low-quality) alias, from the sdn.csv remarks"
"""Remarks of aliases taken from OFAC's remarks rather than ``alt.csv``."""
_ID_LABELS = re.compile(
    r"^(?:alt\. )?(?:Passport|National ID No\.|Registration Number|Tax ID No\.|SWIFT/BIC|"
    r"Vessel Registration Identification|MMSI|Aircraft Manufacturer's Serial Number|"
    r"Aircraft Tail Number|Identification Number|Business Registration Number|Company Number|"
    r"Cedula No\.|C\.U\.R\.P\.|R\.F\.C\.|NIT #|RUC #|Legal Entity Number|Digital Currency Address)"
)


def _value(raw: str) -> str | None:
    value = raw.strip()
    return None if value in ("", "-0-") else value


@dataclass(frozen=True)
class SdnRow:
    """One row of ``sdn.csv``."""

    line: int
    ent_num: int
    name: str
    sdn_type: str | None
    programs: tuple[str, ...]
    title: str | None
    vessel: tuple[str | None, ...]
    remarks: str | None


@dataclass(frozen=True)
class AltRow:
    """One row of ``alt.csv``."""

    line: int
    ent_num: int
    alt_num: int
    alt_type: str
    name: str
    remarks: str | None


@dataclass(frozen=True)
class AddRow:
    """One row of ``add.csv``."""

    line: int
    ent_num: int
    add_num: int
    address: str | None
    city: str | None
    country: str | None
    remarks: str | None


@dataclass
class UnknownCountries:
    """Country names met in addresses or remarks that have no ISO code (reported by the build)."""

    names: dict[str, int] = field(default_factory=dict)

    def code(self, name: str | None) -> str | None:
        """The ISO code of ``name``, recording the name when it has none."""
        code = country_code(name)
        if code is None and name:
            self.names[name] = self.names.get(name, 0) + 1
        return code


def _rows(source: SourceFile, width: int) -> list[tuple[int, list[str]]]:
    rows = read_csv_rows(source, strip_eof=True)
    for line, values in rows:
        if len(values) != width:
            raise SourceError(source.name, line, f"{len(values)} fields, expected {width}")
    return rows


def _int(raw: str, source: SourceFile, line: int, column: str) -> int:
    try:
        return int(raw.strip())
    except ValueError as exc:
        raise SourceError(source.name, line, f"{column}: not a number: {raw!r}") from exc


def read_sdn(source: SourceFile) -> dict[int, SdnRow]:
    """All rows of an ``sdn.csv`` by ent_num; a duplicate ent_num is an error."""
    rows: dict[int, SdnRow] = {}
    for line, values in _rows(source, 12):
        ent_num = _int(values[0], source, line, "ent_num")
        name = _value(values[1])
        if name is None:
            raise SourceError(source.name, line, "SDN_Name: empty")
        if ent_num in rows:
            raise SourceError(source.name, line, f"ent_num {ent_num} repeated")
        sdn_type = _value(values[2])
        if (sdn_type.lower() if sdn_type else None) not in _TYPES:
            raise SourceError(source.name, line, f"SDN_Type: unknown {sdn_type!r}")
        program = _value(values[3])
        rows[ent_num] = SdnRow(
            line=line,
            ent_num=ent_num,
            name=name,
            sdn_type=sdn_type,
            programs=tuple(p.strip() for p in program.split("] [")) if program else (),
            title=_value(values[4]),
            vessel=tuple(_value(v) for v in values[5:11]),
            remarks=_value(values[11]),
        )
    return rows


def read_alt(source: SourceFile) -> dict[int, list[AltRow]]:
    """All rows of an ``alt.csv`` grouped by ent_num, each group ordered by alt_num."""
    groups: dict[int, list[AltRow]] = {}
    for line, values in _rows(source, 5):
        name = _value(values[3])
        if name is None:
            raise SourceError(source.name, line, "alt_name: empty")
        alt_type = (_value(values[2]) or "aka").lower()
        if alt_type not in _ALIAS_KINDS:
            raise SourceError(source.name, line, f"alt_type: unknown {alt_type!r}")
        row = AltRow(
            line=line,
            ent_num=_int(values[0], source, line, "ent_num"),
            alt_num=_int(values[1], source, line, "alt_num"),
            alt_type=alt_type,
            name=name,
            remarks=_value(values[4]),
        )
        groups.setdefault(row.ent_num, []).append(row)
    for group in groups.values():
        group.sort(key=lambda row: row.alt_num)
    return groups


def read_add(source: SourceFile) -> dict[int, list[AddRow]]:
    """All rows of an ``add.csv`` grouped by ent_num, each group ordered by add_num."""
    groups: dict[int, list[AddRow]] = {}
    for line, values in _rows(source, 6):
        row = AddRow(
            line=line,
            ent_num=_int(values[0], source, line, "ent_num"),
            add_num=_int(values[1], source, line, "add_num"),
            address=_value(values[2]),
            city=_value(values[3]),
            country=_value(values[4]),
            remarks=_value(values[5]),
        )
        groups.setdefault(row.ent_num, []).append(row)
    for group in groups.values():
        group.sort(key=lambda row: row.add_num)
    return groups


def read_comments(source: SourceFile) -> dict[int, tuple[int, str]]:
    """``sdn_comments.csv``: ent_num -> (line, continuation of that entry's remarks)."""
    comments: dict[int, tuple[int, str]] = {}
    for line, values in _rows(source, 2):
        text = values[1]
        if text.strip() in ("", "-0-"):
            continue
        comments[_int(values[0], source, line, "ent_num")] = (line, text)
    return comments


def alias_of(row: AltRow) -> Alias:
    """The alias an ``alt.csv`` row publishes."""
    return Alias(name=row.name, kind=_ALIAS_KINDS[row.alt_type], remarks=row.remarks)


def address_of(row: AddRow, countries: UnknownCountries) -> Address | None:
    """The address an ``add.csv`` row publishes; None for OFAC's all-empty placeholder rows."""
    parts = [part for part in (row.address, row.city, row.country) if part]
    if not parts:
        return None
    text = ", ".join(parts)
    if row.remarks:
        text = f"{text} ({row.remarks})"
    return Address(text=text, country=countries.code(row.country))


@dataclass(frozen=True)
class RemarkFacts:
    """Facts stated in an SDN entry's remarks, split out so the matcher can use them."""

    dates_of_birth: tuple[str, ...]
    places_of_birth: tuple[str, ...]
    countries: tuple[str, ...]
    identifiers: tuple[str, ...]
    weak_aliases: tuple[Alias, ...]
    """OFAC publishes low-quality ("weak") a.k.a.s only in the remarks, as ``a.k.a. 'NAME'``."""


def remark_facts(remarks: str | None, countries: UnknownCountries) -> RemarkFacts:
    """Split DOB, POB, nationality / citizenship, id numbers and weak aliases out of remarks.

    The remarks themselves are kept as published; this only copies facts into typed fields.
    """
    births: list[str] = []
    places: list[str] = []
    codes: list[str] = []
    identifiers: list[str] = []
    weak: list[Alias] = []
    for segment in (remarks or "").split(";"):
        text = segment.strip().removesuffix(".")
        bare = text.removeprefix("alt. ")
        if alias := _WEAK_ALIAS.match(text):
            # A segment cut off by the 1,000-character limit has no closing quote: not a name.
            kind = _ALIAS_KINDS[alias.group(1).replace(".", "")]
            weak.append(Alias(name=alias.group(2), kind=kind, remarks=WEAK_ALIAS_REMARK))
        elif bare.startswith("DOB "):
            births.append(bare[4:].strip())
        elif bare.startswith("POB "):
            places.append(bare[4:].strip())
        elif bare.startswith(("nationality ", "citizen ")):
            code = countries.code(bare.split(" ", 1)[1])
            if code:
                codes.append(code)
        elif _ID_LABELS.match(text):
            identifiers.append(text)
    return RemarkFacts(
        unique(births), unique(places), unique(codes), unique(identifiers), tuple(weak)
    )


def sdn_entry(
    row: SdnRow,
    *,
    sdn_source: SourceFile,
    aliases: list[AltRow],
    addresses: list[AddRow],
    record_notes: list[str],
    remarks: str | None,
    countries: UnknownCountries,
    source_list: SourceList = SourceList.SDN,
) -> ListEntry:
    """The entry for one ``sdn.csv`` row, with its aliases, addresses and final remarks.

    ``source_list`` is the list it is an entry of: OFAC's consolidated non-SDN files have the
    layout of the SDN files, so their rows are converted here too (id ``<LIST>-<ent_num>``).
    """
    converted = [address_of(add, countries) for add in addresses]
    address_list = tuple(a for a in converted if a is not None)
    facts = remark_facts(remarks, countries)
    vessel = [
        f"{label}: {value}"
        for label, value in zip(_VESSEL_FIELDS, row.vessel, strict=True)
        if value
    ]
    record = "; ".join([f"ent_num {row.ent_num}, line {row.line}", *record_notes])
    return ListEntry(
        id=f"{source_list.value}-{row.ent_num}",
        source_list=source_list,
        entity_type=_TYPES.get(row.sdn_type.lower() if row.sdn_type else None),
        name=row.name,
        aliases=_unique_aliases([*(alias_of(alt) for alt in aliases), *facts.weak_aliases]),
        addresses=address_list,
        countries=unique([a.country for a in address_list if a.country] + list(facts.countries)),
        programs=row.programs,
        title=row.title,
        dates_of_birth=facts.dates_of_birth,
        places_of_birth=facts.places_of_birth,
        identifiers=(*facts.identifiers, *vessel),
        remarks=remarks,
        source=SourceRef(
            file=sdn_source.name, record=record, date=sdn_source.date, url=sdn_source.url
        ),
    )


def _unique_aliases(aliases: Iterable[Alias]) -> tuple[Alias, ...]:
    seen: dict[tuple[str, AliasKind], Alias] = {}
    for alias in aliases:
        seen.setdefault((alias.name, alias.kind), alias)
    return tuple(seen.values())
