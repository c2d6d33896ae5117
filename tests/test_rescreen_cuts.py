"""Re-screening and words written together: a record's word that the list no longer has as it
is may now be cut into words of a name the update did not touch (``screen.index.split``); the
delta re-screen must find the new hit a full re-screen finds."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from batch_helpers import write_release_of

from screen.batch.run import BatchOptions, run_batch
from screen.release.models import ListEntry
from screen.release.store import default_release
from screen.rescreen.run import RescreenOptions, rescreen
from screen.screener import Screener


def _entry(template: ListEntry, number: int, name: str) -> ListEntry:
    return template.model_copy(update={
        "id": f"TEST-CUT-{number}", "name": name, "aliases": (), "countries": (),
        "entity_type": None,
    })


def test_a_word_the_list_no_longer_has_may_be_cut(tmp_path: Path) -> None:
    shipped = list(default_release().entries)
    others = shipped[:200]
    # "qwertzasdfgh" is a word of the list while X is listed: then it is not cut, and the
    # record meets neither X (one word of four) nor Y; X delisted, it is cut in Y's words
    x = _entry(shipped[0], 1, "Qwertzasdfgh Mnbvcxy Lkjhgfd Poiuytr")
    y = _entry(shipped[0], 2, "Asdfgh Qwertz")
    old = write_release_of(tmp_path / "old", "old-1", [*others, x, y])
    new = write_release_of(tmp_path / "new", "new-2", [*others, y])
    source = tmp_path / "customers.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name"])
        writer.writerows([["C1", "QwertzAsdfgh"], ["C2", "Acme Bakery Ltd"]])
    result = tmp_path / "customers.jsonl"
    run_batch(
        source, result, Screener.from_path(str(old)),
        BatchOptions(output_format="jsonl", workers=1, release_path=old),
    )
    stored = [json.loads(line) for line in result.read_text("utf-8").splitlines()]
    assert stored[0]["result"]["status"] == "clear"

    delta = rescreen(result, RescreenOptions(
        to=new, output=tmp_path / "delta.jsonl", old=old, workers=1
    ))
    full = rescreen(result, RescreenOptions(
        to=new, output=tmp_path / "full.jsonl", old=old, full=True, workers=1
    ))
    assert delta.output_path.read_bytes() == full.output_path.read_bytes()
    rows = [json.loads(line) for line in delta.output_path.read_text("utf-8").splitlines()]
    assert rows[0]["result"]["status"] == "hit"
    assert rows[0]["result"]["hits"][0]["entry_id"] == "TEST-CUT-2"
