"""Options shared by the commands that screen names (``name``, ``batch``, ``verify``).

Not a subcommand: it gives them the same ``--threshold``, ``--list``, ``--country`` and
``--release`` flags, the same checks of their values and the same one-line error reporting.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from screen.cli import EXIT_ERROR
from screen.process import collector_paused, freeze_loaded, return_freed_memory
from screen.release.home import find_release
from screen.release.models import SourceList
from screen.release.store import ListError, load_release
from screen.screener import Screener

__all__ = [
    "UserError",
    "add_screen_options",
    "fail",
    "load_screener",
    "parse_country",
    "parse_lists",
    "parse_threshold",
]


class UserError(Exception):
    """A problem the user can fix; reported as one line on stderr with exit code 2."""


def fail(command: str, message: str) -> int:
    """Print ``screen COMMAND: error: MESSAGE`` on stderr and return the error exit code."""
    print(f"screen {command}: error: {message}", file=sys.stderr)
    return EXIT_ERROR


def parse_threshold(text: str) -> float:
    """An argparse type: a score threshold between 0 (exclusive) and 100."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 < value <= 100:
        raise argparse.ArgumentTypeError(f"must be above 0 and at most 100, not {text}")
    return value


def parse_country(text: str) -> str:
    """An argparse type: an ISO 3166-1 alpha-2 country code, returned in upper case."""
    code = text.strip().upper()
    if len(code) != 2 or not code.isascii() or not code.isalpha():
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an ISO 3166-1 alpha-2 code such as CN or DE"
        )
    return code


def parse_lists(values: list[str] | None) -> tuple[SourceList, ...] | None:
    """The ``--list`` values (repeatable, comma-separated codes) as source lists; None for all."""
    if not values:
        return None
    codes: list[SourceList] = []
    for value in values:
        for code in value.split(","):
            code = code.strip().upper()
            if not code:
                continue
            try:
                codes.append(SourceList(code))
            except ValueError:
                known = ", ".join(item.value for item in SourceList)
                raise UserError(f"--list: unknown list {code!r} (known: {known})") from None
    return tuple(dict.fromkeys(codes)) or None


def add_screen_options(parser: argparse.ArgumentParser, *, country: bool = True) -> None:
    """Add ``--threshold``, ``--list``, ``--country`` and ``--release`` to ``parser``."""
    parser.add_argument(
        "--threshold",
        type=parse_threshold,
        metavar="SCORE",
        help="report matches scoring at least SCORE (0-100; default: the matcher's threshold)",
    )
    parser.add_argument(
        "--list",
        action="append",
        metavar="CODES",
        dest="lists",
        help="screen only against these source lists, e.g. --list EL,SDN "
        "(repeatable; default: all)",
    )
    if country:
        parser.add_argument(
            "--country",
            type=parse_country,
            metavar="CC",
            help="only report entries tied to this country (ISO alpha-2, e.g. CN)",
        )
    parser.add_argument(
        "--release",
        type=Path,
        metavar="DIR",
        help="list release to screen against: a folder, or a version or checksum of the store "
        "(default: the release in service: $SCREEN_LISTS_DIR, else the current one of "
        "`screen lists update`, else the shipped one)",
    )


def load_screener(release: Path | None) -> Screener:
    """The screener for ``--release`` (or the shipped release); UserError when it cannot load.

    The command line owns its process, so it tunes it (:mod:`screen.process`): the collector
    paused while loading, the heap freed by loading handed back, and the command's objects, the
    screener's million among them, frozen out of the collector, whose full collections over them
    take about 0.6 s each (the interpreter runs several when it exits: 2 s of a 3.5 s
    ``screen name`` before). The command closes its own files, so nothing is left for those
    collections to finalise.
    """
    try:
        with collector_paused():
            if release is None:
                screener = Screener.default()
            else:
                screener = Screener(load_release(find_release(release), cached=True))
    except ListError as exc:
        raise UserError(f"list release: {exc}") from None
    return_freed_memory()
    freeze_loaded()
    return screener
