"""One list update, from download to the atomic switch, failing closed at every step.

1. Read the assertions file (``--expect``), if any: a bad one fails before any download.
2. Take the store's lock; clear what a crashed update left in ``staging/``; load the release in
   service (the store's current one, else the shipped one).
3. Download every file of every source (in parallel); any failure is one problem line.
4. Convert and combine them (:mod:`.assemble`); any bad row is one problem line.
5. Gates (:mod:`.gates`) on its lists; then write the new release into ``staging/`` with the
   chip data and curated additions the package ships, and read it back (every file verified,
   every entry validated); then the assertions (:mod:`.expect`) on it.
6. If anything failed: remove the staged release and raise :class:`UpdateFailed` with one line
   per problem. The release in service and the store are untouched.
7. If the new release is the release in service (same checksum): nothing is adopted.
8. Else write the proof into the release's ``update/`` folder (``diff.json``, ``summary.txt``)
   and adopt it (:func:`screen.release.switch.adopt`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import urllib.parse
from collections import Counter
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from screen.release.diff import ReleaseDiff, diff
from screen.release.home import RELEASES_DIR, STAGING_DIR, current_release_dir, data_home
from screen.release.models import ListEntry, ListRelease, ReleaseSource, SourceList
from screen.release.store import (
    ENTRIES_DIR,
    SHIPPED_RELEASE_DIR,
    ListError,
    load_release,
    read_release_file,
    write_release,
)
from screen.release.switch import DEFAULT_KEEP, adopt, staging_dir, store_lock
from screen.release.update.assemble import CONS_LISTS, Assembled, Curated, assemble
from screen.release.update.expect import Expectations, check_release, read_expectations
from screen.release.update.fetch import Fetched, FetchError, FetchPolicy, fetch, split_pin
from screen.release.update.gates import GateResult, Shrink, check_gates
from screen.release.update.official import SOURCE_NAMES, SOURCES, OfficialFile, files_of

__all__ = ["PROOF_DIR", "UpdateFailed", "UpdateOptions", "UpdateOutcome", "update_lists"]

PROOF_DIR = "update"
"""Folder of an adopted release holding the proof of the update that made it."""
_CURATED_FILE = "entries/EL.jsonl"


class UpdateFailed(Exception):
    """The update was not adopted; ``problems`` holds one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class UpdateOptions:
    """What to fetch and how strictly to adopt it."""

    urls: Mapping[str, str] = field(default_factory=dict)
    """Source name -> URL, overriding the defaults (``--source NAME=URL``)."""
    without: frozenset[str] = frozenset()
    """Sources not fetched (``--without NAME``)."""
    accept_shrink: bool = False
    expect: Path | None = None
    keep: int = DEFAULT_KEEP
    policy: FetchPolicy = field(default_factory=FetchPolicy)
    home: Path | None = None
    """The data directory (default: ``$SCREEN_HOME`` or the platform's)."""
    workers: int = 4
    """Files downloaded at the same time."""


@dataclass(frozen=True)
class UpdateOutcome:
    """What an update that did not fail did."""

    status: Literal["adopted", "unchanged"]
    version: str
    checksum: str
    directory: Path
    previous_version: str
    previous_checksum: str
    diff: ReleaseDiff | None
    notes: tuple[str, ...]
    superseded: tuple[str, ...]
    accepted: tuple[Shrink, ...]
    assertions: int
    summary: str = ""


def _validate(options: UpdateOptions) -> list[str]:
    known = ", ".join(SOURCE_NAMES)
    problems = [
        f"--source {name}: unknown source (known: {known})"
        for name in options.urls
        if name not in SOURCES
    ]
    problems += [
        f"--without {name}: unknown source (known: {known})"
        for name in sorted(options.without)
        if name not in SOURCES
    ]
    problems += [
        f"--source {name}: a #sha256= pin names one file, but {name} is a base URL of "
        f"{len(SOURCES[name].files)} files"
        for name, url in options.urls.items()
        if name in SOURCES and SOURCES[name].files and split_pin(url)[1] is not None
    ]
    if not set(SOURCE_NAMES) - options.without:
        problems.append("--without: every source left out: nothing to update from")
    return problems


def _download(
    files: list[OfficialFile], policy: FetchPolicy, workers: int
) -> tuple[dict[str, dict[str, Fetched]], list[str]]:
    def one(file: OfficialFile) -> Fetched | FetchError:
        try:
            return fetch(
                file.source, file.url, file.check, policy, allow_empty=file.may_be_empty
            )
        except FetchError as exc:
            return exc

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        results = list(pool.map(one, files))
    downloads: dict[str, dict[str, Fetched]] = {}
    problems: list[str] = []
    for file, result in zip(files, results, strict=True):
        if isinstance(result, FetchError):
            problems.append(str(result))
        else:
            downloads.setdefault(file.source, {})[file.name] = result
    return downloads, problems


def _shipped_extras() -> tuple[Curated, dict[str, bytes]]:
    """The curated additions and the chip files the package ships, each verified."""
    curated = tuple(
        entry
        for line in read_release_file(_CURATED_FILE, SHIPPED_RELEASE_DIR).splitlines()
        if (entry := ListEntry.model_validate_json(line)).verification == "secondary-source"
    )
    manifest = json.loads((SHIPPED_RELEASE_DIR / "release.json").read_text(encoding="utf-8"))
    files = {entry.source.file for entry in curated}
    sources = tuple(
        ReleaseSource.model_validate(source)
        for source in manifest["sources"]
        if source["name"] in files
    )
    extra = {
        path: read_release_file(path, SHIPPED_RELEASE_DIR)
        for path in manifest["files"]
        if not path.startswith(f"{ENTRIES_DIR}/")
    }
    return Curated(curated, sources), extra


def _version(home: Path, today: dt.date) -> str:
    base = today.strftime("%Y.%m.%d")
    version, number = base, 1
    while (home / RELEASES_DIR / version).exists():
        number += 1
        version = f"{base}.{number}"
    return version


def _public_url(url: str) -> str:
    """A URL without its query (OFAC's redirects carry short-lived signatures there)."""
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def _home_sources(without: frozenset[str]) -> dict[str, str]:
    """Which source would supply each list, to name it when no source did."""
    homes = {code.value: "csl" for code in SourceList}
    homes[SourceList.SDN.value] = "ofac-sdn" if "ofac-sdn" not in without else "csl"
    homes[SourceList.UN.value] = "un"
    if "ofac-cons" not in without:
        homes.update({code.value: "ofac-cons" for code in CONS_LISTS})
    return homes


def _record(
    *,
    old: ListRelease,
    urls: Mapping[str, str],
    downloads: Mapping[str, Mapping[str, Fetched]],
    without: frozenset[str],
    gates: GateResult,
    expectations: Expectations | None,
    assembled: Assembled,
) -> dict[str, Any]:
    sources: dict[str, Any] = {}
    for name, files in sorted(downloads.items()):
        sources[name] = {
            "url": urls[name],
            "files": {
                file: {
                    "from": _public_url(fetched.final_url),
                    "bytes": len(fetched.data),
                    "sha256": fetched.sha256,
                    "fetched_at": fetched.fetched_at.isoformat(),
                    "last_modified": (
                        fetched.last_modified.isoformat() if fetched.last_modified else None
                    ),
                    "hash_checked": fetched.verified,
                }
                for file, fetched in sorted(files.items())
            },
            "records": assembled.records.get(name, 0),
        }
    expect = None
    if expectations is not None:
        expect = {
            "file": str(expectations.path),
            "sha256": hashlib.sha256(expectations.path.read_bytes()).hexdigest(),
            "assertions": len(expectations),
        }
    return {
        "updated_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "previous": {"version": old.version, "checksum": old.checksum},
        "sources": sources,
        "without": sorted(without),
        "list_sources": assembled.list_sources,
        "accepted_shrink": [shrink.message for shrink in gates.accepted],
        "superseded": list(assembled.superseded),
        "expect": expect,
    }


def _proof_summary(
    new: ListRelease, changes: ReleaseDiff, record: dict[str, Any], notes: list[str]
) -> str:
    lines = [
        f"List update {record['updated_at']}: release {new.version} replaces "
        f"{changes.old_version}",
        "",
        "sources:",
    ]
    for name, source in record["sources"].items():
        lines.append(f"  {name:<10} {source['records']:>7,} records  {source['url']}")
    for name in record["without"]:
        lines.append(f"  {name:<10} not fetched (--without)")
    if record["accepted_shrink"]:
        lines += ["", "shrinks accepted with --accept-shrink:"]
        lines += [f"  {text}" for text in record["accepted_shrink"]]
    if record["superseded"]:
        lines += ["", "curated additions superseded:"]
        lines += [f"  {text}" for text in record["superseded"]]
    if record["expect"]:
        expect = record["expect"]
        lines += ["", f"assertions: {expect['assertions']} held ({expect['file']})"]
    if notes:
        lines += ["", "notes:"] + [f"  {note}" for note in notes]
    return "\n".join(lines) + "\n\n" + changes.summary(examples=10)


def _diff_json(document: dict[str, Any]) -> str:
    """The diff as JSON with one entry per line: readable with grep and diff, and written by
    the C encoder (an indented dump of tens of thousands of entries takes seconds)."""

    def dumps(value: object) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    parts = []
    for key, value in document.items():
        if isinstance(value, list):
            items = ",\n".join(dumps(item) for item in value)
            parts.append(f"{dumps(key)}:[\n{items}\n]" if value else f"{dumps(key)}:[]")
        else:
            parts.append(f"{dumps(key)}:{dumps(value)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def _write_proof(staged: Path, changes: ReleaseDiff, summary: str) -> None:
    proof = staged / PROOF_DIR
    proof.mkdir()
    (proof / "diff.json").write_text(_diff_json(changes.document()), encoding="utf-8")
    (proof / "summary.txt").write_text(summary, encoding="utf-8")


def _clear_staging(home: Path) -> None:
    staging = home / STAGING_DIR
    if staging.is_dir():
        for leftover in staging.iterdir():  # only a crashed update leaves these (we hold the lock)
            shutil.rmtree(leftover, ignore_errors=True)


def update_lists(options: UpdateOptions, today: dt.date | None = None) -> UpdateOutcome:
    """Fetch, build, check and (when everything holds) adopt a new list release.

    Raises :class:`UpdateFailed` with one line per problem when it does not adopt; the release
    in service and every stored release are then as they were, byte for byte.
    """
    problems = _validate(options)
    if problems:
        raise UpdateFailed(problems)
    try:
        expectations = read_expectations(options.expect) if options.expect else None
    except Exception as exc:  # ExpectError, and anything else reading it: one line
        raise UpdateFailed([f"--expect: {exc}"]) from None
    home = options.home or data_home()
    urls = {
        name: options.urls.get(name, source.default_url)
        for name, source in SOURCES.items()
        if name not in options.without
    }
    with store_lock(home):
        _clear_staging(home)
        old_dir = current_release_dir(home) or SHIPPED_RELEASE_DIR
        try:
            old = load_release(old_dir)
        except ListError as exc:
            raise UpdateFailed(
                [f"the release in service ({old_dir}) cannot be loaded: {exc}"]
            ) from None
        files = [file for name, url in urls.items() for file in files_of(SOURCES[name], url)]
        downloads, problems = _download(files, options.policy, options.workers)
        if problems:
            raise UpdateFailed(problems)
        curated, extra = _shipped_extras()
        assembled = assemble(downloads, urls, curated)
        if assembled.problems:
            raise UpdateFailed([str(problem) for problem in assembled.problems])
        day = today or dt.datetime.now(dt.UTC).date()
        return _build_and_adopt(
            home, options, day, old, urls, downloads, assembled, extra, expectations
        )


def _build_and_adopt(
    home: Path,
    options: UpdateOptions,
    today: dt.date,
    old: ListRelease,
    urls: Mapping[str, str],
    downloads: Mapping[str, Mapping[str, Fetched]],
    assembled: Assembled,
    extra: Mapping[str, bytes],
    expectations: Expectations | None,
) -> UpdateOutcome:
    counts = Counter(entry.source_list.value for entry in assembled.entries)
    gates = check_gates(
        old_counts=old.counts,
        new_counts=counts,
        records=assembled.records,
        urls=urls,
        list_sources=assembled.list_sources,
        home_sources=_home_sources(options.without),
        accept_shrink=options.accept_shrink,
    )
    if gates.problems:
        raise UpdateFailed(gates.problems)
    record = _record(
        old=old,
        urls=urls,
        downloads=downloads,
        without=options.without,
        gates=gates,
        expectations=expectations,
        assembled=assembled,
    )
    assertions = len(expectations) if expectations is not None else 0
    version = _version(home, today)
    staged = staging_dir(home, version)
    try:
        new = write_release(
            staged,
            version=version,
            created=today,
            sources=assembled.sources,
            entries=assembled.entries,
            extra_files=extra,
            update=record,
        )
        if expectations is not None:
            failures = check_release(new, expectations)
            if failures:
                raise UpdateFailed(
                    [f"--expect {expectations.path}: {failure}" for failure in failures]
                )
        if new.checksum == old.checksum:
            shutil.rmtree(staged)
            return UpdateOutcome(
                status="unchanged",
                version=old.version,
                checksum=old.checksum,
                directory=current_release_dir(home) or SHIPPED_RELEASE_DIR,
                previous_version=old.version,
                previous_checksum=old.checksum,
                diff=None,
                notes=tuple(assembled.notes),
                superseded=tuple(assembled.superseded),
                accepted=tuple(gates.accepted),
                assertions=assertions,
            )
        changes = diff(old, new)
        summary = _proof_summary(new, changes, record, assembled.notes)
        _write_proof(staged, changes, summary)
        directory = adopt(home, staged, version, keep=options.keep)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    return UpdateOutcome(
        status="adopted",
        version=new.version,
        checksum=new.checksum,
        directory=directory,
        previous_version=old.version,
        previous_checksum=old.checksum,
        diff=changes,
        notes=tuple(assembled.notes),
        superseded=tuple(assembled.superseded),
        accepted=tuple(gates.accepted),
        assertions=assertions,
        summary=summary,
    )
