"""``screen lists``: show, compare, build, update and switch list releases.

* ``screen lists info [--release RELEASE] [--max-age DAYS]``: version, checksum, where it is, source
  dates and ages (with a warning past ``--max-age``), counts per list;
* ``screen lists diff OLD NEW``: entries added, removed and changed between two releases;
* ``screen lists build SOURCE_DIR [-o OUT] [--csl-2022-only]``: convert public source files;
* ``screen lists update``, ``screen lists check``: :mod:`screen.cli.lists_update_cmd`;
* ``screen lists history``, ``screen lists use``: :mod:`screen.cli.lists_store_cmd`.

A RELEASE is a version (as the store knows it), a checksum prefix, ``current``, ``shipped`` or a
release folder (see :func:`screen.release.home.find_release`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any

from screen.cli.lists_store_cmd import register_actions as register_store_actions
from screen.cli.lists_update_cmd import register_actions as register_update_actions
from screen.release.diff import diff
from screen.release.home import LISTS_AGE_ENV, find_release
from screen.release.models import ListRelease
from screen.release.store import (
    LISTS_DIR_ENV,
    SHIPPED_RELEASE_DIR,
    ListError,
    load_release,
    read_update_record,
    resolve_release_dir,
)

__all__ = ["DEFAULT_MAX_AGE", "format_info", "register", "stale_sources"]

_EXIT_OK = 0
_EXIT_ERROR = 2
DEFAULT_MAX_AGE = 7
"""Days after which ``lists info`` warns that a source is old (``--max-age``)."""


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

    info = actions.add_parser(
        "info",
        help="version, checksum, source dates and ages, counts",
        description="Show a release: version, checksum, where it is, each source with its date "
        "and age (warning on stderr past --max-age), and the entries per list.",
    )
    info.add_argument(
        "--release",
        metavar="RELEASE",
        help="version, checksum, `shipped` or release folder (default: the release in service: "
        "$SCREEN_LISTS_DIR, else the store's current one, else the shipped one)",
    )
    info.add_argument(
        "--max-age",
        type=int,
        metavar="DAYS",
        help=f"warn about fetched sources older than this (default ${LISTS_AGE_ENV} or "
        f"{DEFAULT_MAX_AGE})",
    )
    info.set_defaults(func=_info)

    compare = actions.add_parser("diff", help="what changed between two releases")
    compare.add_argument("old", metavar="OLD", help="older release (version, checksum or folder)")
    compare.add_argument("new", metavar="NEW", help="newer release (version, checksum or folder)")
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
        help="release directory to write (default, in a source checkout only: the release the "
        "package ships)",
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
    register_update_actions(actions)
    register_store_actions(actions)


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
    ]
    try:
        record = read_update_record(directory)
    except ListError:
        record = None
    if record:
        previous = record.get("previous") or {}
        lines.append(
            f"updated    {record.get('updated_at')} by screen lists update, replacing "
            f"{previous.get('version')}"
        )
        for text in record.get("accepted_shrink") or []:
            lines.append(f"accepted   --accept-shrink: {text}")
    lines += ["", "sources:"]
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


def stale_sources(release: ListRelease, today: dt.date, max_age: int) -> list[str]:
    """Warnings for the sources older than ``max_age`` days. Sources without a URL (the curated
    additions, built from notes) are not fetched by an update, so their age is no warning."""
    return [
        f"source {source.name} is {(today - source.date).days} days old (data of "
        f"{source.date.isoformat()}; more than {max_age}): run `screen lists update`"
        for source in release.sources
        if source.url and (today - source.date).days > max_age
    ]


def _where(directory: Path) -> str:
    if os.environ.get(LISTS_DIR_ENV):
        return f"${LISTS_DIR_ENV}"
    if directory == SHIPPED_RELEASE_DIR:
        return "the release shipped in the package"
    return "the current release of the store"


def _max_age(args: argparse.Namespace) -> int:
    if args.max_age is not None:
        return int(args.max_age)
    configured = os.environ.get(LISTS_AGE_ENV, "").strip()
    return int(configured) if configured.isdigit() else DEFAULT_MAX_AGE


def _info(args: argparse.Namespace) -> int:
    try:
        directory = resolve_release_dir() if args.release is None else find_release(args.release)
        release = load_release(directory)
    except ListError as exc:
        print(f"screen: list release error: {exc}", file=sys.stderr)
        return _EXIT_ERROR
    today = dt.date.today()
    report = format_info(release, directory, today)
    if args.release is None:
        report = report.replace("directory  ", f"in service {_where(directory)}\ndirectory  ", 1)
    sys.stdout.write(report)
    for warning in stale_sources(release, today, _max_age(args)):
        print(f"warning: {warning}", file=sys.stderr)
    return _EXIT_OK


def _diff(args: argparse.Namespace) -> int:
    try:
        old = load_release(find_release(args.old), cached=True)
        new = load_release(find_release(args.new), cached=True)
    except ListError as exc:
        print(f"screen: list release error: {exc}", file=sys.stderr)
        return _EXIT_ERROR
    examples = None if args.examples <= 0 else args.examples
    sys.stdout.write(diff(old, new).summary(examples=examples))
    return _EXIT_OK


def _in_source_checkout() -> bool:
    """Whether the package runs from a source checkout (``src/screen`` beside the project's
    ``pyproject.toml``), where rebuilding its shipped release is a maintainer's job, rather than
    from an installed copy, which the command never writes into."""
    package = SHIPPED_RELEASE_DIR.parent.parent
    return (package.parent.parent / "pyproject.toml").is_file() and package.parent.name == "src"


def _build(args: argparse.Namespace) -> int:
    from screen.release.sources.build import build_release
    from screen.release.sources.common import SourceError

    # never the release in service: a stored release is immutable, and $SCREEN_LISTS_DIR may be
    # anything; building into the package's own folder is what maintainers do, in a checkout
    if args.out is None and not _in_source_checkout():
        print(
            "screen: give -o DIR: the release this installation ships is part of the installed "
            "package, never rebuilt in place (to keep lists current: screen lists update)",
            file=sys.stderr,
        )
        return _EXIT_ERROR
    out = args.out if args.out is not None else SHIPPED_RELEASE_DIR
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
