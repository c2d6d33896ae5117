"""Writing batch results: formula neutralisation, JSON lines, atomic replacement, audit sidecar."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from screen.batch.output import (
    PARTY_COLUMNS,
    OutputError,
    ResultWriter,
    RowOutcome,
    neutralise,
    sidecar_path,
)

AUDIT = {
    "release_version": "test",
    "release_checksum": "0" * 64,
    "matcher_version": "m1",
    "threshold": 88.0,
    "options": {},
}


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+1", "'+1+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("Acme = Best", "Acme = Best"),
        ("", ""),
    ],
)
def test_neutralise(cell: str, expected: str) -> None:
    assert neutralise(cell) == expected


def test_csv_output_carries_input_columns_and_neutralises(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    writer = ResultWriter(out, "csv", ["name", "=note"], audit=AUDIT, with_items=False)
    hit = RowOutcome("hit", None, 2, "EL-1", "EL", "ACME", "ACME CO", 97.25, "acme=acme")
    writer.write(2, ["Acme", "=cmd|' /C calc'!A0"], hit, {"name": "Acme", "country": None})
    writer.write(3, ["short"], RowOutcome("error", "line 3: 1 fields where the header has 2"), None)
    assert not out.exists()  # nothing under the final name before commit
    side = writer.commit({"summary": {"rows": 2}})
    rows = list(csv.reader(out.open(encoding="utf-8", newline="")))
    assert rows[0] == ["name", "'=note", *PARTY_COLUMNS]
    assert rows[1][:2] == ["Acme", "'=cmd|' /C calc'!A0"]
    assert rows[1][2:] == [
        "2",
        "hit",
        "",
        "2",
        "EL-1",
        "EL",
        "ACME",
        "ACME CO",
        "97.2",
        "acme=acme",
    ]
    assert rows[2][:5] == ["short", "", "3", "error", "line 3: 1 fields where the header has 2"]
    assert side == sidecar_path(out) and json.loads(side.read_text())["summary"]["rows"] == 2
    assert [p.name for p in tmp_path.iterdir()] == sorted([out.name, side.name]) or len(
        list(tmp_path.iterdir())
    ) == 2


def test_jsonl_rows_are_self_contained(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    writer = ResultWriter(out, "jsonl", ["name", "name"], audit=AUDIT, with_items=False)
    outcome = RowOutcome("clear", result_json='{"status": "clear", "hits": []}')
    writer.write(7, ["=A", "B", "C"], outcome, {"name": "=A", "country": "DE"})
    writer.commit({})
    row = json.loads(out.read_text(encoding="utf-8"))
    assert row["line"] == 7 and row["status"] == "clear" and row["hit_count"] == 0
    assert row["input"] == {"name": "=A", "name (2)": "B"}  # JSON is not a spreadsheet: unchanged
    assert row["extra_fields"] == ["C"]
    assert row["query"] == {"name": "=A", "country": "DE"}
    assert row["result"] == {"status": "clear", "hits": []}
    assert row["audit"] == AUDIT


def test_abort_leaves_no_file(tmp_path: Path) -> None:
    writer = ResultWriter(tmp_path / "out.csv", "csv", ["name"], audit=AUDIT, with_items=False)
    writer.write(2, ["A"], RowOutcome("clear"), None)
    writer.abort()
    assert list(tmp_path.iterdir()) == []


def test_unwritable_output_is_an_output_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="cannot write"):
        ResultWriter(
            tmp_path / "missing" / "out.csv", "csv", ["name"], audit=AUDIT, with_items=False
        )
