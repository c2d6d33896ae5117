"""Candidate recall of the index against exhaustive scoring, on the full shipped release.

    python benchmarks/candidate_recall.py [--pairs ../shared/eval/pairs_dev.csv] [--variants 1000]

For every query (the queries of the labelled pairs, when the file is there, and list names with
seeded variations), every list name that exhaustive scoring puts at or above the threshold must
be among the index's candidates. Exhaustive here is exact: a name none of whose tokens (alone or
joined) has any similarity to a query token scores 0, so only the names sharing such a token are
scored in full, each against every variant, without any pruning. Prints the candidate recall,
every name missed, and the mean number of candidates per query. Takes several minutes.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from variants import variants_of_release

from screen.index.weights import MAX_JOINED_TOKENS
from screen.matching.score import DEFAULT_THRESHOLD, Matcher
from screen.names.compare import MIN_TOKEN_SIMILARITY, Comparable, compare, compare_joined
from screen.names.normalize import normalize_name
from screen.screener import Screener

DEFAULT_PAIRS = Path(__file__).resolve().parents[2] / "shared" / "eval" / "pairs_dev.csv"

_SCREENER: Screener | None = None
_SINGLES: dict[Comparable, list[int]] = {}
_JOINED: dict[Comparable, list[int]] = {}
_JOINED_BY_TEXT: dict[str, list[tuple[Comparable, list[int]]]] = {}
"""The runs of ``_JOINED`` by their letters, which a run of query tokens meets respaced."""


def _setup() -> None:
    """Every distinct name token, and every run of adjacent name tokens joined, with the names
    that contain it."""
    global _SCREENER
    from screen.names.compare import comparable

    _SCREENER = Screener.default()
    singles: dict[Comparable, set[int]] = defaultdict(set)
    joined: dict[Comparable, set[int]] = defaultdict(set)
    for name_id, indexed in enumerate(_SCREENER.index.names):
        for variant in _SCREENER.index.tokenized_variants(indexed):
            for item in variant.items:
                singles[item].add(name_id)
            tokens = variant.tokens
            for start in range(len(tokens)):
                for length in range(2, MAX_JOINED_TOKENS + 1):
                    run = tokens[start : start + length]
                    if len(run) == length:
                        joined[comparable(tuple(run))].add(name_id)
    _SINGLES.update((item, sorted(ids)) for item, ids in singles.items())
    _JOINED.update((item, sorted(ids)) for item, ids in joined.items())
    for item, ids in _JOINED.items():
        _JOINED_BY_TEXT.setdefault(item.text, []).append((item, ids))


def _check(query: str) -> tuple[str, int, int, list[tuple[str, float]]]:
    """(query, names at/above threshold, candidates, names missed with their score)."""
    from screen.names.compare import comparable

    assert _SCREENER is not None
    index = _SCREENER.index
    threshold = DEFAULT_THRESHOLD
    normalized = normalize_name(query)
    # for lookups: the variants as written and those with tokens written together cut
    query_variants = index.query_variants(normalized)
    touched: set[int] = set()
    for variant in query_variants:
        for item in variant.items:
            for name_item, ids in _SINGLES.items():
                if compare(item, name_item)[0] >= MIN_TOKEN_SIMILARITY:
                    touched.update(ids)
            for name_item, ids in _JOINED.items():
                if compare_joined(item, name_item)[0] >= MIN_TOKEN_SIMILARITY:
                    touched.update(ids)
        tokens = variant.tokens
        for start in range(len(tokens)):
            for length in range(2, MAX_JOINED_TOKENS + 1):
                run = tokens[start : start + length]
                if len(run) < length:
                    continue
                item = comparable(tuple(run))
                for name_item, ids in _SINGLES.items():
                    if compare_joined(item, name_item)[0] >= MIN_TOKEN_SIMILARITY:
                        touched.update(ids)
                # two tokens with the letters of two of a name's, cut elsewhere (respaced)
                for _run, ids in _JOINED_BY_TEXT.get(item.text, ()):
                    touched.update(ids)
    matcher = Matcher(index)
    scores = {i: matcher.score(normalized, index.names[i]).score for i in touched}
    above = {name_id for name_id, score in scores.items() if score >= threshold}
    candidates = set(index.candidates(normalized, threshold / 100))
    missed = [(index.names[i].name, scores[i]) for i in sorted(above - candidates)]
    return query, len(above), len(candidates), missed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=Path, default=DEFAULT_PAIRS)
    parser.add_argument("--variants", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()

    started = time.perf_counter()
    _setup()
    assert _SCREENER is not None
    queries: list[str] = []
    if args.pairs.exists():
        with args.pairs.open(encoding="utf-8", newline="") as handle:
            queries += [row["query"] for row in csv.DictReader(handle)]
    pair_count = len(queries)
    queries += [v for v, _ in variants_of_release(_SCREENER.release, args.variants, seed=23)]
    print(f"{pair_count} pair queries + {len(queries) - pair_count} list-name variants, "
          f"threshold {DEFAULT_THRESHOLD:g}, release {_SCREENER.release.version}")
    total_above = total_missed = total_candidates = 0
    # fork: workers share the tables built above
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        for query, above, candidates, missed in pool.map(_check, queries, chunksize=8):
            total_above += above
            total_candidates += candidates
            total_missed += len(missed)
            for name, score in missed:
                print(f"  MISSED {query!r} -> {name!r} ({score:.1f})")
    found = total_above - total_missed
    recall = found / total_above if total_above else 1.0
    print(f"names at or above the threshold: {total_above}; found by the index: {found}; "
          f"candidate recall {recall:.4f}")
    print(f"mean candidates scored per query: {total_candidates / len(queries):.1f} "
          f"of {len(_SCREENER.index.names):,} names ({time.perf_counter() - started:.0f} s)")
    return 0 if total_missed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
