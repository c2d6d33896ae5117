"""Build a list release from the public source files in a source directory (``shared/data``).

Two releases can be built:

* ``csl_2022_only``: the 2022 Consolidated Screening List alone, all 13 lists as trade.gov
  published them (release A, the baseline of the first list update);
* the default release (B): the newest data available for each list, combined as described in
  ``release/shipped/README.md`` and summarised here:

  - non-SDN CSL lists from ``csl/consolidated-2022-04.csv``, with the newer rows of
    ``csl/consolidated-sample-2025.csv`` superseding the 2022 row they update (same list and
    entity_number, else same list and name, narrowed by address) or added;
  - SDN membership from ``ofac/2025-01-06-partial/add.csv``, which lists every SDN ent_num (one
    row at least per entry), plus SDN rows of the 2025 CSL sample; primary names, types, programs
    and remarks from ``ofac/2024-05-03/sdn.csv``; aliases and addresses from the 2025-01-06
    ``alt.csv`` / ``add.csv``; entries whose primary name is in none of the files are named by their
    first alias, and ent_nums with no name at all are counted, not invented;
  - the UN Security Council consolidated list;
  - the January 2025 Entity List additions, from secondary notes (``secondary-source``);
  - ECCN chip rules from ``chips/`` when the chips converter is installed.

Source dates come from the provenance recorded in ``shared/data/SOURCES.md``.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from screen.release.models import ListEntry, ListRelease, SourceList, SourceRef
from screen.release.sources.common import SourceError, SourceFile, read_source
from screen.release.sources.csl import CslRecord, parse_csl
from screen.release.sources.entity_list_additions import parse_entity_list_additions
from screen.release.sources.ofac import (
    REMARKS_LIMIT,
    AddRow,
    AltRow,
    UnknownCountries,
    address_of,
    alias_of,
    read_add,
    read_alt,
    read_comments,
    read_sdn,
    sdn_entry,
)
from screen.release.sources.un import generated_date, parse_un
from screen.release.store import write_release

__all__ = ["BuildResult", "SourceSpec", "build_release", "dedupe_records", "release_version"]


@dataclass(frozen=True)
class SourceSpec:
    """Where a source file is in the source directory, and what is known about its date."""

    name: str
    date: dt.date
    url: str | None
    publisher: str


_ITA = "US Department of Commerce, International Trade Administration"
_OFAC = "US Department of the Treasury, Office of Foreign Assets Control"
_CSL_URL = "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv"
_OFAC_URL = "https://www.treasury.gov/ofac/downloads/"

CSL_2022 = SourceSpec("csl/consolidated-2022-04.csv", dt.date(2022, 4, 21), _CSL_URL, _ITA)
"""Newest start_date in the file is 2022-04-21 (committed upstream 2022-05-16)."""
CSL_2025 = SourceSpec("csl/consolidated-sample-2025.csv", dt.date(2025, 6, 25), _CSL_URL, _ITA)
"""13 rows of a 2025 CSL, committed upstream 2025-06-25: data of that date or shortly before."""
SDN_2024 = SourceSpec("ofac/2024-05-03/sdn.csv", dt.date(2024, 5, 3), _OFAC_URL + "sdn.csv", _OFAC)
"""Fetched from treasury.gov on 2024-05-03."""
_PARTIAL = "ofac/2025-01-06-partial"
ALT_2025 = SourceSpec(f"{_PARTIAL}/alt.csv", dt.date(2025, 1, 6), _OFAC_URL + "alt.csv", _OFAC)
"""Downloaded on or before 2025-01-06 (as are the two files below)."""
ADD_2025 = SourceSpec(f"{_PARTIAL}/add.csv", dt.date(2025, 1, 6), _OFAC_URL + "add.csv", _OFAC)
COMMENTS_2025 = SourceSpec(
    f"{_PARTIAL}/sdn_comments.csv", dt.date(2025, 1, 6), _OFAC_URL + "sdn_comments.csv", _OFAC
)
UN_LIST = SourceSpec(
    "un/UN_consolidated-2026-02-27.xml",
    dt.date(2026, 2, 27),  # replaced by the file's own dateGenerated when read
    "https://scsanctions.un.org/resources/xml/en/consolidated.xml",
    "United Nations Security Council",
)
EL_2025 = SourceSpec(
    "entity-list/2025-01-zhipu-sophgo.md",
    dt.date(2025, 1, 16),  # publication and effective date of both rules
    None,
    "US Department of Commerce, Bureau of Industry and Security (via secondary notes)",
)
CHIPS_DIR = "chips"
_CHIPS_MODULE = "screen.release.sources.chips"


@dataclass
class BuildResult:
    """The release written and what the build did that a reviewer should know."""

    release: ListRelease
    notes: list[str] = field(default_factory=list)


def release_version(date: dt.date) -> str:
    """The version of a release whose newest source data is of ``date``."""
    return date.strftime("%Y.%m.%d")


def _read(source_dir: Path, spec: SourceSpec) -> SourceFile:
    return read_source(source_dir, spec.name, spec.date, spec.url, spec.publisher)


def dedupe_records(records: Iterable[CslRecord], notes: list[str]) -> dict[str, CslRecord]:
    """CSL records by entry id; rows repeated verbatim (apart from URLs) are kept once (and noted
    in ``notes``); two different rows with one id are a :class:`SourceError`."""
    by_id: dict[str, CslRecord] = {}
    for record in records:
        kept = by_id.get(record.entry.id)
        if kept is None:
            by_id[record.entry.id] = record
            continue
        same = kept.entry.model_copy(update={"source": record.entry.source}) == record.entry
        if not same:
            raise SourceError(
                record.entry.source.file,
                record.line,
                f"id {record.entry.id} repeats line {kept.line}",
            )
        notes.append(
            f"{record.entry.source.file}: line {record.line} repeats line {kept.line} "
            f"({record.entry.id}); kept once"
        )
    return by_id


def _superseded(newer: CslRecord, older: dict[str, CslRecord]) -> tuple[CslRecord | None, str]:
    code = newer.entry.source_list
    same_list = [r for r in older.values() if r.entry.source_list is code]
    if newer.entity_number:
        by_number = [r for r in same_list if r.entity_number == newer.entity_number]
        if len(by_number) == 1:
            return by_number[0], f"entity_number {newer.entity_number}"
    by_name = [r for r in same_list if r.entry.name == newer.entry.name]
    if len(by_name) > 1:
        by_name = [r for r in by_name if r.address_text == newer.address_text]
        if len(by_name) == 1:
            return by_name[0], "name and address"
    elif len(by_name) == 1:
        return by_name[0], "name"
    return None, ""


def _merge_csl(
    base: dict[str, CslRecord], newer: list[CslRecord], notes: list[str]
) -> dict[str, ListEntry]:
    entries = {id_: record.entry for id_, record in base.items()}
    for record in newer:
        old, how = _superseded(record, base)
        if old is None:
            if record.entry.id in entries:
                raise SourceError(
                    record.entry.source.file, record.line, f"id {record.entry.id} clash"
                )
            entries[record.entry.id] = record.entry
            notes.append(
                f"{record.entry.source.file} line {record.line}: added {record.entry.id} "
                f"{record.entry.name!r} (no 2022 row of that list matches)"
            )
            continue
        # The 2022 id is kept so the entry stays traceable across releases (trade.gov re-keyed
        # non-Treasury rows between the two snapshots).
        entries[old.entry.id] = record.entry.model_copy(update={"id": old.entry.id})
        notes.append(
            f"{record.entry.source.file} line {record.line}: supersedes {old.entry.id} "
            f"(matched on {how})"
        )
    return entries


def _sdn_entries(
    source_dir: Path,
    csl_2025_sdn: dict[int, CslRecord],
    files: dict[str, SourceFile],
    counts: dict[str, int],
    notes: list[str],
    countries: UnknownCountries,
) -> list[ListEntry]:
    sdn_file, alt_file, add_file, comments_file = (
        _read(source_dir, spec) for spec in (SDN_2024, ALT_2025, ADD_2025, COMMENTS_2025)
    )
    for source in (sdn_file, alt_file, add_file, comments_file):
        files[source.name] = source
    sdn, alt, add, comments = (
        read_sdn(sdn_file),
        read_alt(alt_file),
        read_add(add_file),
        read_comments(comments_file),
    )
    counts[sdn_file.name] = len(sdn)
    counts[alt_file.name] = sum(len(rows) for rows in alt.values())
    counts[add_file.name] = sum(len(rows) for rows in add.values())
    counts[comments_file.name] = len(comments)
    # add.csv has at least one row for every SDN entry, so its ent_nums are the list as of its date.
    members = set(add) | set(csl_2025_sdn)
    entries: list[ListEntry] = []
    unnamed: list[int] = []
    by_alias = 0
    for ent_num in sorted(members):
        if ent_num in csl_2025_sdn:
            entries.append(csl_2025_sdn[ent_num].entry)
            continue
        aliases, addresses = alt.get(ent_num, []), add.get(ent_num, [])
        row = sdn.get(ent_num)
        if row is not None:
            record_notes = [f"aliases and addresses: {alt_file.name}, {add_file.name}"]
            if row.remarks and len(row.remarks) >= REMARKS_LIMIT:
                continuation = comments.get(ent_num)
                record_notes.append(
                    f"remarks cut at {REMARKS_LIMIT} characters in {sdn_file.name}"
                    + (
                        f"; {comments_file.name} line {continuation[0]} continues a later version "
                        "of them and is not appended"
                        if continuation
                        else ""
                    )
                )
            entries.append(
                sdn_entry(
                    row,
                    sdn_source=sdn_file,
                    aliases=aliases,
                    addresses=addresses,
                    record_notes=record_notes,
                    remarks=row.remarks,
                    countries=countries,
                )
            )
        elif aliases:
            entries.append(_alias_named_entry(ent_num, aliases, addresses, alt_file, countries))
            by_alias += 1
        else:
            unnamed.append(ent_num)
    delisted = sorted(set(sdn) - members)
    notes.append(
        f"SDN: {len(entries)} entries; {by_alias} named by their first alias (primary name not in "
        f"{sdn_file.name}); {len(unnamed)} ent_nums of {add_file.name} have no name in any file "
        f"and cannot be entries (ent_num {unnamed[0]}..{unnamed[-1]})"
        if unnamed
        else f"SDN: {len(entries)} entries; {by_alias} named by their first alias"
    )
    notes.append(
        f"SDN: {len(delisted)} ent_nums of {sdn_file.name} are not in {add_file.name} "
        f"(delisted by its date) and are left out: {', '.join(map(str, delisted[:20]))}"
        + (" ..." if len(delisted) > 20 else "")
    )
    return entries


def _alias_named_entry(
    ent_num: int,
    aliases: list[AltRow],
    addresses: list[AddRow],
    alt_file: SourceFile,
    countries: UnknownCountries,
) -> ListEntry:
    current = [row for row in aliases if row.alt_type != "fka"] or aliases
    first = current[0]
    rest = [alias_of(row) for row in aliases if row is not first]
    converted = [address_of(add, countries) for add in addresses]
    address_list = tuple(a for a in converted if a is not None)
    return ListEntry(
        id=f"SDN-{ent_num}",
        source_list=SourceList.SDN,
        name=first.name,
        aliases=tuple(rest),
        addresses=address_list,
        countries=tuple(dict.fromkeys(a.country for a in address_list if a.country)),
        remarks=(
            "The primary name of this SDN entry is not in the available OFAC files (sdn.csv "
            "of 2024-05-03 predates or lacks it); the name shown is its alias alt_num "
            f"{first.alt_num} "
            f"({first.alt_type}) from {alt_file.name}. Type, programs and remarks are unknown here."
        ),
        source=SourceRef(
            file=alt_file.name,
            record=f"ent_num {ent_num}, line {first.line}",
            date=alt_file.date,
            url=alt_file.url,
        ),
    )


def _chips_files(source_dir: Path, notes: list[str]) -> dict[str, bytes]:
    chips_dir = source_dir / CHIPS_DIR
    if not chips_dir.is_dir():
        return {}
    try:
        module = importlib.import_module(_CHIPS_MODULE)
    except ModuleNotFoundError as exc:
        if exc.name != _CHIPS_MODULE:
            raise
        notes.append(f"{CHIPS_DIR}/: chips converter not installed; release built without chips")
        return {}
    convert: Callable[[Path], dict[str, bytes]] = module.convert_chips
    files = convert(chips_dir)
    notes.append(f"{CHIPS_DIR}/: {len(files)} chip rule files from {_CHIPS_MODULE}")
    return files


def build_release(
    source_dir: Path,
    out_dir: Path,
    *,
    csl_2022_only: bool = False,
    version: str | None = None,
    created: dt.date | None = None,
) -> BuildResult:
    """Convert the sources in ``source_dir`` into a release written to ``out_dir``."""
    notes: list[str] = []
    files: dict[str, SourceFile] = {}
    counts: dict[str, int] = {}
    countries = UnknownCountries()
    csl_file = _read(source_dir, CSL_2022)
    files[csl_file.name] = csl_file
    csl_records = parse_csl(csl_file)
    counts[csl_file.name] = len(csl_records)
    extra: dict[str, bytes] = {}
    if csl_2022_only:
        entries = [record.entry for record in dedupe_records(csl_records, notes).values()]
    else:
        newer_file = _read(source_dir, CSL_2025)
        files[newer_file.name] = newer_file
        newer = parse_csl(newer_file)
        counts[newer_file.name] = len(newer)
        non_sdn = dedupe_records(
            (r for r in csl_records if r.entry.source_list is not SourceList.SDN), notes
        )
        merged = _merge_csl(
            non_sdn, [r for r in newer if r.entry.source_list is not SourceList.SDN], notes
        )
        csl_2025_sdn = {
            int(r.entity_number): r
            for r in newer
            if r.entry.source_list is SourceList.SDN and r.entity_number
        }
        for ent_num in csl_2025_sdn:
            notes.append(f"{newer_file.name}: SDN-{ent_num} taken from this newer CSL row")
        entries = [*merged.values()]
        entries += _sdn_entries(source_dir, csl_2025_sdn, files, counts, notes, countries)
        un_spec = _read(source_dir, UN_LIST)
        un_file = SourceFile(
            un_spec.name, un_spec.data, generated_date(un_spec), un_spec.url, un_spec.publisher
        )
        files[un_file.name] = un_file
        un_entries = parse_un(un_file, countries)
        counts[un_file.name] = len(un_entries)
        entries += un_entries
        el_file = _read(source_dir, EL_2025)
        files[el_file.name] = el_file
        additions = parse_entity_list_additions(el_file)
        counts[el_file.name] = len(additions)
        entries += additions
        extra = _chips_files(source_dir, notes)
    if countries.names:
        notes.append(
            "country names without an ISO code (address kept, country empty): "
            + ", ".join(f"{name} ({n})" for name, n in sorted(countries.names.items()))
        )
    sources = [files[name].release_source(counts[name]) for name in sorted(files)]
    newest = max(source.date for source in sources)
    release = write_release(
        out_dir,
        version=version or release_version(newest),
        created=created or newest,
        sources=sources,
        entries=entries,
        extra_files=extra,
    )
    return BuildResult(release=release, notes=notes)
