"""The decisions worker processes of one re-screen share (``screen.rescreen.shared``): every name
comes back as written, whatever it holds; a line still being written waits; a worker does not
read its own; nothing is left behind."""

from __future__ import annotations

import os
from pathlib import Path

from screen.rescreen.shared import DecisionBoard

NAMES = [
    ("Acme Bakery Ltd", None),
    ('O"Brien \\ Sons\ttab', "candidate"),
    ("line\nbreak\r and\u2028separator\u2029", "weights"),
    ("北京智谱华章科技有限公司", None),
    ("", "candidate"),
]


def _other(folder: Path, pid: int) -> DecisionBoard:
    board = DecisionBoard(folder)
    board._own = folder / f"decided-{pid}.txt"  # as another process would name its file
    return board


def test_names_come_back_as_written(tmp_path: Path) -> None:
    writer, reader = _other(tmp_path, os.getpid() + 1), DecisionBoard(tmp_path)
    writer.publish(NAMES[:2])
    assert list(reader.news()) == NAMES[:2]
    assert list(reader.news()) == []  # read once
    writer.publish(NAMES[2:])
    writer.publish([])
    assert list(reader.news()) == NAMES[2:]


def test_own_decisions_are_not_read_back(tmp_path: Path) -> None:
    board = DecisionBoard(tmp_path)
    board.publish(NAMES)
    assert list(board.news()) == []
    assert list(_other(tmp_path, os.getpid() + 1).news()) == NAMES


def test_a_line_being_written_waits(tmp_path: Path) -> None:
    writer, reader = _other(tmp_path, os.getpid() + 1), DecisionBoard(tmp_path)
    writer.publish(NAMES[:1])
    with writer._own.open("a", encoding="utf-8") as handle:
        handle.write('"Half writ')
    assert list(reader.news()) == NAMES[:1]
    with writer._own.open("a", encoding="utf-8") as handle:
        handle.write('ten"\tweights\n')
    assert list(reader.news()) == [("Half written", "weights")]


def test_remove_leaves_nothing(tmp_path: Path) -> None:
    for pid in (os.getpid() + 1, os.getpid() + 2):
        _other(tmp_path, pid).publish(NAMES)
    (tmp_path / "kept.jsonl").write_text("{}\n", encoding="utf-8")
    DecisionBoard.remove(tmp_path)
    assert [path.name for path in tmp_path.iterdir()] == ["kept.jsonl"]


def test_a_board_that_cannot_be_written_or_read_only_stops_sharing(tmp_path: Path) -> None:
    gone = tmp_path / "gone"
    DecisionBoard(gone).publish(NAMES)  # no folder: nothing shared, nothing raised
    assert list(DecisionBoard(gone).news()) == []
    writer, reader = _other(tmp_path, os.getpid() + 1), DecisionBoard(tmp_path)
    writer.publish(NAMES[:1])
    with writer._own.open("a", encoding="utf-8") as handle:
        handle.write('"cut off by a full di')  # a write that failed half way
    writer.publish(NAMES[3:4])
    assert list(reader.news()) == [NAMES[0]]  # the damaged line and the one it ran into
    writer.publish(NAMES[1:2])
    assert list(reader.news()) == [NAMES[1]]
