"""screen.frames.screen_dask on a real cluster (a LocalCluster of 2 worker processes): the same
rows, statuses and audit as ``screen batch``, one screener per worker process, and a worker with
another list release refusing its tasks."""

from __future__ import annotations

import csv
import json
import logging
import os
import pickle
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pd = pytest.importorskip("pandas")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

from batch_helpers import REPO, run_screen, write_subset_release  # noqa: E402

from screen.batch.output import PARTY_COLUMNS  # noqa: E402
from screen.frames import AUDIT_ATTR, WorkerReleaseError, audit_of, screen_dask  # noqa: E402
from screen.frames.frame import frame_settings  # noqa: E402
from screen.frames.worker import PartitionJob, loaded_releases, partition_audit  # noqa: E402
from screen.release.store import LISTS_DIR_ENV, MANIFEST, SHIPPED_RELEASE_DIR  # noqa: E402


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    """Two worker processes of one thread each, as on a small real cluster."""
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        ) as cluster,
        distributed.Client(cluster) as connected,
    ):
        yield connected


@pytest.fixture(scope="module")
def rows() -> list[list[str]]:
    """The demo's customers (listed parties among them, in many scripts) and bad rows."""
    with (REPO / "examples" / "customers.csv").open(encoding="utf-8", newline="") as handle:
        records = list(csv.reader(handle))[1:]
    bad = [
        ["E1", "", "DE", "company"],
        ["E2", "Mahan Air", "Iran", "company"],
        ["E3", "q" * 1001, "US", "company"],
        ["E4", "   ", "", "person"],
    ]
    # bad rows spread through the file, so they fall in several partitions
    return records[:30] + bad[:2] + records[30:60] + bad[2:] + records[60:]


def _write(folder: Path, rows: list[list[str]]) -> tuple[Path, Path]:
    header = ["customer_id", "name", "country", "type"]
    source_csv = folder / "customers.csv"
    with source_csv.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    source_parquet = folder / "customers.parquet"
    columns = {name: [row[index] for row in rows] for index, name in enumerate(header)}
    pq.write_table(pa.table(columns), source_parquet, row_group_size=25)
    return source_csv, source_parquet


def _cells(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as plain values (None for every kind of missing value), to compare across dtypes."""
    return [
        {key: (None if pd.isna(value) else value) for key, value in row.items()}
        for row in frame.astype(object).to_dict("records")
    ]


def test_dask_result_equals_screen_batch_row_for_row(
    tmp_path: Path, client: Any, rows: list[list[str]]
) -> None:
    source_csv, source_parquet = _write(tmp_path, rows)
    out_parquet = tmp_path / "batch.parquet"
    done = run_screen("batch", source_parquet, "-o", out_parquet, "--country-column", "country")
    assert done.returncode == 3, done.stderr  # hits and error rows
    out_csv = tmp_path / "batch.csv"
    done = run_screen("batch", source_csv, "-o", out_csv, "--country-column", "country")
    assert done.returncode == 3, done.stderr

    # the same Parquet file, a partition per row group, as a lake's files are read
    ddf = dd.read_parquet(source_parquet, split_row_groups=True)
    assert ddf.npartitions == 4
    screened = screen_dask(ddf, name_column="name", country_column="country")
    assert list(screened.columns) == ["customer_id", "name", "country", "type", *PARTY_COLUMNS]
    result = screened.compute()

    # the Parquet output of screen batch: the same rows, numbers, reasons and audit block
    batch = pq.read_table(out_parquet)
    assert _cells(result) == _cells(batch.to_pandas())
    statuses = set(result["screen_status"])
    assert statuses == {"hit", "clear", "error"}
    audit = json.loads(pq.read_metadata(out_parquet).metadata[b"screen_audit"])
    assert result.attrs[AUDIT_ATTR] == audit == audit_of(screened)

    # the CSV output: the same cells, a CSV's line N being row N - 1 (the header is line 1)
    with out_csv.open(encoding="utf-8", newline="") as handle:
        lines = list(csv.DictReader(handle))
    assert len(lines) == len(result)
    for line, row in zip(lines, _cells(result), strict=True):
        assert int(line["screen_line"]) == row["screen_line"] + 1
        for column in PARTY_COLUMNS[1:]:
            value = row[column]
            cell = "" if value is None else str(value)
            if column == "screen_score" and value is not None:
                cell = f"{value:.1f}"
            if column == "screen_reason":
                cell = re.sub(r"^row (\d+)", lambda m: f"line {int(m[1]) + 1}", cell)
            assert cell == line[column], (column, line)


def test_one_screener_per_worker_process_never_sent_with_tasks(
    client: Any, rows: list[list[str]]
) -> None:
    frame = pd.DataFrame(rows, columns=["customer_id", "name", "country", "type"])
    ddf = dd.from_pandas(frame, npartitions=8)
    for _ in range(2):
        screened = screen_dask(ddf, name_column="name")
        screened.compute()
    shipped = str(SHIPPED_RELEASE_DIR.resolve())
    loads = client.run(loaded_releases)
    assert len(loads) == 2
    # each worker process loaded the release at most once for the 16 tasks and 2 jobs
    assert all(list(loaded).count(shipped) <= 1 for loaded in loads.values())
    assert sum(list(loaded).count(shipped) for loaded in loads.values()) >= 1
    assert len(set(client.run(os.getpid).values())) == 2
    # the tasks carry the release's path and checksum, not a screener of a few hundred MB
    graph = dict(screened.__dask_graph__())
    assert len(pickle.dumps(graph)) < 200_000


def test_a_worker_with_another_release_refuses(
    tmp_path: Path, client: Any, rows: list[list[str]]
) -> None:
    subset = write_subset_release(tmp_path / "subset")
    frame = pd.DataFrame(rows[:10], columns=["customer_id", "name", "country", "type"])
    ddf = dd.from_pandas(frame, npartitions=2)
    # a release named by path, found there by every worker
    on_subset = screen_dask(ddf, name_column="name", release=subset)
    assert audit_of(on_subset)["release_version"] == "subset-1"
    assert on_subset.compute().attrs[AUDIT_ATTR]["release_version"] == "subset-1"
    # a job pinned to another checksum than the workers' release is refused at once
    with pytest.raises(WorkerReleaseError, match="not the release this job was started with"):
        screen_dask(ddf, name_column="name", release=subset, checksum="0" * 64)
    # one worker whose default release differs from the client's refuses the job's tasks
    first, second = sorted(client.scheduler_info()["workers"])
    # (lambdas travel by value and run os.environ's methods on the worker's own environment)
    elsewhere = str(subset)
    client.run(lambda: os.environ.__setitem__(LISTS_DIR_ENV, elsewhere), workers=[first])
    try:
        manifest = json.loads((SHIPPED_RELEASE_DIR / MANIFEST).read_text(encoding="utf-8"))
        shipped = manifest["checksum"]
        job = PartitionJob(frame_settings(frame.columns, "name", None, None, None), None, shipped)
        with pytest.raises(WorkerReleaseError) as refused:
            client.submit(partition_audit, job, workers=[first], pure=False).result()
        message = str(refused.value)
        assert f"the list release in {subset.resolve()} is subset-1" in message
        assert shipped[:16] in message and "put the same release on every worker" in message
        audit = client.submit(partition_audit, job, workers=[second], pure=False).result()
        assert audit["release_checksum"] == shipped
    finally:
        client.run(lambda: os.environ.pop(LISTS_DIR_ENV, None), workers=[first])
