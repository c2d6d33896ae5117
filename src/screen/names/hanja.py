"""Han characters of Korean and Japanese names read in those languages, not in Mandarin.

A name with kana or with a Japanese legal form (株式会社, 合同会社, 有限会社 ...) is Japanese: its
Han characters are read in their Sino-Japanese (on) readings, never in pinyin (近藤 is not
"jin teng"). A name of two to four Han characters that begins with a Korean surname (金, 李, 朴,
崔 ...) may be Korean: it is also read in Korean, character by character, as Korean reads Han
characters (金正恩 김정은, Kim Jong Un), beside its pinyin.

The readings are Unihan's (``data/unihan_readings.tsv``, made by ``tools/unihan_readings.py``):
one Korean syllable per character (kHangul), the Japanese on readings (kJapaneseOn). A Japanese
reading by character is right for the Sino-Japanese words of company names (建設 kensetsu, 真理教
shinrikyo) and often not for Japanese surnames, which a dictionary would be needed for: other on
readings of a word are kept as forms (近藤: kinto, with kondo among its forms).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Final

from unidecode import unidecode

from screen.names import tables
from screen.names.hangul import surname_hanja
from screen.names.kana import fold_long_vowels
from screen.text.fold import _NON_ALNUM, fold
from screen.text.scripts import (
    HAN_RANGES,
    KANA_RANGES,
    Script,
    _script_of,
    character_class,
)

__all__ = [
    "japanese_forms",
    "japanese_reading",
    "korean_reading",
    "looks_japanese",
]

_KOREAN_NAME_LENGTHS: Final = (2, 3, 4)


@cache
def _readings() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """Han character -> its Korean readings (Hangul, the personal-name reading first), and
    -> its Japanese on readings."""
    korean: dict[str, tuple[str, ...]] = {}
    japanese: dict[str, tuple[str, ...]] = {}
    for han, hangul, japanese_on in tables.unihan_readings():
        if hangul != "-":
            korean[han] = tuple(hangul.split())
        if japanese_on != "-":
            japanese[han] = tuple(japanese_on.split())
    return korean, japanese


# ---------------------------------------------------------------------------------------------
# Japanese


@cache
def _japanese_pattern() -> re.Pattern[str]:
    """Kana, or a Han-script Japanese legal form (株式会社, (株), 有限会社 ...), folded: a name
    with either is Japanese. One pattern, so a name is scanned once, in C."""
    markers: list[str] = []
    for row in tables.legal_forms():
        if row["language"] != "ja":
            continue
        variant = fold(row["variant"])
        if any(_script_of(ch) is Script.HAN for ch in variant) and variant not in markers:
            markers.append(variant)
    alternatives = [_KANA_CLASS, *(re.escape(marker) for marker in markers)]
    return re.compile("|".join(alternatives))


_KANA_CLASS: Final = character_class(KANA_RANGES)
"""The characters :func:`screen.text.scripts.script_of` calls kana."""
_MAYBE_JAPANESE: Final = re.compile(character_class(KANA_RANGES + HAN_RANGES))
"""Kana or a Han character: what a Japanese name has, however it is written."""


def looks_japanese(folded: str) -> bool:
    """Whether the folded name is Japanese: it has kana, or a Japanese legal form."""
    if folded.isascii() or _MAYBE_JAPANESE.search(folded) is None:
        # every marker has a Han character: without kana or Han, none can be there (one
        # character class is a far shorter scan than the markers' alternation)
        return False
    return _japanese_pattern().search(folded) is not None


def japanese_reading(char: str) -> str:
    """The first on reading of a Han character (for a character outside Japanese use, which
    has none, what ``unidecode`` makes of it)."""
    readings = _readings()[1].get(char)
    return readings[0] if readings else _unread(char)


def _unread(char: str) -> str:
    return "".join(_NON_ALNUM.split(unidecode(char).lower()))


@lru_cache(maxsize=16384)
def japanese_forms(chars: str) -> tuple[str, tuple[str, ...]]:
    """A Japanese word of Han characters read by its characters' first on readings: its text
    with long vowels doubled (佐藤 satou) and, as another form, written once (sato).

    The text keeps the doubled vowels, a spelling of its own (wapuro romanisation): a reading by
    characters is often not the name's (山口 is Yamaguchi, not sankou), and such a guess should
    meet a listed name only exactly, through its form, not one letter off (sanko / Sinko)."""
    text = "".join(japanese_reading(char) for char in chars)
    short = fold_long_vowels(text)
    return text, (short,) if short != text else ()


# ---------------------------------------------------------------------------------------------
# Korean


def korean_reading(run: str) -> tuple[str, tuple[str, ...]] | None:
    """The Hangul reading of a Han run that may be a Korean name (two to four characters,
    beginning with a Korean surname, every character with a Korean reading), and the other
    readings of its surname (李: 이, 리); None for any other run."""
    return _korean_reading(run)


@lru_cache(maxsize=16384)
def _korean_reading(run: str) -> tuple[str, tuple[str, ...]] | None:
    if len(run) not in _KOREAN_NAME_LENGTHS:
        return None
    surnames = surname_hanja()
    size = 2 if len(run) == 4 and run[:2] in surnames else 1
    surname = surnames.get(run[:size])
    if surname is None:
        return None
    korean = _readings()[0]
    given: list[str] = []
    for char in run[size:]:
        readings = korean.get(char)
        if not readings:
            return None
        given.append(readings[0])
    return surname[0] + "".join(given), surname[1:]
