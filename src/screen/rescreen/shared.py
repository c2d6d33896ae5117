"""What one worker process of a re-screen decided, for the others.

Whether a record could match a changed name depends on its name alone, and a customer book names
the same customer on many rows, in stretches that different workers take. Each worker appends
the names it decided to its own file in the run's folder (one line each: the name as a JSON
string, a tab, why or nothing) and, before each stretch, reads what the others appended since it
last looked; so a name is decided about once however many workers meet it. A line is read only
once its line break is written: a line another process is still writing waits for the next look.
Sharing only saves time: a file that cannot be written or read (a full disk) leaves each worker
deciding on its own, as it would without the board, and never fails the run.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

__all__ = ["DecisionBoard"]

_PREFIX = "decided-"


class DecisionBoard:
    """The decisions of the workers of one run, kept as files in ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._own = folder / f"{_PREFIX}{os.getpid()}.txt"
        self._read: dict[Path, int] = {}
        """Each other worker's file -> the bytes of it already read."""

    def publish(self, decisions: Sequence[tuple[str, str | None]]) -> None:
        """Append this process's new decisions (name, why) for the others."""
        if not decisions:
            return
        # json.dumps escapes line breaks and tabs, so neither appears inside a name's text
        text = "".join(
            f"{json.dumps(name, ensure_ascii=False)}\t{why or ''}\n" for name, why in decisions
        )
        try:
            with self._own.open("a", encoding="utf-8") as handle:
                handle.write(text)
        except OSError:
            pass  # the others decide these names themselves (a line cut off is never read)

    def news(self) -> Iterator[tuple[str, str | None]]:
        """The decisions the other workers appended since the last call."""
        for path in sorted(self.folder.glob(f"{_PREFIX}*.txt")):
            if path == self._own:
                continue
            start = self._read.get(path, 0)
            try:
                with path.open("rb") as handle:
                    handle.seek(start)
                    data = handle.read()
            except OSError:
                continue
            end = data.rfind(b"\n") + 1
            if end == 0:
                continue
            self._read[path] = start + end
            for line in data[: end - 1].decode("utf-8", "replace").split("\n"):
                name, _, why = line.rpartition("\t")
                try:
                    decided = json.loads(name)
                except ValueError:
                    continue  # a line a full disk cut off, finished by a later write
                if isinstance(decided, str):
                    yield decided, why or None

    @staticmethod
    def remove(folder: Path) -> None:
        """Delete the files of every worker (the run is over)."""
        for path in folder.glob(f"{_PREFIX}*.txt"):
            path.unlink(missing_ok=True)
