"""``screen lists history`` and ``screen lists use VERSION``: the release store on this machine.

Registered by :mod:`screen.cli.lists_cmd` under ``screen lists``.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from screen.cli import EXIT_CLEAR, EXIT_ERROR
from screen.release.home import (
    SHIPPED,
    current_target,
    data_home,
    release_summary,
    stored_releases,
)
from screen.release.store import SHIPPED_RELEASE_DIR, ListError, read_update_record
from screen.release.switch import StoreBusy, read_history, use_release

__all__ = ["register_actions"]


def register_actions(actions: Any) -> None:
    """Add ``history`` and ``use`` to the ``screen lists`` actions."""
    history = actions.add_parser(
        "history",
        help="the stored releases and every switch between them",
        description="List the releases in the store ($SCREEN_HOME) with the one in service "
        "marked, and every update and switch, oldest first.",
    )
    history.set_defaults(func=_history)
    use = actions.add_parser(
        "use",
        help="put a stored release back in service (roll back)",
        description="Switch the release in service to a stored one, atomically: VERSION as "
        "`screen lists history` shows it, a checksum prefix, or `shipped` for the release "
        "shipped in the package.",
    )
    use.add_argument("version", metavar="VERSION")
    use.set_defaults(func=_use)


def _history(_args: argparse.Namespace) -> int:
    home = data_home()
    try:
        target = current_target(home)
    except ListError as exc:
        print(f"screen lists history: error: {exc}", file=sys.stderr)
        target = None
    print(f"release store: {home}")
    rows = []
    for release in reversed(stored_releases(home)):
        try:
            record = read_update_record(release.directory) or {}
        except ListError:
            record = {"broken": True}
        marks = []
        if record.get("broken"):
            marks.append("DAMAGED: does not verify")
        if record.get("accepted_shrink"):
            count = len(record["accepted_shrink"])
            marks.append(f"{count} shrink{'s' if count != 1 else ''} accepted")
        rows.append((release.directory.name == target, release, ", ".join(marks)))
    shipped = release_summary(SHIPPED_RELEASE_DIR)
    if shipped is not None:
        rows.append((target in (None, SHIPPED), shipped, "shipped with the package"))
    print(f"  {'version':<14}{'created':<12}{'checksum':<14}{'entries':>8}")
    for in_service, release, note in rows:
        mark = "*" if in_service else " "
        total = sum(release.counts.values())
        print(
            f"{mark} {release.version:<14}{release.created:<12}{release.checksum[:12]:<14}"
            f"{total:>8,}  {note}".rstrip()
        )
    events = read_history(home)
    if events:
        print("\nupdates and switches (oldest first):")
        for event in events:
            came = f" (was {event.previous_version})" if event.previous_version else ""
            print(f"  {event.at}  {event.action:<6} -> {event.version}{came}")
    print("\n* = in service")
    return EXIT_CLEAR


def _use(args: argparse.Namespace) -> int:
    try:
        event = use_release(args.version)
    except (ListError, StoreBusy, OSError) as exc:
        print(f"screen lists use: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    came = f" (was {event.previous_version})" if event.previous_version else ""
    print(f"release {event.version} (checksum {event.checksum[:12]}) is in service{came}")
    return EXIT_CLEAR
