"""Entity List additions of 16 January 2025 (90 FR 4617 Zhipu, 90 FR 4621 Sophgo), from notes.

The Federal Register text of these rules was not available, so the entries are built only from what
``entity-list/2025-01-zhipu-sophgo.md`` states. Every fact comes from that file: the FR citation,
document number, effective date and URL from each rule's table, and the names from the numbered list
(Zhipu) or the reported company name (Sophgo). Entries are marked ``secondary-source``. No alias,
address, license requirement or license policy is added that the notes do not state; the parser
fails rather than guess when the notes change shape.
"""

from __future__ import annotations

import datetime as dt
import re

from screen.release.models import Alias, EntityType, ListEntry, SourceList, SourceRef
from screen.release.sources.common import SourceError, SourceFile, read_text, slug

__all__ = ["parse_entity_list_additions"]

_RULE_HEADING = re.compile(r"^## Rule (\d+): (.+)$")
_CITATION = re.compile(r"^\| Citation \| \*\*(\d+ FR \d+)\*\*")
_DOC_NUMBER = re.compile(r"^\| FR document number \| (\d{4}-\d{5}) \|")
_EFFECTIVE = re.compile(r"^\| Effective \| (\d{1,2} [A-Z][a-z]+ \d{4}) \|")
_SCOPE = re.compile(r"^\| Scope [^|]*\| (.+) \|$")
_ITEM = re.compile(r"^(\d+)\. (.+)$")
_URL = re.compile(r"https://www\.federalregister\.gov/documents/\S+")

_ZHIPU_ALIAS = "Zhipu AI"
"""The notes report the company is known as "Zhipu AI" (secondary coverage, not FR text)."""
_SOPHGO = "Sophgo"
"""The only Sophgo name the notes state as reported fact (DataCenterDynamics)."""


class _Rule:
    def __init__(self, number: int, heading_line: int) -> None:
        self.number = number
        self.heading_line = heading_line
        self.citation: str | None = None
        self.doc_number: str | None = None
        self.effective: dt.date | None = None
        self.scope: str | None = None
        self.items: list[tuple[int, str]] = []


def _rules(source: SourceFile, lines: list[str]) -> dict[int, _Rule]:
    rules: dict[int, _Rule] = {}
    rule: _Rule | None = None
    for number, line in enumerate(lines, start=1):
        if heading := _RULE_HEADING.match(line):
            rule = rules.setdefault(int(heading.group(1)), _Rule(int(heading.group(1)), number))
            continue
        if line.startswith("## "):
            rule = None
        if rule is None:
            continue
        if match := _CITATION.match(line):
            rule.citation = match.group(1)
        elif match := _DOC_NUMBER.match(line):
            rule.doc_number = match.group(1)
        elif match := _EFFECTIVE.match(line):
            try:
                rule.effective = dt.datetime.strptime(match.group(1), "%d %B %Y").date()
            except ValueError as exc:
                raise SourceError(source.name, number, f"Effective: {match.group(1)!r}") from exc
        elif match := _SCOPE.match(line):
            rule.scope = match.group(1)
        elif match := _ITEM.match(line):
            rule.items.append((number, match.group(2)))
    for rule in rules.values():
        if rule.citation is None or rule.doc_number is None or rule.effective is None:
            raise SourceError(
                source.name,
                rule.heading_line,
                f"Rule {rule.number}: citation, document number or effective date missing",
            )
    return rules


def _url(source: SourceFile, text: str, doc_number: str) -> str:
    for url in _URL.findall(text):
        if f"/{doc_number}/" in url:
            return str(url)
    raise SourceError(source.name, None, f"no federalregister.gov URL for FR Doc {doc_number}")


def _line_of(source: SourceFile, lines: list[str], needle: str) -> int:
    for number, line in enumerate(lines, start=1):
        if needle in line:
            return number
    raise SourceError(source.name, None, f"expected text not found: {needle!r}")


def _entry(
    rule: _Rule,
    name: str,
    *,
    source: SourceFile,
    url: str,
    line: int,
    countries: tuple[str, ...],
    aliases: tuple[Alias, ...],
    remarks: str,
) -> ListEntry:
    assert rule.citation is not None and rule.effective is not None  # checked in _rules
    return ListEntry(
        id=f"EL-{rule.effective.year}-{slug(name)}",
        source_list=SourceList.EL,
        entity_type=EntityType.ENTITY,
        name=name,
        aliases=aliases,
        countries=countries,
        federal_register=(rule.citation,),
        start_date=rule.effective,
        remarks=remarks,
        source=SourceRef(file=source.name, record=f"line {line}", date=source.date, url=url),
        verification="secondary-source",
    )


def _scope_count(rule: _Rule) -> str:
    match = re.search(r"Adds (\d+) entities", rule.scope or "")
    return f"The rule adds {match.group(1)} entities; " if match else ""


def _zhipu(source: SourceFile, rule: _Rule, text: str) -> list[ListEntry]:
    url = _url(source, text, str(rule.doc_number))
    # The notes say every entity of this rule is "under destination China".
    countries = ("CN",) if rule.scope and "all under destination China" in rule.scope else ()
    names: list[tuple[int, str]] = []
    skipped: list[str] = []
    for line, item in rule.items:
        if "…" in item or item.startswith('"'):
            skipped.append(item)  # cut off in the source: not a name we can screen on
            continue
        names.append((line, item.split(" (", 1)[0].strip()))
    if not names:
        raise SourceError(source.name, rule.heading_line, "Rule 1: no entity names found")
    common = (
        f"Secondary source: name as reported in news coverage of {rule.citation} (FR Doc. "
        f"{rule.doc_number}), recorded in {source.name}; not verbatim Federal Register text. "
        "Aliases, addresses, license requirement and license review policy are unknown here: check "
        f"the FR text. {_scope_count(rule)}{len(names)} names are recovered here"
        + (f"; not used because cut off in the source: {'; '.join(skipped)}" if skipped else "")
        + "."
    )
    entries = []
    for line, name in names:
        aliases: tuple[Alias, ...] = ()
        if line == names[0][0] and f"/ {_ZHIPU_ALIAS}" in text:
            aliases = (
                Alias(
                    name=_ZHIPU_ALIAS,
                    remarks="Name used in secondary news coverage, not in the FR text.",
                ),
            )
        entries.append(
            _entry(
                rule,
                name,
                source=source,
                url=url,
                line=line,
                countries=countries,
                aliases=aliases,
                remarks=common,
            )
        )
    return entries


def _sophgo(source: SourceFile, rule: _Rule, text: str, lines: list[str]) -> ListEntry:
    url = _url(source, text, str(rule.doc_number))
    line = _line_of(source, lines, f"that {_SOPHGO}")
    remarks = (
        f"Secondary source: DataCenterDynamics reports {_SOPHGO} among the entities added by "
        f"{rule.citation} (FR Doc. {rule.doc_number}), as recorded in {source.name} (rule scope: "
        f"{rule.scope or 'unknown'}). The exact legal name(s), aliases, addresses, destination, "
        "license requirement and license review policy are unknown here: check the FR text. An "
        "unverified third-party note names 'Sophgo Technologies Ltd', 'Qingdao Sophgo' and "
        "'Sophgo Technologies Pte.'; these are not used as names or aliases."
    )
    return _entry(
        rule, _SOPHGO, source=source, url=url, line=line, countries=(), aliases=(), remarks=remarks
    )


def parse_entity_list_additions(source: SourceFile) -> list[ListEntry]:
    """The secondary-source Entity List entries for the two January 2025 rules."""
    text = read_text(source)
    lines = text.splitlines()
    rules = _rules(source, lines)
    by_citation = {rule.citation: rule for rule in rules.values()}
    zhipu, sophgo = by_citation.get("90 FR 4617"), by_citation.get("90 FR 4621")
    if zhipu is None or sophgo is None:
        raise SourceError(source.name, None, "the rules 90 FR 4617 and 90 FR 4621 were not found")
    return [*_zhipu(source, zhipu, text), _sophgo(source, sophgo, text, lines)]
