"""Files that only save time: what loading a release and building its index computed, kept in
a private directory so the next process can read it back instead of computing it again.

A cached file is never trusted more than the work it replaces: it starts with the sha256 of the
pickle it holds (a damaged file is never unpickled), only files this process's user wrote are
read (unpickling runs code), and a file that cannot be read or written only means the work is
done again. Callers key each file by what it was computed from (a release checksum and a
fingerprint of the code that computed it), so a stale file is never read.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import Final

__all__ = ["CACHE_MAGIC", "default_cache_dir", "read_cache", "remove_stale", "write_cache"]

CACHE_MAGIC: Final = b"screen-index-cache\n"
"""First line of every cache file (its name dates from when the index was the only one)."""


def default_cache_dir() -> Path:
    """``$SCREEN_CACHE_DIR``, else ``$XDG_CACHE_HOME/screen``, else ``~/.cache/screen``."""
    configured = os.environ.get("SCREEN_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "screen"


def read_cache(path: Path) -> object:
    """The object cached in ``path``, or None when the file is missing, damaged, unreadable or
    written by another user."""
    try:
        with path.open("rb") as handle:
            if handle.read(len(CACHE_MAGIC)) != CACHE_MAGIC:
                return None
            digest = handle.readline().strip()
            start = handle.tell()
            hasher = hashlib.sha256()
            for block in iter(lambda: handle.read(1 << 20), b""):
                hasher.update(block)
            if hasher.hexdigest().encode() != digest:
                return None
            if os.fstat(handle.fileno()).st_uid != os.getuid():
                return None
            handle.seek(start)
            # from the file, not from a copy of its bytes: 50 MB less at the peak
            value = pickle.load(handle)
        with contextlib.suppress(OSError):
            os.utime(path)  # in use: remove_stale keeps the most recently used
        return value
    except Exception:  # any failure to read a cache only means: compute it again
        return None


KEEP_OTHER_BUILDS: Final = 2
"""Files of the same data computed by other builds kept beside the current one: two installed
versions on one machine (a service and its upgrade, a test environment) each keep their cache
instead of deleting the other's on every load."""


def remove_stale(current: Path, pattern: str) -> None:
    """Delete the files beside ``current`` matching ``pattern`` (the same data computed by
    other builds) but the :data:`KEEP_OTHER_BUILDS` used most recently: each takes megabytes,
    and most are never read again."""
    others = []
    for path in current.parent.glob(pattern):
        if path != current:
            with contextlib.suppress(OSError):
                others.append((path.stat().st_mtime, path))
    for _, path in sorted(others, reverse=True)[KEEP_OTHER_BUILDS:]:
        with contextlib.suppress(OSError):
            path.unlink()


def write_cache(path: Path, value: object) -> bool:
    """Store ``value`` in ``path`` atomically; a cache that cannot be written is skipped
    (False)."""
    try:
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as tmp:
            tmp.write(CACHE_MAGIC + hashlib.sha256(payload).hexdigest().encode() + b"\n")
            tmp.write(payload)
        os.replace(tmp.name, path)
    except OSError:
        return False
    return True
