"""``screen rescreen`` against a full re-screen of the same stored result, run as a user would.

    .venv/bin/python benchmarks/rescreen.py [--rows 1000000] [--distinct 100000] [--changed 500]

1. The stored result: DISTINCT customer rows are generated as ``benchmarks/batch_throughput.py``
   generates them (ordinary names recombined from ``shared/eval/benign_names_dev.csv`` when it is
   there, one row in fifty a listed name with a typo, reordering or case change) and screened with
   ``screen batch --format jsonl`` on the shipped release: real screening output. Screening a
   million rows would take minutes, so those rows are repeated (their ``line`` numbers made
   consecutive) up to ROWS rows; every repeated row is a row ``screen batch`` wrote.
2. The new release: CHANGED entries of the shipped release, chosen at random (seeded), are taken
   out and put back changed, under their own ids: each entry's primary name is respelt (two
   neighbouring letters swapped, as a list correcting a transliteration does); for every other
   entry the old primary name is kept as an alias, for the rest it is dropped. So the diff is
   CHANGED changed entries, each with a name added; the release has CHANGED / 2 more names, which
   moves every token weight a little (see ``screen.rescreen.drift``).
3. ``screen rescreen RESULT --to NEW`` and ``screen rescreen RESULT --to NEW --full`` run as
   subprocesses, timed (wall clock, two workers each); the outputs are compared line by line.

``--against OTHER/bin/python`` also times another build's delta re-screen (say, the previous
main installed in its own virtualenv) on the same files, alternating with this one's, ``--runs``
times each; medians are printed, and whether the two outputs are the same. ``--reuse`` (with
``--keep``) takes the stored result and the changed release left there by an earlier run.

Not a test: it prints figures for the README. The machine may be shared: run it when it is quiet,
and read the two times against each other rather than alone.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from batch_throughput import generate
from build_info import core_build

REPO = Path(__file__).resolve().parents[1]
SEED = 20250117


def _screen(python: str | None = None) -> str:
    """The ``screen`` command beside ``python`` (default: this interpreter)."""
    folder = Path(python or sys.executable).parent
    found = shutil.which("screen", path=str(folder))
    if found is None and python is None:
        found = shutil.which("screen")
    if found is None:
        raise SystemExit(f"the screen command is not installed beside {folder} (pip install)")
    return found


def stored_result(folder: Path, rows: int, distinct: int) -> Path:
    """A stored ``screen batch`` JSON-lines result of ``rows`` rows (``distinct`` screened)."""
    source = folder / f"customers-{distinct}.csv"
    generate(source, distinct)
    screened = folder / f"screened-{distinct}.jsonl"
    started = time.monotonic()
    subprocess.run(
        [_screen(), "batch", str(source), "-o", str(screened), "--format", "jsonl", "-q"],
        check=False,
    )
    print(f"screened {distinct:,} generated rows in {time.monotonic() - started:.1f} s")
    lines = screened.read_text(encoding="utf-8").splitlines(keepends=True)
    result = folder / f"stored-{rows}.jsonl"
    with result.open("w", encoding="utf-8", newline="") as out:
        for number in range(rows):
            text = lines[number % len(lines)]
            rest = text.partition(", ")[2]  # after {"line": N,
            out.write(f'{{"line": {number + 2}, {rest}')
    print(f"stored result: {result} ({rows:,} rows, {result.stat().st_size / 1e6:.0f} MB)")
    return result


def changed_release(folder: Path, changed: int) -> Path:
    """The shipped release with ``changed`` entries respelt (see the module docstring)."""
    from screen.release.models import Alias
    from screen.release.store import default_release, read_release_file, write_release

    shipped = default_release()
    rng = random.Random(SEED)
    chosen = set(rng.sample(range(len(shipped.entries)), changed))
    entries = []
    respelt_count = 0
    for number, entry in enumerate(shipped.entries):
        if number not in chosen:
            entries.append(entry)
            continue
        name = entry.name
        if len(name) > 3:
            at = rng.randrange(1, len(name) - 2)
            respelt = name[:at] + name[at + 1] + name[at] + name[at + 2 :]
        else:
            respelt = name + name[-1]
        aliases = entry.aliases
        if respelt_count % 2 == 0:
            aliases = (*aliases, Alias(name=name))
        respelt_count += 1
        entries.append(entry.model_copy(update={"name": respelt, "aliases": aliases}))
    target = folder / "release-changed"
    write_release(
        target,
        version=f"{shipped.version}-bench{changed}",
        created=shipped.created,
        sources=shipped.sources,
        entries=entries,
        extra_files={name: read_release_file(name) for name in ("chips/chips.json",
                                                                 "chips/rules.json")},
    )
    return target


def timed(args: list[str], command: str | None = None) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (the command and its worker processes) and exit code of a
    ``screen`` run (``command``: another build's ``screen``)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    done = subprocess.run([command or _screen(), *args], capture_output=True, text=True,
                          check=False)
    seconds = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1, 3):
        sys.stderr.write(done.stderr)
        raise SystemExit(f"screen {' '.join(args)} failed with exit code {done.returncode}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, cpu, done.returncode


def compare(a: Path, b: Path) -> int:
    """Lines that differ between two outputs (they must have as many)."""
    differing = 0
    with a.open("rb") as left, b.open("rb") as right:
        for one, other in zip(left, right, strict=True):
            differing += one != other
    return differing


def main() -> int:
    """Make the stored result and the new release, run both re-screens, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--distinct", type=int, default=100_000)
    parser.add_argument("--changed", type=int, default=500)
    parser.add_argument("--keep", type=Path, help="keep the files in this folder")
    parser.add_argument("--reuse", action="store_true",
                        help="with --keep: reuse the stored result and release found there")
    parser.add_argument("--against", help="another build's python, whose delta is timed too")
    parser.add_argument("--runs", type=int, default=1, help="delta runs of each build")
    args = parser.parse_args()
    if args.reuse and args.keep is None:
        parser.error("--reuse needs --keep")
    other = _screen(args.against) if args.against else None
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        result = folder / f"stored-{args.rows}.jsonl"
        release = folder / "release-changed"
        if args.reuse and result.exists() and release.exists():
            print(f"reusing {result} and {release}")
        else:
            result = stored_result(folder, args.rows, args.distinct)
            release = changed_release(folder, args.changed)
        # the new release's index is built (and cached) here, so neither run below pays for it
        from screen.screener import Screener

        Screener.from_path(str(release))
        delta, full = folder / "delta.jsonl", folder / "full.jsonl"
        summary = folder / "delta.summary.json"
        runs: dict[str, tuple[float, float, float]] = {}
        plan: list[tuple[str, Path, list[str], str | None]] = [
            ("delta", delta, ["--summary", str(summary)], None)
        ]
        if other is not None:
            plan.append(("other", folder / "other.jsonl", [], other))
        timings: dict[str, list[tuple[float, float, float]]] = {}
        for label, output, extra, command in [*plan * args.runs,
                                              ("full", full, ["--full"], None)]:
            seconds, cpu, code = timed(
                ["rescreen", str(result), "--to", str(release), "-o", str(output), "-q", *extra],
                command,
            )
            sidecar = json.loads(Path(f"{output}.audit.json").read_text(encoding="utf-8"))
            working = sidecar["timing"]["seconds"]
            timings.setdefault(label, []).append((seconds, cpu, working))
            print(f"rescreen {label:>5}: {seconds:7.1f} s wall ({working:.1f} s after loading "
                  f"the releases), {cpu:7.1f} s CPU (exit {code})")
        for label, measured in timings.items():
            runs[label] = (
                statistics.median(m[0] for m in measured),
                statistics.median(m[1] for m in measured),
                statistics.median(m[2] for m in measured),
            )
        if args.runs > 1 or other is not None:
            for label in runs:
                seconds, cpu, working = runs[label]
                print(f"median {label:>5}: {seconds:7.1f} s wall ({working:.1f} s after "
                      f"loading), {cpu:7.1f} s CPU over {len(timings[label])} run(s)")
        facts = json.loads(summary.read_text(encoding="utf-8"))
        differing = compare(delta, full)
        print(
            f"rows {facts['rows']:,}; diff {facts['diff']}; screened again "
            f"{sum(facts['rescreened'].values()):,} {facts['rescreened']} (scored against "
            f"fewer entries {facts.get('rescreened_narrowed', 0):,}); carried over "
            f"{facts['carried_over']:,}; words looked at {facts['distinct_words']:,} (summed "
            f"over the processes); names decided {facts.get('names_decided', 0):,}"
        )
        if other is not None:
            ratio = runs["other"][0] / runs["full"][0]
            print(f"other build: delta / full, wall: {ratio:.3f}; its output "
                  + ("is the same" if compare(delta, folder / "other.jsonl") == 0
                     else "DIFFERS"))
        for number, what in enumerate(("wall", "after loading", "CPU")):
            ratio = runs["delta"][[0, 2, 1][number]] / runs["full"][[0, 2, 1][number]]
            print(f"delta / full, {what}: {ratio:.3f} ({1 / ratio:.1f} times as fast)")
        print(
            f"output lines differing from the full re-screen: {differing:,} (drift bound "
            f"{facts['weights']['drift_bound_points']} points)"
        )
        print(f"core: {core_build()}; load average {os.getloadavg()[0]:.1f} on "
              f"{os.cpu_count()} cores at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
