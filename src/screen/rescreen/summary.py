"""What a re-screen changed: new hits, hits gone, records unchanged, and how the work was done."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

__all__ = ["MAX_LISTED_CHANGES", "HitChange", "RecordChange", "RescreenSummary", "Why"]

MAX_LISTED_CHANGES = 10_000
"""Changed records listed in the summary (all are counted)."""

Why = Literal["added", "removed", "changed", "weights"]
"""Why a hit came or went: its entry was added to the list, removed from it (delisted), changed,
or (``weights``) none of these: the update moved token weights and the score crossed the
threshold."""


@dataclass(frozen=True, slots=True)
class HitChange:
    """One entry a record now hits, or no longer hits."""

    entry_id: str
    why: Why


@dataclass(frozen=True, slots=True)
class RecordChange:
    """A record whose hits are not the recorded ones."""

    result_line: int
    """Line of the row in the stored result (and in the output)."""
    input_line: int
    name: str
    before: str
    """The recorded status."""
    after: str
    new_hits: tuple[HitChange, ...]
    gone_hits: tuple[HitChange, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "result_line": self.result_line,
            "input_line": self.input_line,
            "name": self.name,
            "before": self.before,
            "after": self.after,
            "new_hits": [{"entry_id": h.entry_id, "why": h.why} for h in self.new_hits],
            "gone_hits": [{"entry_id": h.entry_id, "why": h.why} for h in self.gone_hits],
        }


@dataclass
class RescreenSummary:
    """What ``screen rescreen`` did and found."""

    input_path: Path
    output_path: Path
    sidecar_path: Path | None = None
    mode: Literal["delta", "full"] = "delta"
    old_release: dict[str, Any] = field(default_factory=dict)
    new_release: dict[str, Any] = field(default_factory=dict)
    matcher_version: str = ""
    diff_counts: dict[str, int] = field(default_factory=dict)
    """Entries added, removed and changed between the releases, and names searched for."""
    rows: int = 0
    clear: int = 0
    hits: int = 0
    errors: int = 0
    """The output's rows by status."""
    items_to_review: int = 0
    """Items classified controlled or insufficient-data (with an item column)."""
    changed_records: int = 0
    """Records whose status or hit entries are not the recorded ones."""
    other_changes: int = 0
    """Changed records with no hit won or lost (an error now screened, or the reverse)."""
    rescreened: Counter[str] = field(default_factory=Counter)
    """Rows screened again, by why: ``hit`` (recorded hits), ``candidate`` (could meet a name
    added or changed), ``weights`` (a token whose weight moved materially), ``error`` (recorded
    errors of the screener), ``all`` (``--full``)."""
    narrowed: int = 0
    """Rows screened again scored only against the entries they hit before and the entries the
    update changed (or whose names' weights moved materially): see ``screen.rescreen.parts``."""
    carried: int = 0
    """Rows carried over with only their audit blocks replaced."""
    unchanged: int = 0
    """Records whose status and hit entries are the recorded ones."""
    new_hit_records: int = 0
    gone_hit_records: int = 0
    new_hits: Counter[str] = field(default_factory=Counter)
    """New (record, entry) hits by why."""
    gone_hits: Counter[str] = field(default_factory=Counter)
    changes: list[RecordChange] = field(default_factory=list)
    drift_bound: float = 0.0
    """How far a score against an untouched entry may have moved (points), for the carried
    rows; 0 when nothing moved, or with ``--full``."""
    material_tokens: int = 0
    words: int = 0
    """Distinct words of the records looked at, summed over the processes (each worker looks
    at the words it meets that the command's own process had not met before the fork)."""
    names_decided: int = 0
    """Names decided on (whether their records could meet a target name), summed over the
    worker processes: a name is decided about once, however often it repeats."""
    seconds: float = 0.0
    load_seconds: float = 0.0

    @property
    def rescreened_rows(self) -> int:
        """Rows screened again, all reasons."""
        return sum(self.rescreened.values())

    def add_change(self, change: RecordChange) -> None:
        """Count a changed record (and list it, up to ``MAX_LISTED_CHANGES``)."""
        self.changed_records += 1
        if not change.new_hits and not change.gone_hits:
            self.other_changes += 1
        if change.new_hits:
            self.new_hit_records += 1
        if change.gone_hits:
            self.gone_hit_records += 1
        self.new_hits.update(hit.why for hit in change.new_hits)
        self.gone_hits.update(hit.why for hit in change.gone_hits)
        if len(self.changes) < MAX_LISTED_CHANGES:
            self.changes.append(change)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (``--summary FILE`` and the audit sidecar)."""
        return {
            "input": str(self.input_path),
            "output": str(self.output_path),
            "mode": self.mode,
            "old_release": self.old_release,
            "new_release": self.new_release,
            "matcher_version": self.matcher_version,
            "diff": dict(self.diff_counts),
            "rows": self.rows,
            "output_status": {"clear": self.clear, "hit": self.hits, "error": self.errors},
            "items_to_review": self.items_to_review,
            "rescreened": dict(sorted(self.rescreened.items())),
            "rescreened_narrowed": self.narrowed,
            "carried_over": self.carried,
            "unchanged_records": self.unchanged,
            "records_with_new_hits": self.new_hit_records,
            "records_with_hits_gone": self.gone_hit_records,
            "records_otherwise_changed": self.other_changes,
            "new_hits": dict(sorted(self.new_hits.items())),
            "hits_gone": dict(sorted(self.gone_hits.items())),
            "changes_listed": len(self.changes),
            "changes_counted": self.changed_records,
            "changes": [change.to_dict() for change in self.changes],
            "weights": {
                "material_tokens": self.material_tokens,
                "drift_bound_points": round(self.drift_bound, 4),
            },
            "distinct_words": self.words,
            "names_decided": self.names_decided,
            "seconds": round(self.seconds, 3),
            "release_load_seconds": round(self.load_seconds, 3),
        }

    def lines(self, examples: int = 20) -> list[str]:
        """The printed summary: one line per fact, then the first changed records."""
        old, new = self.old_release, self.new_release
        out = [
            f"rescreened {self.input_path} -> {self.output_path} ({self.mode})",
            f"release: {old.get('version')} (sha256 {str(old.get('checksum'))[:12]}...) -> "
            f"{new.get('version')} (sha256 {str(new.get('checksum'))[:12]}...), "
            f"matcher {self.matcher_version}",
            "diff:    " + ", ".join(f"{k} {v:,}" for k, v in self.diff_counts.items()),
            f"rows:    {self.rows:,}: screened again {self.rescreened_rows:,} ("
            + (", ".join(f"{k} {v:,}" for k, v in sorted(self.rescreened.items())) or "none")
            + (f"; {self.narrowed:,} of them scored against their hits and the changed "
               "entries only" if self.narrowed else "")
            + f"), carried over {self.carried:,}",
            f"found:   {self.new_hit_records:,} records with new hits ("
            + _why(self.new_hits) + f"), {self.gone_hit_records:,} with hits gone ("
            + _why(self.gone_hits) + f"), {self.unchanged:,} unchanged"
            + (f", {self.other_changes:,} other changes" if self.other_changes else ""),
            f"output:  {self.clear:,} clear, {self.hits:,} hits, {self.errors:,} errors",
        ]
        if self.drift_bound > 0.0:
            out.append(
                f"weights: the update moved every token weight a little: a score against an "
                f"untouched entry not computed again (a carried-over row's, or a row's against "
                f"an entry it did not hit) may have moved by up to {self.drift_bound:.2f} "
                "points (screen rescreen --full screens every row again)"
            )
        for change in self.changes[:examples]:
            new_hits = ", ".join(f"{h.entry_id} ({h.why})" for h in change.new_hits)
            gone = ", ".join(f"{h.entry_id} ({h.why})" for h in change.gone_hits)
            parts = [p for p in (f"new {new_hits}" if new_hits else "",
                                 f"gone {gone}" if gone else "") if p]
            out.append(
                f"  line {change.result_line} (input line {change.input_line}) "
                f"{change.name!r}: {change.before} -> {change.after}: " + "; ".join(parts)
            )
        more = self.changed_records - min(examples, len(self.changes))
        if more > 0:
            out.append(f"  ... and {more:,} more changed records (all in --summary FILE)")
        return out


def _why(counts: Counter[str]) -> str:
    return ", ".join(f"{why} {count:,}" for why, count in sorted(counts.items())) or "none"
