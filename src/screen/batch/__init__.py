"""Screening files of parties.

- :mod:`screen.batch.run`: a run from end to end (``run_batch``; the batch API is importable
  from it), with :mod:`~screen.batch.options` (what a run is asked to do),
  :mod:`~screen.batch.files` (opening input and output by format), :mod:`~screen.batch.columns`
  (which columns to screen), :mod:`~screen.batch.rows` (checking each record into a query),
  :mod:`~screen.batch.screening` (screening one row), :mod:`~screen.batch.workers` (the worker
  processes) and :mod:`~screen.batch.summary` (progress, summary, audit block, sidecar);
- :mod:`screen.batch.input`: reading a CSV file record by record, with
  :mod:`~screen.batch.record` (what a record is), :mod:`~screen.batch.encoding` (choosing the
  encoding, decoding lines), :mod:`~screen.batch.lines` (splitting bytes into lines) and
  :mod:`~screen.batch.csv_records` (CSV records from lines, broken ones included);
- :mod:`screen.batch.output` writing results, :mod:`screen.batch.parquet` Parquet input and
  output, :mod:`screen.batch.verify` checking stored results against a release.
"""
