"""The files of a batch run: the output path checked against the input, and the input and output
opened by their format (CSV, or Parquet through the optional pyarrow)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING, Any

from screen.batch.input import InputError, InputReader, open_input
from screen.batch.options import BatchError, BatchOptions
from screen.batch.output import ResultWriter

if TYPE_CHECKING:
    from screen.batch.parquet import ParquetReader, ParquetResultWriter

__all__ = ["check_paths", "open_reader", "open_writer"]


def _is_parquet(path: Path) -> bool:
    return path.suffix.lower() == ".parquet"


def _require_pyarrow(what: str) -> None:
    """BatchError unless pyarrow, an optional dependency, is installed."""
    if importlib.util.find_spec("pyarrow") is None:
        raise BatchError(
            f"{what} needs pyarrow, an optional extra: pip install 'screen[frames]'"
        )


def open_reader(input_path: Path, options: BatchOptions) -> InputReader | ParquetReader:
    """The input opened and its header read: Parquet for a ``.parquet`` name, else CSV
    (BatchError, one line, when it cannot be)."""
    try:
        if not _is_parquet(input_path):
            return open_input(input_path, encoding=options.encoding, delimiter=options.delimiter)
        if options.encoding is not None or options.delimiter is not None:
            raise BatchError("--encoding and --delimiter apply to CSV input, not to Parquet")
        _require_pyarrow(f"{input_path}: reading Parquet")
        from screen.batch.parquet import open_parquet_input

        return open_parquet_input(input_path, keep_values=options.output_format == "parquet")
    except InputError as exc:
        raise BatchError(str(exc)) from None


def open_writer(
    output_path: Path,
    options: BatchOptions,
    reader: InputReader | ParquetReader,
    audit: dict[str, Any],
    with_items: bool,
) -> ResultWriter | ParquetResultWriter:
    """The writer of the output in the format asked for; a Parquet output of a Parquet input
    carries the input's values with their types."""
    if options.output_format != "parquet":
        return ResultWriter(
            output_path, options.output_format, reader.header, audit=audit, with_items=with_items
        )
    _require_pyarrow(f"{output_path}: writing Parquet")
    from screen.batch.parquet import ParquetResultWriter

    return ParquetResultWriter(
        output_path,
        reader.header,
        audit=audit,
        with_items=with_items,
        values=None if isinstance(reader, InputReader) else reader,
    )


def check_paths(input_path: Path, output_path: Path) -> None:
    """BatchError unless ``output_path`` can be written: a file name in a folder that exists,
    and not the input itself."""
    if output_path.exists() and output_path.is_dir():
        raise BatchError(f"{output_path}: is a directory; -o needs a file name")
    if not output_path.parent.exists():
        raise BatchError(f"{output_path}: folder {output_path.parent} does not exist")
    try:
        same = input_path.exists() and output_path.exists() and input_path.samefile(output_path)
    except OSError:
        same = False
    if same or input_path.resolve() == output_path.resolve():
        raise BatchError(f"{output_path}: is the input file; choose another output name")
