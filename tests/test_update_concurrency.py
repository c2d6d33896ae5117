"""A reader screening in a loop while updates switch releases never fails and never sees a mixed
release: it resolves the release in service once per round, loads it (every file checked against
the manifest, so a mixture of two releases would fail to load) and screens a name on it."""

from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path

import pytest
from update_helpers import fixture_server, options, seed

from screen.release.store import LISTS_DIR_ENV, load_release, resolve_release_dir
from screen.release.update.run import update_lists
from screen.screener import Screener

ROUNDS = (("v2", "v2"), ("v1", "v1"), ("v2", "v1"), ("v1", "v2"), ("v2", "v2"), ("v1", "v1"))
"""(CSL, SDN) fixture versions of each update: every one makes a release of its own."""


def test_a_reader_screening_during_updates_sees_whole_releases(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("SCREEN_HOME", str(home))
    monkeypatch.delenv(LISTS_DIR_ENV, raising=False)
    monkeypatch.setenv("SCREEN_CACHE_DIR", str(tmp_path / "cache"))
    seen: Counter[str] = Counter()
    failures: list[BaseException] = []
    stop = threading.Event()

    def reader() -> None:
        screeners: dict[str, Screener] = {}
        while not stop.is_set():
            try:
                release = load_release(resolve_release_dir())  # resolved once per round
                screener = screeners.get(release.checksum)
                if screener is None:
                    screener = screeners[release.checksum] = Screener(release)
                result = screener.screen("BANCO NACIONAL DE CUBA")
                assert result.audit.release_checksum == release.checksum
                ids = {entry.id for entry in release.entries}
                assert result.hits and all(hit.entry.id in ids for hit in result.hits)
                seen[release.checksum] += 1
            except BaseException as exc:  # the test fails on any of them, below
                failures.append(exc)
                return

    seed(home)
    with fixture_server() as server:
        adopted = {update_lists(options(home, server)).checksum}
        thread = threading.Thread(target=reader, daemon=True)
        thread.start()
        try:
            for csl, sdn in ROUNDS:
                server.serve_release(csl=csl, sdn=sdn)
                outcome = update_lists(options(home, server, accept_shrink=True))
                adopted.add(outcome.checksum)
        finally:
            stop.set()
            thread.join(timeout=60)
    assert not failures, failures[0]
    assert set(seen) <= adopted
    assert len(seen) >= 2, "the reader ran during no switch: nothing was tested"
    assert sum(seen.values()) >= len(ROUNDS)
