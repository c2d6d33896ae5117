"""screen.release.store: writing, loading (fail closed), verifying and comparing list releases.

The releases here are built from ``tests/fixtures/sources``: small excerpts of the real public
source files (rows copied unchanged), so every entry is a published one.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from batch_helpers import write_subset_release

import screen.release.store
import screen.release.store as lists_module
from screen.release.diff import diff
from screen.release.models import Alias, ListEntry, ListRelease, SourceList
from screen.release.sources.build import build_release
from screen.release.store import (
    LISTS_DIR_ENV,
    MANIFEST,
    ListError,
    default_release,
    load_release,
    read_release_file,
    release_checksum,
    resolve_release_dir,
    write_release,
)

FIXTURE_SOURCES = Path(__file__).parent / "fixtures" / "sources"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A release built once from the fixture sources (read-only: copy it before changing it)."""
    out = tmp_path_factory.mktemp("release")
    build_release(FIXTURE_SOURCES, out)
    return out


@pytest.fixture
def release_dir(built: Path, tmp_path: Path) -> Path:
    """A private copy of the fixture release that a test may corrupt."""
    target = tmp_path / "release"
    shutil.copytree(built, target)
    return target


def _reseal(directory: Path) -> None:
    """Update the manifest's sha256s and checksum after a file was changed on purpose.

    This models a release that was written wrong (rather than changed after release), so that the
    loader's validation, not its sha256 check, has to catch the problem.
    """
    manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    for path in manifest["files"]:
        manifest["files"][path] = hashlib.sha256((directory / path).read_bytes()).hexdigest()
    manifest["checksum"] = release_checksum(manifest["files"])
    text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    (directory / MANIFEST).write_text(text, encoding="utf-8")


def _replace_line(path: Path, number: int, new: bytes) -> None:
    lines = path.read_bytes().split(b"\n")
    lines[number - 1] = new
    path.write_bytes(b"\n".join(lines))


def _error(directory: Path) -> ListError:
    with pytest.raises(ListError) as caught:
        load_release(directory)
    return caught.value


def test_round_trip_keeps_every_entry(built: Path, tmp_path: Path) -> None:
    release = load_release(built)
    again = write_release(
        tmp_path / "again",
        version=release.version,
        created=release.created,
        sources=release.sources,
        entries=release.entries,
        extra_files={},
    )
    assert again == release
    for path in (built / "entries").iterdir():
        assert (tmp_path / "again" / "entries" / path.name).read_bytes() == path.read_bytes()


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*")) if path.is_file()
    }


def _write_again(release: ListRelease, folder: Path, entries: list[ListEntry]) -> ListRelease:
    return write_release(
        folder, version="again", created=release.created, sources=release.sources,
        entries=entries,
    )


def test_writing_over_a_release_keeps_the_owners_files(built: Path, tmp_path: Path) -> None:
    """A release written over another: its own files are replaced (an entry file of a list it no
    longer has goes), the folder owner's stay, and so does the folder's mode."""
    release = load_release(built)
    folder = tmp_path / "release"
    _write_again(release, folder, list(release.entries))
    (folder / "README.md").write_text("kept\n", encoding="utf-8")
    (folder / "entries" / "notes.txt").write_text("kept too\n", encoding="utf-8")
    folder.chmod(0o750)
    fewer = [entry for entry in release.entries if entry.source_list is not SourceList.SDN]
    again = _write_again(release, folder, fewer)
    assert "SDN" not in again.counts
    assert not (folder / "entries" / "SDN.jsonl").exists()
    assert (folder / "README.md").read_text(encoding="utf-8") == "kept\n"
    assert (folder / "entries" / "notes.txt").read_text(encoding="utf-8") == "kept too\n"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o750
    assert sorted(path.name for path in tmp_path.iterdir()) == ["release"]  # nothing beside


def test_a_write_that_fails_leaves_the_release_as_it_was(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fail closed: a disk that fills up half way through a write leaves the release that was
    there byte for byte, and nothing beside it."""
    release = load_release(built)
    folder = tmp_path / "release"
    first = _write_again(release, folder, list(release.entries))
    before = _tree(folder)
    written = 0
    real_write = Path.write_bytes

    def full_disk(self: Path, data: bytes) -> int:
        nonlocal written
        written += 1
        if written == 3:
            raise OSError(28, "No space left on device")
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", full_disk)
    with pytest.raises(OSError, match="No space left"):
        _write_again(release, folder, list(release.entries)[:100])
    monkeypatch.undo()
    assert _tree(folder) == before
    assert load_release(folder).checksum == first.checksum
    assert sorted(path.name for path in tmp_path.iterdir()) == ["release"]


def test_loaded_entries_share_repeated_values_without_changing_any(built: Path) -> None:
    release = load_release(built)
    by_countries: dict[tuple[str, ...], tuple[str, ...]] = {}
    with_countries = 0
    for entry in release.entries:
        assert ListEntry.model_validate_json(entry.model_dump_json()) == entry
        if entry.countries:
            with_countries += 1
            assert by_countries.setdefault(entry.countries, entry.countries) is entry.countries
    assert with_countries > len(by_countries)  # the fixture repeats some, across files too


def test_loaded_release_is_consistent(built: Path) -> None:
    release = load_release(built)
    assert release.counts == {
        code: sum(e.source_list == code for e in release.entries) for code in release.counts
    }
    assert [e.id for e in release.entries] == sorted({e.id for e in release.entries})
    assert release.checksum == json.loads((built / MANIFEST).read_text())["checksum"]


def test_entries_file_format_is_one_sorted_json_object_per_line(built: Path) -> None:
    data = (built / "entries" / "SDN.jsonl").read_bytes()
    assert data.endswith(b"\n") and b"\r" not in data
    lines = data.decode("utf-8").splitlines()
    ids = [json.loads(line)["id"] for line in lines]
    assert ids == sorted(ids)
    assert all(next(iter(json.loads(line))) == "id" for line in lines)


def test_changed_file_fails_its_sha256(release_dir: Path) -> None:
    path = release_dir / "entries" / "UN.jsonl"
    path.write_bytes(path.read_bytes().replace(b"SADDAM", b"SADAM", 1))
    error = _error(release_dir)
    assert (error.file, error.field) == ("entries/UN.jsonl", "sha256")


def test_wrong_release_checksum(release_dir: Path) -> None:
    manifest = json.loads((release_dir / MANIFEST).read_text())
    manifest["checksum"] = "0" * 64
    (release_dir / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    error = _error(release_dir)
    assert (error.file, error.field) == (MANIFEST, "checksum")
    assert error.line == 5


def test_corrupted_line(release_dir: Path) -> None:
    path = release_dir / "entries" / "SDN.jsonl"
    _replace_line(path, 3, b'{"id":"SDN-15038","source_list":"SDN","name":')
    _reseal(release_dir)
    error = _error(release_dir)
    assert (error.file, error.line) == ("entries/SDN.jsonl", 3)
    assert "invalid JSON" in str(error)


def test_two_objects_on_one_line_are_found(release_dir: Path) -> None:
    path = release_dir / "entries" / "SDN.jsonl"
    lines = path.read_bytes().split(b"\n")
    _replace_line(path, 2, lines[1] + b"," + lines[1])
    _reseal(release_dir)
    error = _error(release_dir)
    assert (error.file, error.line) == ("entries/SDN.jsonl", 2)


def test_missing_field(release_dir: Path) -> None:
    path = release_dir / "entries" / "UN.jsonl"
    entry = json.loads(path.read_bytes().split(b"\n")[1])
    del entry["name"]
    _replace_line(path, 2, json.dumps(entry, ensure_ascii=False).encode("utf-8"))
    _reseal(release_dir)
    error = _error(release_dir)
    assert (error.file, error.line, error.field) == ("entries/UN.jsonl", 2, "name")
    assert "entries/UN.jsonl, line 2: field name:" in str(error)


def test_bad_date(release_dir: Path) -> None:
    path = release_dir / "entries" / "UN.jsonl"
    entry = json.loads(path.read_bytes().split(b"\n")[0])
    entry["start_date"] = "2003-02-30"
    _replace_line(path, 1, json.dumps(entry, ensure_ascii=False).encode("utf-8"))
    _reseal(release_dir)
    error = _error(release_dir)
    assert (error.file, error.line, error.field) == ("entries/UN.jsonl", 1, "start_date")


def test_bad_nested_field_is_named_with_its_path(release_dir: Path) -> None:
    path = release_dir / "entries" / "SDN.jsonl"
    entry = json.loads(path.read_bytes().split(b"\n")[0])
    entry["aliases"][1]["kind"] = "nickname"
    _replace_line(path, 1, json.dumps(entry, ensure_ascii=False).encode("utf-8"))
    _reseal(release_dir)
    error = _error(release_dir)
    assert (error.file, error.line, error.field) == ("entries/SDN.jsonl", 1, "aliases[1].kind")


def test_empty_file(release_dir: Path) -> None:
    (release_dir / "entries" / "FSE.jsonl").write_bytes(b"")
    _reseal(release_dir)
    error = _error(release_dir)
    assert (error.file, error.line) == ("entries/FSE.jsonl", 1)
    assert "empty file" in str(error)


def test_non_utf8_file(release_dir: Path) -> None:
    path = release_dir / "entries" / "SSI.jsonl"
    path.write_bytes(path.read_bytes().replace(b"SME BANK", b"SME B\xc4NK", 1))
    _reseal(release_dir)
    error = _error(release_dir)
    number = next(i for i, line in enumerate(path.read_bytes().split(b"\n"), 1) if b"\xc4" in line)
    assert (error.file, error.line) == ("entries/SSI.jsonl", number)
    assert "UTF-8" in str(error)


def test_truncated_file(release_dir: Path) -> None:
    path = release_dir / "entries" / "EL.jsonl"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    _reseal(release_dir)
    error = _error(release_dir)
    assert error.file == "entries/EL.jsonl"
    assert error.line == data[: len(data) // 2].count(b"\n") + 1


def test_entry_in_the_wrong_file(release_dir: Path) -> None:
    un = (release_dir / "entries" / "UN.jsonl").read_bytes().split(b"\n")[0]
    path = release_dir / "entries" / "UVL.jsonl"
    path.write_bytes(path.read_bytes() + un + b"\n")
    _reseal(release_dir)
    error = _error(release_dir)
    assert (error.file, error.line, error.field) == ("entries/UVL.jsonl", 2, "source_list")


def test_entries_out_of_order(release_dir: Path) -> None:
    path = release_dir / "entries" / "PLC.jsonl"
    first, second, end = path.read_bytes().split(b"\n")
    path.write_bytes(b"\n".join([second, first, end]))
    _reseal(release_dir)
    error = _error(release_dir)
    assert (error.file, error.line, error.field) == ("entries/PLC.jsonl", 2, "id")


def test_missing_data_file(release_dir: Path) -> None:
    (release_dir / "entries" / "MEU.jsonl").unlink()
    error = _error(release_dir)
    assert error.file == "entries/MEU.jsonl"
    assert "missing" in str(error)


def test_manifest_missing_field_names_its_line(release_dir: Path) -> None:
    manifest = json.loads((release_dir / MANIFEST).read_text())
    del manifest["sources"][1]["sha256"]
    (release_dir / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    error = _error(release_dir)
    assert (error.file, error.field) == (MANIFEST, "sources[1].sha256")
    lines = (release_dir / MANIFEST).read_text().splitlines()
    assert error.line is not None and '"name": "csl/consolidated-sample-2025.csv"' in "\n".join(
        lines[error.line - 3 : error.line + 3]
    )


def test_manifest_bad_date(release_dir: Path) -> None:
    text = (release_dir / MANIFEST).read_text()
    (release_dir / MANIFEST).write_text(text.replace('"created": "', '"created": "x', 1))
    error = _error(release_dir)
    assert (error.file, error.line, error.field) == (MANIFEST, 4, "created")


def test_manifest_counts_must_match(release_dir: Path) -> None:
    manifest = json.loads((release_dir / MANIFEST).read_text())
    manifest["counts"]["SDN"] += 1
    (release_dir / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    error = _error(release_dir)
    assert (error.file, error.field) == (MANIFEST, "counts")


def test_no_release_at_all(tmp_path: Path) -> None:
    error = _error(tmp_path)
    assert error.file == MANIFEST
    assert str(tmp_path) in str(error)


def test_path_outside_release_is_refused(release_dir: Path) -> None:
    manifest = json.loads((release_dir / MANIFEST).read_text())
    manifest["files"]["../outside.jsonl"] = "0" * 64
    manifest["checksum"] = release_checksum(manifest["files"])
    (release_dir / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    error = _error(release_dir)
    assert (error.file, error.field) == (MANIFEST, "files")


def test_read_release_file_verifies_the_file(release_dir: Path) -> None:
    data = read_release_file("entries/FSE.jsonl", release_dir)
    assert b"KAYAKIRAN" in data
    (release_dir / "entries" / "FSE.jsonl").write_bytes(data + b"\n")
    with pytest.raises(ListError) as caught:
        read_release_file("entries/FSE.jsonl", release_dir)
    assert caught.value.field == "sha256"
    with pytest.raises(ListError):
        read_release_file("entries/NOPE.jsonl", release_dir)


def test_release_dir_override(monkeypatch: pytest.MonkeyPatch, built: Path) -> None:
    monkeypatch.setenv(LISTS_DIR_ENV, str(built))
    assert resolve_release_dir() == built
    assert load_release().checksum == load_release(built).checksum
    monkeypatch.delenv(LISTS_DIR_ENV)
    shipped = resolve_release_dir()
    # package data: found beside the installed code, not in a source checkout's root
    assert shipped.parent == Path(screen.release.store.__file__).resolve().parent
    assert (shipped / MANIFEST).is_file()


def test_default_release_is_the_shipped_one_and_cached(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(LISTS_DIR_ENV, raising=False)
    default_release.cache_clear()
    try:
        release = default_release()
        assert default_release() is release
        shipped = json.loads((resolve_release_dir() / MANIFEST).read_text())
        assert release.checksum == shipped["checksum"]
        assert release.version == shipped["version"]
    finally:
        default_release.cache_clear()


def _edited(release: ListRelease, tmp: Path) -> ListRelease:
    """The release with one entry removed, one alias added and one remark changed."""
    entries = {entry.id: entry for entry in release.entries}
    del entries["UVL-f15fa805ff4ac5e09026f5e78011a1bb6b26dec2"]
    sdn = entries["SDN-52291"]
    entries["SDN-52291"] = sdn.model_copy(
        update={"aliases": (*sdn.aliases, Alias(name="RIM Ryong-nam"))}
    )
    fse = entries["FSE-26182"]
    entries["FSE-26182"] = fse.model_copy(update={"remarks": "edited"})
    return write_release(
        tmp,
        version="edited",
        created=release.created,
        sources=release.sources,
        entries=list(entries.values()),
    )


def test_diff_of_two_small_releases(built: Path, tmp_path: Path) -> None:
    old = load_release(built)
    new = _edited(old, tmp_path / "new")
    changes = diff(old, new)
    assert [e.id for e in changes.removed] == ["UVL-f15fa805ff4ac5e09026f5e78011a1bb6b26dec2"]
    assert changes.added == ()
    by_id = {c.id: c for c in changes.changed}
    assert set(by_id) == {"SDN-52291", "FSE-26182"}
    assert by_id["SDN-52291"].fields == ("aliases",)
    assert by_id["SDN-52291"].names_added == ("RIM Ryong-nam",)
    assert by_id["FSE-26182"].fields == ("remarks",)
    assert by_id["FSE-26182"].names_added == by_id["FSE-26182"].names_removed == ()
    back = diff(new, old)
    assert [e.id for e in back.added] == ["UVL-f15fa805ff4ac5e09026f5e78011a1bb6b26dec2"]
    assert {c.id: c.names_removed for c in back.changed}["SDN-52291"] == ("RIM Ryong-nam",)
    summary = changes.summary()
    assert "added 0, removed 1, changed 2" in summary
    assert "UVL-f15fa805ff4ac5e09026f5e78011a1bb6b26dec2  Atlas Sanatgaran" in summary
    assert diff(old, old).changed == diff(old, old).added == ()


def test_entry_ids_are_unique_when_writing(built: Path, tmp_path: Path) -> None:
    release = load_release(built)
    entry: ListEntry = release.entries[0]
    with pytest.raises(ValueError, match="duplicate entry id"):
        write_release(
            tmp_path,
            version="x",
            created=release.created,
            sources=release.sources,
            entries=[entry, entry],
        )


@pytest.fixture
def small_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """``default_release`` pointed at a five-entry release, with a cache directory of its own."""
    release_dir = write_subset_release(tmp_path / "release")
    monkeypatch.setenv(LISTS_DIR_ENV, str(release_dir))
    monkeypatch.setenv("SCREEN_CACHE_DIR", str(tmp_path / "cache"))
    default_release.cache_clear()
    yield release_dir
    default_release.cache_clear()


def _release_caches(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache").glob("release-*.pickle"))


def test_default_release_is_validated_once_then_read_from_the_cache(
    small_default: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = default_release()
    assert len(_release_caches(tmp_path)) == 1
    default_release.cache_clear()

    def no_validation(directory: Path, manifest: object) -> ListRelease:
        raise AssertionError("the release was parsed and validated again")

    monkeypatch.setattr(lists_module, "_load_entries", no_validation)
    again = default_release()
    assert again is not first
    assert again == first  # every entry and field equal


def test_a_changed_file_fails_closed_even_with_a_cached_release(small_default: Path) -> None:
    default_release()
    default_release.cache_clear()
    changed = next((small_default / "entries").glob("*.jsonl"))
    changed.write_bytes(changed.read_bytes() + b"\n")
    with pytest.raises(ListError) as caught:
        default_release()
    assert caught.value.file == f"entries/{changed.name}"
    assert caught.value.field == "sha256"


def test_a_damaged_cached_release_is_not_read(small_default: Path, tmp_path: Path) -> None:
    first = default_release()
    default_release.cache_clear()
    (cache,) = _release_caches(tmp_path)
    cache.write_bytes(cache.read_bytes()[:-16] + b"\0" * 16)
    assert default_release() == first  # validated again from the files
    assert _release_caches(tmp_path) == [cache]


def test_another_manifest_is_another_cached_release(
    small_default: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    default_release()
    default_release.cache_clear()
    other = write_subset_release(tmp_path / "other", version="subset-2")
    monkeypatch.setenv(LISTS_DIR_ENV, str(other))
    default_release.cache_clear()  # write_subset_release read the release it was given
    assert default_release().version == "subset-2"
    # the first release's cache stays beside it: the KEEP_OTHER_BUILDS files used most
    # recently are kept (see screen.diskcache.remove_stale)
    assert len(_release_caches(tmp_path)) == 2


def test_load_release_uses_the_cache_only_when_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release_dir = write_subset_release(tmp_path / "release")
    monkeypatch.setenv("SCREEN_CACHE_DIR", str(tmp_path / "cache"))
    plain = load_release(release_dir)
    assert _release_caches(tmp_path) == []  # a release checked for adoption leaves no cache
    first = load_release(release_dir, cached=True)
    assert len(_release_caches(tmp_path)) == 1
    assert first == plain

    def no_validation(directory: Path, manifest: object) -> ListRelease:
        raise AssertionError("the release was parsed and validated again")

    monkeypatch.setattr(lists_module, "_load_entries", no_validation)
    assert load_release(release_dir, cached=True) == first
    changed = next((release_dir / "entries").glob("*.jsonl"))
    changed.write_bytes(changed.read_bytes() + b"\n")
    with pytest.raises(ListError) as caught:  # the files are still checked, every load
        load_release(release_dir, cached=True)
    assert caught.value.field == "sha256"
