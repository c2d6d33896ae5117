"""``screen_frame`` under Spark's ``DataFrame.mapInPandas``: the example of docs/frames.md, run
on generated rows and timed against ``screen batch`` on the same rows.

    PYTHONPATH=DIR_WITH_PYSPARK .venv/bin/python benchmarks/spark_map_in_pandas.py \\
        [--rows 200000] [--cores 2]

Spark is no dependency of ``screen`` and runs in no test: install ``pyspark`` and a Java runtime
(Debian: ``apt-get install default-jre-headless``) to run this. Spark runs in local mode with
CORES cores; each Python worker process loads the list release once (``worker_screener``) and
screens every Arrow batch it is given. Wall times include Spark's start and each worker's load.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from batch_throughput import generate
from build_info import core_build
from frames_dask import run_batch, to_parquet


def main() -> int:
    """Generate the input, screen it with screen batch and with Spark, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--cores", type=int, default=2)
    args = parser.parse_args()

    from pyspark.sql import SparkSession
    from pyspark.sql.types import DoubleType, LongType, StringType, StructField, StructType

    from screen.batch.output import DECIMAL_COLUMNS, INTEGER_COLUMNS, PARTY_COLUMNS
    from screen.release.store import MANIFEST, resolve_release_dir

    screen = shutil.which("screen", path=str(Path(sys.executable).parent)) or "screen"
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        source = folder / "customers.parquet"
        generate(folder / "customers.csv", args.rows)
        to_parquet(folder / "customers.csv", source, 20_000)
        batch = run_batch(screen, source, folder / "batch.parquet", args.cores)
        print(
            f"screen batch --workers {args.cores}: {batch['wall']:.1f} s wall "
            f"({args.rows / batch['wall']:,.0f} rows/s), {batch['hits']:,} hits"
        )

        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        started = time.monotonic()
        spark = (
            SparkSession.builder.master(f"local[{args.cores}]")
            .appName("screen-map-in-pandas")
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
            .config("spark.python.worker.reuse", "true")  # one release load per worker process
            # two partitions per core out of one file (Spark splits it by row groups)
            .config(
                "spark.sql.files.maxPartitionBytes",
                str(source.stat().st_size // (2 * args.cores) + 1),
            )
            .config("spark.ui.enabled", "false")
            .getOrCreate()
        )
        spark_start = time.monotonic() - started
        manifest = resolve_release_dir(None) / MANIFEST
        checksum = json.loads(manifest.read_text(encoding="utf-8"))["checksum"]

        def screen_batches(batches: Iterator[Any]) -> Iterator[Any]:
            # runs in Spark's Python workers: one screener per worker process, reused
            from screen.frames import screen_frame, worker_screener

            screener = worker_screener(checksum=checksum)
            for batch_frame in batches:
                yield screen_frame(batch_frame, name_column="name", screener=screener)

        def kind(name: str) -> Any:
            if name in INTEGER_COLUMNS:
                return LongType()
            return DoubleType() if name in DECIMAL_COLUMNS else StringType()

        began = time.monotonic()
        df = spark.read.parquet(str(source))
        schema = StructType(
            [*df.schema.fields, *(StructField(name, kind(name)) for name in PARTY_COLUMNS)]
        )
        output = folder / "spark-out"
        df.mapInPandas(screen_batches, schema).write.mode("overwrite").parquet(str(output))
        wall = time.monotonic() - began
        result = spark.read.parquet(str(output))
        hits = result.filter("screen_status = 'hit'").count()
        rows = result.count()
        partitions = df.rdd.getNumPartitions()
        spark.stop()
    print(
        f"Spark local[{args.cores}] mapInPandas(screen_frame): started in {spark_start:.1f} s; "
        f"{wall:.1f} s wall from read to the written output ({args.rows / wall:,.0f} rows/s, "
        f"{partitions} partitions), {rows:,} rows, {hits:,} hits; "
        f"Spark wall / batch wall = {wall / batch['wall']:.2f}"
    )
    print(
        f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, matching core "
        f"{core_build()}, load average {load_before:.2f} before / {os.getloadavg()[0]:.2f} after "
        "(a shared machine: other work ran on the same CPUs)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
