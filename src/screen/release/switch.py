"""Changing the release store (write side): adopt a built release, switch back, keep history.

The layout is described in :mod:`screen.release.home`. Every change holds the store's lock (one
writer at a time; readers never lock) and follows the same order, so that a crash at any point
leaves the store usable:

1. a new release is complete in ``staging/`` (written, read back, checked) before anything else;
2. it is renamed into ``releases/<VERSION>`` (one atomic rename on one file system), its files
   made read-only;
3. ``current`` is replaced by a file naming it (written beside, flushed to disk, then
   :func:`os.replace`): the switch itself, atomic for every reader;
4. the change is appended to ``history.jsonl``, then releases beyond the kept count are removed
   (never the current one, nor the one it replaced).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import stat
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from screen.release.home import (
    CURRENT_FILE,
    HISTORY_FILE,
    RELEASES_DIR,
    SHIPPED,
    STAGING_DIR,
    current_target,
    data_home,
    find_release,
    release_summary,
    stored_releases,
)
from screen.release.store import SHIPPED_RELEASE_DIR, ListError

__all__ = [
    "DEFAULT_KEEP",
    "HistoryEvent",
    "StoreBusy",
    "adopt",
    "read_history",
    "staging_dir",
    "store_lock",
    "use_release",
]

DEFAULT_KEEP = 20
"""Stored releases kept after an update (older ones are removed; see ``--keep``)."""
_LOCK_FILE = "lock"


class StoreBusy(Exception):
    """Another process is changing the release store."""


@dataclass(frozen=True)
class HistoryEvent:
    """One adoption or switch, as recorded in ``history.jsonl``."""

    at: str
    action: str
    """``update`` (a new release adopted) or ``use`` (switched to a stored one)."""
    version: str
    checksum: str
    previous_version: str | None
    previous_checksum: str | None


def _lock_file(handle: IO[bytes]) -> None:
    if sys.platform == "win32":
        import msvcrt

        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)


@contextlib.contextmanager
def store_lock(home: Path | None = None) -> Iterator[Path]:
    """Hold the store's lock (created with the store if needed); :class:`StoreBusy` when held.

    The lock is the operating system's (``flock``), so it goes with the process that held it:
    a crashed update never leaves the store locked.
    """
    base = data_home() if home is None else home
    base.mkdir(parents=True, exist_ok=True)
    handle = (base / _LOCK_FILE).open("a+b")
    try:
        try:
            _lock_file(handle)
        except OSError:
            raise StoreBusy(
                f"another screen process is changing the release store {base} "
                "(a list update or switch); try again when it has finished"
            ) from None
        yield base
    finally:
        handle.close()  # closing releases the lock


def staging_dir(home: Path, version: str) -> Path:
    """A new, empty folder in ``staging/`` for building release ``version``."""
    staging = home / STAGING_DIR
    staging.mkdir(parents=True, exist_ok=True)
    for number in range(1, 1000):
        candidate = staging / f"{version}.{os.getpid()}.{number}"
        try:
            candidate.mkdir()
        except FileExistsError:
            continue
        return candidate
    raise OSError(f"cannot make a staging folder in {staging}")


def _fsync_dir(directory: Path) -> None:
    if sys.platform == "win32":
        return  # directories cannot be opened for flushing there; os.replace is still atomic
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with temporary.open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    _fsync_dir(path.parent)


def _read_only(directory: Path) -> None:
    for path in directory.rglob("*"):
        if path.is_file():
            path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)


def _remove(directory: Path) -> None:
    def writable_again(function: Callable[[str], object], path: str, _info: object) -> None:
        os.chmod(path, stat.S_IWRITE | stat.S_IREAD)  # read-only files block removal on Windows
        function(path)

    shutil.rmtree(directory, onerror=writable_again)


def _append_history(home: Path, event: HistoryEvent) -> None:
    line = json.dumps(event.__dict__, ensure_ascii=False, separators=(",", ":")) + "\n"
    with (home / HISTORY_FILE).open("a", encoding="utf-8") as handle:
        handle.write(line)
        handle.flush()
        os.fsync(handle.fileno())


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _in_service(home: Path) -> tuple[str | None, str | None, str | None]:
    """(what ``current`` names, its version, its checksum) before a change."""
    target = current_target(home)
    directory = (
        SHIPPED_RELEASE_DIR
        if target in (None, SHIPPED)
        else home / RELEASES_DIR / str(target)
    )
    summary = release_summary(directory)
    if summary is None:
        return target, None, None
    return target, summary.version, summary.checksum


def _switch(home: Path, target: str, action: str) -> HistoryEvent:
    _, previous_version, previous_checksum = _in_service(home)
    directory = SHIPPED_RELEASE_DIR if target == SHIPPED else home / RELEASES_DIR / target
    summary = release_summary(directory)
    if summary is None:
        raise ListError(str(directory), None, None, "not a readable release")
    _write_atomically(home / CURRENT_FILE, target + "\n")
    event = HistoryEvent(
        _now(), action, summary.version, summary.checksum, previous_version, previous_checksum
    )
    _append_history(home, event)
    return event


def prune(home: Path, keep: int, protect: set[str]) -> list[str]:
    """Remove the oldest stored releases beyond ``keep`` (never those in ``protect``)."""
    stored = stored_releases(home)
    removable = [r for r in stored if r.directory.name not in protect]
    excess = len(stored) - max(keep, 0)
    removed = []
    for release in removable[: max(excess, 0)]:
        _remove(release.directory)
        removed.append(release.directory.name)
    return removed


def adopt(home: Path, staged: Path, version: str, *, keep: int = DEFAULT_KEEP) -> Path:
    """Move a checked release from ``staged`` into the store, make it current and prune.

    The caller holds :func:`store_lock`. Returns the release's folder in the store.
    """
    releases = home / RELEASES_DIR
    releases.mkdir(parents=True, exist_ok=True)
    target = releases / version
    if target.exists():
        raise ListError(str(target), None, None, "a release of this version is already stored")
    _read_only(staged)
    os.rename(staged, target)
    _fsync_dir(releases)
    previous = current_target(home)
    _switch(home, version, "update")
    prune(home, keep, {version, previous or ""})
    return target


def use_release(spec: str, home: Path | None = None) -> HistoryEvent:
    """Make the stored release ``spec`` (a version, a checksum prefix or ``shipped``) current.

    Raises :class:`ListError` when ``spec`` names no release of the store (a folder elsewhere
    cannot be put in service: copy it in with an update instead).
    """
    base = data_home() if home is None else home
    directory = find_release(spec, home=base)
    if directory == SHIPPED_RELEASE_DIR:
        target = SHIPPED
    elif directory.parent.resolve() == (base / RELEASES_DIR).resolve():
        target = directory.name
    else:
        raise ListError(
            str(spec), None, None, f"not a release of the store {base}: only stored releases "
            "(screen lists history) or `shipped` can be put in service"
        )
    with store_lock(base):
        return _switch(base, target, "use")


def read_history(home: Path | None = None) -> list[HistoryEvent]:
    """Every recorded adoption and switch, oldest first (unreadable lines are skipped)."""
    base = data_home() if home is None else home
    try:
        lines = (base / HISTORY_FILE).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    events = []
    for line in lines:
        with contextlib.suppress(ValueError, TypeError):
            events.append(HistoryEvent(**json.loads(line)))
    return events
