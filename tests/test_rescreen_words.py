"""``screen.rescreen.words``: a name's words, each normalised alone, give every token and every run
of tokens the whole name's normalisation gives, and tell which tokens may end in a legal form.

This is what the reverse search relies on to look at each distinct word once: held here to the
normaliser itself over real list names (every script of the shipped release) and customer-like
names, so a change to the normaliser that makes a token depend on its neighbours fails here.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest
from rescreen_helpers import ORDINARY, _vary

from screen.index.prepared import joined_runs, prepare
from screen.index.weights import TokenWeights, scoring_tokens
from screen.names.compare import comparable
from screen.names.normalize import normalize_name
from screen.names.tokens import TokenKind
from screen.release.store import default_release
from screen.rescreen.words import (
    LEFT_FILLER,
    RIGHT_FILLER,
    ProbeError,
    RecordWords,
    WordTable,
    check_probe,
    name_words,
)

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval" / "benign_names_dev.csv"


def _names() -> list[str]:
    rng = random.Random(7)
    entries = list(default_release().entries)
    names: list[str] = []
    for entry in rng.sample(entries, 1500):
        names += entry.names[:3]
    names += [_vary(name, rng) for name in names[:800]]
    names += [name.replace(" ", "") for name in names[:100]]  # written together
    names += list(ORDINARY)
    names += [
        "Chih-P'u Hua-Chang", "Hsin Hua Trading", "Co., Ltd.", "有限公司", "the and of",
        "ООО Ромашка", "Limited Liability Company", "Zhi Pu Hua Zhang", "Al-Qaida",
        "(Hong Kong) Trading Co.", "Acme (HK) Ltd", "Bin Laden", "Abu  Bakr", "  ",
    ]
    if EVAL.exists():
        with EVAL.open(encoding="utf-8", newline="") as handle:
            names += [row["name"] for row in csv.DictReader(handle)][:1500]
    return names


@pytest.fixture(scope="module")
def table() -> WordTable:
    return WordTable()


def test_fillers_behave() -> None:
    check_probe()  # raises ProbeError if the normaliser changed how it treats them
    assert issubclass(ProbeError, Exception)
    assert LEFT_FILLER != RIGHT_FILLER


def test_words_hold_every_token_and_run(table: WordTable) -> None:
    weights = TokenWeights({}, 1)
    checked = whole = 0
    for name in _names():
        record = RecordWords.of(name, table)
        if record.whole_name_needed:
            whole += 1
            continue
        items = {item for info in record.infos for item in info.items}
        runs = {run for info in record.infos for run in info.runs}
        runs.update(comparable(run) for _, _, run in record.cross_runs())
        for variant in normalize_name(name).variants:
            for token in scoring_tokens(variant):
                if token.kind is not TokenKind.LEGAL_FORM:
                    assert comparable((token,)) in items, (name, token.text)
            for _, run in joined_runs(prepare(variant, weights)):
                assert run in runs, (name, run.text)
        checked += 1
    assert checked > 3000
    assert whole < checked // 100


def test_tokens_not_marked_legal_stay_words(table: WordTable) -> None:
    """A token the word table says cannot be in a legal form is never absorbed into one:
    in the name's primary variant it is still there, a word, whatever the legal-form marking
    took (the primary variants of the name and of its words are made by the same steps)."""
    kept = 0
    for name in _names():
        primary = normalize_name(name).variants
        if not primary or not any(t.kind is TokenKind.LEGAL_FORM for t in primary[0]):
            continue
        words_left = {
            (t.text, t.original) for t in primary[0] if t.kind is not TokenKind.LEGAL_FORM
        }
        for word in name_words(name):
            info = table.info(word)
            if not info.seqs:
                continue
            for token, maybe_legal in zip(info.seqs[0], info.maybe_legal[0], strict=True):
                if not maybe_legal:
                    kept += 1
                    assert (token.text, token.original) in words_left, (name, token.text)
    assert kept > 1000


def test_names_of_legal_forms_only_are_normalised_whole(table: WordTable) -> None:
    for name in ("有限公司", "株式会社", "the and"):
        assert RecordWords.of(name, table).whole_name_needed, name
    assert not RecordWords.of("Acme Trading Co., Ltd.", table).whole_name_needed
