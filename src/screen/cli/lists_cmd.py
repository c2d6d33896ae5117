"""``screen lists``: show, compare and build list releases.

* ``screen lists info [--release DIR]``: version, checksum, source dates and ages, counts per list;
* ``screen lists diff OLD NEW``: entries added, removed and changed between two release directories;
* ``screen lists build SOURCE_DIR [-o OUT] [--csl-2022-only]``: convert public source files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from screen.release.diff import diff
from screen.release.models import ListRelease
from screen.release.store import ListError, load_release, resolve_release_dir

__all__ = ["format_info", "register"]

_EXIT_OK = 0
_EXIT_ERROR = 2


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an ISO date (YYYY-MM-DD): {value!r}") from exc


def register(subparsers: Any) -> None:
    """Add the ``lists`` command and its actions to the ``screen`` parser."""
    parser = subparsers.add_parser(
        "lists",
        help="show, compare and build list releases",
        description="Show, compare and build the versioned list releases screening relies on.",
    )
    actions = parser.add_subparsers(dest="lists_action", metavar="ACTION", required=True)

    info = actions.add_parser("info", help="version, checksum, source dates and counts")
    info.add_argument(
        "--release",
        type=Path,
        metavar="DIR",
        help="release directory (default: $SCREEN_LISTS_DIR or the release shipped in the package)",
    )
    info.set_defaults(func=_info)

    compare = actions.add_parser("diff", help="what changed between two releases")
    compare.add_argument("old", type=Path, metavar="OLD", help="older release directory")
    compare.add_argument("new", type=Path, metavar="NEW", help="newer release directory")
    compare.add_argument(
        "--examples",
        type=int,
        default=10,
        metavar="N",
        help="ids listed per kind of change (default 10; 0 lists all)",
    )
    compare.set_defaults(func=_diff)

    build = actions.add_parser("build", help="build a release from public source files")
    build.add_argument("source_dir", type=Path, metavar="SOURCE_DIR", help="e.g. ../shared/data")
    build.add_argument(
        "-o",
        "--out",
        type=Path,
        metavar="DIR",
        help="release directory to write (default: the release shipped in the package)",
    )
    build.add_argument(
        "--csl-2022-only",
        action="store_true",
        help="build from csl/consolidated-2022-04.csv alone (the 2022 baseline release)",
    )
    build.add_argument("--version", help="release version (default: newest source date)")
    build.add_argument(
        "--created", type=_date, help="release date YYYY-MM-DD (default: newest source date)"
    )
    build.set_defaults(func=_build)


def format_info(release: ListRelease, directory: Path, today: dt.date) -> str:
    """The ``lists info`` report of a release; ages are counted in days up to ``today``."""
    names = sum(len(entry.names) for entry in release.entries)
    width = max(len(source.name) for source in release.sources)
    lines = [
        f"release    {release.version}",
        f"checksum   {release.checksum}",
        f"created    {release.created.isoformat()}",
        f"directory  {directory}",
        f"data date  {release.data_date.isoformat()} ({(today - release.data_date).days} days old)",
        "",
        "sources:",
    ]
    for source in release.sources:
        age = (today - source.date).days
        lines.append(
            f"  {source.name:<{width}}  {source.date.isoformat()}  {age:>5} days old  "
            f"{source.records:>6} records  sha256 {source.sha256[:16]}"
        )
    lines += ["", "entries per list:"]
    for code, count in sorted(release.counts.items()):
        lines.append(f"  {code:<8}{count:>7}")
    lines.append(f"  {'total':<8}{len(release.entries):>7} entries, {names} names")
    secondary = sum(entry.verification == "secondary-source" for entry in release.entries)
    if secondary:
        lines.append(f"  {secondary} entries are built from secondary sources (see their remarks)")
    return "\n".join(lines) + "\n"


def _info(args: argparse.Namespace) -> int:
    directory = resolve_release_dir(args.release)
    try:
        release = load_release(directory)
    except ListError as exc:
        print(f"screen: list release error: {exc}", file=sys.stderr)
        return _EXIT_ERROR
    sys.stdout.write(format_info(release, directory, dt.date.today()))
    return _EXIT_OK


def _diff(args: argparse.Namespace) -> int:
    try:
        old, new = load_release(args.old), load_release(args.new)
    except ListError as exc:
        print(f"screen: list release error: {exc}", file=sys.stderr)
        return _EXIT_ERROR
    examples = None if args.examples <= 0 else args.examples
    sys.stdout.write(diff(old, new).summary(examples=examples))
    return _EXIT_OK


def _build(args: argparse.Namespace) -> int:
    from screen.release.sources.build import build_release
    from screen.release.sources.common import SourceError

    out = args.out if args.out is not None else resolve_release_dir(None)
    try:
        result = build_release(
            args.source_dir,
            out,
            csl_2022_only=args.csl_2022_only,
            version=args.version,
            created=args.created,
        )
    except (SourceError, ListError) as exc:
        print(f"screen: cannot build the list release: {exc}", file=sys.stderr)
        return _EXIT_ERROR
    except OSError as exc:
        print(f"screen: cannot write the list release: {exc}", file=sys.stderr)
        return _EXIT_ERROR
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)
    release = result.release
    print(f"built release {release.version} in {out}")
    print(f"checksum {release.checksum}")
    print(", ".join(f"{code} {count}" for code, count in sorted(release.counts.items())))
    return _EXIT_OK
