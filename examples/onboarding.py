"""Onboard a new counterparty: screen it, keep the result with its audit block, block on a hit.

    .venv/bin/python examples/onboarding.py "Beijing Zhipu Huazhang Tech Co Ltd" --country CN

Each decision is appended to ``screening-log.jsonl`` (one JSON object per line) with the full
result: every hit with its explanation, and the audit block naming the list release (version and
sha256), the matcher version and the threshold, so the decision can be re-checked years later.
A hit or a name that cannot be screened blocks onboarding until a person has reviewed it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from screen import Screener


def onboard(name: str, country: str | None, log: Path) -> bool:
    """Screen ``name``; log the result; True when the counterparty may be onboarded."""
    result = Screener.default().screen(name, country=country)
    entry = {
        "decided_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "counterparty": name,
        "country": country,
        "decision": "onboard" if result.status == "clear" else "blocked: review needed",
        "result": result.to_dict(),  # hits, explanations and the audit block
    }
    with log.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry, ensure_ascii=False) + "\n")

    audit = result.audit
    if result.status == "error":  # fail closed: an unscreenable name is never cleared
        print(f"BLOCKED {name!r}: cannot screen it ({result.error})")
        return False
    if result.status == "hit":
        top = result.hits[0]
        print(f"BLOCKED {name!r}: {result.hit_count} possible match(es); best {top.score:.0f} "
              f"with {top.entry.id} {top.entry.name!r} ({top.entry.source_list.value})")
        print(f"  why: {top.explanation.summary()}")
        return False
    print(f"cleared {name!r} against list release {audit.release_version} "
          f"(sha256 {audit.release_checksum[:12]}..., matcher {audit.matcher_version}, "
          f"threshold {audit.threshold:g})")
    return True


def main() -> int:
    """Command line: exit 0 when onboarded, 1 when blocked."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("name")
    parser.add_argument("--country", help="ISO alpha-2 code of the counterparty's country")
    parser.add_argument("--log", type=Path, default=Path("screening-log.jsonl"))
    args = parser.parse_args()
    return 0 if onboard(args.name, args.country, args.log) else 1


if __name__ == "__main__":
    sys.exit(main())
