"""``screen rescreen RESULT.jsonl --to VERSION``: a stored batch result screened again on a newer
list release, only the rows the update can have changed."""

from __future__ import annotations

import argparse
import gc
import json
import sys
from pathlib import Path

from screen.cli import EXIT_CLEAR, EXIT_HITS
from screen.cli.batch_cmd import EXIT_ROW_ERRORS
from screen.cli.screen_options import fail
from screen.process import collector_paused
from screen.release.home import find_release, release_summary
from screen.release.store import ListError
from screen.rescreen.plan import RescreenError
from screen.rescreen.run import RescreenOptions, default_output, rescreen

__all__ = ["register"]

_EPILOG = """\
The result must be the JSON-lines output of screen batch (--format jsonl). Its audit block names
the list release it was screened on; that release is looked up by its checksum in the release
store ($SCREEN_HOME) and the package, or given with --old.

What is screened again: every row with hits (its entries may be delisted or changed, its scores
moved), every row whose name could match a name the new release added or changed (found by
searching the stored names with those names), every row with a word whose weight the update
moved materially, and every row the screener could not screen. Every other row is carried over
with only its audit blocks replaced. --full screens every row again.

output: the same JSON-lines format, the new release's audit block on every row, and
OUTPUT.audit.json beside it (what was re-screened from what). The summary gives the records with
new hits, with hits gone (delisted, changed) and unchanged.

exit codes (as screen batch):
  0  no row of the output has a hit
  1  at least one row has a hit (or an item to review, with an item column)
  2  the re-screen failed (usage, result file, list release or matcher); no output was written
  3  the output was written, but some rows could not be screened (status error)
"""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``rescreen`` subcommand."""
    parser = subparsers.add_parser(
        "rescreen",
        help="screen a stored JSON-lines batch result again on a newer list release",
        description="Screen a stored `screen batch --format jsonl` result again on a newer "
        "list release, doing only the work the difference between the two releases requires.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "result", type=Path, metavar="RESULT.jsonl", help="output of screen batch --format jsonl"
    )
    parser.add_argument(
        "--to", required=True, metavar="VERSION",
        help="the new list release: a version or checksum of the store, current, shipped, or "
        "a release folder",
    )
    parser.add_argument(
        "-o", "--output", type=Path, metavar="OUT.jsonl",
        help="where to write the result (default: RESULT.<VERSION>.jsonl beside RESULT)",
    )
    parser.add_argument(
        "--old", metavar="RELEASE",
        help="the release the result was screened on, when neither the store nor the package "
        "has it (a folder, version or checksum)",
    )
    parser.add_argument(
        "--full", action="store_true",
        help="screen every row again (the reference the default re-screen equals)",
    )
    parser.add_argument(
        "--summary", type=Path, metavar="FILE", help="also write the summary as JSON to FILE"
    )
    parser.add_argument(
        "--workers", type=int, default=2, metavar="N", help="worker processes (default: 2)"
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="no summary; errors only")
    parser.set_defaults(func=run)


def _output(args: argparse.Namespace) -> Path:
    if args.output is not None:
        return Path(args.output)
    try:
        summary = release_summary(find_release(args.to))
    except ListError as exc:
        raise RescreenError(f"--to: {exc}") from None
    if summary is None:
        raise RescreenError(f"--to: {args.to}: the release's manifest cannot be read")
    return default_output(args.result, summary.version)


def run(args: argparse.Namespace) -> int:
    """Handle ``screen rescreen``."""
    try:
        if args.workers < 1:
            raise RescreenError("--workers must be at least 1")
        output = _output(args)
        options = RescreenOptions(
            to=args.to, output=output, old=args.old, full=args.full, workers=args.workers
        )
        # the command owns its process: no cyclic collection while the releases, the index
        # and the search load (they hold no cycles, and were scanned again and again) nor
        # while rows are decided and screened (next to no cycles either); what the run made
        # stays until the process ends, so it is frozen out of the collections that would
        # scan it all once more (on leaving the block, and the interpreter's at exit: over a
        # second with two releases loaded)
        with collector_paused():
            try:
                summary = rescreen(args.result, options)
            finally:
                gc.freeze()
        if args.summary is not None:
            try:
                args.summary.write_text(
                    json.dumps(summary.to_dict(), ensure_ascii=False, indent=2) + "\n",
                    encoding="utf-8",
                )
            except OSError as exc:
                raise RescreenError(
                    f"{args.summary}: cannot write the summary: {exc.strerror or exc}"
                ) from None
    except RescreenError as exc:
        return fail("rescreen", str(exc))
    except KeyboardInterrupt:
        print("screen rescreen: interrupted; no output was written", file=sys.stderr)
        return 130
    if not args.quiet:
        for line in summary.lines():
            print(line)
    if summary.errors:
        return EXIT_ROW_ERRORS
    return EXIT_HITS if summary.hits or summary.items_to_review else EXIT_CLEAR
