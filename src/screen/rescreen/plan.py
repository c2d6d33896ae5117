"""What a re-screen works from: the stored result's recorded release, the new release, their
diff, the drift of token weights, the list names to search the records for, and the audit blocks
the rows will carry."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from screen import __version__
from screen.index.weights import scoring_tokens
from screen.matching.score import MATCHER_VERSION
from screen.release.diff import ReleaseDiff, diff
from screen.release.home import find_release, find_release_by_checksum
from screen.release.models import ListEntry, ListRelease, SourceList
from screen.release.store import ListError, load_release, read_release_file
from screen.rescreen.drift import WeightDrift, weight_drift
from screen.rescreen.stored import RowError, RowReader
from screen.screener import Screener

__all__ = ["CHIP_FILES", "AuditBlocks", "Plan", "RescreenError", "first_row_audit", "make_plan"]

CHIP_FILES = ("chips/chips.json", "chips/rules.json")
"""The release files that item classification reads."""


class RescreenError(Exception):
    """The result cannot be re-screened (not a result, unknown release, other matcher...); one
    line naming the file, and the line where a row is at fault."""


def first_row_audit(path: Path) -> dict[str, Any]:
    """The audit block of the first row of a stored result (RescreenError if it has none)."""
    reader = RowReader()
    try:
        handle = path.open("rb")
    except IsADirectoryError:
        raise RescreenError(f"{path}: is a directory, not a result file") from None
    except OSError as exc:
        raise RescreenError(f"{path}: cannot read: {exc.strerror or exc}") from None
    with handle:
        for number, data in enumerate(handle, start=1):
            try:
                text = data.decode("utf-8").rstrip("\r\n")
            except UnicodeDecodeError:
                raise RescreenError(f"{path}: line {number}: not UTF-8") from None
            if not text.strip():
                continue
            try:
                row = reader.read(text, number)
            except RowError as exc:
                hint = ""
                if number == 1:
                    hint = " (rescreen reads the JSON lines of screen batch --format jsonl)"
                raise RescreenError(f"{path}: line {number}: {exc}{hint}") from None
            audit = reader.audits[row.audit]
            try:
                check_audit(audit, str(audit.get("release_checksum")))
            except RowError as exc:
                raise RescreenError(f"{path}: line {number}: {exc}") from None
            return audit
    raise RescreenError(f"{path}: no result rows")


def check_audit(audit: Mapping[str, Any], checksum: str) -> None:
    """Refuse (RowError, a message to follow "line N: ") a row recorded on another release than
    ``checksum`` or by another matcher, or whose options are not valid."""
    if audit.get("release_checksum") != checksum:
        raise RowError(
            f"screened on list release {audit.get('release_version')} (sha256 "
            f"{str(audit.get('release_checksum'))[:12]}...), the first row on another (sha256 "
            f"{checksum[:12]}...): re-screen one batch result at a time"
        )
    if audit.get("matcher_version") != MATCHER_VERSION:
        raise RowError(
            f"screened with matcher {audit.get('matcher_version')}, this installation has "
            f"matcher {MATCHER_VERSION}: the recorded hits cannot be compared; screen the "
            f"original input again with screen batch (the result was made by screen "
            f"{audit.get('screen_version')})"
        )
    try:
        threshold = float(audit["threshold"])
        lists = (audit.get("options") or {}).get("lists")
        _codes = tuple(SourceList(code) for code in lists) if lists else None
    except (KeyError, TypeError, ValueError):
        raise RowError("the audit block's threshold or list options are not valid") from None
    if not 0.0 < threshold <= 100.0:
        raise RowError(f"the audit block's threshold is {threshold}, not in (0, 100]")


class AuditBlocks:
    """The new audit blocks for the old: the row's (as ``screen batch`` writes it) and a clear
    result's (as the screener writes it), the new release's in place of the recorded one."""

    def __init__(self, release: ListRelease) -> None:
        self._release = release
        self._date = release.data_date.isoformat()  # a property that reads every source
        self._rows: dict[str, str] = {}
        self._inner: dict[str, str] = {}

    def row(self, old_text: str, old: Mapping[str, Any]) -> str:
        """The row audit block (text) for one read as ``old``."""
        release = self._release
        return _rewritten(
            self._rows, old_text, old, sort_keys=True,
            release_version=release.version,
            release_checksum=release.checksum,
            release_data_date=self._date,
            matcher_version=MATCHER_VERSION,
            screen_version=__version__,
        )

    def inner(self, old_text: str, old: Mapping[str, Any]) -> str:
        """A clear result's audit block (text) for one read as ``old``."""
        release = self._release
        return _rewritten(
            self._inner, old_text, old, sort_keys=False,
            release_version=release.version,
            release_checksum=release.checksum,
            release_date=self._date,
            matcher_version=MATCHER_VERSION,
        )


@dataclass
class Plan:
    """Everything a re-screen of one result works from."""

    old_release: ListRelease
    new_release: ListRelease
    new_release_dir: Path
    difference: ReleaseDiff
    screener: Screener
    drift: WeightDrift
    targets: tuple[ListEntry, ...]
    """Entries whose names the records are searched for: added, changed, and untouched ones
    with a token whose weight moved materially."""
    chips_changed: bool


def _resolve(spec: str | Path, what: str) -> Path:
    try:
        return find_release(spec)
    except ListError as exc:
        raise RescreenError(f"{what}: {exc}") from None


def _load(directory: Path, what: str) -> ListRelease:
    try:
        return load_release(directory, cached=True)
    except ListError as exc:
        raise RescreenError(f"{what} ({directory}): {exc}") from None


def old_release_dir(path: Path, audit: Mapping[str, Any], old: str | Path | None) -> Path:
    """The folder of the release the result records: ``old`` (``--old``) when given, else the
    one with the recorded checksum in the store or the package."""
    if old is not None:
        return _resolve(old, "--old")
    checksum = str(audit.get("release_checksum"))
    found = find_release_by_checksum(checksum)
    if found is None:
        raise RescreenError(
            f"{path}: the result was screened on list release {audit.get('release_version')} "
            f"(sha256 {checksum[:12]}...), which is neither in the release store nor the one "
            "shipped: give it with --old RELEASE (a release folder, version or checksum)"
        )
    return found


def _chips(directory: Path) -> tuple[bytes, ...] | None:
    try:
        return tuple(read_release_file(name, directory) for name in CHIP_FILES)
    except ListError:
        return None


def _holding(screener: Screener, keys: Iterable[str]) -> set[int]:
    """Entry indexes (in the screener's release) with a name that has a token of one of
    ``keys``: the names the index holds under each key, kept when one of their tokens has one
    (the index also holds names under their tokens' other forms and runs)."""
    wanted = set(keys)
    index = screener.index
    entries: set[int] = set()
    checked: set[int] = set()
    for key in wanted:
        for name_id in index.names_with_key(key):
            if name_id in checked:
                continue
            checked.add(name_id)
            indexed = index.names[name_id]
            if indexed.entry_index in entries:
                continue
            keys_here = {t.key for v in indexed.normalized.variants for t in scoring_tokens(v)}
            if keys_here & wanted:
                entries.add(indexed.entry_index)
    return entries


def make_plan(
    path: Path, audit: Mapping[str, Any], to: str | Path, old: str | Path | None
) -> Plan:
    """Load both releases, compare them, and choose what to search for."""
    new_dir = _resolve(to, "--to")
    old_dir = old_release_dir(path, audit, old)
    old_release = _load(old_dir, "the recorded list release")
    if old_release.checksum != audit.get("release_checksum"):
        raise RescreenError(
            f"{path}: the result was screened on list release {audit.get('release_version')} "
            f"(sha256 {str(audit.get('release_checksum'))[:12]}...), but {old_dir} holds "
            f"{old_release.version} (sha256 {old_release.checksum[:12]}...)"
        )
    new_release = _load(new_dir, "--to")
    difference = diff(old_release, new_release)
    screener = Screener(new_release)
    drift = weight_drift(old_release, new_release, difference, screener.index.weights)
    changed = {change.id for change in difference.changed}
    targets = {entry.id: entry for entry in difference.added}
    for entry in new_release.entries:
        if entry.id in changed:
            targets[entry.id] = entry
    for entry_index in _holding(screener, drift.material_keys):
        entry = new_release.entries[entry_index]
        targets.setdefault(entry.id, entry)
    return Plan(
        old_release=old_release,
        new_release=new_release,
        new_release_dir=new_dir,
        difference=difference,
        screener=screener,
        drift=drift,
        targets=tuple(sorted(targets.values(), key=lambda entry: entry.id)),
        chips_changed=_chips(old_dir) != _chips(new_dir),
    )


def _rewritten(
    memo: dict[str, str], old_text: str, old: Mapping[str, Any], *, sort_keys: bool,
    **fields: str,
) -> str:
    """``old`` with ``fields`` replaced, as JSON text, remembered by the old block's text (a
    result holds few distinct audit blocks: most rows share one)."""
    known = memo.get(old_text)
    if known is None:
        new = dict(old)
        new.update(fields)
        known = memo[old_text] = json.dumps(new, ensure_ascii=False, sort_keys=sort_keys)
    return known
