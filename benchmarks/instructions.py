"""Instructions spent per screened name, counted by callgrind: a figure that does not move with
the machine's load, for judging a change to the matching code.

    .venv/bin/python benchmarks/instructions.py [--warm 20000] [--names 3000] [--python PY]

Generates the batch benchmark's customer names (see ``batch_throughput.py``), then runs a
screener in a child process under ``valgrind --tool=callgrind`` with instrumentation off while it
loads the release and screens the first WARM names (word caches filling, as in a long batch),
turns instrumentation on with ``callgrind_control`` and screens the next NAMES names, and prints
the instructions counted per name. ``--warm 0`` measures a fresh process (cold caches).
``--python`` runs the child with another environment's interpreter, to compare two versions of
the code on the same names. Needs valgrind (Debian package ``valgrind``). Not a test: it prints
figures for the README and the CHANGELOG. A run takes about a minute.

The child runs as a batch worker does (garbage collector off, young objects collected and all
frozen after every 1,000 names) and ends with ``os._exit`` as soon as the last name is screened:
the interpreter's teardown (freeing the index and the caches) is not screening, yet it was
counted until 2026-11-30, about 20,000 instructions per name, and it changed with anything that
changed what is in memory.

Two things would make the count move between runs of the same code, and both are fixed: the
child runs with ``PYTHONHASHSEED=0`` (string hashes, and with them the layout of every dict and
set, otherwise change from process to process: about 1% either way), and the index is loaded
from its on-disk cache, which a separate process makes first when it is missing (an index built
inside the counted process leaves the word caches filled with the list's own words, and a
"cold" count then came out 6% low).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from batch_throughput import generate

_CHILD = r"""
import csv, gc, os, sys, time
from screen.screener import Screener

source, warm, count, ready, go = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), *sys.argv[4:6]
screener = Screener.default()
# the garbage collector as in a batch worker (screen.batch.workers: _init_worker, _settle_heap)
gc.disable()
gc.freeze()
with open(source, encoding="utf-8", newline="") as handle:
    names = [row["name"] for row in csv.DictReader(handle)]
for number, name in enumerate(names[:warm], start=1):
    screener.screen(name)
    if number % 1000 == 0:
        gc.collect(1)
        gc.freeze()
open(ready, "w").close()
while not os.path.exists(go):
    time.sleep(0.05)
for number, name in enumerate(names[warm : warm + count], start=1):
    screener.screen(name)
    if number % 1000 == 0:
        gc.collect(1)
        gc.freeze()
os._exit(0)  # the interpreter's teardown is not screening: leave it out of the count
"""


def main() -> int:
    """Count the instructions of screening NAMES names after WARM others."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--warm", type=int, default=20_000, help="names screened uncounted first")
    parser.add_argument("--names", type=int, default=3_000, help="names counted")
    parser.add_argument("--python", default=sys.executable, help="interpreter of the child")
    parser.add_argument("--keep", type=Path, help="copy callgrind's output here (for "
                        "callgrind_annotate: where the instructions go, function by function)")
    args = parser.parse_args()
    for tool in ("valgrind", "callgrind_control"):
        if shutil.which(tool) is None:
            print(f"{tool} is not installed (apt-get install valgrind)", file=sys.stderr)
            return 2
    child_env = {**os.environ, "PYTHONHASHSEED": "0"}
    # the index cache of this interpreter's code, made outside the counted process
    subprocess.run(
        [args.python, "-c", "from screen.screener import Screener; Screener.default()"],
        check=True, env=child_env,
    )
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        source, ready, go = folder / "names.csv", folder / "ready", folder / "go"
        generate(source, args.warm + args.names)
        output = folder / "callgrind.out"
        child = subprocess.Popen(
            [
                "valgrind", "--tool=callgrind", "--instr-atstart=no",
                f"--callgrind-out-file={output}",
                args.python, "-c", _CHILD, str(source), str(args.warm), str(args.names),
                str(ready), str(go),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=child_env,
        )
        while not ready.exists():
            if child.poll() is not None:
                print(f"the child stopped early:\n{child.stderr.read() if child.stderr else ''}",
                      file=sys.stderr)
                return 2
            time.sleep(0.2)
        subprocess.run(["callgrind_control", "-i", "on", str(child.pid)], check=True,
                       capture_output=True)
        go.touch()
        _, errors = child.communicate()
        counted = re.search(r"I\s+refs:\s+([\d,]+)", errors)
        if child.returncode != 0 or counted is None:
            print(f"callgrind failed:\n{errors}", file=sys.stderr)
            return 2
        total = int(counted.group(1).replace(",", ""))
        if args.keep is not None:
            shutil.copyfile(output, args.keep)
    print(
        f"{args.python}: {args.names:,} names after {args.warm:,} uncounted: "
        f"{total:,} instructions, {total / args.names:,.0f} per name"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
