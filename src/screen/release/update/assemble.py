"""Turn the downloaded official files into the entries and sources of one release.

The converters of :mod:`screen.release.sources` read every file; this module decides which source
supplies which list, so that each list comes from exactly one place:

* **SDN** from OFAC's own SDN files (``ofac-sdn``); without them, from the CSL's SDN rows;
* **SSI, PLC, FSE, CMIC, NS-MBS** from OFAC's consolidated non-SDN files (``ofac-cons``) when
  they are fetched, else from the CSL. The legacy CSV files name no list, only programs, so a
  row's lists follow from its program tags (:data:`CONS_PROGRAM_LISTS`). Capta (CAP) cannot be
  told apart from SSI that way and always comes from the CSL; a consolidated row whose programs
  name none of those lists must be on one of the CSL's lists, else the update fails (it would
  otherwise be dropped without a word);
* **EL, DPL, UVL, MEU, ISN, DTC, CAP** from the CSL;
* **UN** from the UN Security Council consolidated list;
* the curated Entity List additions shipped with the package (Zhipu and Sophgo, 90 FR 4617 and
  4621, built from secondary notes) are kept until an official Entity List entry carries them,
  then left out and reported as superseded.

OFAC publishes its four files together. An alias, address or comment row whose ent_num is not in
the primary file means the files come from two publications (one was fetched before OFAC
published, one after): that is an error, and the update is tried again later.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from screen.release.models import ListEntry, ReleaseSource, SourceList
from screen.release.sources.build import dedupe_records
from screen.release.sources.common import SourceError, SourceFile
from screen.release.sources.csl import CslRecord, parse_csl
from screen.release.sources.csl_json import parse_csl_json
from screen.release.sources.ofac import (
    UnknownCountries,
    read_add,
    read_alt,
    read_comments,
    read_sdn,
    sdn_entry,
)
from screen.release.sources.un import generated_date, parse_un
from screen.release.update.expect import normal_name
from screen.release.update.fetch import Fetched
from screen.release.update.official import SOURCES, csl_is_json

__all__ = [
    "CONS_LISTS",
    "CONS_PROGRAM_LISTS",
    "Assembled",
    "Curated",
    "SourceProblem",
    "assemble",
    "source_file",
]

CONS_PROGRAM_LISTS: dict[str, SourceList] = {
    "UKRAINE-EO13662": SourceList.SSI,
    "NS-PLC": SourceList.PLC,
    "CMIC-EO13959": SourceList.CMIC,
    "MBS": SourceList.NS_MBS,
}
"""Program tags of OFAC's consolidated rows that put an entry on a list (with ``FSE-*``: FSE).
Read off the 2022 CSL: every SSI row there carries UKRAINE-EO13662, every PLC row NS-PLC,
every CMIC row CMIC-EO13959, every NS-MBS row MBS and every FSE row an FSE-xx tag."""
CONS_LISTS = frozenset(
    {SourceList.SSI, SourceList.PLC, SourceList.FSE, SourceList.CMIC, SourceList.NS_MBS}
)
"""The lists ``ofac-cons`` supplies when it is fetched."""
_Supply = Callable[[str, Iterable[ListEntry]], None]


@dataclass(frozen=True)
class SourceProblem:
    """Why one source cannot be used: its name, its URL and what is wrong."""

    source: str
    url: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.url}: {self.message}"


@dataclass(frozen=True)
class Curated:
    """The curated additions carried by the package, with the source they were built from."""

    entries: tuple[ListEntry, ...]
    sources: tuple[ReleaseSource, ...]


@dataclass
class Assembled:
    """What the downloaded files give: entries, sources, and what a reviewer should know."""

    entries: list[ListEntry] = field(default_factory=list)
    sources: list[ReleaseSource] = field(default_factory=list)
    records: dict[str, int] = field(default_factory=dict)
    """Rows (records) read from each source, by source name."""
    list_sources: dict[str, str] = field(default_factory=dict)
    """Which source supplied each list, by list code."""
    superseded: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problems: list[SourceProblem] = field(default_factory=list)


def source_file(name: str, fetched: Fetched, publisher: str) -> SourceFile:
    """The converters' view of a download; its date is the server's Last-Modified, else the day
    it was fetched (the publishers' CSV files carry no date of their own)."""
    stamp = fetched.last_modified or fetched.fetched_at
    return SourceFile(
        name=name,
        data=fetched.data,
        date=stamp.astimezone(dt.UTC).date(),
        url=fetched.url,
        publisher=publisher,
    )


def _release_source(file: SourceFile, records: int) -> ReleaseSource:
    return file.release_source(records)


def _read_ofac(
    name: str,
    files: Mapping[str, Fetched],
    publisher: str,
    countries: UnknownCountries,
    lists_of: Mapping[int, tuple[SourceList, ...]] | None,
) -> tuple[list[ListEntry], list[SourceFile], dict[str, int]]:
    """The entries of one OFAC file set (SDN, or the consolidated files under their lists)."""
    names = SOURCES[name].files
    sources = [source_file(f"{name}/{file}", files[f"{name}/{file}"], publisher) for file in names]
    primary_file, add_file, alt_file, comments_file = sources
    primary = read_sdn(primary_file)
    add, alt, comments = read_add(add_file), read_alt(alt_file), read_comments(comments_file)
    for kind_file, groups in (
        (add_file, {k: [r.line for r in v] for k, v in add.items()}),
        (alt_file, {k: [r.line for r in v] for k, v in alt.items()}),
        (comments_file, {k: [v[0]] for k, v in comments.items()}),
    ):
        for ent_num, lines in sorted(groups.items()):
            if ent_num not in primary:
                raise SourceError(
                    kind_file.name,
                    min(lines),
                    f"ent_num {ent_num} is not in {primary_file.name}: the files are not from "
                    "one publication (try the update again)",
                )
    counts = {
        primary_file.name: len(primary),
        add_file.name: sum(len(rows) for rows in add.values()),
        alt_file.name: sum(len(rows) for rows in alt.values()),
        comments_file.name: len(comments),
    }
    entries: list[ListEntry] = []
    for ent_num, row in primary.items():
        continuation = comments.get(ent_num)
        remarks = row.remarks
        notes = [f"aliases and addresses: {alt_file.name}, {add_file.name}"]
        if continuation is not None:
            # OFAC cuts remarks at 1,000 characters and continues them, mid-word, in the
            # comments file: the two parts join without a separator
            remarks = (remarks or "") + continuation[1]
            notes.append(f"remarks continued from {comments_file.name} line {continuation[0]}")
        codes = (SourceList.SDN,) if lists_of is None else lists_of.get(ent_num, ())
        for code in codes:
            entries.append(
                sdn_entry(
                    row,
                    sdn_source=primary_file,
                    aliases=alt.get(ent_num, []),
                    addresses=add.get(ent_num, []),
                    record_notes=notes,
                    remarks=remarks,
                    countries=countries,
                    source_list=code,
                )
            )
    return entries, sources, counts


def _cons_lists(programs: Iterable[str]) -> tuple[SourceList, ...]:
    codes = []
    for program in programs:
        code = CONS_PROGRAM_LISTS.get(program)
        if code is None and program.startswith("FSE-"):
            code = SourceList.FSE
        if code is not None and code not in codes:
            codes.append(code)
    return tuple(codes)


def _superseded_by(curated: ListEntry, official: list[ListEntry]) -> ListEntry | None:
    """The official Entity List entry that carries a curated one, if any: one of its names is
    one of the curated entry's names, or, under the same Federal Register citation, begins with
    it (the notes give "Sophgo"; the rule may say "Sophgo Technologies Ltd.")."""
    wanted = {normal_name(name) for name in curated.names}
    citations = curated.federal_register
    for entry in official:
        names = {normal_name(name) for name in entry.names}
        if wanted & names:
            return entry
        cited = any(c in text for c in citations for text in entry.federal_register)
        if cited and any(n.startswith(w + " ") for n in names for w in wanted):
            return entry
    return None


def _problem(result: Assembled, name: str, url: str, exc: Exception) -> None:
    result.problems.append(SourceProblem(name, url, str(exc)))


def _csl(
    result: Assembled, files: Mapping[str, Fetched], url: str
) -> tuple[list[CslRecord], SourceFile] | None:
    fetched = files["csl/consolidated"]
    is_json = csl_is_json(fetched.data)
    name = "csl/consolidated.json" if is_json else "csl/consolidated.csv"
    file = source_file(name, fetched, SOURCES["csl"].publisher)
    try:
        records = parse_csl_json(file) if is_json else parse_csl(file)
        unique = list(dedupe_records(records, result.notes).values())
    except (SourceError, ValueError) as exc:  # ValueError: a value no entry can hold
        _problem(result, "csl", url, exc)
        return None
    result.records["csl"] = len(records)
    result.sources.append(_release_source(file, len(records)))
    return unique, file


def assemble(
    downloads: Mapping[str, Mapping[str, Fetched]],
    urls: Mapping[str, str],
    curated: Curated | None,
) -> Assembled:
    """Convert every downloaded source and combine them; problems are collected, not raised."""
    result = Assembled()
    countries = UnknownCountries()
    csl = _csl(result, downloads["csl"], urls["csl"]) if "csl" in downloads else None
    csl_records = csl[0] if csl else []
    csl_lists_by_ent: dict[int, set[SourceList]] = {}
    for record in csl_records:
        if record.entity_number and record.entity_number.isdigit():
            csl_lists_by_ent.setdefault(int(record.entity_number), set()).add(
                record.entry.source_list
            )
    by_list: dict[SourceList, list[ListEntry]] = {}
    supplier: dict[SourceList, str] = {}

    def supply(name: str, entries: Iterable[ListEntry]) -> None:
        for entry in entries:
            by_list.setdefault(entry.source_list, []).append(entry)
            supplier.setdefault(entry.source_list, name)

    if "ofac-sdn" in downloads:
        try:
            sdn, files, counts = _read_ofac(
                "ofac-sdn", downloads["ofac-sdn"], SOURCES["ofac-sdn"].publisher, countries, None
            )
        except (SourceError, ValueError) as exc:
            _problem(result, "ofac-sdn", urls["ofac-sdn"], exc)
        else:
            result.records["ofac-sdn"] = counts[files[0].name]
            result.sources += [_release_source(f, counts[f.name]) for f in files]
            supply("ofac-sdn", sdn)
    if "ofac-cons" in downloads:
        _cons(
            result,
            downloads["ofac-cons"],
            urls["ofac-cons"],
            countries,
            csl_lists_by_ent,
            csl is not None,
            supply,
        )
    taken = {code for code, name in supplier.items() if name.startswith("ofac")}
    if "ofac-cons" in downloads:
        taken |= CONS_LISTS
    if "ofac-sdn" in downloads:
        taken.add(SourceList.SDN)
    left = [r.entry for r in csl_records if r.entry.source_list not in taken]
    dropped = len(csl_records) - len(left)
    if dropped:
        result.notes.append(
            f"csl: {dropped} rows of lists taken from OFAC's own files are not used "
            f"({', '.join(sorted(c.value for c in taken))})"
        )
    supply("csl", left)
    if "un" in downloads:
        _un(result, downloads["un"], urls["un"], countries, supply)
    if curated is not None:
        _curated(result, curated, by_list.get(SourceList.EL, []), supply)
    for entries in by_list.values():
        result.entries += entries
    result.list_sources = {code.value: name for code, name in sorted(supplier.items())}
    if countries.names:
        result.notes.append(
            "country names without an ISO code (address kept, country empty): "
            + ", ".join(f"{name} ({n})" for name, n in sorted(countries.names.items()))
        )
    result.sources.sort(key=lambda source: source.name)
    return result


def _cons(
    result: Assembled,
    files: Mapping[str, Fetched],
    url: str,
    countries: UnknownCountries,
    csl_lists_by_ent: Mapping[int, set[SourceList]],
    have_csl: bool,
    supply: _Supply,
) -> None:
    publisher = SOURCES["ofac-cons"].publisher
    name = "ofac-cons/CONS_PRIM.CSV"
    try:
        primary = read_sdn(source_file(name, files[name], publisher))
    except (SourceError, ValueError) as exc:
        _problem(result, "ofac-cons", url, exc)
        return
    lists_of: dict[int, tuple[SourceList, ...]] = {}
    unassigned: list[int] = []
    for ent_num, row in primary.items():
        codes = _cons_lists(row.programs)
        lists_of[ent_num] = codes
        if codes:
            continue
        if csl_lists_by_ent.get(ent_num, set()) - CONS_LISTS - {SourceList.SDN}:
            unassigned.append(ent_num)  # on a list the CSL supplies (CAP)
            continue
        where = (
            "and the CSL lists it on none of its other lists"
            if have_csl
            else "and the CSL, which would say which list it is on, was not fetched"
        )
        result.problems.append(
            SourceProblem(
                "ofac-cons",
                url,
                f"{name}:{row.line}: ent_num {ent_num} has programs {list(row.programs)}, "
                f"which name none of {', '.join(sorted(c.value for c in CONS_LISTS))}, {where}",
            )
        )
    if any(p.source == "ofac-cons" for p in result.problems):
        return
    try:
        entries, sources, counts = _read_ofac("ofac-cons", files, publisher, countries, lists_of)
    except (SourceError, ValueError) as exc:
        _problem(result, "ofac-cons", url, exc)
        return
    result.records["ofac-cons"] = counts[name]
    result.sources += [_release_source(f, counts[f.name]) for f in sources]
    if unassigned:
        result.notes.append(
            f"ofac-cons: {len(unassigned)} rows name none of its lists by program; the CSL lists "
            "them (CAP), so they come from there"
        )
    supply("ofac-cons", entries)


def _un(
    result: Assembled,
    files: Mapping[str, Fetched],
    url: str,
    countries: UnknownCountries,
    supply: _Supply,
) -> None:
    fetched = files["un/consolidated.xml"]
    file = source_file("un/consolidated.xml", fetched, SOURCES["un"].publisher)
    try:
        entries = parse_un(file, countries)  # parsed once: the XML is megabytes
        date = entries[0].source.date if entries else generated_date(file)
    except (SourceError, ValueError) as exc:
        _problem(result, "un", url, exc)
        return
    file = SourceFile(file.name, file.data, date, file.url, file.publisher)
    result.records["un"] = len(entries)
    result.sources.append(_release_source(file, len(entries)))
    supply("un", entries)


def _curated(
    result: Assembled, curated: Curated, official_el: list[ListEntry], supply: _Supply
) -> None:
    kept: list[ListEntry] = []
    for entry in curated.entries:
        official = _superseded_by(entry, official_el)
        if official is None:
            kept.append(entry)
            continue
        result.superseded.append(
            f"{entry.id} ({entry.name!r}, {entry.verification}) is superseded by the official "
            f"{official.id} ({official.name!r}) and left out"
        )
    if kept:
        files = {entry.source.file for entry in kept}
        result.sources += [
            source.model_copy(update={"records": sum(e.source.file == source.name for e in kept)})
            for source in curated.sources
            if source.name in files
        ]
        result.notes.append(
            f"curated additions kept (no official Entity List entry carries them yet): "
            f"{', '.join(entry.id for entry in kept)}"
        )
        supply("curated", kept)
