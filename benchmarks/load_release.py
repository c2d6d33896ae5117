"""Time loading and validating the full default list release.

Run: ``.venv/bin/python benchmarks/load_release.py [--release DIR] [--repeat N]``

Each run is a full ``screen.release.store.load_release``: manifest check, sha256 of every data file,
pydantic validation of every entry, consistency checks. The target is under 0.5 s. Then, for
the default release only, ``default_release`` as every command and batch worker gets it: the
same manifest and sha256 checks, the validated release read from the on-disk cache.

Each load runs as the commands run it: with the garbage collector paused
(``screen.process.collector_paused``), after the previous load's objects are collected. Until
2026-12-07 the loads ran with the collector on, one after another in one process, and its full
collections over the releases loaded before took half of what was measured (0.9 s a load where
a command takes 0.2 s).
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import statistics
import time
from pathlib import Path

from screen.process import collector_paused
from screen.release.store import MANIFEST, default_release, load_release, resolve_release_dir


def main() -> None:
    """Print the load time of a release (min and median of several runs) and its size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release", type=Path, help="release directory (default: the shipped one)")
    parser.add_argument("--repeat", type=int, default=7, help="number of timed loads")
    args = parser.parse_args()
    directory = resolve_release_dir(args.release)

    times = []
    for _ in range(args.repeat):
        gc.collect()
        with collector_paused():
            start = time.perf_counter()
            release = load_release(directory)
            times.append(time.perf_counter() - start)

    files = [p for p in directory.rglob("*") if p.is_file() and p.name != MANIFEST]
    size = sum(p.stat().st_size for p in files)
    start = time.perf_counter()
    for path in files:
        hashlib.sha256(path.read_bytes()).hexdigest()
    hashing = time.perf_counter() - start

    names = sum(len(entry.names) for entry in release.entries)
    print(f"release {release.version} ({directory})")
    print(f"{len(release.entries)} entries, {names} names, {len(files)} files, {size / 1e6:.1f} MB")
    print(
        f"load_release: min {min(times):.3f} s, median {statistics.median(times):.3f} s "
        f"over {args.repeat} runs (of which reading + sha256 of the files {hashing:.3f} s)"
    )
    if args.release is None:
        default_release()  # makes the cache when it is missing
        cached = []
        for _ in range(args.repeat):
            default_release.cache_clear()
            gc.collect()
            with collector_paused():
                start = time.perf_counter()
                default_release()
                cached.append(time.perf_counter() - start)
        print(
            f"default_release from the validated-release cache: min {min(cached):.3f} s, "
            f"median {statistics.median(cached):.3f} s over {args.repeat} runs"
        )


if __name__ == "__main__":
    main()
