"""The fast carry path of ``screen rescreen`` (:mod:`screen.rescreen.carry`): a clear row the
update cannot affect is copied as bytes with its audit tail replaced. It must write what the slow
way (each row read and written field by field) writes, for any content, and refuse what the slow
way refuses."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from rescreen_helpers import Update, make_update

from screen.batch.run import BatchOptions, run_batch
from screen.rescreen.carry import TailCarrier
from screen.rescreen.plan import RescreenError
from screen.rescreen.run import RescreenOptions, rescreen
from screen.screener import Screener

# the tail of a clear row, and the text that marks it, inside names and cells
_AUDIT_TEXT = '}}, "audit": {"matcher_version": "1.4.0", "release_checksum": "0"}'
UNUSUAL = (
    'Acme "Quoted" Trading',
    "Back\\slash \\u0041 Holdings",
    "Ülker Yüksel San. ve Tic. A.Ş.",
    "北京星辰科技有限公司",
    "هيمان جزيني المهرة",
    "Emoji 🚢 Shipping",
    "Line\u2028Separator Ltd",
    "Tab\tSeparated Goods",
    f"Name {_AUDIT_TEXT}",
    '"hits": [], "audit": {"release_version": "x"}}, "audit": {}}',
    "Ends with backslash \\",
    'O\\"Brien Sons',
)


@pytest.fixture(scope="module")
def update(tmp_path_factory: pytest.TempPathFactory) -> Update:
    """Two releases an update apart and a result screened on the older."""
    return make_update(tmp_path_factory.mktemp("carry"))


@pytest.fixture(scope="module")
def unusual(update: Update, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A stored result (on the older release) of names and cells with quotes, backslashes,
    non-ASCII letters, the audit block's own text, an input error and a row the screener
    refuses, each twice."""
    folder = tmp_path_factory.mktemp("unusual")
    source = folder / "unusual.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "note"])
        for repeat in range(2):
            for number, name in enumerate(UNUSUAL):
                writer.writerow([f"U{repeat}{number}", name, f'note "{number}"\n{_AUDIT_TEXT}'])
            writer.writerow([f"U{repeat}e", "", "an input error"])
            writer.writerow([f"U{repeat}x", "!!!", "the screener refuses it"])
    result = folder / "unusual.jsonl"
    run_batch(source, result, Screener.from_path(str(update.old)), BatchOptions(
        output_format="jsonl", workers=1, release_path=update.old,
    ))
    return result


@pytest.fixture
def carried(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bytes]]:
    """The rows (bytes before the tail) the fast path carries, as they are carried."""
    rows: list[bytes] = []
    match = TailCarrier.match

    def spy(self: TailCarrier, data: bytes, start: int, end: int, decide: object) -> bytes | None:
        tail = match(self, data, start, end, decide)  # type: ignore[arg-type]
        if tail is not None:
            rows.append(data[start : end - len(tail)])
        return tail

    monkeypatch.setattr(TailCarrier, "match", spy)
    yield rows


def _slow_way(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(TailCarrier, "match", lambda *args: None)


def _rescreen(update: Update, result: Path, out: Path, full: bool = False) -> bytes:
    rescreen(result, RescreenOptions(to=update.new, output=out, old=update.old, workers=1,
                                     full=full))
    return out.read_bytes()


def test_unusual_rows_carried_as_the_slow_way_writes_them(
    update: Update, unusual: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    carried: list[bytes],
) -> None:
    from screen.rescreen.parts import Context

    decided: dict[str, str | None] = {}
    why = Context.why

    def spy(self: Context, name: str) -> str | None:
        decided[name] = why(self, name)
        return decided[name]

    monkeypatch.setattr(Context, "why", spy)
    fast = _rescreen(update, unusual, tmp_path / "fast.jsonl")
    names = [json.loads(row + b"0}}")["query"]["name"] for row in carried]
    # every clear row the update cannot affect is carried the fast way, but the first (read the
    # slow way, to learn its audit blocks); among them the names with quotes, backslashes,
    # escapes, the audit block's own text, letters beyond ASCII
    kept = [name for name in UNUSUAL if decided[name] is None]
    assert names == (kept[1:] if kept[0] == UNUSUAL[0] else kept) + kept
    assert set(UNUSUAL[1:2] + UNUSUAL[5:]) <= set(kept)
    full = _rescreen(update, unusual, tmp_path / "full.jsonl", full=True)
    _slow_way(monkeypatch)
    slow = _rescreen(update, unusual, tmp_path / "slow.jsonl")
    assert fast == slow == full
    rows = [json.loads(line) for line in fast.decode("utf-8").split("\n")[:-1]]
    assert [row["input"]["name"] for row in rows[: len(UNUSUAL)]] == list(UNUSUAL)
    assert {row["status"] for row in rows} == {"clear", "error"}


def test_result_rows_carried_as_the_slow_way_writes_them(
    update: Update, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, carried: list[bytes],
) -> None:
    """The fixture's result (hits, clear rows, errors, a country column), with two workers and
    small stretches: the fast way and the slow way write the same bytes."""
    import screen.rescreen.run as run

    monkeypatch.setattr(run, "STRETCH_BYTES", 20_000)
    monkeypatch.setattr(run, "FIRST_STRETCH_BYTES", 20_000)
    fast = rescreen(update.result, RescreenOptions(
        to=update.new, output=tmp_path / "fast.jsonl", old=update.old, workers=2
    ))
    assert fast.carried > 0
    _slow_way(monkeypatch)
    slow = rescreen(update.result, RescreenOptions(
        to=update.new, output=tmp_path / "slow.jsonl", old=update.old, workers=2
    ))
    assert fast.output_path.read_bytes() == slow.output_path.read_bytes()
    assert fast.to_dict()["changes"] == slow.to_dict()["changes"]
    assert (fast.carried, fast.unchanged, fast.rescreened) == (
        slow.carried, slow.unchanged, slow.rescreened
    )


def test_two_audit_blocks_and_line_endings(
    update: Update, unusual: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    carried: list[bytes],
) -> None:
    """Two results joined (their audit blocks differ), written with CRLF line endings and without
    the last line break: each row as the slow way writes it."""
    joined = tmp_path / "joined.jsonl"
    text = update.result.read_bytes() + unusual.read_bytes()
    joined.write_bytes(text.rstrip(b"\n"))
    crlf = tmp_path / "crlf.jsonl"
    crlf.write_bytes(text.replace(b"\n", b"\r\n"))
    fast = _rescreen(update, joined, tmp_path / "fast.jsonl")
    assert len(carried) > len(UNUSUAL)
    assert _rescreen(update, crlf, tmp_path / "crlf-out.jsonl") == fast
    _slow_way(monkeypatch)
    assert _rescreen(update, joined, tmp_path / "slow.jsonl") == fast


def _damaged(unusual: Path, folder: Path, row: int, old: bytes, new: bytes, count: int = 1) -> Path:
    lines = unusual.read_bytes().split(b"\n")
    assert old in lines[row]
    lines[row] = lines[row].replace(old, new, count)
    damaged = folder / "damaged.jsonl"
    damaged.write_bytes(b"\n".join(lines))
    return damaged


@pytest.mark.parametrize(("old", "new", "count", "message"), [
    (b'"note ', b'"note\x01 ', 1, "not a row of a screen batch result"),  # a control character
    (b'"note ', b'"note \\x ', 1, "not a row of a screen batch result"),  # no such escape
    (b'", "note": ', b'", , "note": ', 1, "not a row of a screen batch result"),
    (b'note \\"', b'n\xc3ote \\"', 1, "not UTF-8"),  # in a cell
    ("🚢".encode(), b"\xff\x9f\x9a\xa2", -1, "not UTF-8"),  # in the name, everywhere
    (b'{"line": 1', b'{"line": 0', 1, "not a row of a screen batch result"),  # 12 -> 02
    (b'{"line": 1', '{"line": ١'.encode(), 1, "not a row of a screen batch result"),
])
def test_damage_behind_a_known_tail_is_refused(
    update: Update, unusual: Path, tmp_path: Path, old: bytes, new: bytes, count: int,
    message: str,
) -> None:
    """A row that ends with an audit tail already read, but is not a row before it, is refused
    with its line, as the slow way refuses it (the row would be carried, undamaged)."""
    assert UNUSUAL[5].startswith("Emoji")
    damaged = _damaged(unusual, tmp_path, 5, old, new, count)
    with pytest.raises(RescreenError) as caught:
        rescreen(damaged, RescreenOptions(
            to=update.new, output=tmp_path / "out.jsonl", old=update.old, workers=1
        ))
    assert f"line 6: {message}" in str(caught.value)
    assert not (tmp_path / "out.jsonl").exists()


def test_a_result_not_of_the_shape_is_screened_again(
    update: Update, unusual: Path, tmp_path: Path, carried: list[bytes],
) -> None:
    """A clear row whose result names another query is not carried: it is screened again."""
    damaged = _damaged(unusual, tmp_path, 2, '{"query": "Ülker'.encode(), b'{"query": "Ulker')
    summary = rescreen(damaged, RescreenOptions(
        to=update.new, output=tmp_path / "out.jsonl", old=update.old, workers=1
    ))
    assert summary.rescreened.get("other") == 1
    assert carried and not any(b'{"query": "Ulker' in row for row in carried)


def test_a_name_is_decided_once(
    update: Update, unusual: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from screen.rescreen.reverse import ReverseSearch

    asked: list[str] = []
    why = ReverseSearch.why

    def spy(self: ReverseSearch, name: str) -> str | None:
        asked.append(name)
        return why(self, name)

    monkeypatch.setattr(ReverseSearch, "why", spy)
    _rescreen(update, unusual, tmp_path / "out.jsonl")
    assert sorted(asked) == sorted(UNUSUAL)
