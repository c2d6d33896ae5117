"""What Python's cyclic garbage collector costs a long-running process that screens new names.

    .venv/bin/python benchmarks/service_gc.py [--names 60000]

A service builds its ``Screener`` once and then screens a stream of names it has not seen. The
screener holds about a million objects the collector tracks; each full collection walks them
all, and the word caches that grow while new names come in keep triggering full collections.
``gc.freeze()`` once the screener is built takes those objects out of the collector's scans.

This script generates NAMES distinct customer names (as ``batch_throughput.py`` does), screens
them in a fresh process twice, once as is and once after ``gc.freeze()``, one run after the
other, and prints for each the CPU time, the time spent in collections (timed with
``gc.callbacks``) and the number of full collections. Not a test: it prints figures for the
README.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from batch_throughput import generate

_CHILD = r"""
import csv, gc, json, sys, time
from screen.screener import Screener

screener = Screener.default()
if sys.argv[2] == "frozen":
    gc.freeze()
spent = [0.0, 0.0]

def timer(phase, info):
    if phase == "start":
        spent[1] = time.perf_counter()
    else:
        spent[0] += time.perf_counter() - spent[1]

with open(sys.argv[1], encoding="utf-8", newline="") as handle:
    names = [row["name"] for row in csv.DictReader(handle)]
gc.callbacks.append(timer)
started = time.process_time()
for name in names:
    screener.screen(name)
cpu = time.process_time() - started
gc.callbacks.remove(timer)
print(json.dumps({"cpu": cpu, "gc": spent[0], "full": gc.get_stats()[2]["collections"],
                  "names": len(names)}))
"""


def main() -> int:
    """Generate the names, screen them in a child process with and without gc.freeze()."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--names", type=int, default=60_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        source = Path(scratch) / "names.csv"
        generate(source, args.names)
        for mode in ("as is", "frozen"):
            output = subprocess.run(
                [sys.executable, "-c", _CHILD, str(source), mode.replace("as is", "plain")],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            figures = json.loads(output.strip().splitlines()[-1])
            print(
                f"{mode:>6}: {figures['names']:,} new names in {figures['cpu']:.2f} s CPU "
                f"({figures['names'] / figures['cpu']:,.0f} names/s); in collections "
                f"{figures['gc']:.2f} s ({100 * figures['gc'] / figures['cpu']:.0f}%), "
                f"{figures['full']} full collections"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
