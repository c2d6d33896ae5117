"""Japanese kana read in modified Hepburn, as names are written in English (プーチン Putin,
トヨタ Toyota), with the generic words of organisation names translated (グループ group).

The syllables are data (``data/kana_hepburn.tsv``); here only what is not a table: katakana are
looked up as their hiragana twins (Unicode places the two syllabaries 0x60 apart), the small
っ/ッ doubles the next consonant, and long vowels are written once (Tokyo, Puchin), with the
doubled spelling (Toukyou, Puuchin) and the foreign one (Putin: チ for ti in loanwords and
transcribed names) as other forms.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Final

from unidecode import unidecode

from screen.names import tables
from screen.names.tokens import Token, TokenKind
from screen.text.fold import _ascii_words, fold
from screen.text.scripts import Script, _script_of

__all__ = ["KanaReading", "fold_long_vowels", "hepburn", "kana_reading"]

_KATAKANA_FIRST: Final = 0x30A1
_KATAKANA_LAST: Final = 0x30F6
_KANA_OFFSET: Final = 0x60
_LONG_VOWEL: Final = "ー"
_SMALL_TSU: Final = "っッ"
_VOWELS: Final = "aeiou"


def _as_hiragana(text: str) -> str:
    return "".join(
        chr(ord(char) - _KANA_OFFSET) if _KATAKANA_FIRST <= ord(char) <= _KATAKANA_LAST else char
        for char in text
    )


def _is_katakana(text: str) -> bool:
    for char in text:
        if _KATAKANA_FIRST <= ord(char) <= 0x30FF or 0xFF66 <= ord(char) <= 0xFF9F:
            return True
    return False


@cache
def _syllables() -> dict[str, tuple[str, str]]:
    """Kana (as hiragana) -> (Hepburn, the foreign sound it stands for in loanwords)."""
    table: dict[str, tuple[str, str]] = {}
    for row in tables.kana_hepburn():
        table[_as_hiragana(row["kana"])] = (row["hepburn"], row["foreign"] or row["hepburn"])
    return table


def fold_long_vowels(romaji: str) -> str:
    """Long vowels written once, as names in English write them (Toukyou, Satou -> Tokyo,
    Sato; Chuu -> Chu; Oono -> Ono)."""
    return romaji.replace("ou", "o").replace("uu", "u").replace("oo", "o")


@dataclass(frozen=True, slots=True)
class _Spelled:
    hepburn: str
    """Long vowels as written: ー repeats the vowel."""
    short: str
    """ー dropped."""
    foreign: str
    """ー dropped, loanword sounds (チ ti, ヴ v)."""


@lru_cache(maxsize=16384)
def _spell(kana: str) -> _Spelled:
    table = _syllables()
    plain = _as_hiragana(kana)
    hepburn: list[str] = []
    short: list[str] = []
    foreign: list[str] = []
    double_next = False
    index = 0
    while index < len(plain):
        char = plain[index]
        if char in _SMALL_TSU:
            double_next = True
            index += 1
            continue
        if char == _LONG_VOWEL:
            last = hepburn[-1][-1:] if hepburn else ""
            if last in _VOWELS:
                hepburn.append(last)
            index += 1
            continue
        found = table.get(plain[index : index + 2])
        length = 2
        if found is None:
            found = table.get(char)
            length = 1
        if found is None:
            found = (unidecode(char).lower(),) * 2
        spelled, sound = found
        if double_next and spelled[:1] not in _VOWELS and spelled:
            # っち is tchi in Hepburn; other consonants are written twice (kk, ss, pp)
            spelled = ("t" if spelled.startswith("ch") else spelled[0]) + spelled
            sound = ("t" if sound.startswith("ch") else sound[0]) + sound
        double_next = False
        hepburn.append(spelled)
        short.append(spelled)
        foreign.append(sound)
        index += length
    return _Spelled("".join(hepburn), "".join(short), "".join(foreign))


def hepburn(kana: str) -> str:
    """``kana`` in modified Hepburn, long vowels written once (プーチン puchin, とうきょう
    tokyo)."""
    spelled = _spell(kana)
    return spelled.short if _is_katakana(kana) else fold_long_vowels(spelled.short)


def _forms(kana: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The text of a kana word and its other forms (doubled long vowels, foreign sounds)."""
    spelled = _spell(kana)
    text = hepburn(kana)
    forms: list[tuple[str, str]] = []
    for form in (spelled.hepburn, spelled.foreign if _is_katakana(kana) else ""):
        form = "".join(_ascii_words(form))
        if form and form != text and all(form != known for known, _ in forms):
            forms.append((form, "transliterated"))
    return "".join(_ascii_words(text)), tuple(forms)


# ---------------------------------------------------------------------------------------------
# Terms


@cache
def _terms() -> dict[str, tuple[str, ...]]:
    """Kana generic words (グループ, ホールディングス) -> their usual English words."""
    terms: dict[str, tuple[str, ...]] = {}
    for row in tables.term_translations():
        term = fold(row["term"])
        if term and all(_script_of(ch) is Script.KANA for ch in term):
            terms.setdefault(term, tuple(_ascii_words(row["english"])))
    return terms


@cache
def _longest_term() -> int:
    return max((len(term) for term in _terms()), default=1)


@dataclass(frozen=True, slots=True)
class KanaReading:
    """A kana run's tokens with generic words translated, and its reading with none
    translated (None when no word was)."""

    tokens: tuple[Token, ...]
    reading: tuple[Token, ...] | None


@lru_cache(maxsize=16384)
def kana_reading(run: str, english_token: Callable[[str, str], Token]) -> KanaReading:
    """Read a run of kana: generic words, longest first, translated into tokens
    ``english_token`` makes (the word, the text it translates); each other stretch one word."""
    terms = _terms()
    longest = _longest_term()
    tokens: list[Token] = []
    reading: list[Token] = []
    translated = False
    unknown_start: int | None = None

    index = 0
    while index < len(run):
        english = None
        length = 1
        for length in range(min(longest, len(run) - index), 0, -1):
            english = terms.get(run[index : index + length])
            if english is not None:
                break
        if english is None:
            if unknown_start is None:
                unknown_start = index
            index += 1
            continue
        _flush_unknown(run, unknown_start, index, tokens, reading)
        unknown_start = None
        translated = True
        original = run[index : index + length]
        tokens.extend(english_token(w, original) for w in english)
        token = _kana_word(run, index, index + length)
        if token is not None:
            reading.append(token)
        index += length
    _flush_unknown(run, unknown_start, len(run), tokens, reading)
    return KanaReading(tuple(tokens), tuple(reading) if translated else None)


# Module functions rather than functions nested in kana_reading: compiled, nested functions and
# the variables they share refer to each other, a reference cycle on every run read, which only
# the cyclic collector frees (batch workers rarely run it: screen.batch.workers).


def _kana_word(run: str, start: int, end: int) -> Token | None:
    """The kana from ``start`` to ``end`` as one transliterated word (None: no letters)."""
    text, forms = _forms(run[start:end])
    if not text:
        return None
    return Token(text, run[start:end], Script.KANA, TokenKind.WORD, "transliterated", forms)


def _flush_unknown(
    run: str, start: int | None, end: int, tokens: list[Token], reading: list[Token]
) -> None:
    """Add the stretch of kana no term matched, from ``start`` (None: none open) to ``end``, as
    one word to both ``tokens`` and ``reading``."""
    if start is None:
        return
    token = _kana_word(run, start, end)
    if token is not None:
        tokens.append(token)
        reading.append(token)
