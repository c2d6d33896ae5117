"""``screen.rescreen.reverse``: searching the records with list names never misses a record the
matcher scores at or above the threshold against one of them (checked by brute force: every
record scored against every name), and leaves most records alone."""

from __future__ import annotations

import random

import pytest
from rescreen_helpers import ORDINARY, _vary

from screen.matching.score import score_pair
from screen.release.models import ListEntry
from screen.rescreen.reverse import ReverseSearch
from screen.rescreen.targets import needed_weight, score_bound
from screen.rescreen.words import WordTable
from screen.screener import Screener


def _targets(screener: Screener) -> list[ListEntry]:
    """Entries of every script and kind: respelt, joined, reordered names will be the records."""
    rng = random.Random(5)
    entries = list(screener.release.entries)
    chosen = rng.sample(entries, 45)
    chosen += [e for e in entries if e.id in {
        "EL-2025-beijing-zhipu-huazhang-technology-co-ltd", "SDN-12927", "UN-IQi.006",
        "SDN-21171", "SDN-17013",
    }]
    return chosen


def _records(targets: list[ListEntry], screener: Screener) -> list[str]:
    rng = random.Random(9)
    names: list[str] = []
    for entry in targets:
        for name in entry.names[:4]:
            words = name.split()
            names += [name, _vary(name, rng), _vary(name, rng), name.upper()]
            if len(words) > 1:
                names.append(" ".join(reversed(words)))
                names.append("".join(words[:2]) + " " + " ".join(words[2:]))  # joined
                # the second word written before the first, together (cut again by the index)
                names.append(words[1] + words[0] + " " + " ".join(words[2:]))
                names.append(" ".join(words[:-1]))  # a word short
                names.append(name + " Trading Group")  # a word more
            if len(words[0]) > 7:
                names.append(words[0][:4] + " " + words[0][4:] + " " + " ".join(words[1:]))
    others = rng.sample(list(screener.release.entries), 150)
    names += [entry.name for entry in others]
    names += list(ORDINARY)
    return names


@pytest.mark.parametrize("threshold", [80.0, 65.0])
def test_no_record_that_hits_is_missed(default_screener: Screener, threshold: float) -> None:
    targets = _targets(default_screener)
    weights = default_screener.index.weights
    search = ReverseSearch(
        default_screener.release, weights, targets, threshold, WordTable()
    )
    target_names = [name for entry in targets for name in dict.fromkeys(entry.names)]
    records = _records(targets, default_screener)
    hits = 0
    found = 0
    for record in records:
        best = max(score_pair(record, name, weights=weights).score for name in target_names)
        candidate = search.why(record) == "candidate"
        found += candidate
        if best >= threshold:
            hits += 1
            assert candidate, (record, best)
    assert hits > len(targets)  # the records do hit, and many
    assert found < len(records)  # and the search leaves records alone


def test_the_bound_is_a_bound() -> None:
    # everything matched, nothing else: the bound is 1
    assert score_bound(10.0, 10.0, 0.0) == pytest.approx(1.0)
    # the least weight needed is what makes the bound reach the threshold
    for total in (3.0, 12.5, 40.0):
        for threshold in (0.5, 0.8, 0.95):
            needed = needed_weight(total, threshold)
            assert score_bound(needed, total, 0.0) == pytest.approx(threshold)
            assert score_bound(needed * 0.99, total, 0.0) < threshold


def test_material_tokens_are_sent_back(default_screener: Screener) -> None:
    search = ReverseSearch(
        default_screener.release, default_screener.index.weights, [], 80.0, WordTable(),
        frozenset({"mahan"}),
    )
    assert search.why("Mahan Air") == "weights"
    assert search.why("Acme Bakery") is None
