"""``screen name TEXT``: screen one name and explain the result, for people or (--json) machines."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from screen.cli import EXIT_CLEAR, EXIT_HITS
from screen.cli.screen_options import (
    UserError,
    add_screen_options,
    fail,
    load_screener,
    parse_lists,
)
from screen.release.models import SOURCE_LIST_TITLES, SourceList

__all__ = ["register"]

_DEFAULT_TOP = 5

_EPILOG = """\
exit codes: 0 no hit, 1 at least one hit, 2 the name cannot be screened (e.g. empty) or a usage,
list release or option error.

A result is a screening aid, not legal advice: a hit means a list entry's name resembles the name
given, and needs a person to compare the details (addresses, dates, identifiers) before deciding.
"""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``name`` subcommand."""
    parser = subparsers.add_parser(
        "name",
        help="screen one name and explain the result",
        description="Screen one party name against the list release and explain every hit.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("text", metavar="NAME", help='the name to screen, e.g. "Zhipu AI"')
    parser.add_argument("--json", action="store_true", help="print the full result as JSON")
    parser.add_argument(
        "--top",
        type=int,
        metavar="N",
        help=f"show at most N hits (default: {_DEFAULT_TOP}; all with --json)",
    )
    add_screen_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Handle ``screen name``."""
    try:
        if args.top is not None and args.top < 1:
            raise UserError("--top must be at least 1")
        lists = parse_lists(args.lists)
        screener = load_screener(args.release)
    except UserError as exc:
        return fail("name", str(exc))
    result = screener.screen(args.text, country=args.country, lists=lists, threshold=args.threshold)
    data: dict[str, Any] = result.to_dict()
    if result.status == "error":
        if args.json:
            print(json.dumps(data, ensure_ascii=False, indent=2))
        return fail("name", f"cannot screen {args.text!r}: {result.error}")
    if args.json:
        if args.top is not None:
            data["hits"] = data["hits"][: args.top]
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        _print_human(args.text, data, args.top or _DEFAULT_TOP, sys.stdout)
    return EXIT_HITS if result.status == "hit" else EXIT_CLEAR


def _print_human(text: str, data: dict[str, Any], top: int, out: TextIO) -> None:
    audit = data["audit"]
    hits: list[dict[str, Any]] = data["hits"]
    where = (
        f"release {audit['release_version']} (sha256 {audit['release_checksum'][:12]}...), "
        f"matcher {audit['matcher_version']}, threshold {audit['threshold']:g}"
    )
    filters = {key: value for key, value in (audit.get("filters") or {}).items() if value}
    if filters:
        where += ", " + ", ".join(f"{key} {_show(value)}" for key, value in filters.items())
    if not hits:
        print(f"{text}: CLEAR - no list entry scored {audit['threshold']:g} or more", file=out)
        print(f"  {where}", file=out)
        return
    print(
        f"{text}: HIT - {len(hits)} list entr{'y' if len(hits) == 1 else 'ies'} "
        f"scored {audit['threshold']:g} or more",
        file=out,
    )
    print(f"  {where}", file=out)
    for rank, hit in enumerate(hits[:top], start=1):
        print(file=out)
        _print_hit(rank, hit, out)
    if len(hits) > top:
        print(f"\n... and {len(hits) - top} more (--top {len(hits)} to show them all)", file=out)


def _print_hit(rank: int, hit: dict[str, Any], out: TextIO) -> None:
    code = hit["source_list"]
    try:
        title = SOURCE_LIST_TITLES.get(SourceList(code), code)
    except ValueError:
        title = code
    kind = "primary name" if hit["is_primary"] else f"alias ({hit['alias_kind'] or 'aka'})"
    print(f"{rank}. score {hit['score']:.1f}  {hit['entry_id']}  {title}", file=out)
    print(f"   matched     {hit['matched_name']}  [{kind}]", file=out)
    if not hit["is_primary"]:
        print(f"   entry       {hit['entry_name']}", file=out)
    if hit.get("entity_type"):
        print(f"   type        {hit['entity_type']}", file=out)
    if hit.get("programs"):
        print(f"   programs    {'; '.join(hit['programs'])}", file=out)
    if hit.get("federal_register"):
        print(f"   citations   {'; '.join(hit['federal_register'])}", file=out)
    if hit.get("verification") and hit["verification"] != "official":
        print(
            f"   source      {hit['verification']} (not from the publisher's own data file)",
            file=out,
        )
    explanation = hit["explanation"]
    print(f"   why         {explanation['summary']}", file=out)
    print(
        f"   compared    {explanation['query_normalized']!r} "
        f"with {explanation['name_normalized']!r}",
        file=out,
    )
    for step in explanation["alignment"]:
        left = step["query_original"] or "-"
        right = step["name_original"] or "-"
        how = step["how"]
        detail = f"{how}, similarity {step['similarity']:.2f}" if how != "unmatched" else how
        print(f"     {left:>24}  {right:<24}  {detail}, weight {step['weight']:.2f}", file=out)


def _show(value: object) -> str:
    if isinstance(value, list | tuple):
        return ",".join(str(item) for item in value)
    return str(value)
