"""Readings of a Latin-script word as the US lists would spell it: a Russian name written by the
German, Polish, French, Czech, Latvian or Lithuanian convention read back into the English-style
spelling (``Lawrow`` -> ``lavrov``, ``Siergiej`` -> ``sergey``, ``Ivanas`` -> ``ivan``), a
letter with a diacritic read as the letters it stands for (``Savčenko`` -> ``savchenko``), and
digits or symbols written for letters inside a word (``Sech1n`` -> ``sechin``).

The rules are data, each row with its source: ``data/romanisation_rules.tsv`` (what each
convention writes for which sound), ``data/romanisation_signals.tsv`` (what shows that a word
is written in a convention: a word is read alone, whatever its neighbours show),
``data/latin_letters.tsv`` and ``data/letter_stand_ins.tsv``. This module turns the rows into
regular expressions and applies them; it holds no rule of its own.

A reading is another form of its token (``Token.alternatives``, how ``romanisation`` or
``digits as letters``), compared by its phonetic key (``screen.names.compare``); the token's own
text is never changed, so a name written in the list's spelling compares exactly as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Final

from unidecode import unidecode

from screen.names import tables
from screen.text.fold import _NON_ALNUM
from screen.text.phonetic import phonetic_key

__all__ = [
    "DIGITS_AS_LETTERS",
    "ROMANISATION",
    "convention_readings",
    "digit_readings",
    "letter_reading",
    "readings",
    "spelled_word",
    "symbols_as_letters",
    "word_conventions",
]

ROMANISATION: Final = "romanisation"
"""How a reading by a convention or by ``latin_letters.tsv`` is labelled among a token's forms."""
DIGITS_AS_LETTERS: Final = "digits as letters"
"""How a reading of digits written for letters is labelled among a token's forms."""

ACTIVATION_WEIGHT: Final = 2
"""A word is read by a convention when its signals for it weigh this much together."""
MIN_READING_LETTERS: Final = 4
"""A reading shorter than this is dropped: an ending is stripped only from a name's stem, and a
short word read another way is most often another word (Jan, Yan)."""

_VOWELS: Final = "aeiouyäöüéèêëïîíìáàâóòôúùûýāēīūąęėįųůě"
_CONSONANT: Final = f"[^\\W\\d_{_VOWELS}]"
_VOWEL: Final = f"[{_VOWELS}]"
_LETTER: Final = "[^\\W\\d_]"


class RomanisationTableError(ValueError):
    """A romanisation table is malformed (a packaging bug, never user input)."""


# ---------------------------------------------------------------------------------------------
# The tables, compiled


def _pattern(where: str, match: str, at: str, *, signal: bool = False) -> re.Pattern[str]:
    """The regular expression of a row: its alternatives under its ``where`` conditions."""
    alternatives = match.split("|")
    if not all(alternatives):
        raise RomanisationTableError(f"{at}: match: an empty alternative in {match!r}")
    # longest first: at one position the longest spelling is the one meant (sch before s)
    body = "(?:" + "|".join(re.escape(a) for a in sorted(alternatives, key=len, reverse=True)) + ")"
    before = ""
    after = ""
    for condition in where.split(", "):
        if condition == "anywhere":
            continue
        if condition == "at start":
            before += "^"
        elif condition == "inside":
            before += "(?<!^)"
        elif condition == "at end":
            after += "$"
            if signal:
                before += f"(?<={_LETTER}{_LETTER})"
        elif condition == "after consonant":
            before += f"(?<={_CONSONANT})"
        elif condition == "after vowel":
            before += f"(?<={_VOWEL})"
        elif condition == "before vowel":
            after += f"(?={_VOWEL})"
        elif condition == "between vowels":
            before += f"(?<={_VOWEL})"
            after += f"(?={_VOWEL})"
        elif condition.startswith("not before "):
            after += f"(?![{re.escape(condition.removeprefix('not before '))}])"
        elif condition.startswith("not after "):
            before += f"(?<![{re.escape(condition.removeprefix('not after '))}])"
        elif condition.startswith("before "):
            after += f"(?=[{re.escape(condition.removeprefix('before '))}])"
        else:
            raise RomanisationTableError(f"{at}: where: unknown condition {condition!r}")
    return re.compile(before + body + after)


@dataclass(frozen=True, slots=True)
class _Rule:
    pattern: re.Pattern[str]
    replacement: str
    optional: bool


@dataclass(frozen=True, slots=True)
class _Signal:
    conventions: tuple[str, ...]
    pattern: re.Pattern[str]
    weight: int
    min_length: int
    """The word must have this many characters (0: any)."""
    alternatives: tuple[str, ...]
    """The row's spellings: a word shows the signal only if it has one of them (at its start
    or end, for a signal there), which plain string tests tell before the pattern is tried."""
    place: str
    """``start``, ``end`` or ``anywhere``: where the alternatives must be."""

    def shown_by(self, word: str) -> bool:
        """Whether ``word`` shows this signal."""
        if len(word) < self.min_length:
            return False
        if self.place == "end":
            if not word.endswith(self.alternatives):
                return False
        elif self.place == "start":
            if not word.startswith(self.alternatives):
                return False
        else:
            for alternative in self.alternatives:  # a loop: compiled, any() is a generator
                if alternative in word:
                    break
            else:
                return False
        return self.pattern.search(word) is not None


_WORD_LENGTH: Final = re.compile(r"in words of (\d+)\+ letters")


@cache
def _rules() -> dict[str, tuple[_Rule, ...]]:
    """Each convention's rules, in table order."""
    by_convention: dict[str, list[_Rule]] = {}
    for row in tables.romanisation_rules():
        at = f"{row.table}:{row.line}"
        if row["optional"] not in ("", "yes"):
            raise RomanisationTableError(f"{at}: optional is yes or empty")
        rule = _Rule(
            _pattern(row["where"], row["match"], at), row["replacement"], row["optional"] == "yes"
        )
        for convention in row["conventions"].split(","):
            by_convention.setdefault(convention, []).append(rule)
    return {convention: tuple(rules) for convention, rules in by_convention.items()}


@cache
def _signals() -> tuple[_Signal, ...]:
    signals: list[_Signal] = []
    for row in tables.romanisation_signals():
        at = f"{row.table}:{row.line}"
        conventions = tuple(row["conventions"].split(","))
        unknown = [c for c in conventions if c not in _rules()]
        if unknown or not row["weight"].isdigit():
            raise RomanisationTableError(f"{at}: unknown convention {unknown} or bad weight")
        where = row["where"]
        min_length = 0
        conditions = []
        for condition in where.split(", "):
            length = _WORD_LENGTH.fullmatch(condition)
            if length is None:
                conditions.append(condition)
            else:
                min_length = int(length.group(1))
        pattern = _pattern(", ".join(conditions) or "anywhere", row["match"], at, signal=True)
        place = "end" if "at end" in conditions else "start" if "at start" in conditions else ""
        signals.append(
            _Signal(
                conventions, pattern, int(row["weight"]), min_length,
                tuple(row["match"].split("|")), place or "anywhere",
            )
        )
    return tuple(signals)


@cache
def _letters() -> dict[int, str]:
    """``latin_letters.tsv`` as a ``str.translate`` table: letter -> its reading."""
    return {ord(row["letter"]): row["reading"] for row in tables.latin_letters()}


@cache
def _stand_ins() -> dict[str, tuple[str, ...]]:
    """``letter_stand_ins.tsv``: character -> the letters it stands for, commonest first."""
    return {row["character"]: tuple(row["letters"].split("|")) for row in tables.letter_stand_ins()}


class _SymbolReader:
    """Reads the symbols of ``letter_stand_ins.tsv`` (not its digits) as their letters where
    one stands before a letter, not after a digit (``US$5`` is money): after a letter or at the
    start of a word. A plain class made once: every name screened is asked about."""

    __slots__ = ("chars", "letters", "pattern")

    def __init__(self, stand_ins: dict[str, tuple[str, ...]]) -> None:
        self.letters: dict[str, str] = {c: ls[0] for c, ls in stand_ins.items() if not c.isalnum()}
        self.chars: str = "".join(self.letters)
        symbols = re.escape(self.chars)
        self.pattern: re.Pattern[str] | None = (
            re.compile(f"(?<![\\d{symbols}])[{symbols}](?={_LETTER})") if self.chars else None
        )

    def read(self, text: str) -> str | None:
        """``text`` with those symbols read, or None when it has none."""
        for char in self.chars:  # a loop: compiled, any() is a generator
            if char in text:
                break
        else:
            return None
        if self.pattern is None:
            return None
        letters = self.letters
        read = self.pattern.sub(lambda found: letters[found.group()], text)
        return read if read != text else None


_SYMBOLS: Final = _SymbolReader(_stand_ins())


# ---------------------------------------------------------------------------------------------
# Words


def _ascii(text: str) -> str:
    """``text`` folded as the normaliser folds a Latin word (unidecode, letters and digits)."""
    return "".join(_NON_ALNUM.split(unidecode(text).lower()))


@lru_cache(maxsize=32768)
def readings(text: str, original: str) -> tuple[tuple[str, str], ...]:
    """The other forms of the Latin-script token ``text`` (made from the folded ``original``)
    as the lists would spell it, each with how it was made: its letters with diacritics read
    as digraphs, its readings by the conventions it shows, its digits read as letters. Each
    form once, none equal to ``text``, none of fewer than ``MIN_READING_LETTERS`` letters."""
    spelled = spelled_word(text, original)
    found: dict[str, str] = {}
    letters = letter_reading(spelled)
    if letters is not None:
        found[letters] = ROMANISATION
    conventions = word_conventions(spelled)
    if conventions:
        for reading in convention_readings(spelled, conventions):
            found.setdefault(reading, ROMANISATION)
    if not text.isalpha() and not text.isdigit():
        for reading in digit_readings(text):
            found.setdefault(reading, DIGITS_AS_LETTERS)
    if not found:
        return ()
    # a form with the token's own phonetic key adds nothing the key does not already compare
    key = phonetic_key(text)
    return tuple(
        (form, how)
        for form, how in found.items()
        if len(form) >= MIN_READING_LETTERS and phonetic_key(form) != key
    )


def spelled_word(text: str, original: str) -> str:
    """The word a Latin token ``text`` was made from, with its letters as written (``savčenko``
    for ``savcenko``): ``original`` less what is not a letter or digit, when that folds to
    ``text``, else ``text`` (an ASCII word, or an original that made several tokens)."""
    if original.isascii():
        return text
    letters = "".join(char for char in original if char.isalnum())
    return letters if _ascii(letters) == text else text


def letter_reading(spelled: str) -> str | None:
    """``spelled`` with its letters of ``latin_letters.tsv`` read as their digraphs, folded to
    ASCII (``savčenko`` -> ``savchenko``); None when it has none of them."""
    if spelled.isascii():
        return None
    read = spelled.translate(_letters())
    return _ascii(read) if read != spelled else None


def word_conventions(spelled: str) -> tuple[str, ...]:
    """The conventions a word shows signals of weighing ``ACTIVATION_WEIGHT`` or more
    together (each signal row once), in the order of the rules table. None for a word with a
    j or c that is a run of pinyin syllables (Junjun, Junhui, Cixin): pinyin's j and c are not
    the conventions' (j is no й, c no ц), and a Chinese name read as German is another Chinese
    name (Yunhui)."""
    weights: dict[str, int] = {}
    for signal in _signals():
        if signal.shown_by(spelled):
            for convention in signal.conventions:
                weights[convention] = weights.get(convention, 0) + signal.weight
    found = tuple(c for c in _rules() if weights.get(c, 0) >= ACTIVATION_WEIGHT)
    if found and ("j" in spelled or "c" in spelled) and _pinyin_syllables(spelled):
        return ()
    return found


@cache
def _pinyin() -> frozenset[str]:
    """Every pinyin syllable, tones and ü left out (the pinyin column of ``wade_giles.tsv``)."""
    return frozenset(_ascii(row["pinyin"]) for row in tables.wade_giles())


def _pinyin_syllables(word: str) -> bool:
    """Whether ``word`` is a run of one or more pinyin syllables."""
    syllables = _pinyin()
    longest = 6  # zhuang, chuang, shuang: no pinyin syllable is longer
    ends = [True] + [False] * len(word)  # ends[i]: word[:i] is a run of syllables
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - longest), end):
            if ends[start] and word[start:end] in syllables:
                ends[end] = True
                break
    return ends[len(word)]


def convention_readings(spelled: str, conventions: tuple[str, ...]) -> tuple[str, ...]:
    """``spelled`` read back by each of ``conventions`` into the lists' spelling, folded to
    ASCII; each distinct reading once. A convention with optional rows gives two readings:
    without them and with all of them."""
    found: list[str] = []
    rules = _rules()
    for convention in conventions:
        steps = rules[convention]
        for with_optional in (False, True):
            word = spelled
            for step in steps:
                if with_optional or not step.optional:
                    word = step.pattern.sub(step.replacement, word)
            reading = _ascii(word.translate(_letters()))
            if reading and reading not in found:
                found.append(reading)
            if not any(step.optional for step in steps):
                break
    return tuple(found)


def digit_readings(word: str) -> tuple[str, ...]:
    """An ASCII word that mixes letters and digits, its digits read as the letters they stand
    for (``sech1n`` -> ``sechin``, ``sechln``): first every digit by its commonest letter, then
    by its second. None for a number, a word with as many digits as letters or fewer than three
    letters (``54th``, ``a320``, ``h3c``, ``1st``), or a digit that stands for no letter
    (``mig29``)."""
    letters = sum(1 for char in word if char.isalpha())
    digits = len(word) - letters
    if not digits or letters < 3 or digits >= letters:
        return ()
    stand_ins = _stand_ins()
    if any(not char.isalpha() and char not in stand_ins for char in word):
        return ()
    found: list[str] = []
    for choice in (0, 1):
        reading = "".join(
            stand_ins[char][min(choice, len(stand_ins[char]) - 1)] if char in stand_ins else char
            for char in word
        )
        if reading not in found:
            found.append(reading)
    return tuple(found)


def symbols_as_letters(text: str) -> str | None:
    """Folded ``text`` with each symbol of ``letter_stand_ins.tsv`` that stands before a letter
    inside or at the start of a word read as its letter (``l@vrov`` -> ``lavrov``, ``$ergei``
    -> ``sergei``); None when there is none. Anywhere else a symbol separates words, as
    before (``US$ 5``, ``a @ b``)."""
    return _SYMBOLS.read(text)
