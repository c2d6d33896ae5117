"""Compare two list releases: entries added, removed and changed, and which names changed.

This is the proof of a list update: what a maintainer reads before adopting a new release.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from screen.release.models import ListEntry, ListRelease, SourceList

__all__ = ["EntryChange", "ReleaseDiff", "diff"]


@dataclass(frozen=True)
class EntryChange:
    """How one entry present in both releases changed."""

    id: str
    source_list: SourceList
    name: str
    fields: tuple[str, ...]
    """The ListEntry fields whose values differ, in model order."""
    names_added: tuple[str, ...]
    names_removed: tuple[str, ...]
    names: tuple[str, ...] = ()
    """Every name of the entry in the newer release, primary first."""

    @property
    def provenance_only(self) -> bool:
        """True when only where the entry came from changed, not what it says."""
        return set(self.fields) <= {"source", "verification"}


@dataclass(frozen=True)
class ReleaseDiff:
    """What a list update changed: entries added, removed and changed, by id."""

    old_version: str
    old_checksum: str
    new_version: str
    new_checksum: str
    old_counts: dict[str, int]
    new_counts: dict[str, int]
    added: tuple[ListEntry, ...]
    removed: tuple[ListEntry, ...]
    changed: tuple[EntryChange, ...]

    def document(self) -> dict[str, Any]:
        """The diff as JSON-ready data: both releases, their counts, and every added, removed and
        changed entry with its names (for a changed entry: its names now, and which names were
        added and removed)."""

        def entry(item: ListEntry) -> dict[str, Any]:
            return {
                "id": item.id,
                "list": item.source_list.value,
                "name": item.name,
                "names": list(item.names),
            }

        return {
            "format": 1,
            "old": {"version": self.old_version, "checksum": self.old_checksum},
            "new": {"version": self.new_version, "checksum": self.new_checksum},
            "counts": {"old": dict(self.old_counts), "new": dict(self.new_counts)},
            "added": [entry(item) for item in self.added],
            "removed": [entry(item) for item in self.removed],
            "changed": [
                {
                    "id": change.id,
                    "list": change.source_list.value,
                    "name": change.name,
                    "names": list(change.names),
                    "fields": list(change.fields),
                    "provenance_only": change.provenance_only,
                    "names_added": list(change.names_added),
                    "names_removed": list(change.names_removed),
                }
                for change in self.changed
            ],
        }

    def summary(self, examples: int | None = 3) -> str:
        """A plain-text summary: totals, a table per list, changed fields and example ids.

        ``examples`` ids are listed per source list and kind of change (None: all of them).
        """
        content = [c for c in self.changed if not c.provenance_only]
        fields = Counter(f for c in content for f in c.fields if f != "source")
        lines = [
            f"List release {self.old_version} (checksum {self.old_checksum[:12]}) -> "
            f"{self.new_version} (checksum {self.new_checksum[:12]})",
            f"added {len(self.added)}, removed {len(self.removed)}, changed {len(content)} "
            f"(+{len(self.changed) - len(content)} changed only in provenance), "
            f"names added {sum(len(c.names_added) for c in content)}, "
            f"names removed {sum(len(c.names_removed) for c in content)}",
            "fields changed: " + (", ".join(f"{f} {n}" for f, n in fields.most_common()) or "none"),
            "",
            f"{'list':<8}{'old':>8}{'new':>8}{'added':>8}{'removed':>9}{'changed':>9}",
        ]
        codes = sorted(set(self.old_counts) | set(self.new_counts))
        for code in codes:
            lines.append(
                f"{code:<8}{self.old_counts.get(code, 0):>8}{self.new_counts.get(code, 0):>8}"
                f"{sum(e.source_list == code for e in self.added):>8}"
                f"{sum(e.source_list == code for e in self.removed):>9}"
                f"{sum(c.source_list == code for c in content):>9}"
            )
        for title, items in (
            ("Added", [(e.source_list, e.id, e.name, "") for e in self.added]),
            ("Removed", [(e.source_list, e.id, e.name, "") for e in self.removed]),
            ("Changed", [(c.source_list, c.id, c.name, _detail(c)) for c in content]),
        ):
            if not items:
                continue
            shown = [
                item for code in codes for item in [i for i in items if i[0] == code][:examples]
            ]
            more = "" if len(shown) == len(items) else f", up to {examples} per list shown"
            lines += ["", f"{title} ({len(items)}{more}):"]
            lines += [
                f"  {id_}  {name}" + (f"  [{detail}]" if detail else "")
                for _, id_, name, detail in shown
            ]
        return "\n".join(lines) + "\n"


def _detail(change: EntryChange) -> str:
    text = ", ".join(change.fields)
    if change.names_added:
        text += "; names added: " + " | ".join(change.names_added)
    if change.names_removed:
        text += "; names removed: " + " | ".join(change.names_removed)
    return text


def _change(old: ListEntry, new: ListEntry) -> EntryChange | None:
    if old == new:  # nearly every entry: one comparison of the whole entry, not field by field
        return None
    fields = tuple(f for f in ListEntry.model_fields if getattr(old, f) != getattr(new, f))
    if not fields:
        return None
    old_names, new_names = set(old.names), set(new.names)
    return EntryChange(
        id=new.id,
        source_list=new.source_list,
        name=new.name,
        fields=fields,
        names_added=tuple(n for n in dict.fromkeys(new.names) if n not in old_names),
        names_removed=tuple(n for n in dict.fromkeys(old.names) if n not in new_names),
        names=new.names,
    )


def diff(old: ListRelease, new: ListRelease) -> ReleaseDiff:
    """Compare two releases entry by entry (entries are matched by their stable id)."""
    old_by_id = {entry.id: entry for entry in old.entries}
    new_by_id = {entry.id: entry for entry in new.entries}
    changes = (
        _change(old_by_id[id_], new_by_id[id_])
        for id_ in sorted(old_by_id.keys() & new_by_id.keys())
    )
    return ReleaseDiff(
        old_version=old.version,
        old_checksum=old.checksum,
        new_version=new.version,
        new_checksum=new.checksum,
        old_counts=dict(old.counts),
        new_counts=dict(new.counts),
        added=tuple(new_by_id[i] for i in sorted(new_by_id.keys() - old_by_id.keys())),
        removed=tuple(old_by_id[i] for i in sorted(old_by_id.keys() - new_by_id.keys())),
        changed=tuple(change for change in changes if change is not None),
    )
