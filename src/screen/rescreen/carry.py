"""The carry path: clear rows the update cannot affect, copied as bytes with their audit tail
replaced, never decoded as JSON nor written again field by field.

A clear row written by ``screen batch`` (:func:`screen.batch.output.jsonl_row`) ends with the
same text on every row of a run: its result's audit block and the row's audit block (the
*tail*)::

    {"line": 7, "status": "clear", ..., "input": {...}, "query": {"name": N, "country": C},
     "result": {"query": N, "status": "clear", "error": null, "hit_count": 0, "hits": [],
     "audit": INNER}, "audit": AUDIT}

A row is carried the fast way when it ends with a tail already read, checked and rewritten the
slow way (:mod:`screen.rescreen.parts`) and everything before the tail has exactly that shape:
:data:`_HEAD` is the grammar of those bytes (the input an object of strings or nulls, every
string a JSON string as the JSON module's strict scanner accepts it, the result's query the
row's name), and the bytes before the tail are UTF-8. Anything else (hits, errors, items, extra
fields, other white space or key order, a line ending in ``\\r``) is read the slow way, which
refuses what is not a row. So a row is carried the fast way only when the slow way would carry
it, with the same text.

The bytes are looked at where they lie in the stretch read (no line is cut out, decoded or
copied before it is written): the Python work per row carried is a suffix comparison, one match
of a regular expression, a dictionary lookup of its name (decisions are remembered by name:
:meth:`screen.rescreen.parts.Context.why`) and, only when the stretch read is not valid
UTF-8 as a whole, a UTF-8 check of its bytes (:func:`screen.rescreen.parts.process_part`).
The row is written as its bytes up to the tail, then the new tail.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final

from screen.rescreen.stored import scanstring

__all__ = ["TailCarrier"]

# A JSON string as the strict scanner reads it: no control character, only the escapes JSON
# defines; unrolled (runs of plain characters between escapes) so that the match is quick.
_STRING: Final = rb'"[^"\\\x00-\x1f]*(?:\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})[^"\\\x00-\x1f]*)*"'
_CELL: Final = rb"(?:" + _STRING + rb"|null)"
_HEAD: Final = re.compile(
    rb'\{"line": (?:0|[1-9][0-9]*), "status": "clear", "reason": null, "hit_count": 0, '
    rb'"input": \{(?:' + _STRING + rb": " + _CELL
    + rb"(?:, " + _STRING + rb": " + _CELL + rb")*)?\}, "
    rb'"query": \{"name": (' + _STRING + rb'), "country": ' + _CELL + rb"\}, "
    rb'"result": \{"query": \1, "status": "clear", "error": null, "hit_count": 0, '
    rb'"hits": \[\], "audit": '
)
"""A clear row up to its result's audit block, as ``screen batch`` writes it (group 1: the
query's name as written)."""

class TailCarrier:
    """Tells the rows of a stretch that are carried the fast way, and gives their new tails."""

    def __init__(self) -> None:
        self._tails: dict[bytes, bytes] = {}
        self._order: list[bytes] = []
        self.decided = False
        """Whether the last row :meth:`match` read had the shape and was decided on."""
        self.why: str | None = None
        """Why that row is to be screened again (when it was decided on)."""

    def learn(self, old_tail: str, new_tail: str) -> None:
        """A tail read and checked the slow way (``old_tail`` from the result's audit block to
        the end of the row, without the line break) and what it becomes."""
        old = old_tail.encode("utf-8")
        if old not in self._tails:
            self._order.append(old)
        self._tails[old] = new_tail.encode("utf-8") + b"\n"

    def new_tail(self, tail: bytes) -> bytes:
        """What ``tail`` (as :meth:`match` gave it) becomes, with the line break."""
        return self._tails[tail]

    def match(
        self, data: bytes, start: int, end: int, decide: Callable[[str], str | None]
    ) -> bytes | None:
        """The tail of the row in bytes ``start`` to ``end`` of ``data`` (without its line
        break) when it is carried the fast way; else None, with :attr:`decided` and :attr:`why`
        set when the row had the shape."""
        self.decided = False
        for tail in self._order:
            if data.endswith(tail, start, end):
                break
        else:
            return None
        cut = end - len(tail)
        found = _HEAD.fullmatch(data, start, cut)
        if found is None:
            return None
        try:
            text = found.group(1).decode("utf-8")
        except UnicodeDecodeError:
            return None  # the slow way names the line
        why = decide(scanstring(text, 1)[0] if "\\" in text else text[1:-1])
        if why is not None:
            self.decided, self.why = True, why
            return None
        return tail
