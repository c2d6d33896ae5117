"""Re-screen one stretch of a stored result: read its rows, decide which to screen again, and write
every row, in order, to a part file of the output.

Runs in worker processes (each takes stretches of the file in turn), or in the command's own
process with one worker. What decides is in :class:`Context`, built once before the workers
start, so they share it (forked) rather than each building it.

The stretch is read as bytes: a clear row the update cannot affect (nearly every row) is carried
as :mod:`screen.rescreen.carry` finds it, its bytes copied up to its audit blocks and the new
ones written after them, without decoding it; the others are decoded and read here (hits,
errors, items, the first row with each audit block).
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from screen.batch.output import RowOutcome, jsonl_row
from screen.batch.run import classify_item_cell, screen_query
from screen.release.models import SourceList
from screen.rescreen.carry import TailCarrier
from screen.rescreen.plan import AuditBlocks, Plan, check_audit
from screen.rescreen.reverse import ReverseSearch
from screen.rescreen.stored import RowError, RowReader, StoredRow, clear_result_prefix
from screen.rescreen.summary import HitChange, RecordChange, Why
from screen.rescreen.words import WordTable

if TYPE_CHECKING:
    from screen.chips import ChipData

__all__ = ["MAX_REMEMBERED_NAMES", "Context", "PartResult", "process_part"]

MAX_REMEMBERED_NAMES = 1 << 19
"""Decisions remembered by name, per process, before the memory is cleared (some tens of MB)."""


@dataclass
class Context:
    """What every stretch is re-screened with."""

    path: Path
    plan: Plan
    full: bool
    search: ReverseSearch | None
    """The search for the target names and the material tokens (None with ``--full``)."""
    table: WordTable
    chips: ChipData | None
    """The new release's chip data, when rows hold items and the chip rules changed."""
    audits: AuditBlocks
    checksum: str
    """The recorded release's checksum: every row must have it."""
    kinds: dict[str, Why] = field(default_factory=dict)
    """Entry id -> how the update touched it (added, removed, changed)."""
    target_ids: frozenset[str] = frozenset()
    """The entries a row screened again is scored against besides its recorded hits (the
    targets of the plan: added, changed, or holding a name whose weights moved materially)."""
    _decisions: dict[str, str | None] = field(default_factory=dict)
    """A record's name -> :meth:`why` (remembered per process: names repeat in a file)."""
    _checked: set[str] = field(default_factory=set)
    sharing: bool = False
    """Keep the decisions made since :meth:`fresh` was last called (a worker shares them with
    the others: :mod:`screen.rescreen.shared`)."""
    _fresh: list[tuple[str, str | None]] = field(default_factory=list)
    decided: int = 0
    """Names decided in this process so far (not counting those remembered or learnt)."""

    def __post_init__(self) -> None:
        difference = self.plan.difference
        self.kinds.update((entry.id, "added") for entry in difference.added)
        self.kinds.update((entry.id, "removed") for entry in difference.removed)
        self.kinds.update((change.id, "changed") for change in difference.changed)
        self.target_ids = frozenset(entry.id for entry in self.plan.targets)

    def check(self, audit_text: str, audit: dict[str, Any]) -> None:
        """Check a row's audit block (once per distinct block); RowError if it is refused."""
        if audit_text not in self._checked:
            check_audit(audit, self.checksum)
            self._checked.add(audit_text)

    def why(self, name: str) -> str | None:
        """Why the record screened as ``name`` must be screened again (None: it need not)."""
        decisions = self._decisions
        if name in decisions:
            return decisions[name]
        why = self.search.why(name) if self.search is not None else None
        self.decided += 1
        self._remember(name, why)
        if self.sharing:
            self._fresh.append((name, why))
        return why

    def learn(self, decisions: Iterable[tuple[str, str | None]]) -> None:
        """Remember decisions another process made (the same search gives the same answers)."""
        for name, why in decisions:
            self._remember(name, why)

    def _remember(self, name: str, why: str | None) -> None:
        decisions = self._decisions
        if len(decisions) >= MAX_REMEMBERED_NAMES:
            decisions.clear()
        decisions[name] = why

    def fresh(self) -> list[tuple[str, str | None]]:
        """The decisions made since the last call (with ``sharing``)."""
        fresh, self._fresh = self._fresh, []
        return fresh


@dataclass
class PartResult:
    """What re-screening one stretch did."""

    lines: int = 0
    """Lines in the stretch (rows and blank lines), to number the next stretch's lines."""
    rows: int = 0
    status: Counter[str] = field(default_factory=Counter)
    items_to_review: int = 0
    rescreened: Counter[str] = field(default_factory=Counter)
    narrowed: int = 0
    """Rows screened again scored only against their recorded hits and the target entries."""
    decided: int = 0
    """Names whose records were decided on here (not remembered from another stretch)."""
    words: int = 0
    """Words probed here (not known from another stretch in this process)."""
    carried: int = 0
    unchanged: int = 0
    changes: list[RecordChange] = field(default_factory=list)
    error: tuple[int, str] | None = None
    """The first row that could not be read: its line in the stretch, and why."""


def _hits(result: dict[str, Any] | None) -> tuple[str, ...]:
    if result is None:
        return ()
    return tuple(str(hit.get("entry_id")) for hit in result.get("hits") or ())


class _Part:
    def __init__(self, context: Context, result: PartResult) -> None:
        self.context = context
        self.result = result
        self.reader = RowReader()
        self.carried_clear = 0
        """Clear rows carried over the quick way (counted at the end)."""
        self._tails: dict[tuple[str, str], str] = {}
        self.carrier = TailCarrier()

    def row(self, text: str, number: int, decided: bool = False, why: str | None = None) -> str:
        """The output row for the row ``text`` on line ``number`` of the stretch (``decided``:
        :meth:`Context.why` of its name is ``why``, already asked)."""
        context = self.context
        clear = None if context.full else self.reader.clear(text)
        if clear is not None:
            name, kept, inner, audit_text = clear
            tail = self._tails.get((inner, audit_text))
            if tail is None:
                tail = self._tail(inner, audit_text)
            if not decided:
                why, decided = context.why(name), True
            if why is None:
                self.carried_clear += 1
                return kept + tail
        row = self.reader.read(text, number)
        audit = self.reader.audits[row.audit]
        context.check(row.audit, audit)
        if row.inner_audit is not None and (row.inner_audit, row.audit) not in self._tails:
            self._tail(row.inner_audit, row.audit)
        if not decided or row.status != "clear" or row.inner_audit is None:
            why = self._why(row)
        if why is None:
            self.result.carried += 1
            self.result.unchanged += 1
            self.result.status[row.status] += 1
            self._count_item(row.item)
            return self._carry(row, audit)
        self.result.rescreened[why] += 1
        return self._rescreen(row, audit, self._within(row, why))

    def _tail(self, inner: str, audit_text: str) -> str:
        """A carried clear row's text after its result's audit block opens: the new blocks
        (once the row audit block is checked)."""
        audit = self.reader.audits[audit_text]
        self.context.check(audit_text, audit)
        audits = self.context.audits
        tail = "".join((
            audits.inner(inner, self.reader.inner_audit(inner)),
            '}, "audit": ', audits.row(audit_text, audit), "}\n",
        ))
        self._tails[(inner, audit_text)] = tail
        self.carrier.learn(f'{inner}}}, "audit": {audit_text}}}', tail[:-1])
        return tail

    def _why(self, row: StoredRow) -> str | None:
        """Why the row must be screened again (None: it is carried over)."""
        if row.query is None:
            return None
        if self.context.full:
            return "all"
        if row.status == "hit":
            return "hit"
        if row.status == "error":
            return "error"
        if row.inner_audit is None:
            return "other"  # a clear result not in the form the screener writes it
        return self.context.why(row.query["name"])

    def _within(self, row: StoredRow, why: str) -> frozenset[str] | None:
        """The entries a row screened again for ``why`` is scored against (None: every entry
        its candidate search finds).

        An entry the update left alone, whose names have no token whose weight moved
        materially, scored below the threshold before unless the row hit it, and its score
        moved only by the small weight changes (within the drift bound a carried row is left
        with too): so a clear row that could meet a target name is scored against the targets
        only, and a row with hits against the entries it hit and, when it could match a
        target name (:meth:`Context.why`), the targets. Not a row with a
        token whose weight fell materially (its score against any entry may have risen), nor
        one whose result lists fewer hits than it counts (the others are unknown)."""
        context = self.context
        if why == "candidate":
            self.result.narrowed += 1
            return context.target_ids
        if why != "hit" or row.query is None or row.result is None:
            return None
        hits = _hits(row.result)
        if row.result.get("hit_count") != len(hits):
            return None
        decision = context.why(str(row.query["name"]))
        if decision == "weights":
            return None
        self.result.narrowed += 1
        if decision is None:  # it can reach the threshold against no target name
            return frozenset(hits)
        return context.target_ids.union(hits)

    def _item(self, row: StoredRow, audit: dict[str, Any]) -> tuple[str, str, str | None]:
        """The row's item as status, summary and JSON: as recorded, or classified again when
        the chip rules changed."""
        query = row.query or {}
        chips = self.context.chips
        if chips is not None and isinstance(query.get("item"), str):
            as_of = dt.date.fromisoformat(str(audit["options"]["item_as_of"]))
            status, summary, as_json = classify_item_cell(
                query["item"], as_of, chips, with_json=True
            )
            return status, summary, as_json
        if row.item is None:
            return "", "", None
        item = json.loads(row.item)
        return str(item.get("status", "")), str(item.get("summary", "")), row.item

    def _count_item(self, item_text: str | None) -> None:
        if item_text is None:
            return
        status = json.loads(item_text).get("status")
        if status in ("controlled", "insufficient-data"):
            self.result.items_to_review += 1

    def _carry(self, row: StoredRow, audit: dict[str, Any]) -> str:
        audits = self.context.audits
        if row.inner_audit is not None:
            assert row.name_json is not None
            inner = audits.inner(row.inner_audit, self.reader.inner_audit(row.inner_audit))
            result = clear_result_prefix(row.name_json) + inner + "}"
        else:  # a row without a query: an input error, nothing was screened
            result = "null"
        parts = [row.head, result]
        if row.item is not None:
            item = row.item
            if self.context.chips is not None:
                item = self._item(row, audit)[2] or item
            parts += [', "item": ', item]
        parts += [', "audit": ', audits.row(row.audit, audit), "}\n"]
        return "".join(parts)

    def _rescreen(
        self, row: StoredRow, audit: dict[str, Any], within: frozenset[str] | None
    ) -> str:
        assert row.query is not None
        context = self.context
        options = audit.get("options") or {}
        lists = options.get("lists")
        outcome = screen_query(
            context.plan.screener,
            row.query["name"],
            row.query.get("country"),
            lists=tuple(SourceList(code) for code in lists) if lists else None,
            threshold=float(audit["threshold"]),
            with_json=True,
            within=within,
        )
        with_items = row.item is not None
        if with_items:
            status, summary, as_json = self._item(row, audit)
            outcome = outcome._replace(item_status=status, item_summary=summary,
                                       item_json=as_json)
            if status in ("controlled", "insufficient-data"):
                self.result.items_to_review += 1
        self.result.status[outcome.status] += 1
        self._compare(row, outcome)
        fields = [*row.input.values(), *(row.extra_fields or [])]
        return jsonl_row(
            list(row.input), row.line, fields, outcome, row.query,
            context.audits.row(row.audit, audit), with_items,
        )

    def _compare(self, row: StoredRow, outcome: RowOutcome) -> None:
        before = _hits(row.result)
        after = outcome.hit_ids
        if row.status == outcome.status and set(before) == set(after):
            self.result.unchanged += 1
            return
        new = tuple(HitChange(e, self._cause(e)) for e in after if e not in before)
        gone = tuple(HitChange(e, self._cause(e)) for e in before if e not in after)
        assert row.query is not None
        self.result.changes.append(RecordChange(
            row.number, row.line, str(row.query["name"]), row.status, outcome.status, new, gone,
        ))

    def _cause(self, entry_id: str) -> Why:
        kinds = self.context.kinds
        return kinds.get(entry_id, "weights")


def process_part(
    context: Context, start: int, end: int, part_path: Path
) -> PartResult:
    """Re-screen the rows in bytes ``start`` to ``end`` of the result (whole lines) into
    ``part_path``; a row that cannot be read stops the stretch (see ``PartResult.error``)."""
    result = PartResult()
    part = _Part(context, result)
    decided_before, words_before = context.decided, len(context.table)
    with context.path.open("rb") as handle:
        handle.seek(start)
        data = handle.read(end - start)
    # valid UTF-8 as a whole, every line is (a line break is never part of a multibyte
    # sequence): then no carried row needs its own check
    valid = data.isascii()
    if not valid:
        try:
            codecs.utf_8_decode(data, "strict", True)
            valid = True
        except UnicodeDecodeError:
            pass
    view = memoryview(data)
    carrier = part.carrier
    decide = context.why
    fast = not context.full
    size = len(data)
    number = at = 0
    with part_path.open("wb", buffering=1 << 20) as out:
        write = out.write
        while at < size:
            number += 1
            stop = data.find(b"\n", at)
            if stop < 0:
                stop = size
            tail = carrier.match(data, at, stop, decide) if fast else None
            if tail is not None and not valid:
                try:
                    codecs.utf_8_decode(view[at : stop - len(tail)], "strict", True)
                except UnicodeDecodeError:
                    tail = None
            if tail is not None:  # carried: the row up to its tail as it is, the new tail
                write(view[at : stop - len(tail)])
                write(carrier.new_tail(tail))
                result.rows += 1
                part.carried_clear += 1
                at = stop + 1
                continue
            line = view[at:stop]
            at = stop + 1
            try:
                text = str(line, "utf-8")
            except UnicodeDecodeError:
                result.error = (number, "not UTF-8")
                return result
            if not text or text.isspace():
                continue
            try:
                row = part.row(text.rstrip("\r"), number, carrier.decided, carrier.why)
            except RowError as exc:
                result.error = (number, str(exc))
                return result
            write(row.encode("utf-8"))
            result.rows += 1
    result.lines = number
    result.decided = context.decided - decided_before
    result.words = len(context.table) - words_before
    result.carried += part.carried_clear
    result.unchanged += part.carried_clear
    result.status["clear"] += part.carried_clear
    return result
