"""Single-name latency and throughput of ``Screener.screen`` against the full shipped release.

    python benchmarks/screen_speed.py [--benign ../shared/eval/benign_names_dev.csv] [--names 10000]

The mix is realistic for onboarding: 90% ordinary names (the generated benign names when the
file is there) and 10% listed names with seeded variations (typos, reordering, legal forms).
Prints the time to get a screener (index from the on-disk cache, and built from scratch),
latency percentiles per call (each name screened once), throughput in one process (the median of
three passes over the mix, the name-level cache emptied before each: names not seen before, with
word-level caches warm as in a long-running service), and peak memory.
"""

from __future__ import annotations

import argparse
import csv
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_info import core_build
from variants import sample, variants_of_release

from screen.index.search import NameIndex
from screen.names.normalize import normalize_name
from screen.release.store import load_release
from screen.screener import Screener

DEFAULT_BENIGN = Path(__file__).resolve().parents[2] / "shared" / "eval" / "benign_names_dev.csv"


def percentile(sorted_values: list[float], fraction: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * fraction))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--benign", type=Path, default=DEFAULT_BENIGN)
    parser.add_argument("--names", type=int, default=10_000, help="names in the mix")
    args = parser.parse_args()

    started = time.perf_counter()
    release = load_release()
    loaded = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as empty_cache:
        started = time.perf_counter()
        NameIndex.cached(release, Path(empty_cache))
        built = time.perf_counter() - started
    NameIndex.cached(release)  # make sure the default cache holds this release
    started = time.perf_counter()
    screener = Screener(release)
    from_cache = time.perf_counter() - started
    stats = screener.index.stats()
    print(f"release {release.version} ({release.checksum[:12]}): {stats['entries']:,} entries, "
          f"{stats['names']:,} names and aliases; matching core {core_build()}")
    print(f"load and validate release: {loaded:.2f} s; index built from scratch: {built:.2f} s; "
          f"screener with the index from the on-disk cache: {from_cache:.2f} s")

    listed_count = args.names // 10
    if args.benign.exists():
        with args.benign.open(encoding="utf-8", newline="") as handle:
            benign = [row["name"] for row in csv.DictReader(handle)]
        ordinary = sample(benign, args.names - listed_count)
        print(f"mix: {len(ordinary):,} ordinary names from {args.benign.name} + "
              f"{listed_count:,} listed names with variations")
    else:
        ordinary = []
        listed_count = args.names
        print(f"mix: {args.benign} not found: {listed_count:,} listed names with variations only")
    listed = [variant for variant, _ in variants_of_release(release, listed_count)]
    mix = sample(ordinary + listed, len(ordinary) + len(listed), seed=3)

    for name in mix[:500]:  # warm up lazy tables and caches as a long-running service would
        screener.screen(name)
    normalize_name.cache_clear()
    latencies = []
    hits = 0
    for name in mix:
        begin = time.perf_counter()
        result = screener.screen(name)
        latencies.append(time.perf_counter() - begin)
        hits += result.status == "hit"
    latencies.sort()
    # Throughput on names the screener has not seen (its name-level cache is emptied before
    # each pass; word-level caches stay warm, as in a long-running service), median of 3.
    passes = []
    for _ in range(3):
        normalize_name.cache_clear()
        begin = time.perf_counter()
        for name in mix:
            screener.screen(name)
        passes.append(time.perf_counter() - begin)
    elapsed = sorted(passes)[1]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"latency per name: p50 {percentile(latencies, 0.5) * 1e3:.3f} ms, "
          f"p90 {percentile(latencies, 0.9) * 1e3:.3f} ms, "
          f"p99 {percentile(latencies, 0.99) * 1e3:.3f} ms, max {latencies[-1] * 1e3:.1f} ms")
    print(f"throughput, one process: {len(mix) / elapsed:,.0f} names/s "
          f"({len(mix):,} names in {elapsed:.2f} s, median of 3 passes: "
          f"{', '.join(f'{len(mix) / p:,.0f}' for p in passes)}; {hits:,} hits)")
    print(f"peak RSS: {peak:,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
