"""Converter for trade.gov's Consolidated Screening List as JSON (``consolidated.json``).

The JSON file holds ``{"results": [...]}``, one object per CSV row, with the CSV's columns as keys
except that the id is ``id`` (``_id`` in the CSV) and multi-valued columns are arrays:
``alt_names``, ``programs``, ``nationalities``, ``citizenships``, ``dates_of_birth`` and
``places_of_birth`` of strings, ``addresses`` of ``{address, city, state, postal_code, country}``
and ``ids`` of ``{type, number, country, issue_date, expiration_date}``.

Each object is turned into the row the CSV would carry (arrays joined with ``; ``, an address's
parts with ``, `` ending in its country code, an id as ``country, number, type``) and converted by
:func:`screen.release.sources.csl.convert_row`, so both formats give the same entries. Errors
name the record's position in ``results`` (1-based) where the CSV's would name a line.
"""

from __future__ import annotations

import json
from typing import Any

from screen.release.sources.common import SourceError, SourceFile, read_text
from screen.release.sources.csl import CSL_COLUMNS, CslRecord, convert_row

__all__ = ["parse_csl_json", "row_of_result"]

_ADDRESS_PARTS = ("address", "city", "state", "postal_code", "country")
_ID_PARTS = ("country", "number", "type")


def _text(value: Any, column: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError(f"{column}: expected text, found {type(value).__name__}")
    return str(value)


def _joined(parts: list[Any], keys: tuple[str, ...], column: str) -> str:
    values = []
    for part in parts:
        if isinstance(part, dict):
            fields = [_text(part.get(key), column).strip() for key in keys]
            values.append(", ".join(field for field in fields if field))
        else:
            values.append(_text(part, column).strip())
    return "; ".join(value for value in values if value)


def row_of_result(result: dict[str, Any]) -> dict[str, str]:
    """The CSV row (every CSL column, as text) of one JSON result; ValueError on a bad value."""
    row: dict[str, str] = {}
    for column in CSL_COLUMNS:
        key = "id" if column == "_id" else column
        value = result.get(key)
        if isinstance(value, list):
            if column == "addresses":
                row[column] = _joined(value, _ADDRESS_PARTS, column)
            elif column == "ids":
                row[column] = _joined(value, _ID_PARTS, column)
            else:
                row[column] = _joined(value, (), column)
        else:
            row[column] = _text(value, column)
    return row


def parse_csl_json(source: SourceFile) -> list[CslRecord]:
    """Convert every result of a CSL JSON file, in file order; any bad one is a SourceError."""
    try:
        document = json.loads(read_text(source))
    except json.JSONDecodeError as exc:
        raise SourceError(source.name, exc.lineno, f"invalid JSON: {exc.msg}") from exc
    results = document.get("results") if isinstance(document, dict) else None
    if not isinstance(results, list):
        raise SourceError(source.name, None, 'no "results" array: not the CSL JSON format')
    records = []
    for number, result in enumerate(results, start=1):
        if not isinstance(result, dict):
            raise SourceError(source.name, None, f"result {number}: not an object")
        try:
            row = row_of_result(result)
            records.append(convert_row(source, number, row))
        except ValueError as exc:
            raise SourceError(source.name, None, f"result {number}: {exc}") from exc
        except SourceError as exc:
            raise SourceError(source.name, None, f"result {number}: {exc.message}") from exc
    return records
