"""Korean Hangul read as lists write it: Revised Romanization (South Korea, 2000),
McCune-Reischauer and the North Korean usage of the lists' DPRK entries (Kim Jong Un, Ri, Pak,
Choe), with the customary spellings of surnames (Lee, Park, Choi) as other forms.

A Hangul syllable decomposes arithmetically into its letters (Unicode's conjoining jamo
algorithm); each letter's romanisation in each system is data (``data/hangul_romanisation.tsv``),
and so are the surnames and their spellings (``data/korean_surnames.tsv``). Generic words of
organisation names (은행 bank, 무역회사 trading company) and Korean legal forms are translated
from ``data/term_translations.tsv`` and ``data/legal_forms.tsv``, longest match first, as Han
terms are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Final, Literal

from screen.names import tables
from screen.names.tokens import Token, TokenKind
from screen.text.fold import _ascii_words, fold
from screen.text.scripts import Script, _script_of

__all__ = ["SYSTEMS", "VARIANT_SYSTEMS", "HangulReading", "hangul_reading", "romanise"]

System = Literal["kp", "rr", "mr"]
SYSTEMS: Final[tuple[System, ...]] = ("kp", "rr", "mr")
"""The systems a Hangul name is spelt in: every token carries its spelling in each as a form."""
VARIANT_SYSTEMS: Final[tuple[System, ...]] = ("kp", "rr")
"""The systems that also give a variant of the name, for names written with a given name joined
or split differently (Jeongeun, Jeong-eun): the North Korean usage first (the lists' Korean
entries are mostly DPRK persons and bodies), then Revised Romanization. McCune-Reischauer
differs from the North Korean usage in little more than voicing inside a word and the aspirates
(kh/k), which its forms cover; a variant costs a third more matching work for a Hangul name."""

# Unicode's order of the letters in a precomposed syllable (The Unicode Standard, 3.12
# "Conjoining Jamo Behavior"): syllable = 0xAC00 + (initial * 21 + vowel) * 28 + final
_INITIALS: Final = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_VOWELS: Final = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_FINALS: Final = " ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"
_FIRST_SYLLABLE: Final = 0xAC00
_LAST_SYLLABLE: Final = 0xD7A3
_VOICED_FINALS: Final = frozenset("ㄴㄹㅁㅇ")
"""After these (and after a vowel) McCune-Reischauer voices k, t, p, ch (g, d, b, j)."""


def _syllable(char: str) -> tuple[str, str, str] | None:
    """The initial, vowel and final (" " for none) letters of a precomposed syllable."""
    code = ord(char)
    if not _FIRST_SYLLABLE <= code <= _LAST_SYLLABLE:
        return None
    offset = code - _FIRST_SYLLABLE
    return _INITIALS[offset // 588], _VOWELS[offset % 588 // 28], _FINALS[offset % 28]


@dataclass(frozen=True, slots=True)
class _Letter:
    rr: str
    mr: str
    mr_voiced: str
    kp: str

    def spelled(self, system: System, voiced: bool) -> str:
        if system == "rr":
            return self.rr
        if system == "kp":
            return self.kp
        return self.mr_voiced if voiced else self.mr


@cache
def _letters() -> dict[tuple[str, str, str], _Letter]:
    """(letter, position, context) -> its spellings; "-" in the table is a silent letter."""
    table: dict[tuple[str, str, str], _Letter] = {}
    for row in tables.hangul_romanisation():
        spellings = [
            "" if row[c] == "-" else row[c] for c in ("rr", "mr", "mr_voiced", "kp")
        ]
        table[(row["jamo"], row["position"], row["context"])] = _Letter(*spellings)
    return table


def romanise(hangul: str, system: System) -> str:
    """``hangul`` spelled in ``system`` as one word (letters that are not syllables are
    skipped): each syllable spelled on its own, with McCune-Reischauer's voicing of k, t, p, ch
    between voiced sounds and l for r after l."""
    return _romanised(hangul, system)


@lru_cache(maxsize=16384)
def _romanised(hangul: str, system: System) -> str:
    letters = _letters()
    parts: list[str] = []
    previous_final: str | None = None
    for char in hangul:
        syllable = _syllable(char)
        if syllable is None:
            continue
        initial, vowel, final = syllable
        context = ""
        if initial == "ㅅ" and vowel in "ㅣㅟ":
            context = f"before {vowel}"
        elif initial == "ㄹ" and previous_final == "ㄹ":
            context = "after ㄹ"
        voiced = previous_final is not None and (
            previous_final == " " or previous_final in _VOICED_FINALS
        )
        spelled = letters.get((initial, "initial", context)) or letters[(initial, "initial", "")]
        parts.append(spelled.spelled(system, voiced))
        parts.append(letters[(vowel, "vowel", "")].spelled(system, False))
        if final != " ":
            parts.append(letters[(final, "final", "")].spelled(system, False))
        previous_final = final
    return "".join(parts)


# ---------------------------------------------------------------------------------------------
# Surnames


@cache
def _surnames() -> dict[str, tuple[str, ...]]:
    """Hangul surname -> its customary spellings, the commonest first."""
    found: dict[str, list[str]] = {}
    for row in tables.korean_surnames():
        spellings = found.setdefault(row["hangul"], [])
        if row["spelling"] not in spellings:
            spellings.append(row["spelling"])
    return {surname: tuple(spellings) for surname, spellings in found.items()}


@cache
def surname_hanja() -> dict[str, tuple[str, ...]]:
    """Han surname (金, 李, 南宮) -> its Hangul readings (김; 이, 리; 남궁)."""
    found: dict[str, list[str]] = {}
    for row in tables.korean_surnames():
        readings = found.setdefault(row["hanja"], [])
        if row["hangul"] not in readings:
            readings.append(row["hangul"])
    return {hanja: tuple(readings) for hanja, readings in found.items()}


def _surname_length(hangul: str) -> int:
    """Length of the surname ``hangul`` begins with (two-syllable surnames first), 0 if none."""
    surnames = _surnames()
    if len(hangul) >= 4 and hangul[:2] in surnames:
        return 2
    return 1 if hangul[:1] in surnames else 0


# ---------------------------------------------------------------------------------------------
# Terms


@dataclass(frozen=True, slots=True)
class _Term:
    english: tuple[str, ...]
    """The usual English rendering, as words (empty for a legal form)."""
    legal_class: str | None = None


@cache
def _terms() -> dict[str, _Term]:
    """Hangul generic words and legal forms -> their English rendering or legal-form class."""
    terms: dict[str, _Term] = {}
    for row in tables.legal_forms():
        variant = fold(row["variant"])
        if variant and all(_script_of(ch) is Script.HANGUL for ch in variant):
            terms.setdefault(variant, _Term((), row["canonical"]))
    for row in tables.term_translations():
        term = fold(row["term"])
        if term and all(_script_of(ch) is Script.HANGUL for ch in term):
            terms.setdefault(term, _Term(tuple(_ascii_words(row["english"]))))
    return terms


@cache
def _longest_term() -> int:
    return max((len(term) for term in _terms()), default=1)


# ---------------------------------------------------------------------------------------------
# Reading a run


@dataclass(frozen=True, slots=True)
class HangulReading:
    """A run of Hangul read in each system: ``variants`` has one token sequence per system of
    :data:`VARIANT_SYSTEMS` (fewer when two systems spell the run alike), generic words
    translated, the first English word of each carrying the word's own spellings as forms
    (조선: korea, with choson and joseon), as a Cyrillic word carries its translation: lists
    also spell such words (Choson)."""

    variants: tuple[tuple[Token, ...], ...]


def _chunks(length: int, surname: int) -> list[int]:
    """Lengths of the words an unknown stretch of syllables is read as: a name is a surname
    and a given name (written as one word or syllable by syllable, which the matcher joins);
    any other stretch is one word, as Korean writes it (a brand, a place: 하나푸른바이오,
    련봉): cut into syllables or pairs of them, a word gives short tokens that meet many listed
    words, for little gain (the lists translate the names of Korean bodies or spell their words
    whole: Ryonbong, Tanchon, Kwangson)."""
    if surname:
        return [surname, length - surname]
    return [length]


def _word_tokens(
    syllables: str, original: str, *, surname: bool, other_surnames: tuple[str, ...] = ()
) -> tuple[Token, ...]:
    """One token per system for a word of ``syllables``, each carrying the other systems'
    spellings (and a surname's customary spellings, and those of ``other_surnames``, other
    readings of the same surname) as forms."""
    spellings = [romanise(syllables, system) for system in SYSTEMS]
    spellings.append(_romanised_syllable_by_syllable(syllables))
    if surname:
        spellings.extend(_surnames().get(syllables, ()))
        for other in other_surnames:
            spellings.extend(romanise(other, system) for system in SYSTEMS)
            spellings.extend(_surnames().get(other, ()))
    unique: list[str] = []
    for spelling in spellings:
        if spelling and spelling not in unique:
            unique.append(spelling)
    tokens: list[Token] = []
    for system in VARIANT_SYSTEMS:
        text = romanise(syllables, system)
        forms = tuple((form, "transliterated") for form in unique if form != text)
        tokens.append(
            Token(text, original, Script.HANGUL, TokenKind.WORD, "transliterated", forms)
        )
    return tuple(tokens)


def _romanised_syllable_by_syllable(syllables: str) -> str:
    """The North Korean spelling of each syllable on its own, joined (Mun Kil, Pak To-Chun:
    names written syllable by syllable keep each syllable's voiceless initial)."""
    return "".join(romanise(char, "kp") for char in syllables)


EnglishToken = Callable[[str, str], Token]
"""Makes the token of one English word of a translation (the word, the text it translates)."""


@lru_cache(maxsize=16384)
def hangul_reading(
    run: str,
    english_token: EnglishToken,
    original: str | None = None,
    *,
    person: bool = False,
    other_surnames: tuple[str, ...] = (),
) -> HangulReading:
    """Read a run of Hangul syllables, generic words translated into tokens ``english_token``
    makes (``original``: the text each syllable stands for, one character per syllable, when it
    is not ``run`` itself, as for Han characters read in Korean). ``person``: the run is a name
    only, never generic words; ``other_surnames``: other readings of its surname."""
    source = run if original is None else original
    terms = {} if person else _terms()
    surname = _surname_length(run)
    whole_term = run in terms
    # a name of three syllables (or four, after a two-syllable surname) that begins with a
    # surname and is not itself a generic word: 김정은 is a surname and a given name, never
    # words to look up (조 + 선희 is not 조선 "Korea" + 희)
    person_like = person or (not whole_term and surname > 0 and len(run) - surname == 2)
    pieces: list[tuple[int, int, _Term | None]] = []
    unknown_start: int | None = None
    index = 0
    longest = _longest_term()
    while index < len(run):
        term = None
        length = 1
        if not person_like:
            for length in range(min(longest, len(run) - index), 0, -1):
                term = terms.get(run[index : index + length])
                if term is not None:
                    break
        if term is None:
            if unknown_start is None:
                unknown_start = index
            index += 1
            continue
        if unknown_start is not None:
            pieces.append((unknown_start, index, None))
            unknown_start = None
        pieces.append((index, index + length, term))
        index += length
    if unknown_start is not None:
        pieces.append((unknown_start, len(run), None))

    per_system: list[list[Token]] = [[] for _ in VARIANT_SYSTEMS]
    for start, end, term in pieces:
        if term is None:
            word_start = start
            for size in _chunks(end - start, surname if person_like else 0):
                chunk = run[word_start : word_start + size]
                tokens = _word_tokens(
                    chunk, source[word_start : word_start + size],
                    surname=word_start == 0 and size == surname and (person_like or size == end),
                    other_surnames=other_surnames,
                )
                for k, token in enumerate(tokens):
                    per_system[k].append(token)
                word_start += size
            continue
        original_term = source[start:end]
        if term.legal_class is not None:
            token = Token(
                term.legal_class, original_term, Script.HANGUL, TokenKind.LEGAL_FORM, "legal form"
            )
            for tokens_of in per_system:
                tokens_of.append(token)
            continue
        english = [english_token(word, original_term) for word in term.english]
        if english:
            first = english[0]
            known = {first.text, *(form for form, _ in first.alternatives)}
            spelt = tuple(
                (form, "transliterated")
                for form in dict.fromkeys(romanise(run[start:end], s) for s in SYSTEMS)
                if form not in known
            )
            english[0] = Token(
                first.text, first.original, first.script, first.kind, first.how,
                first.alternatives + spelt,
            )
        for tokens_of in per_system:
            tokens_of.extend(english)
    variants: list[tuple[Token, ...]] = []
    for tokens_of in per_system:
        variant = tuple(tokens_of)
        if variant not in variants:
            variants.append(variant)
    return HangulReading(tuple(variants))
