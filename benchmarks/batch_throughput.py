"""Throughput and memory of ``screen batch`` on generated customer files, run as a user would.

    .venv/bin/python benchmarks/batch_throughput.py [--rows 100000] [--workers 2] [--format csv]
        [--against /path/to/other/venv/bin/python --runs 5]

Generates ROWS distinct names (ordinary names recombined from ``shared/eval/benign_names_dev.csv``
when it is beside the repo, else from a built-in syllable generator, plus one row in fifty a listed
name from the shipped release with a typo, reordering or case change), runs ``screen batch`` on
them as a subprocess, and prints rows/s, wall time and peak memory: the largest single process
(``getrusage(RUSAGE_CHILDREN).ru_maxrss``) and the whole process tree, sampled from ``/proc``
once a second (RSS, which counts pages shared between the processes once per process, and PSS,
which shares them out). Not a test: it prints figures for the README.

``--against`` measures another build (say, the previous main installed in its own virtualenv) in
the same run: the two alternate, this one first, on the same input, so a noisy machine weighs on
both alike, and the medians of each are printed with whether their outputs are identical.
Each build first screens ten rows untimed, so that the timed runs load its release and index
from the on-disk caches, as every run but a machine's first does.

The sampling is sparse on purpose: reading ``smaps_rollup`` of a screening process takes about
8 ms, so sampling the three processes every 20 ms (as this script first did) kept more than half
a core busy and took it from the run being measured. Memory grows to a plateau and stays there,
so a sample a second finds the peak; the largest single process is exact either way.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from build_info import core_build

REPO = Path(__file__).resolve().parents[1]
BENIGN = Path(
    os.environ.get("SCREEN_BENCH_NAMES", REPO.parent / "shared" / "eval" / "benign_names_dev.csv")
)
"""Ordinary names to recombine (override with $SCREEN_BENCH_NAMES, a CSV with name and locale)."""
SEED = 20250116
LISTED_EVERY = 50


def _benign_tokens() -> dict[str, list[list[str]]]:
    """Names of the benign development file split into tokens, by locale."""
    by_locale: dict[str, list[list[str]]] = {}
    with BENIGN.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            tokens = row["name"].split()
            if tokens:
                by_locale.setdefault(row["locale"], []).append(tokens)
    return by_locale


def _syllable_name(rng: random.Random) -> str:
    syllables = ["ka", "lo", "mer", "tin", "sa", "ro", "vek", "an", "del", "ius", "ber", "gu", "ni"]
    forms = ["Ltd", "GmbH", "S.A.", "LLC", "Inc", "AB", "Oy", "S.r.l.", "", "", ""]
    words = [
        "".join(rng.choice(syllables) for _ in range(rng.randint(2, 3))).title()
        for _ in range(rng.randint(1, 3))
    ]
    return " ".join([*words, rng.choice(forms)]).strip()


def _ordinary_names(rng: random.Random) -> object:
    """An endless supply of ordinary names: benign names recombined within their locale."""
    if not BENIGN.exists():
        while True:
            yield _syllable_name(rng)
    by_locale = _benign_tokens()
    locales = sorted(by_locale)
    while True:
        names = by_locale[rng.choice(locales)]
        first, second = rng.choice(names), rng.choice(names)
        cut = rng.randint(1, len(first))
        yield " ".join(
            first[:cut] + second[cut:] if len(second) > cut else first[:cut] + second[-1:]
        )


def _listed_names(rng: random.Random) -> list[str]:
    """Primary names of the shipped release (entities and people), for the listed rows."""
    from screen.release.store import default_release

    names = [entry.name for entry in default_release().entries if len(entry.name) < 80]
    rng.shuffle(names)
    return names[:5000]


def _vary(name: str, rng: random.Random) -> str:
    choice = rng.randrange(4)
    if choice == 0 and len(name) > 6:  # one typo: swap two neighbouring letters
        i = rng.randrange(1, len(name) - 2)
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    if choice == 1 and "," in name:  # "SURNAME, Given" -> "Given SURNAME"
        surname, _, given = name.partition(",")
        return f"{given.strip()} {surname.strip()}"
    if choice == 2:
        return name.title()
    return name


def generate(path: Path, rows: int) -> None:
    """Write ``rows`` customer records (id, name, country) to ``path``."""
    rng = random.Random(SEED)
    ordinary = _ordinary_names(rng)
    listed = _listed_names(rng)
    seen: set[str] = set()
    countries = ["US", "GB", "DE", "FR", "CN", "JP", "KR", "RU", "TR", "ES", "IT", "AE"]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["customer_id", "name", "country"])
        for number in range(1, rows + 1):
            if number % LISTED_EVERY == 0:
                name = _vary(listed[(number // LISTED_EVERY) % len(listed)], rng)
            else:
                name = next(ordinary)  # type: ignore[call-overload]
                while name in seen:  # distinct names, so no cache can flatter the figures
                    name = f"{name} {rng.choice(['Holding', 'Group', 'Trading', 'Services', 'II'])}"
                seen.add(name)
            writer.writerow([f"C{number:07d}", name, rng.choice(countries)])


class _TreeSampler(threading.Thread):
    """Samples the summed RSS and PSS of a process and its descendants from /proc."""

    def __init__(self, root: int, interval: float) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.interval = interval
        self.peak_rss = 0
        self.peak_pss = 0
        self.stop = threading.Event()

    def _tree(self) -> list[int]:
        children: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                    ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
        tree, todo = [], [self.root]
        while todo:
            pid = todo.pop()
            tree.append(pid)
            todo.extend(children.get(pid, []))
        return tree

    def run(self) -> None:
        while not self.stop.is_set():
            rss = pss = 0
            for pid in self._tree():
                try:
                    with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
                        for line in handle:
                            if line.startswith("Rss:"):
                                rss += int(line.split()[1])
                            elif line.startswith("Pss:"):
                                pss += int(line.split()[1])
                except OSError:
                    continue
            self.peak_rss = max(self.peak_rss, rss)
            self.peak_pss = max(self.peak_pss, pss)
            self.stop.wait(self.interval)


def _run(screen: str, source: Path, output: Path, args: argparse.Namespace) -> dict[str, float]:
    """One ``screen batch`` run as a subprocess: its figures, the rusage of that child alone."""
    command = [screen, "batch", str(source), "-o", str(output), "--format", args.format,
               "--workers", str(args.workers)]
    load_before = os.getloadavg()[0]
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    sampler = _TreeSampler(process.pid, args.sample_every)
    sampler.start()
    assert process.stdout is not None
    stdout = process.stdout.read()
    # wait4: this child's own figures (and its reaped workers'), not every child's so far
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.monotonic() - started
    sampler.stop.set()
    sampler.join()
    if args.verbose:
        print(stdout, end="")
    return {
        "exit": process.returncode,
        "wall": wall,
        "rows_per_s": args.rows / wall,
        "max_single_mb": usage.ru_maxrss / 1024,
        "tree_rss_mb": sampler.peak_rss / 1024,
        "tree_pss_mb": sampler.peak_pss / 1024,
        "cpu": usage.ru_utime + usage.ru_stime,
        "load_before": load_before,
        "load_after": os.getloadavg()[0],
    }


def _warm_caches(screen: str, source: Path, output: Path) -> None:
    """Screen the first rows of ``source`` once, untimed, so that the build's release and index
    caches exist before the timed runs: a build whose cache another build evicted (each keeps
    two others', ``screen.diskcache.KEEP_OTHER_BUILDS``) would otherwise rebuild its index, 9 to
    12 s, inside its first timed run."""
    sample = output.with_suffix(".in.csv")
    with source.open(encoding="utf-8") as handle, sample.open("w", encoding="utf-8") as out:
        out.writelines(line for _, line in zip(range(11), handle, strict=False))
    subprocess.run(
        [screen, "batch", str(sample), "-o", str(output), "-q"], capture_output=True, check=False
    )


def _screen_command(python_or_screen: str | None) -> str | None:
    """The ``screen`` command beside this interpreter, or the one given (a command, or the
    Python of another environment whose ``screen`` is then used)."""
    if python_or_screen is None:
        return shutil.which("screen", path=str(Path(sys.executable).parent)) or shutil.which(
            "screen"
        )
    given = Path(python_or_screen)
    if given.name.startswith("python"):
        return shutil.which("screen", path=str(given.parent))
    return str(given) if given.exists() else shutil.which(python_or_screen)


def _print_run(label: str, run: dict[str, float]) -> None:
    print(
        f"  {label:>9}: {run['rows_per_s']:>8,.0f} rows/s  wall {run['wall']:6.2f} s  "
        f"CPU {run['cpu']:6.1f} s  largest process {run['max_single_mb']:5,.0f} MB  "
        f"tree PSS {run['tree_pss_mb']:5,.0f} MB  load {run['load_before']:.1f}/"
        f"{run['load_after']:.1f}  exit {run['exit']:.0f}"
    )


def main() -> int:
    """Generate the input, run ``screen batch`` on it (alternating with ``--against``), print
    the figures and their medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--format", choices=("csv", "jsonl"), default="csv")
    parser.add_argument(
        "--sample-every", type=float, default=1.0, metavar="SECONDS",
        help="how often the process tree's memory is sampled (default: 1 s)",
    )
    parser.add_argument(
        "--keep", type=Path, help="keep the generated input and output in this folder"
    )
    parser.add_argument(
        "--against", metavar="SCREEN_OR_PYTHON",
        help="another build to measure side by side (its screen command, or its environment's "
        "python): runs alternate, this build first, and medians of each are printed",
    )
    parser.add_argument("--runs", type=int, default=1, help="runs of each build (default 1)")
    parser.add_argument("--verbose", action="store_true", help="print each run's summary")
    args = parser.parse_args()

    builds = {"this": _screen_command(None)}
    if args.against:
        builds["against"] = _screen_command(args.against)
    for label, command in builds.items():
        if command is None:
            print(f"no screen command for {label} build (pip install .)", file=sys.stderr)
            return 2
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        source = folder / f"customers-{args.rows}.csv"
        started = time.monotonic()
        generate(source, args.rows)
        print(
            f"generated {args.rows:,} rows in {time.monotonic() - started:.1f} s: {source} "
            f"({source.stat().st_size / 1e6:.1f} MB; ordinary names from "
            f"{BENIGN if BENIGN.exists() else 'the built-in generator'}, "
            f"1 in {LISTED_EVERY} listed)"
        )
        for label, command in builds.items():
            print(f"{label}: {command} batch ... --workers {args.workers} --format {args.format}")
        print(f"this build's matching core: {core_build()}")
        for label, command in builds.items():
            _warm_caches(command, source, folder / f"warm.{label}.csv")
        runs: dict[str, list[dict[str, float]]] = {label: [] for label in builds}
        for _ in range(args.runs):
            for label, command in builds.items():
                output = folder / f"customers-{args.rows}.{label}.{args.format}"
                run = _run(command, source, output, args)
                runs[label].append(run)
                _print_run(label, run)
        if len(builds) == 2:
            this = folder / f"customers-{args.rows}.this.{args.format}"
            against = folder / f"customers-{args.rows}.against.{args.format}"
            if this.exists() and against.exists():
                same = this.read_bytes() == against.read_bytes()
                print(f"outputs of the two builds {'identical' if same else 'DIFFER'}")
            else:
                print("a build wrote no output: see its error above (--verbose)")
        print(f"medians over {args.runs} run(s) each, {os.cpu_count()} CPUs, Python "
              f"{sys.version.split()[0]}:")
        for label, done in runs.items():
            _print_run(label, {key: statistics.median(run[key] for run in done)
                               for key in done[0]})
    return 0


if __name__ == "__main__":
    sys.exit(main())
