"""``screen_dask`` on a LocalCluster of 1 and 2 worker processes against ``screen batch`` on the
same rows: rows/s, peak memory per worker, and what the Dask scheduler costs on top.

    .venv/bin/python benchmarks/frames_dask.py [--rows 1000000] [--workers 1 2]
        [--partition-rows 50000]

Generates ROWS customer records as ``batch_throughput.py`` does (ordinary names recombined from
the benign development names, one row in fifty a listed name with a typo or reordering), writes
them to one Parquet file with a row group per PARTITION_ROWS rows, then for each worker count:

1. ``screen batch customers.parquet -o out.parquet --workers N`` as a subprocess;
2. a ``dask.distributed.LocalCluster`` of N worker processes (one thread each), then
   ``screen_dask(dd.read_parquet(..., split_row_groups=True))`` written with ``to_parquet``.

Wall times include loading the list release (each Dask worker loads it once; the cluster's start
is shown apart). "Busy" is the time the workers spent inside tasks (Dask's task stream); the rest
of N x wall is scheduling, data transfer and idle workers. Peak memory per worker is the worker
process's own ``ru_maxrss``. Not a test: it prints figures for docs/scaling.md.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from batch_throughput import BENIGN, LISTED_EVERY, generate
from build_info import core_build


def _peak_rss_mb() -> float:
    """This process's peak resident memory in MB (run on each worker)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_seconds() -> float:
    """CPU time (user + system) this process has used, in seconds (run on each worker)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _rss_mb() -> float:
    """This process's resident memory now, in MB (run on each worker)."""
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def to_parquet(source: Path, target: Path, row_group_rows: int) -> None:
    """The generated CSV as Parquet, every column text, a row group per ``row_group_rows``."""
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    columns = {"customer_id": pa.string(), "name": pa.string(), "country": pa.string()}
    table = pacsv.read_csv(
        source,
        convert_options=pacsv.ConvertOptions(column_types=columns, strings_can_be_null=False),
    )
    pq.write_table(table, target, row_group_size=row_group_rows)


def run_batch(screen: str, source: Path, output: Path, workers: int) -> dict[str, Any]:
    """``screen batch`` as a user runs it; wall time and the largest process's peak memory."""
    command = [screen, "batch", str(source), "-o", str(output), "--workers", str(workers)]
    # run under a fresh parent, whose children's peak is this run's alone
    wrapper = (
        "import resource, subprocess, sys\n"
        "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "sys.stderr.write(done.stderr)\n"
        "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(usage.ru_maxrss, usage.ru_utime + usage.ru_stime)\n"
        "print(done.returncode)\n"
        "print(done.stdout, end='')\n"
    )
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", wrapper, *command], capture_output=True, text=True, check=True
    )
    wall = time.monotonic() - started
    peak_text, code, stdout = done.stdout.split("\n", 2)
    if int(code) not in (0, 1, 3):
        raise SystemExit(f"screen batch failed ({code}): {done.stderr}")
    peak = int(peak_text.split()[0])
    cpu = float(peak_text.split()[1])
    loaded = re.search(r"list release loaded in ([\d.]+) s", stdout)
    counts = re.search(r"screened ([\d,]+) rows: ([\d,]+) clear, ([\d,]+) hits", stdout)
    return {
        "wall": wall,
        "load": float(loaded[1]) if loaded else float("nan"),
        "peak_mb": peak / 1024,
        "cpu": cpu,
        "hits": int(counts[3].replace(",", "")) if counts else -1,
        "summary": stdout.strip().splitlines()[1] if stdout else "",
    }


def run_dask(source: Path, output: Path, workers: int) -> dict[str, Any]:
    """``screen_dask`` on a fresh LocalCluster of ``workers`` processes."""
    import dask.dataframe as dd
    from dask.distributed import Client, LocalCluster, get_task_stream

    from screen.frames import audit_of, screen_dask

    started = time.monotonic()
    with (
        LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,
    ):
        cluster_start = time.monotonic() - started
        workers_before = client.run(_cpu_seconds)
        client_before = _cpu_seconds()
        began = time.monotonic()
        with get_task_stream(client) as stream:
            ddf = dd.read_parquet(source, split_row_groups=True)
            screened = screen_dask(ddf, name_column="name")
            checked = time.monotonic() - began
            after_load = client.run(_rss_mb)
            screened.to_parquet(
                output,
                write_index=False,
                custom_metadata={"screen_audit": json.dumps(audit_of(screened))},
            )
        wall = time.monotonic() - began
        client_cpu = _cpu_seconds() - client_before
        workers_after = client.run(_cpu_seconds)
        peaks = client.run(_peak_rss_mb)
        busy = 0.0
        for task in stream.data:
            for span in task.get("startstops", ()):
                if span.get("action") == "compute":
                    busy += span["stop"] - span["start"]
    hits = _count_hits(output)
    return {
        "cluster_start": cluster_start,
        "first_check": checked,
        "wall": wall,
        "busy": busy,
        "partitions": ddf.npartitions,
        "rss_after_load_mb": sorted(after_load.values()),
        "peak_mb": sorted(peaks.values()),
        "hits": hits,
        "workers_cpu": sum(workers_after[key] - workers_before[key] for key in workers_after),
        "client_cpu": client_cpu,
    }


def _count_hits(folder: Path) -> int:
    import pyarrow.compute as pc
    import pyarrow.dataset as ds

    table = ds.dataset(folder, format="parquet").to_table(columns=["screen_status"])
    return int(pc.sum(pc.equal(table.column("screen_status"), "hit")).as_py() or 0)


def main() -> int:
    """Generate the input, run both ways for each worker count, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--partition-rows", type=int, default=50_000)
    parser.add_argument("--keep", type=Path, help="keep inputs and outputs in this folder")
    args = parser.parse_args()
    screen = shutil.which("screen", path=str(Path(sys.executable).parent)) or shutil.which("screen")
    if screen is None:
        print("the screen command is not installed (pip install -e '.[dask]')", file=sys.stderr)
        return 2
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        source_csv = folder / f"customers-{args.rows}.csv"
        source = folder / f"customers-{args.rows}.parquet"
        started = time.monotonic()
        generate(source_csv, args.rows)
        to_parquet(source_csv, source, args.partition_rows)
        print(
            f"generated {args.rows:,} rows in {time.monotonic() - started:.1f} s: {source} "
            f"({source.stat().st_size / 1e6:.1f} MB, row groups of {args.partition_rows:,}; "
            f"ordinary names from {BENIGN if BENIGN.exists() else 'the built-in generator'}, "
            f"1 in {LISTED_EVERY} listed)"
        )
        for workers in args.workers:
            batch = run_batch(screen, source, folder / f"batch-{workers}.parquet", workers)
            print(
                f"\nscreen batch --workers {workers}: {batch['wall']:.1f} s wall "
                f"({args.rows / batch['wall']:,.0f} rows/s, release loaded in "
                f"{batch['load']:.1f} s), largest process peak {batch['peak_mb']:,.0f} MB, "
                f"{batch['hits']:,} hits; {batch['cpu']:.1f} CPU-s over all its processes "
                f"({args.rows / batch['cpu']:,.0f} rows per CPU-second)\n  {batch['summary']}"
            )
            dask_out = folder / f"dask-{workers}"
            shutil.rmtree(dask_out, ignore_errors=True)
            result = run_dask(source, dask_out, workers)
            wall = result["wall"]
            idle = workers * wall - result["busy"]
            print(
                f"screen_dask on {workers} worker process(es): cluster started in "
                f"{result['cluster_start']:.1f} s; release checked on a worker in "
                f"{result['first_check']:.1f} s; {wall:.1f} s wall from read_parquet to the "
                f"written output ({args.rows / wall:,.0f} rows/s, {result['partitions']} "
                f"partitions), {result['hits']:,} hits\n"
                f"  workers busy in tasks {result['busy']:.1f} s of {workers} x {wall:.1f} s "
                f"({idle / (workers * wall):.0%} scheduling, transfer and idle); "
                f"Dask wall / batch wall = {wall / batch['wall']:.2f}\n"
                f"  CPU: workers {result['workers_cpu']:.1f} s "
                f"({args.rows / result['workers_cpu']:,.0f} rows per CPU-second), client and "
                f"scheduler {result['client_cpu']:.1f} s; Dask CPU / batch CPU = "
                f"{(result['workers_cpu'] + result['client_cpu']) / batch['cpu']:.2f}\n"
                f"  per worker: RSS after the release check "
                f"{', '.join(f'{mb:,.0f}' for mb in result['rss_after_load_mb'])} MB; "
                f"peak {', '.join(f'{mb:,.0f}' for mb in result['peak_mb'])} MB"
            )
    print(
        f"\nmachine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, matching core "
        f"{core_build()}, load average {load_before[0]:.2f} before / {os.getloadavg()[0]:.2f} "
        "after (a shared machine: other work ran on the same CPUs)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
