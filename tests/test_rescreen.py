"""``screen rescreen``: the delta re-screen equals a full re-screen, byte for byte; what it reports;
what it refuses (a damaged or foreign file, an unknown release, another matcher), losing no row."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from batch_helpers import run_screen
from rescreen_helpers import Update, make_update

from screen.batch.verify import verify_results
from screen.release.store import load_release
from screen.rescreen.plan import RescreenError
from screen.rescreen.run import RescreenOptions, rescreen
from screen.rescreen.summary import RescreenSummary
from screen.screener import Screener


@pytest.fixture(scope="module")
def update(tmp_path_factory: pytest.TempPathFactory) -> Update:
    """Two releases an update apart and a result screened on the older."""
    return make_update(tmp_path_factory.mktemp("rescreen"))


@pytest.fixture(scope="module")
def both(update: Update) -> tuple[RescreenSummary, RescreenSummary]:
    """The delta and the full re-screen of the stored result on the newer release."""
    folder = update.result.parent
    delta = rescreen(update.result, RescreenOptions(
        to=update.new, output=folder / "delta.jsonl", old=update.old, workers=1
    ))
    full = rescreen(update.result, RescreenOptions(
        to=update.new, output=folder / "full.jsonl", old=update.old, full=True, workers=1
    ))
    return delta, full


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def test_delta_equals_full_rescreen(both: tuple[RescreenSummary, RescreenSummary]) -> None:
    delta, full = both
    assert delta.output_path.read_bytes() == full.output_path.read_bytes()
    assert delta.rescreened_rows < delta.rows  # it did skip work
    assert delta.carried > 0
    assert sum(full.rescreened.values()) == full.rows - 1  # all but the input error


def test_rows_screened_again_score_fewer_entries(
    both: tuple[RescreenSummary, RescreenSummary],
) -> None:
    """Rows with hits, and clear rows that could meet a changed name, are scored against their
    hit entries and the changed ones only; the output above is still the full re-screen's."""
    delta, full = both
    assert 0 < delta.narrowed < delta.rescreened_rows  # weights and error rows in full
    assert delta.narrowed <= delta.rescreened["hit"] + delta.rescreened["candidate"]
    assert full.narrowed == 0
    assert delta.to_dict()["rescreened_narrowed"] == delta.narrowed


def test_a_row_listing_fewer_hits_than_it_counts_is_screened_in_full(
    update: Update, both: tuple[RescreenSummary, RescreenSummary], tmp_path: Path
) -> None:
    """A result lists at most 25 hits: a row that counts more may hit entries it does not name,
    so it is not scored against its listed hits alone."""
    delta = both[0]
    lines = _lines(update.result)
    rows = [json.loads(line) for line in lines]
    # a hit row the delta re-screen narrowed: one without a token whose weight fell
    for number, row in enumerate(rows):
        if row["status"] == "hit" and len(row["result"]["hits"]) == 1:
            one_row = update.result.parent / f"one-{number}.jsonl"
            one_row.write_text(lines[number] + "\n", encoding="utf-8")
            alone = rescreen(one_row, RescreenOptions(
                to=update.new, output=tmp_path / f"alone-{number}.jsonl", old=update.old,
                workers=1,
            ))
            if alone.narrowed == 1:
                break
    else:
        pytest.fail("no narrowed hit row in the fixture")
    rows[number]["result"]["hit_count"] = 30
    rows[number]["hit_count"] = 30
    lines[number] = json.dumps(rows[number], ensure_ascii=False)
    damaged = tmp_path / "counted.jsonl"
    damaged.write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = rescreen(damaged, RescreenOptions(
        to=update.new, output=tmp_path / "out.jsonl", old=update.old, workers=1
    ))
    assert summary.narrowed == delta.narrowed - 1
    assert _lines(summary.output_path)[number] == _lines(delta.output_path)[number]


def test_every_row_kept_in_order(update: Update, both: tuple[RescreenSummary, ...]) -> None:
    delta = both[0]
    stored = [json.loads(line) for line in _lines(update.result)]
    output = [json.loads(line) for line in _lines(delta.output_path)]
    assert [row["line"] for row in output] == [row["line"] for row in stored]
    assert [row["input"] for row in output] == [row["input"] for row in stored]
    assert delta.rows == len(stored)


def test_output_carries_the_new_audit(update: Update, both: tuple[RescreenSummary, ...]) -> None:
    new = load_release(update.new)
    for line in _lines(both[0].output_path):
        row = json.loads(line)
        assert row["audit"]["release_checksum"] == new.checksum
        assert row["audit"]["release_version"] == "new-2"
        if row["result"] is not None:
            assert row["result"]["audit"]["release_checksum"] == new.checksum
    sidecar = json.loads((Path(str(both[0].output_path) + ".audit.json")).read_text("utf-8"))
    assert sidecar["audit"]["release_checksum"] == new.checksum
    assert sidecar["rescreen"]["old_release"]["version"] == "old-1"


def test_output_verifies_on_the_new_release(
    update: Update, both: tuple[RescreenSummary, ...]
) -> None:
    report = verify_results(both[0].output_path, Screener.from_path(str(update.new)))
    assert report.differing == 0
    assert report.rescreened == report.rows - 1


def test_summary_names_new_and_gone_hits(
    update: Update, both: tuple[RescreenSummary, RescreenSummary]
) -> None:
    delta, full = both
    assert delta.new_hits["added"] > 0
    assert delta.gone_hits["removed"] > 0
    assert delta.new_hits.get("changed", 0) + delta.gone_hits.get("changed", 0) > 0
    for change in delta.changes:
        for hit in change.new_hits:
            assert hit.why != "added" or hit.entry_id in update.added
        for hit in change.gone_hits:
            assert hit.why != "removed" or hit.entry_id in update.removed
    # the full re-screen finds the same changes
    assert delta.to_dict()["changes"] == full.to_dict()["changes"]
    assert delta.unchanged == full.unchanged
    assert (delta.clear, delta.hits, delta.errors) == (full.clear, full.hits, full.errors)


def test_same_release_changes_nothing(update: Update, tmp_path: Path) -> None:
    summary = rescreen(update.result, RescreenOptions(
        to=update.old, output=tmp_path / "same.jsonl", old=update.old, workers=1
    ))
    assert summary.changed_records == 0
    assert summary.rescreened.get("candidate", 0) == 0
    assert summary.drift_bound == 0.0
    stored = _lines(update.result)
    again = _lines(summary.output_path)
    # only the screen version in the audit block may differ
    assert len(stored) == len(again)


def test_workers_give_the_same_output(
    update: Update, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    both: tuple[RescreenSummary, ...],
) -> None:
    import screen.rescreen.run as run

    monkeypatch.setattr(run, "STRETCH_BYTES", 20_000)  # many stretches for two workers
    monkeypatch.setattr(run, "FIRST_STRETCH_BYTES", 20_000)
    summary = rescreen(update.result, RescreenOptions(
        to=update.new, output=tmp_path / "two.jsonl", old=update.old, workers=2
    ))
    assert summary.output_path.read_bytes() == both[0].output_path.read_bytes()
    assert summary.to_dict()["changes"] == both[0].to_dict()["changes"]


def test_workers_share_what_they_decide(
    update: Update, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    both: tuple[RescreenSummary, ...],
) -> None:
    """A name repeated on many rows is decided about once, whichever worker meets it; the
    output is the one-worker output repeated, and the run leaves nothing in the folder."""
    import screen.rescreen.run as run
    from screen.rescreen.shared import DecisionBoard

    monkeypatch.setattr(run, "STRETCH_BYTES", 20_000)
    monkeypatch.setattr(run, "FIRST_STRETCH_BYTES", 20_000)  # not every name before the fork
    stored = [json.loads(line) for line in _lines(update.result)]
    repeats = 4
    rows = []
    for repeat in range(repeats):
        for row in stored:
            rows.append({**row, "line": row["line"] + repeat * (len(stored) + 1)})
    folder = tmp_path / "in"
    folder.mkdir()
    repeated = folder / "repeated.jsonl"
    repeated.write_text(
        "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8"
    )
    output = tmp_path / "out" / "two.jsonl"
    output.parent.mkdir()
    summary = rescreen(repeated, RescreenOptions(
        to=update.new, output=output, old=update.old, workers=2
    ))
    once = [json.loads(line) for line in _lines(both[0].output_path)]
    again = [json.loads(line) for line in _lines(output)]
    assert [{**row, "line": 0} for row in again] == [
        {**row, "line": 0} for _ in range(repeats) for row in once
    ]
    assert sorted(path.name for path in output.parent.iterdir()) == [
        "two.jsonl", "two.jsonl.audit.json"
    ]
    assert list(folder.iterdir()) == [repeated]
    # the names decided on: those of clear rows and rows with hits (not the screener's errors)
    distinct = len({row["query"]["name"] for row in stored if row["status"] != "error"})
    assert distinct <= summary.names_decided < 1.5 * distinct

    # without the board each worker decides every name it meets
    monkeypatch.setattr(DecisionBoard, "news", lambda self: iter(()))
    alone = rescreen(repeated, RescreenOptions(
        to=update.new, output=tmp_path / "out" / "alone.jsonl", old=update.old, workers=2
    ))
    assert alone.names_decided > 1.5 * distinct


def test_the_callers_collector_is_left_alone(
    update: Update, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    import screen.rescreen.run as run

    monkeypatch.setattr(run, "STRETCH_BYTES", 20_000)
    monkeypatch.setattr(run, "FIRST_STRETCH_BYTES", 20_000)
    enabled, frozen = gc.isenabled(), gc.get_freeze_count()
    rescreen(update.result, RescreenOptions(
        to=update.new, output=tmp_path / "two.jsonl", old=update.old, workers=2
    ))
    assert (gc.isenabled(), gc.get_freeze_count()) == (enabled, frozen)


# -- bad input ---------------------------------------------------------------------------------


def _refused(update: Update, result: Path, out: Path, **options: object) -> str:
    with pytest.raises(RescreenError) as caught:
        rescreen(result, RescreenOptions(
            to=update.new, output=out, old=options.pop("old", update.old), workers=1,
            **options,  # type: ignore[arg-type]
        ))
    assert not out.exists(), "nothing may be written when a re-screen is refused"
    return str(caught.value)


def test_damaged_row_named_with_its_line(update: Update, tmp_path: Path) -> None:
    lines = _lines(update.result)
    lines[7] = lines[7][: len(lines[7]) // 2]  # cut off
    damaged = tmp_path / "damaged.jsonl"
    damaged.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = _refused(update, damaged, tmp_path / "out.jsonl")
    assert f"{damaged}: line 8: not a row of a screen batch result" in message


def test_garbage_in_a_row(update: Update, tmp_path: Path) -> None:
    lines = _lines(update.result)
    lines[3] = lines[3].replace('"input": {', '"input": {"x": ', 1)
    damaged = tmp_path / "garbage.jsonl"
    damaged.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert "line 4: not a row of a screen batch result" in _refused(
        update, damaged, tmp_path / "out.jsonl"
    )


def test_csv_output_is_refused(update: Update, tmp_path: Path) -> None:
    csv_result = tmp_path / "result.csv"
    csv_result.write_text("id,name,screen_status\n1,Acme,clear\n", encoding="utf-8")
    message = _refused(update, csv_result, tmp_path / "out.jsonl")
    assert f"{csv_result}: line 1: not a row of a screen batch result" in message
    assert "screen batch --format jsonl" in message


def test_foreign_jsonl_is_refused(update: Update, tmp_path: Path) -> None:
    foreign = tmp_path / "foreign.jsonl"
    foreign.write_text('{"name": "Acme", "score": 1}\n', encoding="utf-8")
    assert "line 1: not a row of a screen batch result" in _refused(
        update, foreign, tmp_path / "out.jsonl"
    )


def test_empty_and_not_utf8(update: Update, tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n", encoding="utf-8")
    assert "no result rows" in _refused(update, empty, tmp_path / "out.jsonl")
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes(update.result.read_bytes().replace(b"\n", b"\n\xff", 1))
    assert "line 2" in _refused(update, latin, tmp_path / "out.jsonl")


def test_unknown_release_needs_old(update: Update, tmp_path: Path) -> None:
    message = _refused(update, update.result, tmp_path / "out.jsonl", old=None)
    assert "old-1" in message and "--old" in message


def test_old_release_must_be_the_recorded_one(update: Update, tmp_path: Path) -> None:
    message = _refused(update, update.result, tmp_path / "out.jsonl", old=update.new)
    assert "holds new-2" in message


def test_another_matcher_is_refused(update: Update, tmp_path: Path) -> None:
    other = tmp_path / "other-matcher.jsonl"
    text = update.result.read_text(encoding="utf-8")
    lines = text.splitlines()
    row = json.loads(lines[5])
    row["audit"]["matcher_version"] = "0.9.0"
    lines[5] = json.dumps(row, ensure_ascii=False)
    other.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = _refused(update, other, tmp_path / "out.jsonl")
    assert "line 6" in message and "matcher 0.9.0" in message


def test_rows_of_two_releases_are_refused(update: Update, tmp_path: Path) -> None:
    mixed = tmp_path / "mixed.jsonl"
    lines = _lines(update.result)
    row = json.loads(lines[9])
    row["audit"]["release_checksum"] = "0" * 64
    lines[9] = json.dumps(row, ensure_ascii=False)
    mixed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert "line 10: screened on list release" in _refused(update, mixed, tmp_path / "o.jsonl")


# -- the command line ---------------------------------------------------------------------------


def test_cli_summary_and_exit_code(update: Update, tmp_path: Path) -> None:
    out, summary = tmp_path / "cli.jsonl", tmp_path / "summary.json"
    done = run_screen(
        "rescreen", update.result, "--to", update.new, "--old", update.old, "-o", out,
        "--summary", summary, "--workers", "1",
    )
    assert done.returncode == 3, done.stderr  # the stored result has a row the screener refused
    assert "records with new hits" in done.stdout
    facts = json.loads(summary.read_text(encoding="utf-8"))
    assert facts["new_release"]["version"] == "new-2"
    assert facts["records_with_new_hits"] > 0
    assert facts["rows"] == len(_lines(update.result))


def test_cli_refusal_is_one_line(update: Update, tmp_path: Path) -> None:
    done = run_screen("rescreen", update.result, "--to", update.new, "-o", tmp_path / "x.jsonl")
    assert done.returncode == 2
    assert done.stderr.startswith("screen rescreen: error: ")
    assert len(done.stderr.strip().splitlines()) == 1
    assert "--old" in done.stderr


# -- an item column ------------------------------------------------------------------------------


def _with_items(update: Update, folder: Path, chips_rewritten: bool) -> tuple[Path, Path]:
    """A result with an item column screened on the older release, and a newer release (its
    chip files rewritten byte for byte differently, same rules, when ``chips_rewritten``)."""
    import datetime as dt
    import shutil

    from screen.batch.run import BatchOptions, run_batch
    from screen.release.store import read_release_file, write_release

    source = folder / "items.csv"
    source.write_text(
        "name,item\nAcme Labs,NVIDIA H100 SXM5\nMahan Air,office chairs\nZhipu AI,\n"
        "Global Technology Holdings,Jetson Orin Nano\n",
        encoding="utf-8",
    )
    result = folder / "items.jsonl"
    run_batch(source, result, Screener.from_path(str(update.old)), BatchOptions(
        output_format="jsonl", item_column="item", item_as_of=dt.date(2025, 1, 20), workers=1,
        release_path=update.old,
    ))
    new = update.new
    if chips_rewritten:
        new = folder / "new-chips"
        shutil.copytree(update.new, new)
        release = load_release(new)
        extra = {
            name: (json.dumps(json.loads(read_release_file(name, new)), indent=1) + "\n").encode()
            for name in ("chips/chips.json", "chips/rules.json")
        }
        write_release(new, version="new-3", created=release.created, sources=release.sources,
                      entries=release.entries, extra_files=extra)
    return result, new


@pytest.mark.parametrize("chips_rewritten", [False, True])
def test_items_carried_or_classified_again(
    update: Update, tmp_path: Path, chips_rewritten: bool
) -> None:
    result, new = _with_items(update, tmp_path, chips_rewritten)
    delta = rescreen(result, RescreenOptions(
        to=new, output=tmp_path / "d.jsonl", old=update.old, workers=1
    ))
    full = rescreen(result, RescreenOptions(
        to=new, output=tmp_path / "f.jsonl", old=update.old, full=True, workers=1
    ))
    assert delta.output_path.read_bytes() == full.output_path.read_bytes()
    rows = [json.loads(line) for line in _lines(delta.output_path)]
    assert [row["item"]["status"] for row in rows] == [
        "controlled", "unknown-item", "", "unknown-item"
    ]
    assert delta.items_to_review == 1


def test_old_weights_follow_from_the_diff(update: Update) -> None:
    """The old release's token weights, worked out from the new one's and the diff, are the ones
    its own index has; and the drift is bounded."""
    from screen.index.search import NameIndex
    from screen.release.diff import diff
    from screen.rescreen.drift import weight_drift

    old, new = load_release(update.old), load_release(update.new)
    new_weights = NameIndex(new).weights
    drift = weight_drift(old, new, diff(old, new), new_weights)
    old_weights = NameIndex(old).weights
    assert drift.old.name_count == old_weights.name_count
    assert drift.old.document_frequency == old_weights.document_frequency
    assert drift.material_keys >= drift.lowered_keys
    assert 0.0 < drift.bound(80.0) < 80.0
    same = weight_drift(old, old, diff(old, old), old_weights)
    assert same.exact and same.bound(80.0) == 0.0 and not same.material_keys
