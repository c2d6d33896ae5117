"""The maintainer's assertions about a release: entries that must, or must not, be in it.

``screen lists check RELEASE --expect FILE`` runs them on any release, and
``screen lists update --expect FILE`` runs them on the new release before adopting it. FILE is
TOML::

    # entries that must be in every release from now on
    [[present]]
    id = "EL-2025-sophgo"                 # by entry id ...
    why = "90 FR 4621 (16 January 2025)"  # optional, printed when the check fails

    [[present]]
    name = "Zhipu AI"                     # ... or by any of its names (primary or alias)
    list = "EL"                           # optional: only entries of this list
    fields = { federal_register = ["90 FR 4617"], verification = "secondary-source" }

    [[absent]]
    id = "SDN-10021"                      # delisted: must not come back
    why = "removed from the SDN list in 2023"

    [[count]]
    list = "UN"
    min = 1000                            # optional min and max entries of a list

Names are compared ignoring case, Unicode compatibility forms (NFKC), punctuation and spacing,
so ``Beijing Zhipu Huazhang Technology Co., Ltd.`` matches ``BEIJING ZHIPU HUAZHANG TECHNOLOGY CO
LTD``; it is not fuzzy matching. With both ``id`` and ``name``, the entry of that id must carry
that name. ``fields`` compares entry fields as they appear in the release's JSON (lists as
arrays, dates as ``YYYY-MM-DD``).
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from screen.release.models import ListEntry, ListRelease, SourceList

__all__ = [
    "CountCheck",
    "EntryCheck",
    "ExpectError",
    "Expectations",
    "check_release",
    "normal_name",
    "read_expectations",
]

_ENTRY_KEYS = frozenset({"id", "name", "list", "fields", "why"})
_COUNT_KEYS = frozenset({"list", "min", "max", "why"})


class ExpectError(Exception):
    """The expectations file cannot be read or is not in the documented format."""


def normal_name(name: str) -> str:
    """A name for comparison: NFKC, case-folded, punctuation as spaces, spaces collapsed."""
    text = unicodedata.normalize("NFKC", name).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


@dataclass(frozen=True)
class EntryCheck:
    """An entry that must be present (or absent), by id and/or name."""

    present: bool
    label: str
    """Where the check is in the file, e.g. ``present[2]``."""
    id: str | None
    name: str | None
    list_code: SourceList | None
    fields: dict[str, Any]
    why: str | None


@dataclass(frozen=True)
class CountCheck:
    """Bounds on the number of entries of one list."""

    label: str
    list_code: SourceList
    min: int | None
    max: int | None
    why: str | None


@dataclass(frozen=True)
class Expectations:
    """Every assertion of one file."""

    path: Path
    entries: tuple[EntryCheck, ...]
    counts: tuple[CountCheck, ...]

    def __len__(self) -> int:
        return len(self.entries) + len(self.counts)


def _text(item: dict[str, Any], key: str, label: str) -> str | None:
    value = item.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ExpectError(f"{label}: {key} must be a non-empty string")
    return value


def _list_code(item: dict[str, Any], label: str) -> SourceList | None:
    value = _text(item, "list", label)
    if value is None:
        return None
    try:
        return SourceList(value.upper())
    except ValueError:
        known = ", ".join(code.value for code in SourceList)
        raise ExpectError(f"{label}: list {value!r} is not a list code ({known})") from None


def _entry_check(item: Any, present: bool, label: str) -> EntryCheck:
    if not isinstance(item, dict):
        raise ExpectError(f"{label}: expected a table ([[present]] / [[absent]])")
    unknown = set(item) - _ENTRY_KEYS
    if unknown:
        raise ExpectError(f"{label}: unknown keys {sorted(unknown)} (known: {sorted(_ENTRY_KEYS)})")
    entry_id, name = _text(item, "id", label), _text(item, "name", label)
    if entry_id is None and name is None:
        raise ExpectError(f"{label}: give an id or a name")
    fields = item.get("fields", {})
    if not isinstance(fields, dict):
        raise ExpectError(f"{label}: fields must be a table")
    bad = set(fields) - set(ListEntry.model_fields)
    if bad:
        raise ExpectError(f"{label}: {sorted(bad)} are not entry fields")
    if fields and not present:
        raise ExpectError(f"{label}: fields can only be checked on present entries")
    return EntryCheck(
        present, label, entry_id, name, _list_code(item, label), fields, _text(item, "why", label)
    )


def _bound(item: dict[str, Any], key: str, label: str) -> int | None:
    value = item.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ExpectError(f"{label}: {key} must be a whole number of entries")
    return value


def _count_check(item: Any, label: str) -> CountCheck:
    if not isinstance(item, dict):
        raise ExpectError(f"{label}: expected a table ([[count]])")
    unknown = set(item) - _COUNT_KEYS
    if unknown:
        raise ExpectError(f"{label}: unknown keys {sorted(unknown)} (known: {sorted(_COUNT_KEYS)})")
    code = _list_code(item, label)
    low, high = _bound(item, "min", label), _bound(item, "max", label)
    if code is None or (low is None and high is None):
        raise ExpectError(f"{label}: give a list and a min or a max")
    return CountCheck(label, code, low, high, _text(item, "why", label))


def read_expectations(path: Path) -> Expectations:
    """Read and check an expectations file; :class:`ExpectError` says what is wrong and where."""
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ExpectError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ExpectError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ExpectError(f"{path}: not valid TOML: {exc}") from None
    unknown = set(document) - {"present", "absent", "count"}
    if unknown:
        raise ExpectError(f"{path}: unknown sections {sorted(unknown)} (present, absent, count)")
    try:
        entries = [
            _entry_check(item, kind == "present", f"{kind}[{number}]")
            for kind in ("present", "absent")
            for number, item in enumerate(_items(document, kind), start=1)
        ]
        counts = [
            _count_check(item, f"count[{number}]")
            for number, item in enumerate(_items(document, "count"), start=1)
        ]
    except ExpectError as exc:
        raise ExpectError(f"{path}: {exc}") from None
    if not entries and not counts:
        raise ExpectError(f"{path}: no [[present]], [[absent]] or [[count]] entries")
    return Expectations(path, tuple(entries), tuple(counts))


def _items(document: dict[str, Any], kind: str) -> list[Any]:
    value = document.get(kind, [])
    if not isinstance(value, list):
        raise ExpectError(f"{kind}: write it as [[{kind}]] tables")
    return value


def _entries(count: int) -> str:
    return f"{count:,} entr{'y' if count == 1 else 'ies'}"


def _describe(check: EntryCheck) -> str:
    parts = []
    if check.id:
        parts.append(f"id {check.id}")
    if check.name:
        parts.append(f"name {check.name!r}")
    if check.list_code:
        parts.append(f"on list {check.list_code.value}")
    return " ".join(parts)


def _matches(entry: ListEntry, check: EntryCheck) -> bool:
    if check.id is not None and entry.id != check.id:
        return False
    if check.list_code is not None and entry.source_list is not check.list_code:
        return False
    if check.name is not None:
        wanted = normal_name(check.name)
        return any(normal_name(name) == wanted for name in entry.names)
    return True


def _field_problems(entry: ListEntry, fields: dict[str, Any]) -> list[str]:
    dumped = entry.model_dump(mode="json")
    return [
        f"{name} is {dumped[name]!r}, expected {value!r}"
        for name, value in fields.items()
        if dumped[name] != value
    ]


def check_release(release: ListRelease, expectations: Expectations) -> list[str]:
    """Every failed assertion, one line each (empty: all hold)."""
    failures: list[str] = []
    by_id = {entry.id: entry for entry in release.entries}
    for check in expectations.entries:
        pool = [by_id[check.id]] if check.id in by_id else ([] if check.id else release.entries)
        found = [entry for entry in pool if _matches(entry, check)]
        why = f" ({check.why})" if check.why else ""
        if check.present and not found:
            failures.append(f"{check.label}: expected {_describe(check)}: not found{why}")
        elif not check.present and found:
            ids = ", ".join(entry.id for entry in found[:5])
            failures.append(f"{check.label}: expected no {_describe(check)}: found {ids}{why}")
        elif check.present and all(_field_problems(entry, check.fields) for entry in found):
            first = found[0]
            problems = "; ".join(_field_problems(first, check.fields))
            failures.append(f"{check.label}: {first.id}: {problems}{why}")
    for count in expectations.counts:
        have = release.counts.get(count.list_code.value, 0)
        why = f" ({count.why})" if count.why else ""
        if count.min is not None and have < count.min:
            failures.append(
                f"{count.label}: list {count.list_code.value} has {_entries(have)}, "
                f"expected at least {count.min:,}{why}"
            )
        if count.max is not None and have > count.max:
            failures.append(
                f"{count.label}: list {count.list_code.value} has {_entries(have)}, "
                f"expected at most {count.max:,}{why}"
            )
    return failures
