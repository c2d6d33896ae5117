"""One digest of every hit for a fixed set of queries, to show two builds or two versions of
the code screen alike.

    .venv/bin/python benchmarks/hit_digest.py [--out hits.json]

Queries: the dev pairs and benign names from ``shared/eval`` when they are beside the repo, and
3,000 seeded variants of list names. Each is screened at threshold 60 (well below the default,
so near misses count too) and its five best hits (entry id, matched name, score to 6 decimals)
enter a sha256. Run it under the compiled core and under plain Python (a venv installed with
``SCREEN_PURE_PYTHON=1``): equal digests mean equal answers. ``--out`` keeps the hits as JSON,
to see which query differs when digests do not agree.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_info import core_build
from variants import variants_of_release

from screen.release.store import load_release
from screen.screener import Screener

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"


def _column(path: Path, name: str) -> list[str]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return [row[name] for row in csv.DictReader(handle)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="also write every query's hits as JSON")
    args = parser.parse_args()
    release = load_release()
    screener = Screener(release)
    queries = _column(EVAL / "pairs_dev.csv", "query")
    queries += _column(EVAL / "benign_names_dev.csv", "name")
    queries += [variant for variant, _ in variants_of_release(release, 3000)]
    hits: dict[str, list[tuple[str, str, float]]] = {}
    digest = hashlib.sha256()
    for query in queries:
        result = screener.screen(query, threshold=60)
        best = [(h.entry.id, h.matched_name, round(h.score, 6)) for h in result.hits[:5]]
        hits[query] = best
        digest.update(json.dumps([query, best], ensure_ascii=False).encode())
    print(f"matching core {core_build()}; release {release.version} ({release.checksum[:12]})")
    print(f"{len(queries):,} queries, {sum(len(b) for b in hits.values()):,} hits at 60 or more "
          f"(five best kept per query)")
    print(f"digest: {digest.hexdigest()}")
    if args.out:
        args.out.write_text(json.dumps(hits, ensure_ascii=False, indent=0), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
