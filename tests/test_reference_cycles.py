"""Screening makes no reference cycles, in any script: batch and re-screen workers freeze what
each chunk leaves without collecting it first (``screen.process.ChunkSettler``), so a cycle
made on every name would be memory never freed. Compiled functions nested in another and
sharing its variables made one on every Han and kana run read, until the twenty-first session
(2026-12-07)."""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Iterator

import pytest

from screen.process import ChunkSettler
from screen.screener import Screener

NAMES = [
    # Latin: legal forms at either end, mistyped, initials, symbols, places and branches
    "Zhipu AI",
    "Sophgo Technologies Ltd. Beijing Branch",
    "Laticom Ldt",
    "AO Rosneft",
    "Se Ri Pak",
    "A. B. Khamenei",
    "L@vrov $ergei",
    "S.A.R.L. Dupont et Fils",
    "EIGHTH OCEAN GMBH & CO. KG",
    "Hezbollah (Lebanon)",
    "Al-Qaida",
    "Mr and Mrs Smith",
    # other scripts: Han (terms, numerals, unknown runs), Japanese, Hangul, Arabic, Cyrillic,
    # Greek, Hebrew, Thai
    "北京智谱华章科技有限公司",
    "第十三研究所",
    "海康威视数字技术股份有限公司",
    "ソフトバンク株式会社",
    "トヨタ自動車株式会社",
    "삼성전자 주식회사",
    "شركة الاتصالات السعودية",
    "Общество с ограниченной ответственностью Ромашка",
    "Лавров Сергей Викторович",
    "Ελληνική Εταιρεία Ενέργειας",
    "חברת החשמל לישראל",
    "บริษัท ไทย จำกัด",
    # what the screener refuses
    "",
    "!!!",
    "Mr",
]


@pytest.fixture()
def saved_garbage() -> Iterator[list[object]]:
    """The collector set to keep what it finds unreachable (in ``gc.garbage``), restored after."""
    was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        yield gc.garbage
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if was_enabled:
            gc.enable()


def test_screening_makes_no_reference_cycles(saved_garbage: list[object]) -> None:
    screener = Screener.default()
    # each name new to the word caches: the suffix makes the runs unseen (a cached reading is
    # not read again, and would hide a cycle its first reading made)
    for round_number in range(2):
        for name in NAMES:
            screener.screen(f"{name} {round_number}")
            screener.screen(f"{name} x{round_number}", country="CN")
    gc.collect()
    kinds = Counter(type(item).__name__ for item in saved_garbage)
    assert not saved_garbage, f"screening left reference cycles: {kinds.most_common(8)}"


def test_chunk_settler_collects_every_chunk_once_it_finds_garbage() -> None:
    was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        settler = ChunkSettler()
        _make_cycle()
        assert settler.settle() == 0  # the first chunk (one-time loading) is not collected
        assert settler.settle() == 0  # the second is: nothing there
        for _ in range(ChunkSettler.CHECK_EVERY - 1):
            _make_cycle()
            assert settler.settle() == 0  # not due: frozen as it is
        assert not settler.collecting
        _make_cycle()
        assert settler.settle() > 0  # the 18th is due, and finds the cycle
        assert settler.collecting
        _make_cycle()
        assert settler.settle() > 0  # from now on every chunk is collected
    finally:
        gc.unfreeze()
        gc.collect()
        if was_enabled:
            gc.enable()


def _make_cycle() -> None:
    first: list[object] = []
    second: list[object] = [first]
    first.append(second)
