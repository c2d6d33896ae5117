"""``screen verify RESULT.jsonl``: re-screen recorded rows on their release, report differences."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from screen.batch.verify import VerifyError, recorded_release, verify_results
from screen.cli import EXIT_CLEAR
from screen.cli.screen_options import UserError, fail, load_screener
from screen.release.home import find_release_by_checksum

__all__ = ["EXIT_DIFFERENT", "register"]

EXIT_DIFFERENT = 1
"""At least one re-screened row gave another answer than the recorded one."""

_EPILOG = """\
exit codes:
  0  every re-screened row gives the recorded answer
  1  at least one row differs (each is listed with its line)
  2  cannot verify: the recorded list release or matcher version is not the one available
     (see --release), or the file is not a JSON-lines batch result
Without --release, the release the result records is looked up by its checksum among the
releases of the store ($SCREEN_HOME, kept by `screen lists update`) and the shipped one; if
none has it, the release in service is used (and refused if it is another).
Rows that were input errors (nothing was screened) are counted, not re-screened.
"""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``verify`` subcommand."""
    parser = subparsers.add_parser(
        "verify",
        help="re-screen a JSON-lines batch result on its recorded release and report differences",
        description="Re-screen every row of a `screen batch --format jsonl` result with the "
        "recorded list release, matcher, threshold and options, and report each row whose "
        "answer differs from the recorded one.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "result", type=Path, metavar="RESULT.jsonl", help="output of screen batch --format jsonl"
    )
    parser.add_argument(
        "--release",
        type=Path,
        metavar="DIR",
        help="the list release the result was screened on (default: the release with the "
        "recorded checksum in the store, else the release in service)",
    )
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="print only differences and errors"
    )
    parser.set_defaults(func=run)


def _recorded(result: Path) -> Path | None:
    """The folder of the release a result records, when the store or the package has it."""
    _version, checksum = recorded_release(result)
    return find_release_by_checksum(checksum) if checksum else None


def run(args: argparse.Namespace) -> int:
    """Handle ``screen verify``."""
    try:
        release = args.release if args.release is not None else _recorded(args.result)
        report = verify_results(args.result, lambda: load_screener(release))
    except (UserError, VerifyError) as exc:
        return fail("verify", str(exc))
    out = sys.stdout
    for diff in report.differences:
        where = f"line {diff.result_line}"
        if diff.input_line is not None:
            where += f" (input line {diff.input_line})"
        print(f"{where}: {diff.name!r}: recorded {diff.recorded}; now {diff.now}", file=out)
    if report.differing > len(report.differences):
        print(
            f"... and {report.differing - len(report.differences):,} more differing rows", file=out
        )
    if not args.quiet or report.differing:
        print(
            f"verified {report.rows:,} rows on release {report.release_version} "
            f"(sha256 {report.release_checksum[:12]}...), matcher {report.matcher_version}: "
            f"{report.same:,} same, {report.differing:,} differ, "
            f"{report.not_rescreened:,} input errors not re-screened",
            file=out,
        )
    return EXIT_DIFFERENT if report.differing else EXIT_CLEAR
