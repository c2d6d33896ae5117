"""The gates a new release passes before it is adopted (fail closed).

* **No source is empty.** A source that gives no records is never adopted, whatever the options:
  an empty list means a broken download or a broken publisher, never "nobody is sanctioned".
* **No list shrinks by more than 10%** against the release in service, list by list (SDN, EL,
  UN ...). A list no source supplies any more (``--without un``, a source that failed to give it)
  counts as shrinking to nothing. Lists do shrink for real (a sanctions programme ends:
  Zimbabwe's in 2024 took 113 SDN entries off), so ``--accept-shrink`` lets a reviewed shrink
  through; the release records what was accepted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["MAX_SHRINK", "GateResult", "Shrink", "check_gates"]

MAX_SHRINK = 0.10
"""The largest fall in a list's entries adopted without ``--accept-shrink``."""


def _entries(count: int) -> str:
    return f"{count:,} entr{'y' if count == 1 else 'ies'}"


@dataclass(frozen=True)
class Shrink:
    """A list with fewer entries than in the release in service, beyond :data:`MAX_SHRINK`."""

    list_code: str
    old: int
    new: int
    source: str
    url: str

    @property
    def message(self) -> str:
        """What shrank, by how much."""
        if self.new == 0:
            return (
                f"list {self.list_code} would go from {_entries(self.old)} to none: no source "
                "supplies it (a dropped source counts as shrinking)"
            )
        fall = (self.old - self.new) / self.old
        return (
            f"list {self.list_code} shrinks from {self.old:,} to {_entries(self.new)} "
            f"(-{fall:.0%}, more than the {MAX_SHRINK:.0%} allowed without --accept-shrink)"
        )

    def __str__(self) -> str:
        return f"{self.source}: {self.url}: {self.message}"


@dataclass
class GateResult:
    """Problems that stop the update, and shrinks let through by ``--accept-shrink``."""

    problems: list[str] = field(default_factory=list)
    accepted: list[Shrink] = field(default_factory=list)


def check_gates(
    *,
    old_counts: Mapping[str, int],
    new_counts: Mapping[str, int],
    records: Mapping[str, int],
    urls: Mapping[str, str],
    list_sources: Mapping[str, str],
    home_sources: Mapping[str, str],
    accept_shrink: bool,
) -> GateResult:
    """Check a new release's lists against the release in service.

    ``records`` are the rows read per fetched source, ``urls`` each source's URL,
    ``list_sources`` which source supplied each list in the new release and ``home_sources``
    which source would supply a list no source supplied (to name it in the message).
    """
    result = GateResult()
    for source, count in sorted(records.items()):
        if count == 0:
            result.problems.append(
                f"{source}: {urls.get(source, '?')}: no records: an empty list is never adopted"
            )
    for code, old in sorted(old_counts.items()):
        new = new_counts.get(code, 0)
        if old <= 0 or new >= old * (1 - MAX_SHRINK):
            continue
        source = list_sources.get(code) or home_sources.get(code, "?")
        url = urls.get(source, "(not fetched)")
        shrink = Shrink(code, old, new, source, url)
        if accept_shrink:
            result.accepted.append(shrink)
        else:
            result.problems.append(str(shrink))
    return result
