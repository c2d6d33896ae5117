"""What a command loads before it screens: only its own command's modules, and pypinyin only
when a name has Han characters (each costs a command's start-up time and memory)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from batch_helpers import write_subset_release

from screen.cli import main

# Runs the command line in a fresh interpreter and reports which of these modules it loaded.
_PROBE = """
import contextlib, io, json, sys
from screen.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    code = main(sys.argv[1:])
watched = ("pypinyin", "screen.release.update.run", "screen.chips", "screen.batch.run")
print(json.dumps({"code": code, "loaded": [m for m in watched if m in sys.modules]}))
"""


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_subset_release(tmp_path_factory.mktemp("release"))


def _probe(*args: str | Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *map(str, args)],
        capture_output=True, text=True, encoding="utf-8", timeout=600, check=False,
    )
    assert done.returncode == 0, done.stderr
    report: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return report


def test_a_latin_name_loads_neither_pypinyin_nor_other_commands(release: Path) -> None:
    report = _probe("name", "Mahan Air", "--release", release)
    assert report == {"code": 1, "loaded": []}


def test_a_han_name_loads_pypinyin_and_is_read(release: Path) -> None:
    report = _probe("name", "北京智谱华章科技有限公司", "--release", release)
    assert report == {"code": 1, "loaded": ["pypinyin"]}


def test_a_mistyped_command_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["nmae", "Mahan Air"])
    assert stop.value.code == 2
    message = capsys.readouterr().err
    for command in ("lists", "chip", "batch", "name", "verify", "rescreen"):
        assert command in message


def test_help_names_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    for command in ("lists", "chip", "batch", "name", "verify", "rescreen"):
        assert f"    {command}" in out


def _customers(path: Path, rows: int, han_at: int) -> Path:
    """A customer file of ``rows`` Latin names with a listed Han name on data row ``han_at``."""
    with path.open("w", encoding="utf-8") as handle:
        handle.write("id,name\n")
        for number in range(1, rows + 1):
            name = "北京智谱华章科技有限公司" if number == han_at else f"Customer {number} Trading"
            handle.write(f"C{number},{name}\n")
    return path


def _status_of(output: Path, row_id: str) -> str:
    with output.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["id"] == row_id:
                return row["screen_status"]
    raise AssertionError(f"{row_id} missing from {output}")


@pytest.mark.parametrize(
    ("han_at", "pypinyin_before_fork"),
    [
        # past the rows read before the workers start (three chunks): the worker that meets
        # the Han name loads the reader itself, and reads it as the parent would have
        (3_200, False),
        (5, True),  # among the rows read ahead: loaded once, before forking, and shared
    ],
)
def test_a_batch_loads_pypinyin_before_forking_only_for_han_in_its_first_rows(
    release: Path, tmp_path: Path, han_at: int, pypinyin_before_fork: bool
) -> None:
    source = _customers(tmp_path / "in.csv", 3_500, han_at=han_at)
    output = tmp_path / "out.csv"
    report = _probe("batch", source, "-o", output, "--workers", "2", "--release", release)
    assert report["code"] == 1
    assert ("pypinyin" in report["loaded"]) is pypinyin_before_fork  # type: ignore[operator]
    assert _status_of(output, f"C{han_at}") == "hit"
