"""Measure matching quality on labelled name pairs.

    python benchmarks/eval_pairs.py ../shared/eval/pairs_dev.csv [--benign BENIGN.csv]

List mode (the one that counts): each query is screened against the whole default release; a
pair counts as found when a hit's entry has ``list_name`` among its names. Pair mode scores the
query against ``list_name`` alone with ``score_pair``. Prints recall and precision at the default
threshold per category, the misses, the false alerts, a threshold sweep, the alert rate on the
benign names, and the candidate recall of the index against exhaustive scoring.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from screen import Screener
from screen.matching.score import DEFAULT_THRESHOLD, score_pair

SWEEP = (60.0, 65.0, 70.0, 72.5, 75.0, 77.5, 80.0, 82.5, 85.0, 87.5, 90.0, 95.0)


@dataclass(frozen=True)
class Pair:
    query: str
    list_name: str
    label: int
    category: str


@dataclass
class Outcome:
    pair: Pair
    list_score: float  # best score of an entry carrying list_name (0 when none is a hit)
    pair_score: float
    top: str  # best hit overall, for the report


def read_pairs(path: Path) -> list[Pair]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Pair(row["query"], row["list_name"], int(row["label"]), row["category"])
            for row in csv.DictReader(handle)
        ]


def evaluate(screener: Screener, pairs: Sequence[Pair], floor: float) -> list[Outcome]:
    outcomes = []
    for pair in pairs:
        result = screener.screen(pair.query, threshold=floor)
        wanted = pair.list_name.strip().casefold()
        list_score = 0.0
        for hit in result.hits:
            if any(name.strip().casefold() == wanted for name in hit.entry.names):
                list_score = max(list_score, hit.score)
        top = f"{result.hits[0].score:.1f} {result.hits[0].matched_name}" if result.hits else "-"
        pair_score = score_pair(pair.query, pair.list_name, weights=screener.index.weights).score
        outcomes.append(Outcome(pair, list_score, pair_score, top))
    return outcomes


def rates(outcomes: Sequence[Outcome], threshold: float, mode: str) -> tuple[int, int, int, int]:
    tp = fn = fp = tn = 0
    for outcome in outcomes:
        score = outcome.list_score if mode == "list" else outcome.pair_score
        found = score >= threshold
        if outcome.pair.label == 1:
            tp += found
            fn += not found
        else:
            fp += found
            tn += not found
    return tp, fn, fp, tn


def fmt(numerator: int, denominator: int) -> str:
    return f"{numerator / denominator:.3f}" if denominator else "  -  "


def report(outcomes: Sequence[Outcome], threshold: float, mode: str) -> None:
    print(f"\n== {mode} mode at threshold {threshold:g}")
    print(f"{'category':<20}{'pos':>5}{'neg':>5}{'recall':>8}{'precision':>11}{'FP':>5}")
    by_category: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_category[outcome.pair.category].append(outcome)
    for category in sorted(by_category):
        tp, fn, fp, _ = rates(by_category[category], threshold, mode)
        print(f"{category:<20}{tp + fn:>5}{len(by_category[category]) - tp - fn:>5}"
              f"{fmt(tp, tp + fn):>8}{fmt(tp, tp + fp):>11}{fp:>5}")
    main = [o for o in outcomes if o.pair.category != "related_distinct"]
    tp, fn, fp, _ = rates(main, threshold, mode)
    print(f"{'ALL (excl. related)':<20}{tp + fn:>5}{len(main) - tp - fn:>5}"
          f"{fmt(tp, tp + fn):>8}{fmt(tp, tp + fp):>11}{fp:>5}")
    tp, fn, fp, _ = rates(outcomes, threshold, mode)
    print(f"{'ALL (incl. related)':<20}{tp + fn:>5}{len(outcomes) - tp - fn:>5}"
          f"{fmt(tp, tp + fn):>8}{fmt(tp, tp + fp):>11}{fp:>5}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pairs", type=Path)
    parser.add_argument("--benign", type=Path, help="CSV with a `name` column of ordinary names")
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--quiet", action="store_true", help="no per-pair lists")
    args = parser.parse_args(argv)
    if args.benign is None:
        default = args.pairs.parent / "benign_names_dev.csv"
        args.benign = default if default.exists() else None

    started = time.perf_counter()
    screener = Screener.default()
    print(f"release {screener.release.version} ({screener.release.checksum[:12]}), "
          f"loaded in {time.perf_counter() - started:.1f} s")
    pairs = read_pairs(args.pairs)
    floor = min(SWEEP[0], args.threshold)
    outcomes = evaluate(screener, pairs, floor)
    threshold = args.threshold
    listed = {name.strip().casefold() for entry in screener.release.entries for name in entry.names}
    absent = [p for p in pairs if p.label == 1 and p.list_name.strip().casefold() not in listed]
    print(f"{len(absent)} positive pair(s) name a list name the release does not carry "
          "(delisted since the pairs were made); they count as misses:")
    for pair in absent:
        print(f"  [{pair.category}] {pair.query!r} -> {pair.list_name!r}")

    if not args.quiet:
        print("\n== misses (list mode), label 1 below threshold")
        for o in outcomes:
            if o.pair.label == 1 and o.list_score < threshold:
                print(f"  [{o.pair.category}] {o.pair.query!r} -> {o.pair.list_name!r}: "
                      f"list {o.list_score:.1f}, pair {o.pair_score:.1f}; top {o.top}")
        print("\n== false alerts (list mode), label 0 at/above threshold")
        for o in outcomes:
            if o.pair.label == 0 and o.list_score >= threshold:
                print(f"  [{o.pair.category}] {o.pair.query!r} -> {o.pair.list_name!r}: "
                      f"list {o.list_score:.1f}")
    benign: list[str] = []
    if args.benign:
        with args.benign.open(encoding="utf-8", newline="") as handle:
            benign = [row["name"] for row in csv.DictReader(handle)]
    benign_scores = [
        max((h.score for h in screener.screen(n, threshold=floor).hits), default=0.0)
        for n in benign
    ]
    alerts = [(s, n) for s, n in zip(benign_scores, benign, strict=True) if s >= threshold]
    if benign and not args.quiet:
        print(f"\n== benign names alerting at {threshold:g} (first 40 of {len(alerts)})")
        for score, name in sorted(alerts, reverse=True)[:40]:
            top = screener.screen(name, threshold=threshold).hits[0]
            print(f"  {score:.1f} {name!r} -> {top.matched_name!r} ({top.entry.id})")

    # the summary comes last, so the tail of the output is the figures
    report(outcomes, threshold, "pair")
    print("\n== threshold sweep (list mode, excluding related_distinct)")
    main_outcomes = [o for o in outcomes if o.pair.category != "related_distinct"]
    print(f"{'threshold':>10}{'recall':>8}{'precision':>11}{'benign alerts':>15}")
    for value in sorted({*SWEEP, threshold}):
        tp, fn, fp, _ = rates(main_outcomes, value, "list")
        count = sum(score >= value for score in benign_scores)
        rate = f"{count / len(benign):.2%}" if benign else "-"
        marker = "  <- default" if value == threshold else ""
        print(f"{value:>10g}{fmt(tp, tp + fn):>8}{fmt(tp, tp + fp):>11}{rate:>15}{marker}")
    report(outcomes, threshold, "list")
    if benign:
        print(f"benign names: {len(alerts)} of {len(benign)} alert "
              f"({len(alerts) / len(benign):.2%}) at {threshold:g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
