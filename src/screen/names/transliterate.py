"""Per-script conversion of a run of text to romanised tokens: Latin, Cyrillic (with generic words
translated), Arabic and Persian (article split off), Han (phrase-aware pinyin, terms translated,
numerals and ordinals; Japanese names in Japanese, possible Korean names also in Korean), Hangul
(:mod:`screen.names.hangul`), kana (:mod:`screen.names.kana`), Wade-Giles to pinyin, and other
scripts through ``unidecode``.

Longer than most modules: the scripts here (Latin, Cyrillic, Arabic and Persian, Han) share the
segment type, the term tables' helpers and the choice of alternatives; the scripts with their own
tables (Hangul, kana, Japanese and Korean readings of Han) have modules of their own.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from functools import cache, lru_cache
from typing import Any, Final

from unidecode import unidecode

from screen.names.hangul import hangul_reading
from screen.names.hanja import japanese_forms, japanese_reading, korean_reading
from screen.names.kana import kana_reading
from screen.names.romanisations import readings
from screen.names.terms import (
    _APOSTROPHES,
    _ARABIC_ARTICLE,
    _ARABIC_PARTICLES,
    _ARABIC_PERSIAN,
    _ARABIC_STOPWORDS,
    _MAX_RENDERINGS,
    _PARTICLES,
    _STOPWORDS,
    _alternatives,
    _arabic_phrase_pattern,
    _arabic_translation,
    _cyrillic_translation,
    _han_term_max_len,
    _han_terms,
    _HanTerm,
    _japanese_han_terms,
    _Renderings,
    _translated_forms,
    _wade_giles,
)
from screen.names.tokens import Token, TokenKind
from screen.text.fold import _ARABIC_MARKS, _NON_ALNUM, ZWNJ, _ascii_words
from screen.text.scripts import Script, _script_of

# ---------------------------------------------------------------------------------------------
# Tokenising


class _Segment:
    """A stretch of the name with its tokens per variant (None: same as the primary).

    A plain class, not a dataclass: compiled, its constructor is native, where a dataclass's
    generated ``__init__`` stays interpreted Python (and several segments are made per name).
    """

    __slots__ = ("alternates", "pinyin", "primary", "wade_giles")

    primary: tuple[Token, ...]
    pinyin: tuple[Token, ...] | None
    wade_giles: tuple[Token, ...] | None
    alternates: tuple[tuple[Token, ...], ...]
    """The primary tokens with other renderings of translated terms (工业大学 ->
    "institute of technology", "polytechnical university")."""

    def __init__(
        self,
        primary: tuple[Token, ...],
        pinyin: tuple[Token, ...] | None = None,
        wade_giles: tuple[Token, ...] | None = None,
        alternates: tuple[tuple[Token, ...], ...] = (),
    ) -> None:
        self.primary = primary
        self.pinyin = pinyin
        self.wade_giles = wade_giles
        self.alternates = alternates


def _runs(text: str) -> list[tuple[str, Script]]:
    """Split folded text into maximal runs of one script; everything else separates runs.

    Apostrophes inside a Latin word stay in it (Wade-Giles ``ch'ih``), and so does a zero-width
    non-joiner inside an Arabic-script word (Persian ``بین‌المللی``); digits join the
    neighbouring run; a combining mark joins the run before it. A run is a slice of the text:
    what joins a run always follows the run's last character.
    """
    runs: list[tuple[str, Script]] = []
    start = 0
    current_script: Script | None = None
    for index, char in enumerate(text):
        script = _script_of(char)
        if script is None and current_script is not None:
            if unicodedata.category(char) in ("Mn", "Mc"):
                continue
            if char == ZWNJ and current_script is Script.ARABIC:
                following = text[index + 1 : index + 2]
                if following and _script_of(following) is Script.ARABIC:
                    continue  # a Persian word written in parts (بین‌المللی) stays one word
            if char in _APOSTROPHES and current_script is Script.LATIN:
                following = text[index + 1 : index + 2]
                if following and _script_of(following) is Script.LATIN:
                    continue
        if script is Script.LATIN and current_script is not None and char.isdigit():
            script = current_script
        if current_script is not None and script is not current_script:
            runs.append((text[start:index], current_script))
            current_script = None
        if script is not None and current_script is None:
            start = index
            current_script = script
    if current_script is not None:
        runs.append((text[start:], current_script))
    return runs

def _latin_tokens(run: str, script: Script, how: str) -> list[Token]:
    words = _ascii_words(run) if script is not Script.LATIN else _latin_words(run)
    return [_word_token(word, run, script, how) for word in words]


@lru_cache(maxsize=16384)
def _transliterated_tokens(run: str, script: Script) -> tuple[Token, ...]:
    """Tokens of a run of another script (Greek, Hangul, Thai ...), romanised by unidecode,
    which costs more than anything else done with the run: names repeat words."""
    return tuple(_latin_tokens(run, script, "transliterated"))


def _latin_words(run: str) -> list[str]:
    cleaned = run
    for apostrophe in _APOSTROPHES:
        cleaned = cleaned.replace(apostrophe, "")
    return [word for word in _NON_ALNUM.split(unidecode(cleaned).lower()) if word]


def _word_token(
    word: str, original: str, script: Script, how: str,
    forms: tuple[tuple[str, str], ...] = (),
) -> Token:
    """A token of one ASCII word, with its known alternatives and ``forms`` (each a form and
    how it was made)."""
    alternatives = _alternatives().get(word, ())
    if forms:
        alternatives = (*alternatives, *forms)
    if word in _STOPWORDS:
        kind = TokenKind.STOPWORD
    elif word in _PARTICLES:
        kind = TokenKind.PARTICLE
    else:
        kind = TokenKind.WORD
        if script is Script.LATIN:
            # the word as the lists would spell it: a Russian name in a national romanisation
            # read back, letters with diacritics read as digraphs, digits read as letters
            read = readings(word, original)
            if read:
                known = {form for form, _ in alternatives}
                alternatives = (*alternatives, *(form for form in read if form[0] not in known))
        # English words only: as written in Latin script, or a Han term's rendering (a
        # romanised Russian oborony is no plural)
        english = script is Script.LATIN or how == "translated"
        other_number = _other_number(word) if english else None
        if other_number is not None and all(form != other_number for form, _ in alternatives):
            alternatives = (*alternatives, (other_number, "plural"))
    return Token(word, original, script, kind, how, alternatives)


def _other_number(word: str) -> str | None:
    """The plural of an English word in -y after a consonant, or the singular of one in -ies:
    names write Industry and Industries, Technology and Technologies, for one firm, and the
    two are three edits apart (other plurals, Systems / System, are one edit)."""
    if len(word) >= 6 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) >= 4 and word.endswith("y") and word[-2] not in "aeiouy":
        return word[:-1] + "ies"
    return None


@lru_cache(maxsize=32768)
def _cyrillic_tokens(run: str) -> tuple[Token, ...]:
    # Russian writes ё as е in most texts, and lists romanise it as e (BGN/PCGN's ë without
    # its dots: Korolev, Gorbachev) or yo (Pyotr, Solovyov), never as unidecode's io: e is
    # the reading, yo another form of the same word
    plain = run.replace("ё", "е")
    words = _ascii_words(plain)
    yo_words = _ascii_words(run.replace("ё", "yo")) if plain != run else words
    # a one-word translation of the whole run (a hyphenated compound), else of each word
    whole = _cyrillic_translation(plain)
    if whole is not None and len(words) == 1:
        translations: list[_Renderings | None] = [whole]
    else:
        originals = [word for word in _CYRILLIC_WORD_BREAKS.split(plain) if word]
        if len(originals) == len(words):
            translations = [_cyrillic_translation(word) for word in originals]
        else:
            translations = [None] * len(words)
    return tuple(
        _word_token(
            word, run, Script.CYRILLIC, "transliterated",
            (((yo, "transliterated"),) if yo != word else ()) + _translated_forms(translation),
        )
        for word, yo, translation in zip(words, yo_words, translations, strict=True)
    )


_CYRILLIC_WORD_BREAKS: Final = re.compile(r"[\W_]+")
"""What separates the words of a Cyrillic run, as ``_ascii_words`` separates them romanised."""


@lru_cache(maxsize=32768)
def _arabic_tokens(run: str) -> tuple[Token, ...]:
    run = _ARABIC_MARKS.sub("", run).translate(_ARABIC_PERSIAN)
    if not run:
        return ()
    if run in _ARABIC_STOPWORDS or run in _ARABIC_PARTICLES:
        kind = TokenKind.STOPWORD if run in _ARABIC_STOPWORDS else TokenKind.PARTICLE
        text = "".join(_NON_ALNUM.split(unidecode(run).lower())) or "al"
        return (Token(text, run, Script.ARABIC, kind, "transliterated"),)
    tokens: list[Token] = []
    # the article of the word Allah (الله, and names ending in it) is romanised as part of it
    article = None if run.endswith("الله") else _ARABIC_ARTICLE.match(run)
    stem = run
    if article:
        tokens.append(Token("al", article.group(0), Script.ARABIC, TokenKind.PARTICLE, "article"))
        stem = run[article.end() :]
    translation = _arabic_translation(run, stem)
    # a Persian word in parts (خامنه‌ای, Khamenei): ه before the zero-width non-joiner ends its
    # part, where it is the vowel -e (the silent he that the non-joiner keeps from joining the
    # suffix), not a consonant h in the middle of the word
    reading = stem.replace(_SILENT_HE, "e") if ZWNJ in stem else stem
    romanised = "".join(_NON_ALNUM.split(unidecode(reading).lower().replace("@", "a")))
    if not romanised:
        return tuple(tokens)
    alternatives = _translated_forms(translation)
    tokens.append(
        Token(romanised, stem, Script.ARABIC, TokenKind.WORD, "transliterated", alternatives)
    )
    return tuple(tokens)


_SILENT_HE: Final = "ه" + ZWNJ


def _arabic_segment(run: str) -> _Segment:
    """An Arabic-script word: its romanised tokens, with a generic word's one-word English
    renderings as forms (مصرف: bank), and its renderings of several words as other variants
    (پژوهشگاه: research institute), as Han terms are translated."""
    return _Segment(_arabic_tokens(run), alternates=_arabic_alternates(run))


@lru_cache(maxsize=32768)
def _arabic_alternates(run: str) -> tuple[tuple[Token, ...], ...]:
    tokens = _arabic_tokens(run)
    if not tokens or tokens[-1].kind is not TokenKind.WORD:
        return ()
    word = tokens[-1]
    renderings = _arabic_translation(_ARABIC_MARKS.sub("", run).translate(_ARABIC_PERSIAN),
                                     word.original)
    if renderings is None:
        return ()
    return tuple(
        (*tokens[:-1], *(_word_token(w, word.original, Script.ARABIC, "translated")
                         for w in rendering))
        for rendering in renderings[: _MAX_RENDERINGS - 1]
        if len(rendering) > 1
    )


def _join_arabic_phrases(text: str) -> str:
    """``text`` with each generic term of several Arabic-script words (بین المللی, سرمایه
    گذاری) written as one word, its words joined by a zero-width non-joiner, as Persian also
    writes them: the word is then looked up whole."""
    if text.isascii() or _ARABIC_LETTER.search(text) is None:
        return text
    pattern = _arabic_phrase_pattern()
    if pattern is None:
        return text
    return pattern.sub(lambda match: _SPACES.sub(ZWNJ, match.group(0)), text)


_SPACES: Final = re.compile(r"\s+")
_ARABIC_LETTER: Final = re.compile("[\u0600-\u06ff]")


@cache
def han_reader() -> tuple[Callable[..., list[str]], Callable[[str], Iterable[str]]]:
    """pypinyin's reader (``lazy_pinyin``) and segmenter, imported the first time a name has
    Han characters: loading pypinyin's dictionaries takes about 0.16 s and 54 MB, which a
    process that never reads Han text (``screen name`` on a Latin name, most library uses)
    need not pay. A program that forks workers which will read Han text calls this first, so
    that they share the dictionaries rather than each load its own."""
    from pypinyin import lazy_pinyin
    from pypinyin.seg.simpleseg import seg

    return lazy_pinyin, seg


def _pinyin(run: str) -> list[str]:
    """pypinyin's reading of ``run``, one per character, word by word: what
    ``lazy_pinyin(run)`` gives, as pypinyin itself segments the run and reads each word on its
    own, but with each word's reading remembered. Reading a word costs about 30 times as much
    as segmenting, and company names share most of their words."""
    readings: list[str] = []
    for word in han_reader()[1](run):
        readings.extend(_word_pinyin(word))
    return readings


@lru_cache(maxsize=65536)
def _word_pinyin(word: str) -> tuple[str, ...]:
    # a list: pypinyin reads each item as one word (segmenting only what has no Han reading,
    # as it does for a string); v_to_u: pypinyin writes lü as "lv", names "lu" (or "lyu")
    readings: list[str] = han_reader()[0]([word], errors=_unreadable, v_to_u=True)
    return tuple(readings)


def _unreadable(chars: str) -> Any:
    """pypinyin's fallback for characters it has no reading for: one reading per character."""
    return [unidecode(char).strip().lower() for char in chars]


def _han_segment(run: str, japanese: bool = False) -> _Segment:
    """A run of Han characters: in Japanese for a Japanese name, else in pinyin, with a Korean
    reading as further variants where the run may be a Korean name."""
    if japanese:
        primary, reading, alternates = _japanese_han_readings(run)
        return _Segment(primary, reading, alternates=alternates)
    primary, pinyin, alternates = _han_readings(run)
    korean = _korean_han_readings(run)
    if korean:
        alternates = (*alternates, *(v for v in korean if v != primary and v not in alternates))
    return _Segment(primary, pinyin, alternates=alternates)


def _english_token(word: str, original: str) -> Token:
    """The token of one English word translating ``original`` (a generic word of a name)."""
    return _word_token(word, original, Script.HAN, "translated")


@lru_cache(maxsize=16384)
def _korean_han_readings(run: str) -> tuple[tuple[Token, ...], ...]:
    """A Han run that may be a Korean name (金正恩) read in Korean, one variant per system; ()
    for any other run."""
    found = korean_reading(run)
    if found is None:
        return ()
    hangul, other_surnames = found
    reading = hangul_reading(
        hangul, _english_token, run, person=True, other_surnames=other_surnames
    )
    return tuple(_spelt(variant) for variant in reading.variants)


def _spelt(tokens: tuple[Token, ...]) -> tuple[Token, ...]:
    """``tokens`` without those that read as nothing (a lone jamo, a lone small kana)."""
    if all(token.text for token in tokens):
        return tokens
    return tuple(token for token in tokens if token.text)


def _hangul_segment(run: str) -> _Segment:
    reading = hangul_reading(run, _hangul_english_token)
    variants = [_spelt(variant) for variant in reading.variants]
    return _Segment(variants[0], alternates=tuple(variants[1:]))


def _hangul_english_token(word: str, original: str) -> Token:
    return _word_token(word, original, Script.HANGUL, "translated")


def _kana_segment(run: str) -> _Segment:
    reading = kana_reading(run, _kana_english_token)
    return _Segment(
        _spelt(reading.tokens), None if reading.reading is None else _spelt(reading.reading)
    )


def _kana_english_token(word: str, original: str) -> Token:
    return _word_token(word, original, Script.KANA, "translated")


@lru_cache(maxsize=16384)
def _japanese_han_readings(run: str) -> _HanReadings:
    """A Han run of a Japanese name: generic words (shared with Chinese, or Japanese-only)
    translated, the rest read in on readings (never pinyin)."""
    readings = [japanese_reading(char) for char in run]
    return _read_han(run, readings, _japanese_han_terms(), japanese=True)[0]


def _word_chunks(length: int, japanese: bool = False) -> list[int]:
    """Lengths of the words an unknown run of Han characters is read as: most words of
    Chinese names are two characters; three make a personal name (surname, given name), except
    in Japanese, where surnames have two characters and three are mostly one word (真理教)."""
    if length <= 2 or (japanese and length == 3):
        return [length]
    if length == 3:
        return [1, 2]
    chunks = [2] * (length // 2)
    chunks[-1] += length % 2
    return chunks


_HanReadings = tuple[tuple[Token, ...], tuple[Token, ...], tuple[tuple[Token, ...], ...]]


@lru_cache(maxsize=16384)
def _han_readings(run: str) -> _HanReadings:
    """Longest-match the run against the table of generic words; the rest is read in pinyin.

    The primary variant translates generic words (科技 -> technology); the pinyin variant reads
    every character (科技 -> keji). Consecutive unknown characters form one token, read with
    pypinyin's phrase-aware readings of the whole run (重庆 -> chongqing, not zhongqing).

    A trade name whose official English is not its pinyin (海康威视 Hikvision) gives other
    variants: lists write most Chinese firms' names in pinyin with the generic words translated
    (Beijing Geling Shentong Information Technology for 北京格灵深瞳信息技术, DeepGlint), and that
    reading stays first.
    """
    readings = _pinyin(run)
    readings = [unidecode(reading).lower() for reading in readings]
    if len(readings) != len(run):  # pragma: no cover - pypinyin yields one reading per Han char
        readings = [unidecode(char).strip().lower() for char in run]
    named, read_a_name = _read_han(run, readings, _han_terms())
    if not read_a_name:
        return named
    primary, pinyin, alternates = _read_han(run, readings, _han_terms(with_names=False))[0]
    extra = [v for v in (named[0], *named[2]) if v != primary and v not in alternates]
    return primary, pinyin, (*alternates, *extra)


class _HanRunReader:
    """What reading one run of Han characters has produced so far (see :func:`_read_han`): the
    primary reading, the pinyin reading, the other renderings, and where a stretch of unknown
    characters began.

    A class rather than functions nested in ``_read_han``: compiled, nested functions and the
    variables they share refer to each other, a reference cycle on every run read, which only
    the cyclic collector frees (batch workers rarely run it: ``screen.batch.workers``)."""

    def __init__(self, run: str, readings: list[str], japanese: bool) -> None:
        self.run = run
        self.readings = readings
        self.japanese = japanese
        self.primary: list[Token] = []
        self.pinyin: list[Token] = []
        self.unknown_start: int | None = None
        self.alternates: list[list[Token]] = [[] for _ in range(_MAX_RENDERINGS - 1)]
        self.used_alternates = [False] * (_MAX_RENDERINGS - 1)

    def emit(self, tokens: Sequence[Token], others: Sequence[Sequence[Token]] = ()) -> None:
        """Add ``tokens`` to the primary reading, and to each other rendering unless
        ``others`` gives that rendering its own tokens."""
        self.primary.extend(tokens)
        for k, alternate in enumerate(self.alternates):
            if k < len(others):
                alternate.extend(others[k])
                self.used_alternates[k] = True
            else:
                alternate.extend(tokens)

    def pinyin_words(self, start: int, end: int) -> list[Token]:
        """The characters from ``start`` to ``end`` read as words (pinyin, or on readings)."""
        run = self.run
        words: list[Token] = []
        for size in _word_chunks(end - start, self.japanese):
            chars = run[start : start + size]
            if self.japanese:
                text, forms = japanese_forms(chars)
                if text:
                    words.append(
                        Token(
                            text, chars, Script.HAN, TokenKind.WORD, "japanese reading",
                            tuple((form, "transliterated") for form in forms),
                        )
                    )
            else:
                text = "".join(_NON_ALNUM.sub("", r) for r in self.readings[start : start + size])
                if text:
                    words.append(Token(text, chars, Script.HAN, TokenKind.WORD, "pinyin"))
            start += size
        return words

    def flush_unknown(self, end: int) -> None:
        """Read the stretch of unknown characters that ends at ``end``, if one is open."""
        if self.unknown_start is None:
            return
        for token in self.pinyin_words(self.unknown_start, end):
            self.emit([token])
            self.pinyin.append(token)
        self.unknown_start = None

    def readings_made(self) -> _HanReadings:
        """The primary reading, the pinyin reading and the other renderings used."""
        others = tuple(
            tuple(a)
            for a, used in zip(self.alternates, self.used_alternates, strict=True)
            if used
        )
        return tuple(self.primary), tuple(self.pinyin), others


def _read_han(
    run: str, readings: list[str], terms: dict[str, _HanTerm], japanese: bool = False
) -> tuple[_HanReadings, bool]:
    """The readings of ``run`` (each character's pinyin in ``readings``, or its on reading for
    a ``japanese`` name) with ``terms``, and whether a trade name was among the terms read."""
    longest = _han_term_max_len()
    read_a_name = False
    reader = _HanRunReader(run, readings, japanese)
    index = 0
    while index < len(run):
        ordinal = _han_ordinal(run, index)
        if ordinal is not None:
            # 第十三 -> 13th (lists write "13th Research Institute"); the pinyin variant keeps
            # the characters' reading
            token, length = ordinal
            reader.flush_unknown(index)
            reader.emit([token])
            reader.pinyin.extend(reader.pinyin_words(index, index + length))
            index += length
            continue
        for length in range(min(longest, len(run) - index), 0, -1):
            term = terms.get(run[index : index + length])
            if term is not None:
                break
        else:
            term = None
            length = 1
        if term is None:
            if reader.unknown_start is None:
                reader.unknown_start = index
            index += 1
            continue
        reader.flush_unknown(index)
        original = run[index : index + length]
        reading = "".join(_NON_ALNUM.sub("", r) for r in readings[index : index + length])
        read_a_name = read_a_name or term.kind == "name"
        if term.legal_class is not None:
            token = Token(
                term.legal_class, original, Script.HAN, TokenKind.LEGAL_FORM, "legal form"
            )
            reader.emit([token])
            reader.pinyin.append(token)
        else:
            conventional, *other_renderings = term.renderings
            reader.emit(
                _translated_tokens(conventional, original, term.forms),
                [_translated_tokens(rendering, original) for rendering in other_renderings],
            )
            reader.pinyin.extend(
                reader.pinyin_words(index, index + length) if japanese
                else [Token(reading, original, Script.HAN, TokenKind.WORD, "pinyin")]
            )
        index += length
    reader.flush_unknown(len(run))
    return reader.readings_made(), read_a_name


def _translated_tokens(
    words: tuple[str, ...], original: str, forms: tuple[str, ...] = ()
) -> list[Token]:
    """The tokens of one English rendering of a Han term (``forms``: see ``_HanTerm``)."""
    translated = tuple((form, "translated") for form in forms)
    return [_word_token(word, original, Script.HAN, "translated", translated) for word in words]


_HAN_DIGITS: Final = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6,
    "七": 7, "八": 8, "九": 9,
}
_HAN_UNITS: Final = {"十": 10, "百": 100, "千": 1000}
_ENGLISH_ORDINALS: Final = (
    "", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
    "tenth",
)


def _han_number(numeral: str) -> int:
    """The value of a Chinese numeral: positional when it has a unit (十三 13, 五十五 55,
    一百零八 108), else read digit by digit, as institute numbers are (七二二 722)."""
    if not any(char in _HAN_UNITS for char in numeral):
        value = 0
        for char in numeral:
            value = value * 10 + _HAN_DIGITS[char]
        return value
    total = 0
    current = 0
    for char in numeral:
        digit = _HAN_DIGITS.get(char)
        if digit is not None:
            current = digit
        else:
            total += (current or 1) * _HAN_UNITS[char]
            current = 0
    return total + current


def _han_ordinal(run: str, start: int) -> tuple[Token, int] | None:
    """The ordinal 第 + a Chinese numeral at ``start`` of ``run`` as one token (第十三 -> 13th,
    with 13 and, up to ten, the English word as alternatives) and the characters it spans;
    None when there is none."""
    if run[start] != "第":
        return None
    end = start + 1
    while end < len(run) and (run[end] in _HAN_DIGITS or run[end] in _HAN_UNITS):
        end += 1
    if end == start + 1:
        return None
    number = _han_number(run[start + 1 : end])
    if number <= 0:
        return None
    if number % 100 in (11, 12, 13) or number % 10 not in (1, 2, 3):
        suffix = "th"
    else:
        suffix = ("st", "nd", "rd")[number % 10 - 1]
    alternatives = [(str(number), "translated")]
    if number < len(_ENGLISH_ORDINALS):
        alternatives.append((_ENGLISH_ORDINALS[number], "translated"))
    token = Token(
        f"{number}{suffix}", run[start:end], Script.HAN, TokenKind.WORD, "translated",
        tuple(alternatives),
    )
    return token, end - start


_WG_SIGNAL: Final = re.compile(r"[a-z][’'ʼ`][a-z]|^hs|^tz|^ts'|ih$|^j[ae]n$|^ssu$|^szu$")


def _wade_giles_tokens(run: str, tokens: Sequence[Token]) -> tuple[Token, ...] | None:
    """Pinyin reading of a Latin run written in Wade-Giles (``chih-p'u`` -> ``zhipu``), or None
    when some syllable is not Wade-Giles."""
    table = _wade_giles()
    syllables = [s for s in re.split(r"[-\s]+", run) if s]
    converted: list[str] = []
    for syllable in syllables:
        plain = unidecode(syllable.replace("’", "'").replace("ʼ", "'").replace("`", "'")).lower()
        pinyin = table.get(plain)
        if pinyin is None:
            return None
        converted.append(pinyin)
    if not converted or "".join(converted) == "".join(t.text for t in tokens):
        return None
    return (Token("".join(converted), run, Script.LATIN, TokenKind.WORD, "wade-giles"),)
