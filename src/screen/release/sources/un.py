"""Converter for the UN Security Council Consolidated List XML (``consolidated.xml``).

Each ``INDIVIDUAL`` and ``ENTITY`` becomes one entry with source list ``UN``. The primary name joins
the name parts (FIRST_NAME ... FOURTH_NAME) in order; ``*_ALIAS`` names become aliases with the UN's
quality (``Good``, ``Low``, ``a.k.a.``, ``f.k.a.``) in their remarks; ``NAME_ORIGINAL_SCRIPT``
becomes an :attr:`~screen.release.models.AliasKind.ORIGINAL_SCRIPT` alias kept exactly as published.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from screen.release.models import (
    Address,
    Alias,
    AliasKind,
    EntityType,
    ListEntry,
    SourceList,
    SourceRef,
)
from screen.release.sources.common import SourceError, SourceFile, unique
from screen.release.sources.ofac import UnknownCountries

__all__ = ["generated_date", "parse_un"]

_NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
_ADDRESS_PARTS = ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY")


def _text(element: ET.Element | None) -> str | None:
    if element is None or element.text is None:
        return None
    text = " ".join(element.text.split())
    return text or None


def _values(record: ET.Element, tag: str) -> list[str]:
    return [v for group in record.findall(tag) for e in group.findall("VALUE") if (v := _text(e))]


def _parse(source: SourceFile) -> ET.Element:
    try:
        return ET.fromstring(source.data)
    except ET.ParseError as exc:
        raise SourceError(source.name, exc.position[0], f"malformed XML: {exc}") from exc


def generated_date(source: SourceFile) -> dt.date:
    """The ``dateGenerated`` of the list: the date of its data."""
    return _generated(_parse(source), source)


def _generated(root: ET.Element, source: SourceFile) -> dt.date:
    stamp = root.get("dateGenerated", "")
    try:
        return dt.date.fromisoformat(stamp[:10])
    except ValueError as exc:
        raise SourceError(source.name, 2, f"dateGenerated: not a date: {stamp!r}") from exc


def _aliases(record: ET.Element, tag: str) -> list[Alias]:
    aliases = []
    for alias in record.findall(tag):
        name = _text(alias.find("ALIAS_NAME"))
        if name is None:
            continue
        quality = _text(alias.find("QUALITY"))
        kind = AliasKind.FKA if quality == "f.k.a." else AliasKind.AKA
        aliases.append(
            Alias(name=name, kind=kind, remarks=f"quality: {quality}" if quality else None)
        )
    for script in record.findall("NAME_ORIGINAL_SCRIPT"):
        if name := _text(script):
            aliases.append(Alias(name=name, kind=AliasKind.ORIGINAL_SCRIPT))
    return aliases


def _addresses(record: ET.Element, tag: str, countries: UnknownCountries) -> list[Address]:
    addresses = []
    for address in record.findall(tag):
        parts = [p for part in _ADDRESS_PARTS if (p := _text(address.find(part)))]
        note = _text(address.find("NOTE"))
        if not parts:
            continue
        text = ", ".join(parts) + (f" ({note})" if note else "")
        addresses.append(Address(text=text, country=countries.code(_text(address.find("COUNTRY")))))
    return addresses


def _births(record: ET.Element) -> list[str]:
    dates = []
    for birth in record.findall("INDIVIDUAL_DATE_OF_BIRTH"):
        date = _text(birth.find("DATE")) or _text(birth.find("YEAR"))
        start, end = _text(birth.find("FROM_YEAR")), _text(birth.find("TO_YEAR"))
        if date:
            dates.append(date)
        elif start and end:
            dates.append(f"{start} to {end}")
    return dates


def _places(record: ET.Element) -> list[str]:
    places = []
    for place in record.findall("INDIVIDUAL_PLACE_OF_BIRTH"):
        parts = [
            p for tag in ("CITY", "STATE_PROVINCE", "COUNTRY") if (p := _text(place.find(tag)))
        ]
        if parts:
            places.append(", ".join(parts))
    return places


def _documents(record: ET.Element) -> list[str]:
    documents = []
    for doc in record.findall("INDIVIDUAL_DOCUMENT"):
        kind, number = _text(doc.find("TYPE_OF_DOCUMENT")), _text(doc.find("NUMBER"))
        if not number:
            continue
        country = _text(doc.find("ISSUING_COUNTRY")) or _text(doc.find("COUNTRY_OF_ISSUE"))
        documents.append(f"{kind or 'Document'} {number}" + (f" ({country})" if country else ""))
    return documents


def _remarks(record: ET.Element) -> str | None:
    # Kept as published (line breaks included); only surrounding whitespace goes.
    comments = record.find("COMMENTS1")
    text = comments.text.strip() if comments is not None and comments.text else ""
    return text or None


def _entry(
    record: ET.Element, source: SourceFile, date: dt.date, countries: UnknownCountries
) -> ListEntry:
    individual = record.tag == "INDIVIDUAL"
    kind = "INDIVIDUAL" if individual else "ENTITY"
    data_id = _text(record.find("DATAID"))
    reference = _text(record.find("REFERENCE_NUMBER"))
    name = " ".join(p for part in _NAME_PARTS if (p := _text(record.find(part))))
    if not name or not (reference or data_id):
        raise SourceError(source.name, None, f"{kind} DATAID {data_id}: no name or no reference")
    addresses = _addresses(record, f"{kind}_ADDRESS", countries)
    nationalities = [countries.code(value) for value in _values(record, "NATIONALITY")]
    listed_on = _text(record.find("LISTED_ON"))
    try:
        # xsd:date may carry a time-zone suffix (2015-04-07-04:00): the date is the first 10.
        start = dt.date.fromisoformat(listed_on[:10]) if listed_on else None
    except ValueError as exc:
        raise SourceError(source.name, None, f"DATAID {data_id}: LISTED_ON {listed_on!r}") from exc
    titles = _values(record, "TITLE") + _values(record, "DESIGNATION")
    return ListEntry(
        id=f"UN-{reference or data_id}",
        source_list=SourceList.UN,
        entity_type=EntityType.INDIVIDUAL if individual else EntityType.ENTITY,
        name=name,
        aliases=tuple(_aliases(record, f"{kind}_ALIAS")),
        addresses=tuple(addresses),
        countries=unique([c for c in [*nationalities, *(a.country for a in addresses)] if c]),
        programs=tuple(p for p in [_text(record.find("UN_LIST_TYPE"))] if p),
        title="; ".join(titles) or None,
        start_date=start,
        dates_of_birth=unique(_births(record)),
        places_of_birth=unique(_places(record)),
        identifiers=unique(_documents(record)),
        remarks=_remarks(record),
        source=SourceRef(
            file=source.name,
            record=f"{kind} DATAID {data_id}, REFERENCE_NUMBER {reference}",
            date=date,
            url=source.url,
        ),
    )


def parse_un(source: SourceFile, countries: UnknownCountries) -> list[ListEntry]:
    """Every individual and entity of the UN consolidated list, in file order.

    Country names without an ISO code are recorded in ``countries`` for the build report.
    """
    root = _parse(source)
    date = _generated(root, source)
    records = [*root.iterfind("INDIVIDUALS/INDIVIDUAL"), *root.iterfind("ENTITIES/ENTITY")]
    if not records:
        raise SourceError(source.name, None, "no INDIVIDUAL or ENTITY records")
    return [_entry(record, source, date, countries) for record in records]
