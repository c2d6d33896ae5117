"""``screen batch`` as a user runs it: exit codes, one-line errors, output, quiet when piped."""

from __future__ import annotations

import codecs
import csv
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from batch_helpers import REPO, run_screen, write_subset_release


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_subset_release(tmp_path_factory.mktemp("release"))


def _write(tmp_path: Path, data: bytes, name: str = "in.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _one_line_error(stderr: str, *needles: str) -> None:
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("screen batch: error: ")
    for needle in needles:
        assert needle in lines[0]


def test_all_clear_exits_0(tmp_path: Path, release: Path) -> None:
    source = _write(tmp_path, b"name\nAcme Bakery Ltd\nJoseph Murphy\n")
    out = tmp_path / "out.csv"
    done = run_screen("batch", source, "-o", out, "--release", release)
    assert done.returncode == 0, done.stderr
    assert [row["screen_status"] for row in _rows(out)] == ["clear", "clear"]
    assert "screened 2 rows: 2 clear, 0 hits, 0 errors" in done.stdout
    assert "release: subset-1" in done.stdout
    assert done.stderr == ""  # not a terminal: no progress bar


def test_hits_exit_1_and_name_column_is_reported(tmp_path: Path, release: Path) -> None:
    source = _write(tmp_path, b"id,Company,country\n1,Mahan Air Co.,IR\n2,Acme Bakery,GB\n")
    out = tmp_path / "out.csv"
    done = run_screen("batch", source, "-o", out, "--release", release)
    assert done.returncode == 1, done.stderr
    assert "name column 'Company' (auto-detected" in done.stdout
    rows = _rows(out)
    assert rows[0]["screen_status"] == "hit" and rows[0]["screen_entry_id"] == "SDN-12927"
    assert (out.parent / "out.csv.audit.json").exists()


def test_broken_example_rows_exit_3_with_line_numbers(tmp_path: Path, release: Path) -> None:
    out = tmp_path / "broken.screened.csv"
    done = run_screen("batch", REPO / "examples" / "broken.csv", "-o", out, "--release", release)
    assert done.returncode == 3, done.stderr
    rows = _rows(out)
    assert [row["screen_line"] for row in rows] == [str(n) for n in range(2, 13)]
    by_id = {row["customer_id"]: row for row in rows if row["customer_id"]}
    assert by_id["B002"]["screen_reason"] == "line 3: 4 fields where the header has 3"
    assert by_id["B003"]["screen_reason"] == "line 4: 2 fields where the header has 3"
    assert by_id["B004"]["screen_reason"] == "line 5: NUL byte in column 'name'"
    assert by_id["B005"]["screen_reason"] == "line 6: empty name in column 'name'"
    assert by_id["B006"]["screen_status"] == "clear"  # Windows-1252, read and reported
    assert by_id["B007"]["screen_reason"].startswith("line 8: undecodable bytes")
    assert rows[7]["screen_reason"].startswith("line 9: record too long")
    assert by_id["B009"]["name"].startswith("'=HYPERLINK(")  # neutralised
    assert by_id["B010"]["screen_reason"].startswith("line 11: a quoted field opens")
    assert by_id["B011"]["screen_status"] == "clear"
    assert "read as Windows-1252: line 7" in done.stdout
    assert "line 3: 4 fields where the header has 3" in done.stdout


def test_quiet_prints_nothing(tmp_path: Path, release: Path) -> None:
    source = _write(tmp_path, b"name\nMahan Air\n")
    done = run_screen("batch", source, "-o", tmp_path / "o.csv", "--release", release, "--quiet")
    assert (done.returncode, done.stdout, done.stderr) == (1, "", "")


def test_jsonl_format_from_suffix(tmp_path: Path, release: Path) -> None:
    source = _write(tmp_path, "name\nБанк ВТБ (ПАО)\n".encode())
    out = tmp_path / "out.jsonl"
    done = run_screen("batch", source, "-o", out, "--release", release)
    assert done.returncode == 1, done.stderr
    row = json.loads(out.read_text(encoding="utf-8"))
    assert row["status"] == "hit" and row["audit"]["release_version"] == "subset-1"


def test_utf16_with_bom(tmp_path: Path, release: Path) -> None:
    data = codecs.BOM_UTF16_LE + "name\n北京智谱华章科技有限公司\n".encode("utf-16-le")
    out = tmp_path / "out.csv"
    done = run_screen("batch", _write(tmp_path, data), "-o", out, "--release", release)
    assert done.returncode == 1, done.stderr
    assert "UTF-16 LE with byte-order mark" in done.stdout
    assert _rows(out)[0]["screen_entry_id"] == "EL-2025-beijing-zhipu-huazhang-technology-co-ltd"


def test_item_column(tmp_path: Path, release: Path) -> None:
    source = _write(tmp_path, b"name,item\nAcme Bakery,office chairs\nAcme Labs,NVIDIA H100 SXM5\n")
    out = tmp_path / "out.csv"
    done = run_screen(
        "batch",
        source,
        "-o",
        out,
        "--release",
        release,
        "--item-column",
        "item",
        "--as-of",
        "2025-01-20",
    )
    assert done.returncode == 1, done.stderr  # a controlled item needs review
    rows = _rows(out)
    assert [row["screen_status"] for row in rows] == ["clear", "clear"]
    assert [row["screen_item_status"] for row in rows] == ["unknown-item", "controlled"]
    assert "3A090" in rows[1]["screen_item_summary"]


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["missing.csv", "-o", "out.csv"], ["missing.csv", "cannot read"]),
        (["in.csv", "-o", "nowhere/out.csv"], ["does not exist"]),
        (["in.csv", "-o", "in.csv"], ["is the input file"]),
        (["in.csv", "-o", "out.csv", "--list", "XYZ"], ["unknown list 'XYZ'"]),
        (["in.csv", "-o", "out.csv", "--name-column", "nom"], ["no column 'nom'"]),
        (
            ["in.csv", "-o", "out.csv", "--country", "DE", "--country-column", "name"],
            ["cannot be used together"],
        ),
        (["empty.csv", "-o", "out.csv"], ["empty"]),
        (["utf16.csv", "-o", "out.csv"], ["utf-16-le"]),
        (["in.csv", "-o", "out.csv", "--encoding", "klingon"], ["unknown encoding"]),
        (["in.csv", "-o", "out.csv", "--release", "no-such-release"], ["list release"]),
    ],
)
def test_run_problems_are_one_line_and_exit_2(
    tmp_path: Path, release: Path, args: list[str], needles: list[str]
) -> None:
    _write(tmp_path, b"name\nAcme\n")
    _write(tmp_path, b"", "empty.csv")
    _write(tmp_path, "name\nAcme\n".encode("utf-16-le"), "utf16.csv")
    extra = [] if "--release" in args else ["--release", str(release)]
    done = run_screen("batch", *args, *extra, cwd=tmp_path)
    assert done.returncode == 2
    _one_line_error(done.stderr, *needles)
    assert not (tmp_path / "out.csv").exists()


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    done = run_screen("batch", "in.csv", "-o", "o.csv", "--threshold", "150", cwd=tmp_path)
    assert done.returncode == 2 and "must be above 0 and at most 100" in done.stderr
    done = run_screen("batch", "in.csv", cwd=tmp_path)
    assert done.returncode == 2 and "-o/--output" in done.stderr


@pytest.mark.parametrize("command", ["batch", "name", "verify"])
def test_help(command: str) -> None:
    done = run_screen(command, "--help")
    assert done.returncode == 0
    assert "exit codes" in done.stdout


@pytest.mark.parametrize("workers", ["1", "2"])
def test_the_parent_collects_after_each_chunk_not_on_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: str
) -> None:
    """The command's collector is paused for the run; with one worker (screening in this
    process) the survivors of each chunk written are frozen, the young garbage collected first
    from the second chunk on (the first, which loads tables, is not: a cycle it leaves stays)
    and, once a collection found some, after every chunk; with more the workers screen and this
    process leaves its few cycles until the run ends; afterwards the collector is back as it
    was."""
    import gc
    import weakref

    from screen.batch.run import BatchSummary, Progress
    from screen.cli import batch_cmd, main

    class Node:
        partner: object = None

    enabled: list[bool] = []
    collected: list[bool] = []

    def fake_run_batch(
        input_path: Path, output_path: Path, _screener: object, _options: object,
        progress: Callable[[Progress], None],
    ) -> BatchSummary:
        enabled.append(gc.isenabled())
        for _ in range(3):  # three chunks, each leaving a reference cycle behind
            node = Node()
            node.partner = node
            ref = weakref.ref(node)
            del node
            progress(Progress(0, 0, 0, 0, 0, 0.0))
            collected.append(ref() is None)
        return BatchSummary(input_path=input_path, output_path=output_path)

    monkeypatch.setattr(batch_cmd, "run_batch", fake_run_batch)
    source = _write(tmp_path, b"name\nAcme Bakery Ltd\n")
    assert gc.isenabled()
    try:
        code = main(
            ["batch", str(source), "-o", str(tmp_path / "out.csv"), "--workers", workers, "-q"]
        )
    finally:
        gc.unfreeze()  # the test's own process: leave its objects collectable
    assert code == 0
    assert enabled == [False]
    assert collected == ([False, True, True] if workers == "1" else [False, False, False])
    assert gc.isenabled()
