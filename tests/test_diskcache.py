"""Caches of other builds beside the current one: the two used most recently stay, so two
installed versions on one machine do not delete each other's cache on every load."""

from __future__ import annotations

import os
from pathlib import Path

from screen.diskcache import KEEP_OTHER_BUILDS, read_cache, remove_stale, write_cache


def test_remove_stale_keeps_the_most_recently_used_other_builds(tmp_path: Path) -> None:
    paths = [tmp_path / f"index-abc-{n}.pickle" for n in range(5)]
    for age, path in enumerate(paths):
        assert write_cache(path, age)
        os.utime(path, (1_000_000 + age, 1_000_000 + age))  # paths[4] the newest
    assert read_cache(paths[0]) == 0  # reading marks it used: now the newest of all
    current = tmp_path / "index-abc-current.pickle"
    assert write_cache(current, "now")
    remove_stale(current, "index-abc-*.pickle")
    left = sorted(p.name for p in tmp_path.iterdir())
    assert len(left) == 1 + KEEP_OTHER_BUILDS
    assert current.name in left and paths[0].name in left and paths[4].name in left
