"""Where list releases live on this machine: the data directory and its release store (read side).

The data directory is ``$SCREEN_HOME``, else the platform's user data directory for ``screen``
(``$XDG_DATA_HOME/screen`` or ``~/.local/share/screen`` on Linux, ``~/Library/Application
Support/screen`` on macOS, ``%LOCALAPPDATA%\\screen`` on Windows, as :mod:`platformdirs` gives
it). It holds::

    releases/<VERSION>/   one immutable folder per release (release.json, entries/, chips/,
                          update/ with the proof of the update that made it)
    current               one line: the folder name of the release in service, or ``shipped``
    history.jsonl         one JSON object per adoption or switch, oldest first
    staging/              releases being built; never read as releases
    lock                  held by a process that changes the store

The current release is switched by replacing ``current`` with :func:`os.replace`, which is atomic:
a reader reads it once (:func:`current_release_dir`) and then reads a folder that never changes,
so it sees the old release or the new one, never a mixture. Writing is
:mod:`screen.release.switch`.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_path

from screen.release.store import MANIFEST, SHIPPED_RELEASE_DIR, ListError

__all__ = [
    "CURRENT_FILE",
    "HISTORY_FILE",
    "HOME_ENV",
    "LISTS_AGE_ENV",
    "RELEASES_DIR",
    "SHIPPED",
    "STAGING_DIR",
    "StoredRelease",
    "current_release_dir",
    "current_target",
    "data_home",
    "find_release",
    "find_release_by_checksum",
    "release_summary",
    "stored_releases",
]

HOME_ENV = "SCREEN_HOME"
"""Environment variable naming the data directory (default: the platform's user data dir)."""
LISTS_AGE_ENV = "SCREEN_LISTS_MAX_AGE"
"""Environment variable: days after which ``screen lists info`` warns that a source is old."""
RELEASES_DIR = "releases"
"""Folder of the data directory holding one folder per stored release."""
CURRENT_FILE = "current"
"""File of the data directory naming the release in service."""
HISTORY_FILE = "history.jsonl"
"""File of the data directory recording every adoption and switch."""
STAGING_DIR = "staging"
"""Folder of the data directory where releases are built before they are adopted."""
SHIPPED = "shipped"
"""``current`` names this when the release shipped in the package is in service."""

_VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]*$")
_HEX = re.compile(r"^[0-9a-f]{12,64}$")


def data_home() -> Path:
    """The data directory: ``$SCREEN_HOME``, else the platform's user data dir for ``screen``."""
    configured = os.environ.get(HOME_ENV)
    if configured:
        return Path(configured).expanduser()
    return user_data_path("screen", appauthor=False)


def _home(home: Path | None) -> Path:
    return data_home() if home is None else home


def current_target(home: Path | None = None) -> str | None:
    """What ``current`` names (a stored version or ``shipped``); None when the store has none.

    Raises :class:`ListError` when the file cannot be read or names something malformed.
    """
    path = _home(home) / CURRENT_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise ListError(
            str(path), None, None, f"cannot read the current-release pointer: {exc}"
        ) from exc
    name = text.strip()
    if name != SHIPPED and not _VERSION.match(name):
        raise ListError(str(path), 1, None, f"names no release folder: {name!r}")
    return name


def current_release_dir(home: Path | None = None) -> Path | None:
    """The folder of the release in service in the store, read once; None when the store has none.

    ``shipped`` (after ``screen lists use shipped``) gives the package's release. A pointer to a
    folder that is not there is a :class:`ListError`, never a silent fall back to another release.
    """
    base = _home(home)
    name = current_target(base)
    if name is None:
        return None
    if name == SHIPPED:
        return SHIPPED_RELEASE_DIR
    directory = base / RELEASES_DIR / name
    if not (directory / MANIFEST).is_file():
        raise ListError(
            str(base / CURRENT_FILE),
            1,
            None,
            f"names release {name}, but {directory} holds no release "
            "(run `screen lists history` and `screen lists use VERSION`)",
        )
    return directory


@dataclass(frozen=True)
class StoredRelease:
    """A release folder as its manifest describes it (read without validating the entries)."""

    version: str
    checksum: str
    created: str
    directory: Path
    counts: dict[str, int]


def release_summary(directory: Path) -> StoredRelease | None:
    """Version, checksum, date and counts from a release folder's manifest; None when unreadable.

    Only for finding and listing releases: loading one (:func:`screen.release.store.load_release`)
    still verifies everything.
    """
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
        counts = manifest.get("counts") or {}
        return StoredRelease(
            version=str(manifest["version"]),
            checksum=str(manifest["checksum"]),
            created=str(manifest.get("created", "")),
            directory=directory,
            counts={str(code): int(count) for code, count in counts.items()},
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def stored_releases(home: Path | None = None) -> list[StoredRelease]:
    """Every readable release of the store, oldest folder first (by creation and version)."""
    folder = _home(home) / RELEASES_DIR
    if not folder.is_dir():
        return []
    found = [
        summary
        for child in folder.iterdir()
        if child.is_dir() and (summary := release_summary(child)) is not None
    ]
    return sorted(found, key=lambda release: (release.created, release.version))


def find_release_by_checksum(checksum: str, home: Path | None = None) -> Path | None:
    """The folder of the release with exactly this checksum, in the store or shipped; or None."""
    for release in stored_releases(home):
        if release.checksum == checksum:
            return release.directory
    shipped = release_summary(SHIPPED_RELEASE_DIR)
    if shipped is not None and shipped.checksum == checksum:
        return SHIPPED_RELEASE_DIR
    return None


def _known(home: Path) -> str:
    versions = [release.version for release in stored_releases(home)]
    shipped = release_summary(SHIPPED_RELEASE_DIR)
    if shipped is not None:
        versions.append(f"{shipped.version} (shipped)")
    return ", ".join(versions) if versions else "none"


def _by_version_or_checksum(spec: str, home: Path) -> Path | None:
    if spec == SHIPPED:
        return SHIPPED_RELEASE_DIR
    if spec == CURRENT_FILE:
        return current_release_dir(home) or SHIPPED_RELEASE_DIR
    if _VERSION.match(spec) and (home / RELEASES_DIR / spec / MANIFEST).is_file():
        return home / RELEASES_DIR / spec
    candidates = [*stored_releases(home)]
    shipped = release_summary(SHIPPED_RELEASE_DIR)
    if shipped is not None:
        candidates.append(shipped)
    if shipped is not None and spec == shipped.version:
        return SHIPPED_RELEASE_DIR
    if _HEX.match(spec):
        matches = [r for r in candidates if r.checksum.startswith(spec)]
        checksums = {r.checksum for r in matches}
        if len(checksums) > 1:
            raise ListError(
                spec, None, None, f"checksum prefix of {len(checksums)} releases: give more of it"
            )
        if matches:
            return matches[-1].directory  # identical releases: the newest folder
    return None


def find_release(spec: str | Path, *, home: Path | None = None) -> Path:
    """The folder of a release given its version (as stored), its checksum (or a prefix of at
    least 12 hex digits), ``current``, ``shipped``, or the path of a release folder.

    A :class:`~pathlib.Path` is taken as a folder first; a string as a version or checksum
    first. ``home`` is the data directory (default: :func:`data_home`). Raises
    :class:`ListError` naming the known versions when nothing matches.
    """
    home = _home(home)
    text = str(spec)
    if isinstance(spec, Path) and (spec / MANIFEST).is_file():
        return spec
    found = _by_version_or_checksum(text, home)
    if found is not None:
        return found
    path = Path(spec)
    if (path / MANIFEST).is_file():
        return path
    if path.is_dir():
        raise ListError(MANIFEST, None, None, f"no list release in {path}")
    raise ListError(
        text,
        None,
        None,
        f"no list release with this version, checksum or folder (store {home}; "
        f"known versions: {_known(home)})",
    )
