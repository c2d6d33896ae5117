"""Versioned list releases on disk: write, load and verify them (comparing two is
:mod:`screen.release.diff`).

A release is a directory::

    release.json          manifest: version, created, sources, counts, checksum, files
    entries/<LIST>.jsonl  one ListEntry per line (JSON, keys in model order), sorted by id
    chips/...             other data files (ECCN chip rules), listed in ``files`` like the rest

Every data file is listed in the manifest's ``files`` with its sha256. The release checksum is the
sha256 of the sorted lines ``"<path>  <sha256>\\n"`` of those files, so identical sources give
byte-identical files and the same checksum.

Loading fails closed: any problem raises :class:`ListError` naming the file, the line and the field,
and no partial release is ever returned.

Longer than most modules: the release's files are written and read here, in one place, so that
the format and its checks stay in step.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import secrets
import shutil
import stat
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import pydantic
from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from screen.diskcache import default_cache_dir, read_cache, remove_stale, write_cache
from screen.implementation import build_identity
from screen.release.models import ListEntry, ListRelease, ReleaseSource, SourceList
from screen.release.models import NonEmptyStr as _NonEmptyStr
from screen.release.models import Sha256Hex as _Sha256Hex

__all__ = [
    "ENTRIES_DIR",
    "FORMAT_VERSION",
    "LISTS_DIR_ENV",
    "MANIFEST",
    "ListError",
    "default_release",
    "entries_file_bytes",
    "load_release",
    "read_release_file",
    "read_update_record",
    "release_checksum",
    "resolve_release_dir",
    "write_release",
]

MANIFEST = "release.json"
"""File name of a release's manifest."""
ENTRIES_DIR = "entries"
"""Folder of a release's entry files, one per source list."""
FORMAT_VERSION: Literal[1] = 1
"""Version of the on-disk format; a loader refuses any other."""
SHIPPED_RELEASE_DIR = Path(__file__).resolve().parent / "shipped"
"""The release shipped inside the package (package data, so it is there in an installed wheel)."""
LISTS_DIR_ENV = "SCREEN_LISTS_DIR"
"""Environment variable naming the release directory to use instead of the shipped release."""


class ListError(Exception):
    """A list release is missing, corrupt or inconsistent; nothing from it may be used."""

    def __init__(self, file: str, line: int | None, field: str | None, message: str) -> None:
        self.file = file
        self.line = line
        self.field = field
        self.message = message
        where = file if line is None else f"{file}, line {line}"
        what = f"field {field}: " if field else ""
        super().__init__(f"{where}: {what}{message}")


class _Manifest(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    format: Literal[1]
    version: _NonEmptyStr
    created: dt.date
    checksum: _Sha256Hex
    counts: dict[str, int]
    sources: tuple[ReleaseSource, ...]
    files: dict[str, _Sha256Hex]
    update: dict[str, Any] | None = None
    """How ``screen lists update`` made the release (previous release, sources fetched, shrinks
    accepted with ``--accept-shrink``, assertions run); absent from releases built otherwise.
    Not part of the checksum, which covers the data files only."""


_ENTRIES = TypeAdapter(tuple[ListEntry, ...])
_JSON = json.JSONDecoder()


# ----------------------------------------------------------------------------- writing


def release_checksum(files: Mapping[str, str]) -> str:
    """The release checksum: sha256 over the sorted ``"<path>  <sha256>\\n"`` lines of its files."""
    lines = "".join(f"{path}  {files[path]}\n" for path in sorted(files))
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def _entry_line(entry: ListEntry) -> str:
    data = entry.model_dump(mode="json", exclude_defaults=True)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def entries_file_bytes(entries: Iterable[ListEntry]) -> bytes:
    """The bytes of an entries file: one JSON object per line, sorted by id, ``\\n`` line ends."""
    ordered = sorted(entries, key=lambda entry: entry.id)
    return "".join(_entry_line(entry) + "\n" for entry in ordered).encode("utf-8")


def write_release(
    out_dir: Path,
    *,
    version: str,
    created: dt.date,
    sources: Sequence[ReleaseSource],
    entries: Iterable[ListEntry],
    extra_files: Mapping[str, bytes] | None = None,
    update: Mapping[str, Any] | None = None,
) -> ListRelease:
    """Write a release directory and return the release as loaded from it.

    Entry files of lists no longer present are removed; other files in ``out_dir`` (such as a
    README) are kept. The release is written into a new folder beside ``out_dir`` and put in its
    place only when every file is written, so a write that fails or is interrupted leaves
    ``out_dir`` as it was (:func:`_replace_folder`). ``update`` is the record of a list update,
    kept in the manifest (JSON values only).
    """
    by_list: dict[SourceList, list[ListEntry]] = {}
    seen: set[str] = set()
    for entry in entries:
        if entry.id in seen:
            raise ValueError(f"duplicate entry id {entry.id}")
        seen.add(entry.id)
        by_list.setdefault(entry.source_list, []).append(entry)
    files: dict[str, bytes] = {
        f"{ENTRIES_DIR}/{code.value}.jsonl": entries_file_bytes(group)
        for code, group in by_list.items()
    }
    for path in extra_files or {}:
        if path.startswith(f"{ENTRIES_DIR}/") or path == MANIFEST:
            raise ValueError(f"extra file {path} would overwrite release data")
    files.update(extra_files or {})
    hashes = {path: hashlib.sha256(data).hexdigest() for path, data in sorted(files.items())}
    manifest = _Manifest(
        format=FORMAT_VERSION,
        version=version,
        created=created,
        checksum=release_checksum(hashes),
        counts={code.value: len(group) for code, group in sorted(by_list.items())},
        sources=tuple(sorted(sources, key=lambda source: source.name)),
        files=hashes,
        update=dict(update) if update is not None else None,
    )
    document = manifest.model_dump(mode="json")
    if document["update"] is None:
        del document["update"]  # releases not made by an update keep their manifest as it was
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    _replace_folder(out_dir, {**files, MANIFEST: text.encode("utf-8")})
    return load_release(out_dir)


def _is_release_data(relative: Path) -> bool:
    """Whether a file of a release folder is the release's own (rewritten by every write): its
    manifest and its entry files; anything else (a README) is the folder owner's."""
    parts = relative.parts
    return parts == (MANIFEST,) or (
        len(parts) == 2 and parts[0] == ENTRIES_DIR and parts[1].endswith(".jsonl")
    )


def _replace_folder(out_dir: Path, files: Mapping[str, bytes]) -> None:
    """Make ``out_dir`` hold ``files`` (relative path -> bytes) and the files of its own that are
    not release data, all or nothing.

    Everything is written into a new folder beside it first; then the old folder is renamed
    aside, the new one renamed into place, and the old one deleted. A failure before the renames
    leaves ``out_dir`` untouched (the new folder is removed); between the two renames, which
    only a crash can interrupt, the old folder is kept beside, under a name starting with
    ``.<name>.old-``."""
    target = out_dir.resolve() if out_dir.is_symlink() else out_dir
    target.parent.mkdir(parents=True, exist_ok=True)
    tag = f"{os.getpid()}-{secrets.token_hex(4)}"
    staging = target.parent / f".{target.name}.new-{tag}"
    os.mkdir(staging)  # the user's umask applies, as it does to a folder made in place
    try:
        if target.is_dir():
            os.chmod(staging, stat.S_IMODE(target.stat().st_mode))
            for path in sorted(target.rglob("*")):
                relative = path.relative_to(target)
                if path.is_dir() and not path.is_symlink():
                    (staging / relative).mkdir(exist_ok=True)
                elif not _is_release_data(relative) and relative.as_posix() not in files:
                    shutil.copy2(path, staging / relative, follow_symlinks=False)
        for name, data in files.items():
            written = staging / name
            written.parent.mkdir(parents=True, exist_ok=True)
            written.write_bytes(data)
        if target.exists():
            aside = target.parent / f".{target.name}.old-{tag}"
            os.rename(target, aside)
            try:
                os.rename(staging, target)
            except OSError:
                os.rename(aside, target)
                raise
            shutil.rmtree(aside, ignore_errors=True)
        else:
            os.rename(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


# ----------------------------------------------------------------------------- loading


def resolve_release_dir(path: Path | str | None = None) -> Path:
    """The release directory: ``path``, else ``$SCREEN_LISTS_DIR``, else the current release of
    the store in ``$SCREEN_HOME`` (see :mod:`screen.release.home`), else the shipped release.

    The store's pointer is read once here, so a caller that loads the directory returned sees one
    release even while ``screen lists update`` switches to another. Raises :class:`ListError`
    when the store names a release that is not there.
    """
    if path is not None:
        return Path(path)
    override = os.environ.get(LISTS_DIR_ENV)
    if override:
        return Path(override)
    from screen.release.home import current_release_dir  # home imports this module

    return current_release_dir() or SHIPPED_RELEASE_DIR


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


def _offsets(
    text: str, pos: int, path: tuple[int | str, ...], out: dict[tuple[int | str, ...], int]
) -> int:
    """Record where each value of a (well-formed) JSON document starts; returns its end."""
    pos = _skip_space(text, pos)
    out[path] = pos
    opener = text[pos]
    if opener not in "{[":
        return _JSON.raw_decode(text, pos)[1]
    closer = "}" if opener == "{" else "]"
    pos = _skip_space(text, pos + 1)
    index = 0
    while text[pos] != closer:
        if opener == "{":
            key, pos = _JSON.raw_decode(text, pos)
            pos = _skip_space(text, pos) + 1  # the colon
            pos = _offsets(text, pos, (*path, key), out)
        else:
            pos = _offsets(text, pos, (*path, index), out)
            index += 1
        pos = _skip_space(text, pos)
        if text[pos] == ",":
            pos = _skip_space(text, pos + 1)
    return pos + 1


def _line_of_loc(text: str, loc: Sequence[int | str]) -> int | None:
    """The line of a JSON document where the value at ``loc`` (or its nearest parent) starts."""
    offsets: dict[tuple[int | str, ...], int] = {}
    try:
        _offsets(text, 0, (), offsets)
    except (ValueError, IndexError):
        return None
    path = tuple(loc)
    while path not in offsets:
        path = path[:-1]
    return text.count("\n", 0, offsets[path]) + 1


def _field(loc: Sequence[int | str]) -> str | None:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or None


def _decode(file: str, data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ListError(
            file, line, None, f"not valid UTF-8 (byte 0x{data[exc.start]:02x})"
        ) from exc


def _read(directory: Path, relative: str) -> bytes:
    parts = Path(relative).parts
    if Path(relative).is_absolute() or ".." in parts or not parts:
        raise ListError(MANIFEST, None, "files", f"path {relative!r} leaves the release directory")
    try:
        return (directory / relative).read_bytes()
    except FileNotFoundError as exc:
        raise ListError(relative, None, None, f"file missing from {directory}") from exc
    except OSError as exc:
        raise ListError(relative, None, None, f"cannot read: {exc.strerror}") from exc


def _load_manifest(directory: Path) -> _Manifest:
    try:
        data = (directory / MANIFEST).read_bytes()
    except FileNotFoundError as exc:
        raise ListError(MANIFEST, None, None, f"no list release in {directory}") from exc
    except OSError as exc:
        raise ListError(MANIFEST, None, None, f"cannot read: {exc.strerror}") from exc
    if not data.strip():
        raise ListError(MANIFEST, 1, None, "empty file")
    text = _decode(MANIFEST, data)
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ListError(MANIFEST, exc.lineno, None, f"invalid JSON: {exc.msg}") from exc
    try:
        manifest = _Manifest.model_validate(raw)
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = error["loc"]
        raise ListError(MANIFEST, _line_of_loc(text, loc), _field(loc), error["msg"]) from exc
    expected = release_checksum(manifest.files)
    if manifest.checksum != expected:
        raise ListError(
            MANIFEST,
            _line_of_loc(text, ["checksum"]),
            "checksum",
            f"does not match the files listed (expected {expected})",
        )
    return manifest


def _verified(directory: Path, relative: str, sha256: str) -> bytes:
    data = _read(directory, relative)
    actual = hashlib.sha256(data).hexdigest()
    if actual != sha256:
        raise ListError(
            relative,
            None,
            "sha256",
            f"file changed since release: sha256 {actual}, manifest {sha256}",
        )
    return data


def _entry_error(file: str, line: int, exc: ValidationError) -> ListError:
    error = exc.errors()[0]
    if error["type"] == "json_invalid":
        return ListError(file, line, None, f"invalid JSON: {error['msg']}")
    return ListError(file, line, _field(error["loc"]), error["msg"])


def _parse_entries(file: str, data: bytes) -> tuple[ListEntry, ...]:
    if not data:
        raise ListError(file, 1, None, "empty file: an entries file holds at least one entry")
    _decode(file, data)
    if not data.endswith(b"\n"):
        raise ListError(file, data.count(b"\n") + 1, None, "last line has no line end (cut off?)")
    lines = data[:-1].split(b"\n")
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            raise ListError(file, number, None, "blank line")
    # Fast path: one validation of the whole file. Any failure is located line by line below.
    try:
        entries = _ENTRIES.validate_json(b"[" + b",".join(lines) + b"]")
        if len(entries) == len(lines):
            return entries
    except ValidationError:
        pass
    for number, line in enumerate(lines, start=1):
        try:
            ListEntry.model_validate_json(line)
        except ValidationError as exc:
            raise _entry_error(file, number, exc) from exc
    raise ListError(file, None, None, "entries could not be read")  # pragma: no cover


class _RepeatSharer:
    """Makes equal values of entries one object: country codes, programs, source files, dates
    and the like repeat across thousands of entries, and so does each model's record of which
    fields were given. Values are only swapped for equal ones, so no entry changes; the release
    then takes about a tenth less memory (each screening process holds one). Used file by file,
    right after each is parsed, so the duplicates are freed before the next file is read."""

    def __init__(self) -> None:
        self._values: dict[object, object] = {}
        self._field_sets: dict[frozenset[str], set[str]] = {}

    def share(self, entries: Iterable[ListEntry]) -> None:
        """Swap the repeated values of ``entries`` for the ones already seen."""
        for entry in entries:
            self._share(entry, _REPEATING_ENTRY_FIELDS)
            self._share(entry.source, ("file", "date", "url"))
            for alias in entry.aliases:
                self._share(alias, ("remarks",))
            for address in entry.addresses:
                self._share(address, ("country",))

    def _share(self, model: BaseModel, names: tuple[str, ...]) -> None:
        fields = model.__pydantic_fields_set__
        # frozen models never change which fields they were given: one set per pattern will do
        shared_fields = self._field_sets.setdefault(frozenset(fields), fields)
        object.__setattr__(model, "__pydantic_fields_set__", shared_fields)
        attributes = model.__dict__
        values = self._values
        for name in names:
            value = attributes[name]
            attributes[name] = values.setdefault(value, value)


_REPEATING_ENTRY_FIELDS = (
    "countries", "programs", "title", "license_requirement", "license_policy",
    "federal_register", "start_date", "end_date", "remarks", "verification",
)


def _check_entries(file: str, code: SourceList, entries: tuple[ListEntry, ...]) -> None:
    previous = ""
    for number, entry in enumerate(entries, start=1):
        if entry.source_list is not code:
            raise ListError(file, number, "source_list", f"{entry.source_list} in the {code} file")
        if entry.id <= previous:
            raise ListError(file, number, "id", f"{entry.id!r} is out of order or repeated")
        previous = entry.id


def _list_code(relative: str) -> SourceList | None:
    folder, _, name = relative.partition("/")
    if folder != ENTRIES_DIR:
        return None
    stem = name.removesuffix(".jsonl")
    try:
        return SourceList(stem) if name.endswith(".jsonl") else None
    except ValueError:
        raise ListError(
            MANIFEST, None, "files", f"{relative}: unknown source list {stem!r}"
        ) from None


def load_release(path: Path | str | None = None, *, cached: bool = False) -> ListRelease:
    """Load, verify and validate a release directory (None: the release in service, see
    :func:`resolve_release_dir`).

    With ``cached``, the validated release is kept in the on-disk cache (see
    :mod:`screen.diskcache`), keyed by its manifest and by this code, and read back from there
    by the next load of the same files: every load still reads the manifest and checks every
    file's sha256 against it, so a changed or missing file fails exactly as without; only the
    parsing and validation of unchanged files, by unchanged code, is skipped (about two thirds
    of the load). For releases loaded again and again (the one in service, the two a re-screen
    compares); a release being checked for adoption is validated afresh.

    Raises :class:`ListError` on any missing, changed or invalid file; never returns part of a
    release.
    """
    directory = resolve_release_dir(path)
    manifest = _load_manifest(directory)
    if not cached:
        return _load_verified(directory, manifest)
    # the files first: read after the cached release, with the heap grown, the same reads took
    # four times as long; a miss (once per release and machine) then reads them twice
    for relative, sha256 in manifest.files.items():
        _verified(directory, relative, sha256)
    key = _cache_key(manifest)
    if key is None:  # a source tree never built: no cache can be tied to its code
        return _load_verified(directory, manifest)
    cache = default_cache_dir() / f"release-{manifest.checksum[:20]}-{key}.pickle"
    found = read_cache(cache)
    if isinstance(found, ListRelease) and found.checksum == manifest.checksum:
        return found
    release = _load_verified(directory, manifest)
    if write_cache(cache, release):
        remove_stale(cache, "release-*.pickle")
    return release


def _load_verified(directory: Path, manifest: _Manifest) -> ListRelease:
    """The release ``manifest`` describes, every file checked against it and validated.

    Tens of thousands of small objects are made at once: an entry point that owns its process
    pauses the cyclic collector meanwhile (:func:`screen.process.collector_paused`)."""
    return _load_entries(directory, manifest)


def _load_entries(directory: Path, manifest: _Manifest) -> ListRelease:
    entries: list[ListEntry] = []
    counts: Counter[str] = Counter()
    ids: set[str] = set()
    sharer = _RepeatSharer()
    for relative, sha256 in manifest.files.items():
        data = _verified(directory, relative, sha256)
        code = _list_code(relative)
        if code is None:
            continue
        parsed = _parse_entries(relative, data)
        sharer.share(parsed)
        _check_entries(relative, code, parsed)
        counts[code.value] = len(parsed)
        for number, entry in enumerate(parsed, start=1):
            if entry.id in ids:
                raise ListError(relative, number, "id", f"{entry.id!r} is also in another file")
            ids.add(entry.id)
        entries.extend(parsed)
    if dict(counts) != manifest.counts:
        raise ListError(
            MANIFEST, None, "counts", f"manifest says {manifest.counts}, files hold {dict(counts)}"
        )
    entries.sort(key=lambda entry: entry.id)
    return ListRelease(
        version=manifest.version,
        created=manifest.created,
        sources=manifest.sources,
        counts=manifest.counts,
        checksum=manifest.checksum,
        entries=tuple(entries),
    )


@functools.cache
def default_release() -> ListRelease:
    """The release in service (``$SCREEN_LISTS_DIR``, else the store's current release, else the
    shipped one: :func:`resolve_release_dir`), loaded once per process and validated once per
    machine (``load_release(cached=True)``)."""
    return load_release(None, cached=True)


def _cache_key(manifest: _Manifest) -> str | None:
    """What a validated release depends on besides its files' bytes (which the manifest's
    hashes pin): the whole manifest, the installed build of this package (see
    :func:`screen.implementation.build_identity`) and the pydantic that validates. None when
    the code has no build identity."""
    build = build_identity()
    if build is None:
        return None
    digest = hashlib.sha256(manifest.model_dump_json().encode())
    digest.update(f"{pydantic.VERSION} {build}".encode())
    return digest.hexdigest()[:16]


def read_update_record(directory: Path) -> dict[str, Any] | None:
    """The ``update`` record of a release's manifest (None for releases not made by an update).

    The manifest is checked as when loading (format, fields, checksum over its files).
    """
    return _load_manifest(directory).update


def read_release_file(relative_path: str, release_dir: Path | None = None) -> bytes:
    """The bytes of one data file of a release, verified against the manifest's sha256.

    Raises :class:`ListError` when the file is not part of the release, is missing or has changed.
    """
    directory = resolve_release_dir(release_dir)
    manifest = _load_manifest(directory)
    if relative_path not in manifest.files:
        raise ListError(relative_path, None, None, f"not a file of the release in {directory}")
    return _verified(directory, relative_path, manifest.files[relative_path])
