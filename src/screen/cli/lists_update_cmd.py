"""``screen lists update`` and ``screen lists check``: fetch the official lists and adopt them
only when every check holds; run the maintainer's assertions on any release.

Registered by :mod:`screen.cli.lists_cmd` under ``screen lists``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from screen.cli import EXIT_CLEAR, EXIT_ERROR
from screen.release.home import find_release
from screen.release.store import ListError, load_release
from screen.release.switch import DEFAULT_KEEP, StoreBusy
from screen.release.update.expect import ExpectError, check_release, read_expectations
from screen.release.update.fetch import FetchPolicy
from screen.release.update.official import SOURCE_NAMES, SOURCES
from screen.release.update.run import PROOF_DIR, UpdateFailed, UpdateOptions, update_lists

__all__ = ["EXIT_ASSERTIONS_FAILED", "register_actions"]

EXIT_ASSERTIONS_FAILED = 1
"""``lists check``: at least one assertion does not hold."""

_UPDATE_EPILOG = f"""\
sources (--source NAME=URL, --without NAME):
  csl        {SOURCES["csl"].default_url}
             (the file; .csv or .json)
  ofac-sdn   {SOURCES["ofac-sdn"].default_url}
             (base URL; SDN.CSV, ADD.CSV, ALT.CSV, SDN_COMMENTS.CSV are appended)
  ofac-cons  (same base URL; CONS_PRIM.CSV, CONS_ADD.CSV, CONS_ALT.CSV, CONS_COMMENTS.CSV)
  un         {SOURCES["un"].default_url}
file:// URLs work too. A URL may pin the file's sha256 with a fragment: URL#sha256=HEX.

The new release is adopted only if every file downloads and parses, no source is empty, no list
shrinks by more than 10% against the release in service (--accept-shrink lets that through and
records it) and every --expect assertion holds. Otherwise nothing changes: the release in service
stays, byte for byte.

exit codes:
  0  a new release is in service, or the lists are unchanged
  2  not adopted: one line per problem (source, URL, what was wrong) on stderr
"""


def _source(text: str) -> tuple[str, str]:
    name, sep, url = text.partition("=")
    name = name.strip()
    if not sep or not url.strip():
        raise argparse.ArgumentTypeError(f"expected NAME=URL, not {text!r}")
    if name not in SOURCES:
        raise argparse.ArgumentTypeError(
            f"unknown source {name!r} (known: {', '.join(SOURCE_NAMES)})"
        )
    return name, url.strip()


def _positive(kind: type[int] | type[float]) -> Any:
    def parse(text: str) -> int | float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be above 0, not {text}")
        return value

    return parse


def register_actions(actions: Any) -> None:
    """Add ``update`` and ``check`` to the ``screen lists`` actions."""
    update = actions.add_parser(
        "update",
        help="download the official lists and adopt them as a new release if every check holds",
        description="Download the official lists (trade.gov CSL, OFAC SDN and consolidated "
        "non-SDN files, UN Security Council list), build a release from them, check it, write "
        "its diff against the release in service, and switch to it atomically.",
        epilog=_UPDATE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    update.add_argument(
        "--source",
        action="append",
        type=_source,
        default=[],
        metavar="NAME=URL",
        help="where to download a source from (repeatable)",
    )
    update.add_argument(
        "--without",
        action="append",
        choices=SOURCE_NAMES,
        default=[],
        metavar="NAME",
        help=f"build without this source (repeatable; one of {', '.join(SOURCE_NAMES)})",
    )
    update.add_argument(
        "--accept-shrink",
        action="store_true",
        help="adopt even if a list shrinks by more than 10%% (recorded in the release)",
    )
    update.add_argument(
        "--expect",
        type=Path,
        metavar="FILE",
        help="assertions (TOML) the new release must meet (see screen lists check)",
    )
    update.add_argument(
        "--keep",
        type=_positive(int),
        default=DEFAULT_KEEP,
        metavar="N",
        help=f"stored releases to keep (default {DEFAULT_KEEP}; older ones are removed)",
    )
    update.add_argument(
        "--timeout",
        type=_positive(float),
        default=FetchPolicy.timeout,
        metavar="SECONDS",
        help=f"per connection and read (default {FetchPolicy.timeout:g})",
    )
    update.add_argument(
        "--retries",
        type=int,
        default=FetchPolicy.attempts - 1,
        metavar="N",
        help=f"tries after a failure that may pass (default {FetchPolicy.attempts - 1})",
    )
    update.add_argument(
        "--max-size",
        type=_positive(int),
        default=FetchPolicy.max_bytes // 2**20,
        metavar="MB",
        help=f"largest file accepted (default {FetchPolicy.max_bytes // 2**20} MB)",
    )
    update.set_defaults(func=_update)

    check = actions.add_parser(
        "check",
        help="check a release against the maintainer's assertions",
        description="Check that a release holds (or lacks) the entries FILE names.",
        epilog="FILE is TOML: [[present]] / [[absent]] tables with id and/or name (and "
        "optionally list, fields, why), and [[count]] tables with list and min/max. "
        "See docs/lists.md.\n\nexit codes: 0 every assertion holds; 1 some do not (one line "
        "each); 2 the release or FILE cannot be read",
    )
    check.add_argument(
        "release",
        metavar="RELEASE",
        help="version, checksum, `current`, `shipped` or release folder",
    )
    check.add_argument("--expect", type=Path, required=True, metavar="FILE")
    check.set_defaults(func=_check)


def _error(action: str, message: str) -> None:
    print(f"screen lists {action}: error: {message}", file=sys.stderr)


def _update(args: argparse.Namespace) -> int:
    options = UpdateOptions(
        urls=dict(args.source),
        without=frozenset(args.without),
        accept_shrink=args.accept_shrink,
        expect=args.expect,
        keep=args.keep,
        policy=FetchPolicy(
            timeout=args.timeout,
            attempts=max(0, args.retries) + 1,
            max_bytes=args.max_size * 2**20,
        ),
    )
    try:
        outcome = update_lists(options)
    except UpdateFailed as exc:
        for problem in exc.problems:
            _error("update", problem)
        print(
            f"screen lists update: nothing adopted ({len(exc.problems)} problem"
            f"{'s' if len(exc.problems) != 1 else ''}); the release in service is unchanged",
            file=sys.stderr,
        )
        return EXIT_ERROR
    except (StoreBusy, ListError, OSError) as exc:
        _error("update", str(exc))
        return EXIT_ERROR
    for note in outcome.notes:
        print(f"note: {note}", file=sys.stderr)
    for text in outcome.superseded:
        print(f"superseded: {text}", file=sys.stderr)
    for shrink in outcome.accepted:
        print(f"accepted (--accept-shrink): {shrink.message}", file=sys.stderr)
    if outcome.status == "unchanged":
        print(
            f"lists unchanged: release {outcome.version} (checksum {outcome.checksum[:12]}) "
            "stays in service"
        )
        return EXIT_CLEAR
    assert outcome.diff is not None
    first = outcome.diff.summary(examples=0).splitlines()[1]
    print(
        f"adopted list release {outcome.version} (checksum {outcome.checksum[:12]}), "
        f"replacing {outcome.previous_version} (checksum {outcome.previous_checksum[:12]})"
    )
    print(first)
    if outcome.assertions:
        print(f"{outcome.assertions} assertions held")
    print(f"proof: {outcome.directory / PROOF_DIR / 'summary.txt'} and diff.json")
    return EXIT_CLEAR


def _check(args: argparse.Namespace) -> int:
    try:
        directory = find_release(args.release)
        release = load_release(directory)
        expectations = read_expectations(args.expect)
    except (ListError, ExpectError) as exc:
        _error("check", str(exc))
        return EXIT_ERROR
    failures = check_release(release, expectations)
    for failure in failures:
        print(f"failed: {failure}")
    held = len(expectations) - len(failures)
    print(
        f"{held} of {len(expectations)} assertions hold on release {release.version} "
        f"(checksum {release.checksum[:12]}, {directory})"
    )
    return EXIT_ASSERTIONS_FAILED if failures else EXIT_CLEAR
