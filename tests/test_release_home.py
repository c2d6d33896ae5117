"""screen.release.home: the data directory, the current-release pointer and find_release."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from batch_helpers import write_subset_release

from screen.release import home
from screen.release.home import (
    CURRENT_FILE,
    HOME_ENV,
    RELEASES_DIR,
    current_release_dir,
    data_home,
    find_release,
    find_release_by_checksum,
)
from screen.release.store import (
    LISTS_DIR_ENV,
    MANIFEST,
    SHIPPED_RELEASE_DIR,
    ListError,
    resolve_release_dir,
)


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty data directory in ``$SCREEN_HOME``."""
    monkeypatch.setenv(HOME_ENV, str(tmp_path / "home"))
    monkeypatch.delenv(LISTS_DIR_ENV, raising=False)
    return tmp_path / "home"


def _stored(store: Path, version: str) -> Path:
    return write_subset_release(store / RELEASES_DIR / version, version=version)


def _checksum(directory: Path) -> str:
    return str(json.loads((directory / MANIFEST).read_text())["checksum"])


def test_data_home_is_screen_home_else_the_platform_data_dir(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert data_home() == store
    monkeypatch.delenv(HOME_ENV)
    monkeypatch.setenv("XDG_DATA_HOME", "/somewhere/data")
    monkeypatch.setattr(home, "user_data_path", lambda name, appauthor: Path("/p") / name)
    assert data_home() == Path("/p/screen")


def test_without_a_store_the_shipped_release_is_used(store: Path) -> None:
    assert current_release_dir() is None
    assert resolve_release_dir() == SHIPPED_RELEASE_DIR


def test_the_current_pointer_names_the_release_in_service(store: Path) -> None:
    stored = _stored(store, "2026.03.01")
    (store / CURRENT_FILE).write_text("2026.03.01\n")
    assert current_release_dir() == stored
    assert resolve_release_dir() == stored
    (store / CURRENT_FILE).write_text("shipped\n")
    assert resolve_release_dir() == SHIPPED_RELEASE_DIR


def test_lists_dir_still_overrides_the_store(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _stored(store, "2026.03.01")
    (store / CURRENT_FILE).write_text("2026.03.01\n")
    monkeypatch.setenv(LISTS_DIR_ENV, "/some/release")
    assert resolve_release_dir() == Path("/some/release")


def test_a_pointer_to_a_missing_release_fails_closed(store: Path) -> None:
    store.mkdir()
    (store / CURRENT_FILE).write_text("2026.03.09\n")
    with pytest.raises(ListError, match=r"names release 2026\.03\.09"):
        resolve_release_dir()
    (store / CURRENT_FILE).write_text("../../etc\n")
    with pytest.raises(ListError, match="names no release folder"):
        resolve_release_dir()


def test_find_release_by_version_checksum_keyword_or_path(store: Path, tmp_path: Path) -> None:
    first = _stored(store, "2026.03.01")
    second = _stored(store, "2026.03.08")
    assert find_release("2026.03.01") == first
    assert find_release(second) == second
    assert find_release(str(second)) == second
    assert find_release("shipped") == SHIPPED_RELEASE_DIR
    shipped = json.loads((SHIPPED_RELEASE_DIR / MANIFEST).read_text())
    assert find_release(shipped["version"]) == SHIPPED_RELEASE_DIR
    assert find_release(shipped["checksum"][:12]) == SHIPPED_RELEASE_DIR
    assert find_release("current") == SHIPPED_RELEASE_DIR
    (store / CURRENT_FILE).write_text("2026.03.08\n")
    assert find_release("current") == second
    # both subset releases hold the same entries: one checksum, two folders, the newest found
    assert _checksum(first) == _checksum(second)
    assert find_release(_checksum(first)[:16]) == second
    elsewhere = write_subset_release(tmp_path / "elsewhere", version="subset-x")
    assert find_release(elsewhere) == elsewhere


def test_find_release_names_what_it_knows_when_nothing_matches(store: Path) -> None:
    _stored(store, "2026.03.01")
    with pytest.raises(ListError) as caught:
        find_release("2020.01.01")
    message = str(caught.value)
    assert "2026.03.01" in message and "(shipped)" in message and str(store) in message
    with pytest.raises(ListError, match="no list release in"):
        find_release(store)


def test_find_release_by_checksum_searches_the_store_and_the_shipped_release(store: Path) -> None:
    stored = _stored(store, "2026.03.01")
    assert find_release_by_checksum(_checksum(stored)) == stored
    assert find_release_by_checksum(_checksum(SHIPPED_RELEASE_DIR)) == SHIPPED_RELEASE_DIR
    assert find_release_by_checksum("0" * 64) is None
