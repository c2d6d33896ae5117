"""How often a listed party is found under a variation of its listed name, in list mode.

    python benchmarks/variant_recall.py [--names 1500] [--seed 7] [--threshold 80] [--misses 20]

The labelled pairs (``benchmarks/eval_pairs.py``) hold a few hundred hand-made variations of a few
hundred entries; this takes a seeded random sample of entries of the whole shipped release and
varies one of each entry's names by each rule of ``variants.py`` that applies to names in general
(one keyboard typo, words reordered, a legal form appended or changed, upper case), then screens
the variation against the whole release and counts it found when a hit is on that entry. Printed
per rule and per kind of entry (person, organisation, vessel ...), with the first misses. A check
of generalisation, not a target: a typo in a word of two or three letters (``SUDAK`` as
``SIDAK``) is rightly too weak to find a name by, and reordering rotates an organisation's
words, which cuts a legal form of several words apart (``LIABILITY COMPANY NDN LIMITED``), as
nobody writes it: most organisations it misses are that. Takes about a minute.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_info import core_build
from variants import relabel, reorder, typo

from screen.matching.score import DEFAULT_THRESHOLD
from screen.screener import Screener

_RULES: dict[str, Callable[[str, random.Random], str]] = {
    "typo": typo,
    "reorder": reorder,
    "legal form": relabel,
    "upper case": lambda name, _rng: name.upper(),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--names", type=int, default=1500, help="entries sampled")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--misses", type=int, default=20, help="misses printed per rule")
    args = parser.parse_args()

    screener = Screener.default()
    release = screener.release
    print(f"release {release.version} ({release.checksum[:12]}), {core_build()}, "
          f"threshold {args.threshold:g}, seed {args.seed}")
    rng = random.Random(args.seed)
    entries = rng.sample(list(release.entries), min(args.names, len(release.entries)))
    for rule_name, rule in _RULES.items():
        tried: Counter[str] = Counter()
        missed: Counter[str] = Counter()
        misses: list[tuple[str, str]] = []
        for entry in entries:
            name = entry.name
            varied = rule(name, rng)
            if varied == name:
                continue  # the rule does not apply (a short name, one word)
            kind = entry.entity_type.value if entry.entity_type else "unknown"
            tried[kind] += 1
            hits = screener.screen(varied, threshold=args.threshold).hits
            if not any(hit.entry.id == entry.id for hit in hits):
                missed[kind] += 1
                misses.append((varied, name))
        total, lost = sum(tried.values()), sum(missed.values())
        found = 1 - lost / total if total else 0.0
        kinds = ", ".join(
            f"{kind} {tried[kind] - missed[kind]}/{tried[kind]}" for kind in sorted(tried)
        )
        print(f"{rule_name:>11}: found {total - lost} of {total} ({found:.3f}); {kinds}")
        for varied, name in misses[: args.misses]:
            print(f"             missed {varied!r} (listed {name!r})")


if __name__ == "__main__":
    main()
