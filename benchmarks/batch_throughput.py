"""Throughput and memory of ``screen batch`` on generated customer files, run as a user would.

    .venv/bin/python benchmarks/batch_throughput.py [--rows 100000] [--workers 2] [--format csv]

Generates ROWS distinct names (ordinary names recombined from ``shared/eval/benign_names_dev.csv``
when it is beside the repo, else from a built-in syllable generator, plus one row in fifty a listed
name from the shipped release with a typo, reordering or case change), runs ``screen batch`` on
them as a subprocess, and prints rows/s, wall time and peak memory: the largest single process
(``getrusage(RUSAGE_CHILDREN).ru_maxrss``) and the whole process tree, sampled from ``/proc``
once a second (RSS, which counts pages shared between the processes once per process, and PSS,
which shares them out). Not a test: it prints figures for the README.

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
import resource
import shlex
import shutil
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


def main() -> int:
    """Generate the input, run ``screen batch`` on it, print the figures."""
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
    args = parser.parse_args()

    screen = shutil.which("screen", path=str(Path(sys.executable).parent)) or shutil.which("screen")
    if screen is None:
        print("the screen command is not installed (pip install -e .)", file=sys.stderr)
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
        output = folder / f"customers-{args.rows}.screened.{args.format}"
        command = [
            screen,
            "batch",
            str(source),
            "-o",
            str(output),
            "--format",
            args.format,
            "--workers",
            str(args.workers),
        ]
        load_before = os.getloadavg()[0]
        started = time.monotonic()
        process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        sampler = _TreeSampler(process.pid, args.sample_every)
        sampler.start()
        stdout, _ = process.communicate()
        wall = time.monotonic() - started
        sampler.stop.set()
        sampler.join()
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        max_single = usage.ru_maxrss / 1024
        cpu = usage.ru_utime + usage.ru_stime
        print(stdout, end="")
        print(f"command:   {shlex.join(['screen', *command[1:]])}")
        print(f"exit code: {process.returncode} (1 = hits found, as expected)")
        print(f"wall time: {wall:.2f} s including start-up and loading the release")
        print(f"rows/s:    {args.rows / wall:,.0f}")
        print(
            f"peak RSS:  largest single process {max_single:,.0f} MB; whole tree "
            f"{sampler.peak_rss / 1024:,.0f} MB RSS (shared pages counted per process), "
            f"{sampler.peak_pss / 1024:,.0f} MB PSS (tree sampled every {args.sample_every:g} s)"
        )
        print(
            f"CPU time:  {cpu:.1f} s over all processes "
            f"({args.rows / cpu:,.0f} rows per CPU-second; {cpu / wall:.2f} cores busy on average)"
        )
        print(
            f"machine:   {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, matching core "
            f"{core_build()}, load average "
            f"{load_before:.2f} before / {os.getloadavg()[0]:.2f} after "
            "(other work shares the CPUs)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
