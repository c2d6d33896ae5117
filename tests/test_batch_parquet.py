"""Parquet in ``screen batch``: every row kept with a status (bad ones too), the caller's columns
carried with their types, row groups of bounded size, the audit block in the file's metadata."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from batch_helpers import run_screen, write_subset_release  # noqa: E402

from screen.batch import parquet as batch_parquet  # noqa: E402
from screen.batch.output import PARTY_COLUMNS  # noqa: E402
from screen.batch.run import BatchError, BatchOptions, run_batch  # noqa: E402
from screen.release.store import load_release  # noqa: E402
from screen.screener import Screener  # noqa: E402


@pytest.fixture(scope="module")
def release_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_subset_release(tmp_path_factory.mktemp("release"))


@pytest.fixture(scope="module")
def screener(release_dir: Path) -> Screener:
    """A real screener on five entries of the shipped release."""
    return Screener(load_release(release_dir))


def _customers() -> pa.Table:
    """Typed columns, and bad cells of every kind a Parquet file can hold."""
    return pa.table(
        {
            "id": pa.array([1, 2, 3, 4, 5, 6, 7, 8], pa.int64()),
            "name": [
                "Mahan Air",
                None,
                "",
                "z" * 1001,
                "Ordinary Bakery Ltd",
                "Beijing Zhipu Huazhang Technology Co Ltd",
                "Mahan Air",
                "Vtb Bank",
            ],
            "country": ["IR", "DE", "FR", "US", "GB", "CN", "Iran", None],
            "since": [dt.date(2020, 1, day) for day in range(1, 9)],
            "photo": pa.array([b"\x89PNG", None, b"", b"\xff", b"a", b"b", b"c", b"d"]),
        }
    )


STATUSES = ["hit", "error", "error", "error", "clear", "hit", "error", "hit"]
REASONS = [
    None,
    "row 2: empty name in column 'name'",
    "row 3: empty name in column 'name'",
    "row 4: name in column 'name' is 1,001 characters long (the limit is 1,000)",
    None,
    None,
    "row 7: country 'Iran' is not an ISO 3166-1 alpha-2 code such as CN or DE "
    "(column 'country')",
    None,
]


def _batch(  # type: ignore[no-untyped-def]
    tmp_path: Path, screener: Screener, source: Path, output: str, **options: object
):
    out = tmp_path / output
    fmt = output.rsplit(".", 1)[1]
    settings = BatchOptions(output_format=fmt, workers=1, **options)  # type: ignore[arg-type]
    return run_batch(source, out, screener, settings), out


def test_parquet_round_trip_keeps_every_row_and_the_types(
    tmp_path: Path, screener: Screener
) -> None:
    table = _customers()
    source = tmp_path / "customers.parquet"
    pq.write_table(table, source, row_group_size=3)
    summary, out = _batch(tmp_path, screener, source, "out.parquet", country_column="country")
    result = pq.read_table(out)
    assert result.column_names == [*table.column_names, *PARTY_COLUMNS]
    # the caller's columns come back unchanged, types and bytes included
    assert result.select(table.column_names).equals(table)
    assert result.schema.field("since").type == pa.date32()
    assert result.schema.field("photo").type == pa.binary()
    assert result.column("screen_line").to_pylist() == list(range(1, 9))
    assert result.column("screen_status").to_pylist() == STATUSES
    assert result.column("screen_reason").to_pylist() == REASONS
    assert result.schema.field("screen_hits").type == pa.int64()
    assert result.schema.field("screen_score").type == pa.float64()
    hits = result.column("screen_hits").to_pylist()
    assert hits == [1, None, None, None, 0, 1, None, 1]
    assert result.column("screen_entry_id").to_pylist()[0] == "SDN-12927"
    assert (summary.rows, summary.hits, summary.errors, summary.clear) == (8, 3, 4, 1)
    audit = json.loads(pq.read_metadata(out).metadata[batch_parquet.AUDIT_KEY])
    sidecar = json.loads((tmp_path / "out.parquet.audit.json").read_text(encoding="utf-8"))
    assert audit == sidecar["audit"] == summary.audit
    assert audit["release_version"] == "subset-1"
    assert audit["options"]["country_column"] == "country"
    assert sidecar["input"]["encoding"] == "Parquet" and sidecar["input"]["delimiter"] is None
    assert len(sidecar["input"]["sha256"]) == 64


def test_parquet_input_to_csv_and_jsonl_says_the_same(tmp_path: Path, screener: Screener) -> None:
    source = tmp_path / "customers.parquet"
    pq.write_table(_customers(), source)
    _, out_csv = _batch(tmp_path, screener, source, "out.csv", country_column="country")
    with out_csv.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["screen_status"] for row in rows] == STATUSES
    assert [row["screen_reason"] or None for row in rows] == REASONS
    assert rows[0]["id"] == "1" and rows[0]["since"] == "2020-01-01" and rows[1]["name"] == ""
    _, out_parquet = _batch(tmp_path, screener, source, "out.parquet", country_column="country")
    typed = pq.read_table(out_parquet).to_pylist()
    for row, cells in zip(typed, rows, strict=True):
        score = row["screen_score"]
        assert cells["screen_score"] == ("" if score is None else f"{score:.1f}")
        hits = row["screen_hits"]
        assert cells["screen_hits"] == ("" if hits is None else str(hits))
    _, out_jsonl = _batch(tmp_path, screener, source, "out.jsonl", country_column="country")
    lines = [json.loads(line) for line in out_jsonl.read_text(encoding="utf-8").splitlines()]
    assert [line["status"] for line in lines] == STATUSES
    assert [line["line"] for line in lines] == list(range(1, 9))


def test_csv_input_with_bad_lines_to_parquet_keeps_every_record(
    tmp_path: Path, screener: Screener
) -> None:
    source = tmp_path / "in.csv"
    source.write_bytes(
        b"id,name,country\n"
        b"1,Mahan Air,IR\n"
        b"2,Extra,DE,x\n"
        b"3,,FR\n"
        b"4,Bad \x81 byte,FR\n"
        b"5,Ordinary Bakery Ltd,GB\n"
    )
    _, out = _batch(tmp_path, screener, source, "out.parquet")
    result = pq.read_table(out)
    assert result.schema.field("id").type == pa.string()  # a CSV's cells are text
    assert result.column("id").to_pylist() == ["1", "2", "3", "4", "5"]
    assert result.column("screen_line").to_pylist() == [2, 3, 4, 5, 6]
    assert result.column("screen_status").to_pylist() == [
        "hit", "error", "error", "error", "clear",
    ]
    reasons = result.column("screen_reason").to_pylist()
    assert reasons[1] == "line 3: 4 fields where the header has 3"
    assert reasons[2] == "line 4: empty name in column 'name'"
    assert reasons[3].startswith("line 5: undecodable bytes")


def test_a_binary_name_that_is_not_utf8_is_an_error_row(tmp_path: Path, screener: Screener) -> None:
    source = tmp_path / "binary.parquet"
    names = pa.array([b"Mahan Air", b"Bad \x81 byte", None], pa.binary())
    pq.write_table(pa.table({"name": names, "blob": [b"\xff", b"\xfe", b"ok"]}), source)
    _, out = _batch(tmp_path, screener, source, "out.parquet")
    result = pq.read_table(out)
    assert result.column("screen_status").to_pylist() == ["hit", "error", "error"]
    assert result.column("screen_reason").to_pylist()[1] == (
        "row 2: undecodable bytes in column 'name': not valid UTF-8 (byte 0x81 at byte 5 of "
        "the cell)"
    )
    assert result.column("blob").to_pylist() == [b"\xff", b"\xfe", b"ok"]


def test_a_row_group_that_cannot_be_read_becomes_error_rows(
    tmp_path: Path, screener: Screener
) -> None:
    source = tmp_path / "damaged.parquet"
    names = ["Mahan Air", "Ordinary Bakery Ltd", "Other Bakery Ltd"] * 3
    pq.write_table(
        pa.table({"id": list(range(1, 10)), "name": names}),
        source,
        row_group_size=3,
        compression="none",
    )
    # overwrite the name column's pages in the second row group
    chunk = pq.read_metadata(source).row_group(1).column(1)
    start = chunk.dictionary_page_offset or chunk.data_page_offset
    data = bytearray(source.read_bytes())
    data[start : start + chunk.total_compressed_size] = b"\xff" * chunk.total_compressed_size
    source.write_bytes(bytes(data))
    summary, out = _batch(tmp_path, screener, source, "out.parquet")
    result = pq.read_table(out)
    assert result.column("screen_line").to_pylist() == list(range(1, 10))
    assert result.column("screen_status").to_pylist() == ["hit", "clear", "clear"] + [
        "error"
    ] * 3 + ["hit", "clear", "clear"]
    assert result.column("id").to_pylist() == [1, 2, 3, None, None, None, 7, 8, 9]
    reasons = result.column("screen_reason").to_pylist()
    assert reasons[3].startswith(
        "row 4: row group 2 (rows 4-6) of the Parquet file cannot be read: "
    )
    assert "\n" not in reasons[3]
    assert summary.errors == 3


def test_output_row_groups_and_input_batches_are_bounded(
    tmp_path: Path, screener: Screener, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch_parquet, "ROW_GROUP_ROWS", 4)
    monkeypatch.setattr(batch_parquet, "READ_BATCH_ROWS", 3)
    source = tmp_path / "many.parquet"
    names = [f"Customer {number} Trading Ltd" for number in range(1, 24)] + ["Mahan Air"]
    pq.write_table(pa.table({"name": names, "n": list(range(24))}), source, row_group_size=10)
    _, out = _batch(tmp_path, screener, source, "out.parquet")
    meta = pq.read_metadata(out)
    assert [meta.row_group(i).num_rows for i in range(meta.num_row_groups)] == [4] * 6
    result = pq.read_table(out)
    assert result.column("n").to_pylist() == list(range(24))
    assert result.column("screen_status").to_pylist() == ["clear"] * 23 + ["hit"]


def test_cli_reads_and_writes_parquet(tmp_path: Path, release_dir: Path) -> None:
    source = tmp_path / "customers.parquet"
    pq.write_table(_customers(), source)
    out = tmp_path / "out.parquet"
    done = run_screen(
        "batch", source, "-o", out, "--country-column", "country", "--release", release_dir
    )
    assert done.returncode == 3, done.stderr  # some rows are errors
    assert f"input:   {source} (Parquet); name column 'name'" in done.stdout
    assert "screened 8 rows: 1 clear, 3 hits, 4 errors" in done.stdout
    assert "  row 2: empty name in column 'name'" in done.stdout
    assert pq.read_table(out).column("screen_status").to_pylist() == STATUSES
    wrong = run_screen("batch", source, "-o", tmp_path / "x.csv", "--delimiter", ";")
    assert wrong.returncode == 2
    assert "--encoding and --delimiter apply to CSV input, not to Parquet" in wrong.stderr
    junk = tmp_path / "junk.parquet"
    junk.write_bytes(b"name\nMahan Air\n")
    broken = run_screen("batch", junk, "-o", tmp_path / "y.csv", "--release", release_dir)
    assert broken.returncode == 2
    assert f"{junk}: not a readable Parquet file" in broken.stderr
    assert not (tmp_path / "y.csv").exists()


def test_parquet_without_pyarrow_is_a_clear_error(
    tmp_path: Path, screener: Screener, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "pyarrow" else real(name, *a)
    )
    source = tmp_path / "in.csv"
    source.write_text("name\nMahan Air\n", encoding="utf-8")
    with pytest.raises(BatchError, match=r"writing Parquet needs pyarrow.*screen\[frames\]"):
        _batch(tmp_path, screener, source, "out.parquet")
    with pytest.raises(BatchError, match=r"reading Parquet needs pyarrow"):
        run_batch(tmp_path / "in.parquet", tmp_path / "o.csv", screener, BatchOptions())
