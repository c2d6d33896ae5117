"""screen.batch on a small real release: accounting, order, errors, audit, parallel path."""

from __future__ import annotations

import csv
import gc
import hashlib
import json
import multiprocessing
import weakref
from multiprocessing.connection import Connection
from pathlib import Path

import pytest
from batch_helpers import write_subset_release
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from screen.batch.input import open_input
from screen.batch.run import (
    CHUNK_ROWS,
    SMALL_RUN_ROWS,
    BatchError,
    BatchOptions,
    normalise_country,
    pick_name_column,
    run_batch,
)
from screen.matching.score import MATCHER_VERSION
from screen.release.models import SourceList
from screen.release.store import load_release
from screen.screener import Screener


@pytest.fixture(scope="module")
def screener(tmp_path_factory: pytest.TempPathFactory) -> Screener:
    """A real screener on five entries of the shipped release."""
    return Screener(load_release(write_subset_release(tmp_path_factory.mktemp("release"))))


def _run(tmp_path: Path, screener: Screener, data: bytes, **options: object):  # type: ignore[no-untyped-def]
    source = tmp_path / "in.csv"
    source.write_bytes(data)
    fmt = str(options.get("output_format", "csv"))
    out = tmp_path / f"out.{fmt}"
    summary = run_batch(source, out, screener, BatchOptions(**options))  # type: ignore[arg-type]
    return summary, out


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


BAD_INPUT = (
    b"id,name,country\n"
    b"1,Mahan Air,IR\n"
    b"2,Extra,DE,x\n"
    b"3,Nul\x00Name,US\n"
    b"4,,FR\n"
    b"5,   ,FR\n"
    b"6,Bad \x81 byte,FR\n"
    b"7," + b"x" * 200_000 + b",US\n"
    b'8,"Beijing Zhipu Huazhang Technology Co Ltd",CN\n'
    b"9,Ordinary Bakery Ltd,GB\n"
)


def test_every_bad_input_is_one_error_row_and_the_run_goes_on(
    tmp_path: Path, screener: Screener
) -> None:
    summary, out = _run(tmp_path, screener, BAD_INPUT)
    rows = _csv_rows(out)
    assert [row["id"] for row in rows] == ["1", "2", "3", "4", "5", "6", "", "8", "9"]
    assert [row["screen_line"] for row in rows] == [str(n) for n in range(2, 11)]
    assert [row["screen_status"] for row in rows] == [
        "hit",
        "error",
        "error",
        "error",
        "error",
        "error",
        "error",
        "hit",
        "clear",
    ]
    reasons = [row["screen_reason"] for row in rows]
    assert reasons[1] == "line 3: 4 fields where the header has 3"
    assert reasons[2] == "line 4: NUL byte in column 'name'"
    assert reasons[3] == "line 5: empty name in column 'name'"
    assert reasons[4] == "line 6: empty name in column 'name'"
    assert reasons[5].startswith("line 7: undecodable bytes")
    assert reasons[6].startswith("line 8: record too long")
    assert (summary.rows, summary.hits, summary.errors, summary.clear) == (9, 2, 6, 1)
    hit = rows[0]
    assert hit["screen_entry_id"] == "SDN-12927" and hit["screen_list"] == "SDN"
    assert hit["screen_matched_name"] == "MAHAN AIR" and float(hit["screen_score"]) >= 80
    assert hit["screen_explanation"] and hit["screen_hits"] == "1"


def test_name_column_is_auto_detected_or_chosen() -> None:
    assert pick_name_column(["id", "Company Name", "country"], None) == (1, True)
    assert pick_name_column(["id", "Counterparty", "x"], None) == (1, True)
    assert pick_name_column(["a", "b"], None) == (0, True)
    assert pick_name_column(["a", "b"], "B") == (1, False)
    assert pick_name_column(["a", "b"], "2") == (1, False)
    with pytest.raises(BatchError, match="no column 'nom'"):
        pick_name_column(["a", "b"], "nom")


def test_country_column_filters_and_bad_codes_are_row_errors(
    tmp_path: Path, screener: Screener
) -> None:
    data = b"name,cc\nMahan Air,IR\nMahan Air,DE\nMahan Air,Iran\nMahan Air,\n"
    summary, out = _run(tmp_path, screener, data, country_column="cc")
    rows = _csv_rows(out)
    assert [row["screen_status"] for row in rows] == ["hit", "clear", "error", "hit"]
    assert "not an ISO 3166-1 alpha-2 code" in rows[2]["screen_reason"]
    assert summary.audit["options"]["country_column"] == "cc"


def test_normalise_country() -> None:
    assert normalise_country(" cn ") == "CN"
    assert normalise_country("") is None
    with pytest.raises(ValueError, match="alpha-2"):
        normalise_country("CHN")


def test_formula_cells_are_neutralised_in_csv_only(tmp_path: Path, screener: Screener) -> None:
    data = b'name,note\n"=HYPERLINK(""http://x"",""y"")",@cmd\n-Acme,+1\n'
    _, out = _run(tmp_path, screener, data)
    rows = _csv_rows(out)
    assert rows[0]["name"] == '\'=HYPERLINK("http://x","y")' and rows[0]["note"] == "'@cmd"
    assert rows[1]["name"] == "'-Acme" and rows[1]["note"] == "'+1"
    _, out = _run(tmp_path, screener, data, output_format="jsonl")
    first = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert first["input"]["name"] == '=HYPERLINK("http://x","y")'


def test_jsonl_rows_carry_audit_query_and_result(tmp_path: Path, screener: Screener) -> None:
    summary, out = _run(
        tmp_path,
        screener,
        b"name\nMahan Air\n\n,\n",
        output_format="jsonl",
        lists=(SourceList.SDN,),
        threshold=85.0,
    )
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 2 and summary.blank_lines == 1
    first = rows[0]
    assert first["line"] == 2 and first["status"] == "hit" and first["hit_count"] == 1
    assert first["query"] == {"name": "Mahan Air", "country": None}
    assert first["result"]["hits"][0]["entry_id"] == "SDN-12927"
    audit = first["audit"]
    assert audit["release_version"] == "subset-1"
    assert audit["release_checksum"] == screener.release.checksum
    assert audit["matcher_version"] == MATCHER_VERSION
    assert audit["threshold"] == 85.0 and audit["options"]["lists"] == ["SDN"]
    assert rows[1]["status"] == "error" and rows[1]["query"] is None


def test_sidecar_records_input_checksum_and_counts(tmp_path: Path, screener: Screener) -> None:
    data = "name\nMüller GmbH\n".encode("cp1252")
    summary, out = _run(tmp_path, screener, data)
    assert summary.sidecar_path is not None
    side = json.loads(summary.sidecar_path.read_text(encoding="utf-8"))
    assert side["input"]["sha256"] == hashlib.sha256(data).hexdigest()
    assert side["input"]["windows_1252_lines"] == [2]
    assert side["summary"]["rows"] == 1
    assert side["audit"]["release_checksum"] == screener.release.checksum
    assert _csv_rows(out)[0]["name"] == "Müller GmbH"


@pytest.mark.parametrize("workers", [1, 2])
def test_large_input_keeps_order_across_chunks_and_workers(
    tmp_path: Path, screener: Screener, workers: int
) -> None:
    count = SMALL_RUN_ROWS + 2 * CHUNK_ROWS + 17
    lines = [b"id,name"]
    for number in range(count):
        if number % 997 == 0:
            lines.append(b"%d,Mahan Air" % number)
        elif number % 1009 == 0:
            lines.append(b"%d,broken,row" % number)
        else:
            lines.append(b"%d,Customer %d Trading" % (number, number))
    summary, out = _run(tmp_path, screener, b"\n".join(lines) + b"\n", workers=workers)
    rows = _csv_rows(out)
    assert [int(row["id"]) for row in rows] == list(range(count))
    assert [int(row["screen_line"]) for row in rows] == list(range(2, count + 2))
    expected_hits = {n for n in range(count) if n % 997 == 0}
    assert {int(row["id"]) for row in rows if row["screen_status"] == "hit"} == expected_hits
    expected_errors = {n for n in range(count) if n % 1009 == 0 and n % 997}
    assert {int(row["id"]) for row in rows if row["screen_status"] == "error"} == expected_errors
    assert summary.rows == count


def test_output_problems_are_batch_errors_and_leave_nothing(
    tmp_path: Path, screener: Screener
) -> None:
    source = tmp_path / "in.csv"
    source.write_bytes(b"name\nA\n")
    with pytest.raises(BatchError, match="is the input file"):
        run_batch(source, source, screener, BatchOptions())
    with pytest.raises(BatchError, match="does not exist"):
        run_batch(source, tmp_path / "nope" / "out.csv", screener, BatchOptions())
    with pytest.raises(BatchError, match="is a directory"):
        run_batch(source, tmp_path, screener, BatchOptions())
    with pytest.raises(BatchError, match="cannot read"):
        run_batch(tmp_path / "missing.csv", tmp_path / "out.csv", screener, BatchOptions())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


_FUZZ_ALPHABET = st.sampled_from(
    [
        b"a",
        b"Mahan Air",
        b" ",
        b",",
        b'"',
        b"\n",
        b"\r\n",
        b"\x00",
        b"\xff",
        b"\x81",
        b"=",
        "é".encode(),
        "北京".encode(),
        "Банк".encode(),
    ]
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.one_of(st.lists(_FUZZ_ALPHABET, max_size=40).map(b"".join), st.binary(max_size=200)))
def test_random_bytes_every_record_in_is_one_row_out(
    tmp_path: Path, screener: Screener, data: bytes
) -> None:
    source = tmp_path / "fuzz.csv"
    source.write_bytes(b"name,note\n" + data)
    with open_input(source) as reader:
        expected = [record.line for record in reader.records()]
    out = tmp_path / "fuzz.jsonl"
    summary = run_batch(source, out, screener, BatchOptions(output_format="jsonl"))
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [row["line"] for row in rows] == expected
    assert summary.rows == len(rows) == summary.clear + summary.hits + summary.errors
    for row in rows:
        assert row["status"] in ("clear", "hit", "error")
        assert (row["status"] == "error") == (row["reason"] is not None)


@pytest.mark.parametrize("workers", [1, 2])
def test_run_leaves_the_callers_collector_as_it_was(
    tmp_path: Path, screener: Screener, workers: int
) -> None:
    """A run in the caller's process (workers=1) or on a pool (workers=2 runs more than
    SMALL_RUN_ROWS rows) neither freezes the caller's objects nor switches its collector: the
    process belongs to the program that imported screen (screen batch tunes its own process in
    the command line, see screen.process)."""
    count = SMALL_RUN_ROWS + CHUNK_ROWS + 1
    data = b"id,name\n" + b"".join(b"%d,Customer %d\n" % (n, n) for n in range(count))
    gc.unfreeze()
    marker = [screener]  # a tracked object that exists when the run starts
    assert gc.isenabled()
    summary, _ = _run(tmp_path, screener, data, workers=workers)
    assert summary.rows == count
    assert gc.get_freeze_count() == 0
    assert gc.isenabled()
    assert any(item is marker for item in gc.get_objects())


def _report_worker_collector_state(screener: Screener, answer: Connection) -> None:
    """In a forked child: whether automatic collection is on after the worker's initializer,
    and whether a chunk's end (the second chunk's: the first, which loads tables, is not
    collected) still frees a reference cycle made during the chunk."""
    from screen.batch import workers
    from screen.batch.screening import Screening, ScreenSpec

    workers._init_worker(Screening(screener, ScreenSpec(None, None, False), None))
    enabled = gc.isenabled()
    workers._settle_heap()  # the first chunk

    class Node:
        other: object = None

    first, second = Node(), Node()
    first.other, second.other = second, first
    gone = weakref.ref(first)
    del first, second
    workers._settle_heap()
    answer.send((enabled, gone() is None))


def test_worker_collects_cycles_at_chunk_ends_not_by_allocation_count(screener: Screener) -> None:
    """A worker's automatic collections are off (they cost time and find almost nothing), but
    the collection at each chunk's end still frees cyclic garbage, so memory stays bounded."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_report_worker_collector_state, args=(screener, sender))
    child.start()
    try:
        assert receiver.poll(60), "the worker did not answer"
        enabled, freed = receiver.recv()
    finally:
        child.join(60)
    assert not enabled
    assert freed


def _report_spawned_worker(answer: Connection) -> None:
    """In a child: a worker started as where processes cannot fork (it is handed the release
    path and loads the screener itself): whether it screens, and how much it froze."""
    from screen.batch import workers
    from screen.batch.screening import ScreenSpec

    gc.freeze()  # what this child inherited: only what the worker makes is counted below
    frozen_before = gc.get_freeze_count()
    workers._init_worker((None, ScreenSpec(None, None, False)))
    frozen = gc.get_freeze_count() - frozen_before
    assert workers._WORKER is not None
    outcome = workers._screen_chunk([("Zhipu AI", None, None)])[0]
    answer.send((gc.isenabled(), frozen, outcome.status))


def test_a_spawned_worker_loads_the_release_and_freezes_it() -> None:
    """Without fork, a worker loads the shipped release itself; what it loaded is moved out of
    the collector's scans before its first chunk, as a forked worker's inheritance is."""
    context = multiprocessing.get_context("fork")  # the child stands in for a spawned worker
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_report_spawned_worker, args=(sender,))
    child.start()
    try:
        assert receiver.poll(120), "the worker did not answer"
        enabled, frozen, status = receiver.recv()
    finally:
        child.join(60)
    assert not enabled
    assert frozen > 100_000  # the screener: hundreds of thousands of objects
    assert status == "hit"
