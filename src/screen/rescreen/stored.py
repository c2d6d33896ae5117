"""Read the rows of a stored ``screen batch --format jsonl`` result, fast and strictly.

A row is one line, written by :func:`screen.batch.output.jsonl_row`::

    {"line": L, "status": S, "reason": R, "hit_count": H, "input": {...}, "query": Q
     [, "extra_fields": [...]], "result": RESULT[, "item": ITEM], "audit": AUDIT}

Every row is read field by field in that order with the JSON module's own scanner (a row that
is not one whole JSON object in that shape is refused, naming its line). A clear row's result
and the audit block, the same on every row of a run, are compared with the text already seen
rather than decoded again: a million rows are read in seconds. The parts are kept as text, so a
row carried over unchanged is written back with only its audit blocks replaced.
"""

from __future__ import annotations

import json
import json.decoder
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["ClearRow", "RowError", "RowReader", "StoredRow", "clear_result_prefix"]

# The JSON module's own scanners (in C), which typeshed does not describe: the value at a position
# and its end; a string's text (from after its opening quote) and its end.
_SCAN: Callable[[str, int], tuple[Any, int]] = getattr(json.JSONDecoder(), "scan_once")  # noqa: B009
scanstring: Callable[[str, int], tuple[str, int]] = getattr(json.decoder, "scanstring")  # noqa: B009


class RowError(ValueError):
    """A line is not a stored result row; the message says what was expected."""


def clear_result_prefix(name_json: str) -> str:
    """The text of a clear result up to its audit block, for a query written as ``name_json``
    (what ``screen.screener.ScreenResult.to_dict`` gives, dumped as the batch dumps it)."""
    return (
        '{"query": ' + name_json
        + ', "status": "clear", "error": null, "hit_count": 0, "hits": [], "audit": '
    )


@dataclass(slots=True)
class StoredRow:
    """One row of a stored result, its parts as text where they may be written back."""

    number: int
    """Line of the row in the result file."""
    line: int
    """Line of the record in the original input."""
    status: str
    input: dict[str, Any]
    query: dict[str, Any] | None
    extra_fields: list[Any] | None
    head: str
    """The row's text up to and with ``"result": ``."""
    result: dict[str, Any] | None
    """The result decoded (None for a clear row: see ``inner_audit``)."""
    inner_audit: str | None
    """A clear row: the text of its result's audit block (the rest of the result is fixed)."""
    name_json: str | None
    """The query's name as it is written in the row."""
    item: str | None
    """The text of the item part (with an item column)."""
    audit: str
    """The text of the row's audit block."""


_NOT_A_ROW = "not a row of a screen batch result: "


def _expect(text: str, at: int, literal: str, what: str) -> int:
    if not text.startswith(literal, at):
        raise RowError(f"{_NOT_A_ROW}expected {what} at character {at + 1}")
    return at + len(literal)


def _value(text: str, at: int, what: str) -> tuple[Any, int]:
    try:
        value, end = _SCAN(text, at)
    except (StopIteration, ValueError):  # nothing there, or JSON broken inside
        raise RowError(f"{_NOT_A_ROW}{what} is not JSON (character {at + 1})") from None
    return value, end


def _string(text: str, at: int, what: str) -> tuple[str, int]:
    """The JSON string whose opening quote is just before ``at``, and where it ends."""
    try:
        return scanstring(text, at)
    except ValueError:
        raise RowError(f"{_NOT_A_ROW}{what} is not a JSON string (character {at})") from None


_CLEAR_HEAD = ', "status": "clear", "reason": null, "hit_count": 0, "input": '
_QUERY_NAME = ', "query": {"name": "'
_NO_COUNTRY = ', "country": null}, "result": '
_COUNTRY = ', "country": "'
_AFTER_COUNTRY = '}, "result": '
_AUDIT_AFTER_CLEAR = '}}, "audit": '


ClearRow = tuple[str, str, str, str]
"""A clear row read the quick way: its query's name; its text up to its result's audit block
(carried over as it is); the text of that audit block; the text of the row's audit block."""


class RowReader:
    """Reads rows one line at a time, remembering the audit blocks and clear results seen."""

    def __init__(self) -> None:
        self._audits: dict[str, dict[str, Any]] = {}
        self._inner: dict[str, dict[str, Any]] = {}

    @property
    def audits(self) -> dict[str, dict[str, Any]]:
        """Every distinct audit block seen: its text -> decoded."""
        return self._audits

    def clear(self, text: str) -> ClearRow | None:
        """A clear row with a query and no item, read without decoding what it repeats: None
        when the row is anything else (or anything in it is new), to be read with
        :meth:`read`. The input is checked to be JSON; the result must be the one a clear
        screening gives for the query; both audit blocks must be ones already read."""
        if not text.startswith('{"line": '):
            return None
        at = text.find(", ", 9)
        number = text[9:at]
        if (
            at < 0 or not (number.isascii() and number.isdigit())
            or (number[0] == "0" and number != "0")  # JSON writes no leading zero
            or not text.startswith(_CLEAR_HEAD, at)
        ):
            return None
        try:
            at = _SCAN(text, at + len(_CLEAR_HEAD))[1]
            if not text.startswith(_QUERY_NAME, at):
                return None
            start = at + len(_QUERY_NAME) - 1
            name, at = scanstring(text, start + 1)
            name_json = text[start:at]
            if text.startswith(_COUNTRY, at):
                at = scanstring(text, at + len(_COUNTRY))[1]
        except (StopIteration, ValueError):
            return None
        if text.startswith(_NO_COUNTRY, at):
            at += len(_NO_COUNTRY)
        elif text.startswith(_AFTER_COUNTRY, at) and text[at - 1] == '"':
            at += len(_AFTER_COUNTRY)
        else:
            return None
        prefix = clear_result_prefix(name_json)
        if not text.startswith(prefix, at):
            return None
        at += len(prefix)
        end = text.find(_AUDIT_AFTER_CLEAR, at)
        if end < 0 or not text.endswith("}"):
            return None
        inner = text[at : end + 1]
        audit = text[end + len(_AUDIT_AFTER_CLEAR) : -1]
        if inner not in self._inner or audit not in self._audits:
            return None
        return name, text[:at], inner, audit

    def read(self, text: str, number: int) -> StoredRow:
        """Read the row on result line ``number`` (``text`` without its line break)."""
        at = _expect(text, 0, '{"line": ', '{"line": ')
        line, at = _value(text, at, "line")
        at = _expect(text, at, ', "status": "', '"status"')
        status, at = _string(text, at, "status")
        at = _expect(text, at, ', "reason": ', '"reason"')
        _reason, at = _value(text, at, "reason")
        at = _expect(text, at, ', "hit_count": ', '"hit_count"')
        _hits, at = _value(text, at, "hit_count")
        at = _expect(text, at, ', "input": ', '"input"')
        input_fields, at = _value(text, at, "input")
        at = _expect(text, at, ', "query": ', '"query"')
        query, name_json, at = self._query(text, at)
        extra = None
        if text.startswith(', "extra_fields": ', at):
            extra, at = _value(text, at + len(', "extra_fields": '), "extra_fields")
        at = _expect(text, at, ', "result": ', '"result"')
        if not (
            isinstance(line, int) and isinstance(input_fields, dict)
            and status in ("clear", "hit", "error")
            and (extra is None or isinstance(extra, list))
        ):
            raise RowError(
                f"{_NOT_A_ROW}its line, status, input or extra fields are not as written"
            )
        head = text[:at]
        result, inner, at = self._result(text, at, status, name_json)
        item = None
        if text.startswith(', "item": ', at):
            start = at + len(', "item": ')
            _item, at = _value(text, start, "item")
            item = text[start:at]
        at = _expect(text, at, ', "audit": ', '"audit"')
        audit, at = self._audit(text, at)
        if text[at:] not in ("}", "}\r"):
            raise RowError(
                f"{_NOT_A_ROW}unexpected text after the audit block (character {at + 1})"
            )
        return StoredRow(
            number, line, status, input_fields, query, extra, head, result, inner, name_json,
            item, audit,
        )

    @staticmethod
    def _query(text: str, at: int) -> tuple[dict[str, Any] | None, str | None, int]:
        if text.startswith("null", at):
            return None, None, at + 4
        if text.startswith('{"name": "', at):
            start = at + len('{"name": ')
            _name, end = _string(text, start + 1, "the query's name")
            name_json = text[start:end]
            query, at = _value(text, at, "query")
        else:
            query, at = _value(text, at, "query")
            name_json = None
        if not isinstance(query, dict) or not isinstance(query.get("name"), str):
            raise RowError(f"{_NOT_A_ROW}the query is not an object with a name")
        if name_json is None:
            name_json = json.dumps(query["name"], ensure_ascii=False)
        return query, name_json, at

    def _result(
        self, text: str, at: int, status: str, name_json: str | None
    ) -> tuple[dict[str, Any] | None, str | None, int]:
        if name_json is not None and status == "clear":
            prefix = clear_result_prefix(name_json)
            if text.startswith(prefix, at):
                start = at + len(prefix)
                for inner in self._inner:
                    if text.startswith(inner, start) and text.startswith("}", start + len(inner)):
                        return None, inner, start + len(inner) + 1
                decoded, end = _value(text, start, "result's audit")
                if isinstance(decoded, dict) and text.startswith("}", end):
                    inner = text[start:end]
                    self._inner[inner] = decoded
                    return None, inner, end + 1
        result, end = _value(text, at, "result")
        if name_json is None:
            if result is not None:
                raise RowError(f"{_NOT_A_ROW}a row without a query has a result")
            return None, None, end
        if not (
            isinstance(result, dict) and result.get("status") == status
            and isinstance(result.get("hits"), list) and isinstance(result.get("audit"), dict)
        ):
            raise RowError(f"{_NOT_A_ROW}the result is not a screening result of the row's status")
        return result, None, end

    def _audit(self, text: str, at: int) -> tuple[str, int]:
        for audit in self._audits:
            if text.startswith(audit, at):
                return audit, at + len(audit)
        decoded, end = _value(text, at, "audit")
        if not isinstance(decoded, dict):
            raise RowError(f"{_NOT_A_ROW}the audit block is not an object")
        audit = text[at:end]
        self._audits[audit] = decoded
        return audit, end

    def inner_audit(self, inner: str) -> dict[str, Any]:
        """A clear result's audit block, decoded."""
        return self._inner[inner]
