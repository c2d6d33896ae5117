"""``screen verify``: JSONL round trip, changed answers, refusal on another release or matcher."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from batch_helpers import run_screen, write_subset_release

INPUT = (
    "id,name,country\n"
    "1,Mahan Air Co.,IR\n"
    "2,Acme Bakery Ltd,GB\n"
    "3,Банк ВТБ (ПАО),RU\n"
    "4,,FR\n"
    "5,Izzat Ibrahim al-Duri,IQ\n"
)


@pytest.fixture(scope="module")
def screened(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A release and a JSONL result screened on it (with a country column and a list filter)."""
    folder = tmp_path_factory.mktemp("verify")
    release = write_subset_release(folder / "release")
    source = folder / "in.csv"
    source.write_text(INPUT, encoding="utf-8")
    result = folder / "result.jsonl"
    done = run_screen(
        "batch",
        source,
        "-o",
        result,
        "--release",
        release,
        "--country-column",
        "country",
        "--list",
        "SDN,UN,EL",
    )
    assert done.returncode == 3, done.stderr  # row 4 has an empty name
    return release, result


def _rows(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _write_rows(path: Path, rows: list[dict[str, object]]) -> None:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), "utf-8")


def test_round_trip_matches(screened: tuple[Path, Path]) -> None:
    release, result = screened
    done = run_screen("verify", result, "--release", release)
    assert done.returncode == 0, done.stderr
    assert "verified 5 rows on release subset-1" in done.stdout
    assert "4 same, 0 differ, 1 input errors not re-screened" in done.stdout


def test_changed_answer_is_reported_with_its_line(
    screened: tuple[Path, Path], tmp_path: Path
) -> None:
    release, result = screened
    rows = _rows(result)
    assert rows[0]["status"] == "hit"
    tampered = json.loads(json.dumps(rows))
    tampered[0]["result"]["status"] = "clear"
    tampered[0]["result"]["hits"] = []
    tampered[1]["result"]["hits"] = [{"entry_id": "SDN-12927", "score": 81.0}]
    tampered[1]["result"]["status"] = "hit"
    changed = tmp_path / "changed.jsonl"
    _write_rows(changed, tampered)
    done = run_screen("verify", changed, "--release", release)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert lines[0].startswith(
        "line 1 (input line 2): 'Mahan Air Co.': recorded clear; now hit: SDN-12927"
    )
    assert lines[1].startswith(
        "line 2 (input line 3): 'Acme Bakery Ltd': recorded hit: SDN-12927 81.00"
    )
    assert "2 same, 2 differ, 1 input errors" in done.stdout


def test_refuses_another_release(screened: tuple[Path, Path], tmp_path: Path) -> None:
    _, result = screened
    other = write_subset_release(tmp_path / "other", version="subset-2", drop="SDN-21171")
    done = run_screen("verify", result, "--release", other)
    assert done.returncode == 2
    assert "was screened on list release subset-1" in done.stderr
    assert "the release loaded is subset-2" in done.stderr
    assert "pass --release with the recorded release" in done.stderr
    assert "Traceback" not in done.stderr
    done = run_screen("verify", result, "--release", tmp_path / "no-such-release")
    assert done.returncode == 2 and "list release" in done.stderr


def test_refuses_another_matcher(screened: tuple[Path, Path], tmp_path: Path) -> None:
    release, result = screened
    rows = _rows(result)
    for row in rows:
        row["audit"]["matcher_version"] = "0.0.1"  # type: ignore[index]
    old = tmp_path / "old.jsonl"
    _write_rows(old, rows)
    done = run_screen("verify", old, "--release", release)
    assert done.returncode == 2 and "screened with matcher 0.0.1" in done.stderr


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"name,screen_status\nAcme,clear\n", "verify needs the JSON-lines output"),
        (b'{"line": 2}\n', "no audit block"),
        (b"", "no result rows"),
        (b"\xff\xfe\n", "not UTF-8"),
    ],
)
def test_not_a_result_file(
    screened: tuple[Path, Path], tmp_path: Path, content: bytes, needle: str
) -> None:
    release, _ = screened
    path = tmp_path / "x.jsonl"
    path.write_bytes(content)
    done = run_screen("verify", path, "--release", release)
    assert done.returncode == 2
    assert needle in done.stderr and "Traceback" not in done.stderr
