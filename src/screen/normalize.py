"""Turn a name in any script or romanisation into comparable tokens.

The steps, in order: Unicode NFKC and case folding; script detection; per-script conversion to
lower-case ASCII (Han to phrase-aware pinyin with generic words also translated, Cyrillic and
other alphabets through ``unidecode``, Arabic and Persian with the article split off); Wade-Giles
to pinyin where the name shows Wade-Giles spelling; legal forms at either end of the name replaced
by their class (``Co., Ltd.``, ``Company Limited`` and ``有限公司`` all become ``co_ltd``);
abbreviations and older place-name romanisations added as alternative forms; function words
marked so they carry no weight.

A name can yield more than one token sequence (``variants``): a Chinese name gives one with its
generic words translated (科技 -> technology) and one entirely in pinyin (科技 -> keji), because the
list may give either. Every token keeps the text it came from and how it was made, so the matcher
can explain itself.

The tables behind the conversions are data files in ``screen/data/`` with a source on every row.
"""

from __future__ import annotations

import re
import string
import sys
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache, lru_cache
from typing import Any, Final, TypeVar

from pypinyin import lazy_pinyin
from pypinyin.seg.simpleseg import seg as _pinyin_segments
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from unidecode import unidecode

from screen import tables

__all__ = [
    "MAX_NAME_CHARS",
    "NormalizedName",
    "Script",
    "Token",
    "TokenKind",
    "collapse_repeats",
    "consonant_skeleton",
    "fold",
    "key_and_skeleton",
    "normalize_name",
    "phonetic_key",
    "script_of",
]

MAX_NAME_CHARS: Final = 1000
"""Longer input is cut to this many characters before matching: no published name comes close,
and it bounds the work a hostile input can cause."""


class Script(StrEnum):
    """Writing system of a token's original text."""

    LATIN = "latin"
    HAN = "han"
    KANA = "kana"
    HANGUL = "hangul"
    CYRILLIC = "cyrillic"
    ARABIC = "arabic"
    HEBREW = "hebrew"
    GREEK = "greek"
    OTHER = "other"


ABJAD_SCRIPTS: Final = frozenset({Script.ARABIC, Script.HEBREW})
"""Scripts that usually leave short vowels unwritten: compare their tokens by consonants."""


class TokenKind(StrEnum):
    """What a token is, which decides how much it weighs in a match."""

    WORD = "word"
    LEGAL_FORM = "legal_form"
    """A legal form (Co., Ltd., LLC, ООО ...) replaced by its class, e.g. ``co_ltd``."""
    PARTICLE = "particle"
    """A name particle such as Arabic ``al``/``el``: it counts, but little."""
    STOPWORD = "stopword"
    """A function word (and, of, the, de ...): kept for display, ignored when scoring."""


# The frozen classes below write their own __init__: the one dataclasses generates is
# interpreted even when mypyc compiles the class, and costs ten times as much. The compiled
# __init__ is the same, field by field (dataclasses still makes eq, hash and repr).


@dataclass(frozen=True, slots=True, init=False)
class Token:
    """One comparable token and where it came from."""

    text: str
    """Comparable form: lower-case ASCII letters and digits (legal forms: their class code)."""
    original: str
    """The span of the folded input it was made from."""
    script: Script
    kind: TokenKind = TokenKind.WORD
    how: str = "as written"
    """The transformation that produced ``text`` (transliteration, pinyin, translation ...)."""
    alternatives: tuple[tuple[str, str], ...] = ()
    """Other comparable forms with how each was made, e.g. ``("technology", "abbreviation")``."""
    qualifier: bool = False
    """Written in parentheses: an acronym, a place or a former name that qualifies the name."""
    key: str = field(init=False)
    """Phonetic key of ``text``: folds spelling differences between romanisation systems."""
    skeleton: str = field(init=False)
    """Consonant skeleton of ``text``, for scripts that do not write short vowels."""
    comparable_form: tuple[object, ...] | None = field(init=False, repr=False, compare=False)
    """What :func:`screen.compare.comparable` made of this token alone, kept there for the
    next query that has the token (None until then; tokens are shared through the caches)."""

    def __init__(
        self,
        text: str,
        original: str,
        script: Script,
        kind: TokenKind = TokenKind.WORD,
        how: str = "as written",
        alternatives: tuple[tuple[str, str], ...] = (),
        qualifier: bool = False,
    ) -> None:
        # one string object per distinct word: the index holds tens of thousands of tokens
        text = sys.intern(text)
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "original", original)
        object.__setattr__(self, "script", script)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "how", how)
        object.__setattr__(self, "alternatives", alternatives)
        object.__setattr__(self, "qualifier", qualifier)
        object.__setattr__(self, "key", phonetic_key(text))
        if script in ABJAD_SCRIPTS:
            # romanised Persian p+h is two letters (په), not the digraph ph
            object.__setattr__(self, "skeleton", consonant_skeleton(text.replace("ph", "p")))
        else:
            object.__setattr__(self, "skeleton", consonant_skeleton(text))
        object.__setattr__(self, "comparable_form", None)



@dataclass(frozen=True, slots=True, init=False)
class NormalizedName:
    """A name as comparable tokens, in one or more variants (see the module docs)."""

    original: str
    variants: tuple[tuple[Token, ...], ...]
    truncated: bool = False
    """True when the input was longer than ``MAX_NAME_CHARS`` and was cut."""

    def __init__(
        self, original: str, variants: tuple[tuple[Token, ...], ...], truncated: bool = False
    ) -> None:
        object.__setattr__(self, "original", original)
        object.__setattr__(self, "variants", variants)
        object.__setattr__(self, "truncated", truncated)

    @property
    def transformations(self) -> tuple[str, ...]:
        """Every transformation applied, in order, for the explanation of a match."""
        return _describe(self.variants, self.truncated)

    @property
    def tokens(self) -> tuple[Token, ...]:
        """The first (primary) variant."""
        return self.variants[0] if self.variants else ()

    @property
    def text(self) -> str:
        """The primary variant as one space-separated string."""
        return " ".join(token.text for token in self.tokens)

    @property
    def is_empty(self) -> bool:
        """True when the name has no letter or digit to compare."""
        return not any(token.kind is not TokenKind.STOPWORD for token in self.tokens)


# ---------------------------------------------------------------------------------------------
# Folding and scripts

_UNSAFE: Final = re.compile(
    r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]"
)
# Arabic short-vowel marks and tatweel carry no consonant: drop them so words do not split.
_ARABIC_MARKS: Final = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")


def fold(text: str) -> str:
    """NFKC-normalise and case-fold ``text``; control, format and lone surrogate characters
    become spaces, so any Python string is safe to pass."""
    if text.isascii() and text.isprintable():
        return text.lower()  # what the steps below make of printable ASCII
    text = _UNSAFE.sub(" ", text)
    # Turkish İ case-folds to i + combining dot above: the dot is not a letter of its own
    return unicodedata.normalize("NFKC", text).casefold().replace("i\u0307", "i")


def script_of(char: str) -> Script | None:
    """The script of one letter or digit (digits count as Latin); None for anything else."""
    return _script_of(char)


_MEMO_LIMIT: Final = 65536
"""Entries a memo dictionary of this module holds before it starts again empty. Plain
dictionaries rather than ``lru_cache`` for what is asked for every character or word: called
from compiled code, the cache's wrapper costs ten times a dictionary read."""
_SCRIPTS: Final[dict[str, Script | None]] = {}
_Remembered = TypeVar("_Remembered")


def _remember(memo: dict[str, _Remembered], key: str, value: _Remembered) -> _Remembered:
    """Put ``value`` in ``memo`` under ``key`` (emptying it first when it holds
    ``_MEMO_LIMIT`` entries) and return it."""
    if len(memo) >= _MEMO_LIMIT:
        memo.clear()
    memo[key] = value
    return value


def _script_of(char: str) -> Script | None:
    try:
        return _SCRIPTS[char]
    except KeyError:
        return _remember(_SCRIPTS, char, _find_script(char))


def _find_script(char: str) -> Script | None:
    code = ord(char)
    if not (char.isalnum() or unicodedata.category(char) in ("Mn", "Mc")):
        return None
    if code < 0x0250 or 0x1E00 <= code <= 0x1EFF or 0xFF10 <= code <= 0xFF5A:
        return Script.LATIN
    if 0x0370 <= code <= 0x03FF or 0x1F00 <= code <= 0x1FFF:
        return Script.GREEK
    if 0x0400 <= code <= 0x052F or 0x1C80 <= code <= 0x1C8F or (0x2DE0 <= code <= 0xA69F and (
        code <= 0x2DFF or code >= 0xA640
    )):
        return Script.CYRILLIC
    if 0x0590 <= code <= 0x05FF or 0xFB1D <= code <= 0xFB4F:
        return Script.HEBREW
    if (
        0x0600 <= code <= 0x06FF
        or 0x0750 <= code <= 0x077F
        or 0x08A0 <= code <= 0x08FF
        or 0xFB50 <= code <= 0xFDFF
        or 0xFE70 <= code <= 0xFEFF
    ):
        return Script.ARABIC
    if 0x3040 <= code <= 0x30FF or 0x31F0 <= code <= 0x31FF or 0xFF66 <= code <= 0xFF9F:
        return Script.KANA
    if 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F or 0xAC00 <= code <= 0xD7AF:
        return Script.HANGUL
    if (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x3FFFF
        or code == 0x3007
    ):
        return Script.HAN
    if unicodedata.category(char) in ("Mn", "Mc"):
        return None  # a combining mark joins the letter before it
    return Script.OTHER


# ---------------------------------------------------------------------------------------------
# Phonetic key and consonant skeleton

# Spelling differences between romanisation systems and languages that name the same sound.
# Order matters: longer sequences first.
_SCH: Final = re.compile(r"shch|sch")
_TSCH: Final = re.compile(r"tch|tsch")
_DZH: Final = re.compile(r"dzh|dj|zh")
_CK_Q: Final = re.compile(r"ck|qu|q")
_C_NOT_H: Final = re.compile(r"c(?!h)")
_OU: Final = re.compile(r"ou|oo")


def _compiled_keys() -> Callable[[str], tuple[str, str]] | None:
    """The C++ rules of the phonetic key and skeleton (``_phonetic.pyx``) for ASCII text, or
    None where that module is not built: the Python rules below then make every key."""
    try:
        from screen._phonetic import ascii_key_and_skeleton
    except ImportError:
        return None
    return ascii_key_and_skeleton


def _compiled_key() -> Callable[[str], str] | None:
    """The C++ rules of the phonetic key alone (see :func:`_compiled_keys`)."""
    try:
        from screen._phonetic import ascii_phonetic_key
    except ImportError:
        return None
    return ascii_phonetic_key


_COMPILED_KEYS: Final = _compiled_keys()
_COMPILED_KEY: Final = _compiled_key()


def key_and_skeleton(text: str) -> tuple[str, str]:
    """``(phonetic_key(text), consonant_skeleton(text))``, made at once and not remembered:
    for words joined from adjacent tokens, new in nearly every name screened, remembering costs
    more than it saves."""
    if _COMPILED_KEYS is not None and text.isascii():
        key, skeleton = _COMPILED_KEYS(text)
        return sys.intern(key), sys.intern(skeleton)
    return phonetic_key(text), consonant_skeleton(text)


@lru_cache(maxsize=1 << 16)
def phonetic_key(text: str) -> str:
    """Fold spellings that romanisation systems use for the same sound (kh/h, y/i, w/v, ou/u,
    doubled letters ...): ``Yevgeniy`` and ``Evgenii`` give the same key.

    The rules apply in this order, each to the result of the one before: shch|sch -> sh,
    tch|tsch -> ch, dzh|dj|zh -> j, kh -> h, gh -> g, ph -> f, th -> t, dh -> d, ck|qu|q -> k,
    c not before h -> k, x -> ks, w -> v, y -> i, initial ie -> e, ou|oo -> u, ee -> i, a
    repeated letter once, final ii|ij -> i. A rule whose letters are absent is skipped (this
    runs for every new word, so it is written for speed: a rule of alternatives is a plain
    replacement when only one of them occurs, a regular expression only when it needs one).
    ASCII text goes through the same rules compiled, where they are built.
    """
    if _COMPILED_KEY is not None and text.isascii():
        return sys.intern(_COMPILED_KEY(text))  # the key alone: a skeleton is asked for apart
    return _python_phonetic_key(text)


def _python_phonetic_key(text: str) -> str:
    """:func:`phonetic_key` by the Python rules (the reference for the compiled ones)."""
    if "shch" in text:
        text = _SCH.sub("sh", text)
    elif "sch" in text:
        text = text.replace("sch", "sh")
    if "tch" in text or "tsch" in text:
        text = _TSCH.sub("ch", text) if "tsch" in text else text.replace("tch", "ch")
    if "dzh" in text:
        text = _DZH.sub("j", text)
    elif "zh" in text or "dj" in text:  # they cannot overlap: one after the other is the same
        text = text.replace("dj", "j").replace("zh", "j")
    if "h" in text:
        text = (
            text.replace("kh", "h").replace("gh", "g").replace("ph", "f")
            .replace("th", "t").replace("dh", "d")
        )
    if "q" in text:
        text = _CK_Q.sub("k", text)
    elif "ck" in text:
        text = text.replace("ck", "k")
    if "c" in text:
        text = _C_NOT_H.sub("k", text) if "ch" in text else text.replace("c", "k")
    # three replacements rather than str.translate with a table: translate looks every letter
    # up in a dictionary, several times slower, and no replacement brings back x, w or y
    if "x" in text:
        text = text.replace("x", "ks")
    if "w" in text:
        text = text.replace("w", "v")
    if "y" in text:
        text = text.replace("y", "i")
    if text.startswith("ie"):
        text = "e" + text[2:]
    if "oo" in text:
        text = _OU.sub("u", text) if "ou" in text else text.replace("oo", "u")
    elif "ou" in text:
        text = text.replace("ou", "u")
    text = collapse_repeats(text.replace("ee", "i"))
    if text.endswith(("ii", "ij")):
        text = text[:-1]
    return sys.intern(text)


def collapse_repeats(text: str) -> str:
    """``text`` with every run of one character written once: ``re.sub(r"(.)\\1+", r"\\1", text)``
    (so newlines, which ``.`` does not match, stay as they are). A loop rather than that
    substitution: this runs for every new word and word pair, and a substitution with a group
    reference costs several times as much."""
    if len(text) < 2:
        return text
    kept: list[str] = []
    previous = ""
    for char in text:
        if char != previous or char == "\n":
            kept.append(char)
            previous = char
    return text if len(kept) == len(text) else "".join(kept)


_SKELETON_DROP: Final = "aeiouyvw'@`"
_SKELETON_DROP_TABLE: Final = str.maketrans("", "", _SKELETON_DROP)
_SKELETON_DROP_BYTES: Final = _SKELETON_DROP.encode("ascii")


def _drop_skeleton_letters(key: str) -> str:
    """``key`` without vowels, semivowels and apostrophes. An ASCII key (nearly every one)
    loses them in one C loop over its bytes; str.translate looks each letter up in a
    dictionary, several times slower."""
    if key.isascii():
        return key.encode("ascii").translate(None, _SKELETON_DROP_BYTES).decode("ascii")
    return key.translate(_SKELETON_DROP_TABLE)


@lru_cache(maxsize=1 << 16)
def consonant_skeleton(text: str) -> str:
    """The consonants of a token's phonetic key, doubled letters collapsed: ``nasrallah`` and
    the transliterated Arabic ``nsr llh`` both give ``nsrl``."""
    if _COMPILED_KEYS is not None and text.isascii():
        return sys.intern(_COMPILED_KEYS(text)[1])
    return _python_consonant_skeleton(text)


def _python_consonant_skeleton(text: str) -> str:
    """:func:`consonant_skeleton` by the Python rules (the reference for the compiled ones)."""
    key = _python_phonetic_key(text)
    if key.endswith("h"):  # a final h only lengthens a vowel (-ah, -eh)
        key = key[:-1]
    return sys.intern(collapse_repeats(_drop_skeleton_letters(key)))


# ---------------------------------------------------------------------------------------------
# Tables


_NON_ALNUM: Final = re.compile(r"[^a-z0-9]+")


def _ascii_words(text: str) -> list[str]:
    """Lower-case ASCII words of an already romanised string."""
    return [word for word in _NON_ALNUM.split(unidecode(text).lower().replace("'", "")) if word]


@dataclass(frozen=True, slots=True)
class _HanTerm:
    renderings: tuple[tuple[str, ...], ...]
    """English renderings, the conventional one first, each as words."""
    kind: str  # generic | legal_form | place | name
    legal_class: str | None = None
    forms: tuple[str, ...] = ()
    """Other one-word renderings of a one-word first rendering (中国: china, then chinese):
    forms of that one token rather than variants of their own (see ``_han_terms``)."""

_MAX_RENDERINGS: Final = 3
"""At most this many English renderings of one term are tried (each gives a variant)."""


@cache
def _legal_form_phrases() -> dict[tuple[str, ...], str]:
    """Legal-form variants as tuples of script-qualified phonetic keys -> class code."""
    phrases: dict[tuple[str, ...], str] = {}
    for row in tables.legal_forms():
        variant = row["variant"]
        if any(_script_of(ch) is Script.HAN for ch in variant):
            continue  # Han legal forms are matched by the Han segmenter (see _han_terms)
        # by phonetic key, so romanisation variants of one form (-oy / -oi) are one phrase
        words = tuple(_legal_key(t) for t in _tokenize(variant, detect_legal_forms=False)[0])
        if words:
            phrases.setdefault(words, row["canonical"])
    return phrases


def _legal_key(token: Token) -> str:
    """Legal forms compare by phonetic key, but short words by their letters (``pratt`` is a
    surname, not ``прат``), and only in the script the form is written in (the Arabic honorific
    آغا is not the German AG)."""
    key = token.key if len(token.text) > 5 else "=" + token.text
    return token.script + ":" + key  # a StrEnum: its value, without the slow .value


def _unqualified_key(legal_key: str) -> str:
    """The phonetic key or letters of a script-qualified legal key."""
    return legal_key.partition(":")[2].lstrip("=")


_FUZZY_LEGAL_MIN_CHARS: Final = 6
"""A legal form is recognised despite a typo only when it is at least this long."""


@cache
def _fuzzy_legal_forms() -> dict[int, tuple[list[str], list[str]]]:
    """Legal-form phrases long enough for typo-tolerant matching, by word count:
    (joined texts, class codes)."""
    by_length: dict[int, tuple[list[str], list[str]]] = {}
    for phrase, canonical in _legal_form_phrases().items():
        if any(not word.startswith(f"{Script.LATIN.value}:") for word in phrase):
            continue  # typo tolerance for Latin-script forms only
        joined = " ".join(_unqualified_key(word) for word in phrase)
        if len(joined) >= _FUZZY_LEGAL_MIN_CHARS:
            texts, classes = by_length.setdefault(len(phrase), ([], []))
            texts.append(joined)
            classes.append(canonical)
    return by_length


def _fuzzy_legal_form(keys: Sequence[str]) -> str | None:
    """Class of the legal form ``keys`` spell with a typo or two (one edit per seven letters)."""
    return _fuzzy_legal_form_of(tuple(keys))


@lru_cache(maxsize=65536)
def _fuzzy_legal_form_of(keys: tuple[str, ...]) -> str | None:
    bucket = _fuzzy_legal_forms().get(len(keys))
    if bucket is None:
        return None
    if any(not key.startswith(f"{Script.LATIN.value}:") for key in keys):
        return None
    joined = " ".join(_unqualified_key(key) for key in keys)
    if len(joined) < _FUZZY_LEGAL_MIN_CHARS:
        return None
    allowed = len(joined) // 7
    words = joined.split(" ")
    # candidates within the whole phrase's allowance, then word by word: each word within one
    # edit per seven of its own letters, so a typo never swallows a word of the name itself
    # ("puala company limited" is not "public company limited")
    for _text, _distance, position in process.extract(
        joined, bucket[0], scorer=Levenshtein.distance, score_cutoff=allowed, limit=None
    ):
        phrase_words = bucket[0][position].split(" ")
        if all(
            Levenshtein.distance(word, phrase_word) <= len(phrase_word) // 7
            for word, phrase_word in zip(words, phrase_words, strict=True)
        ):
            return bucket[1][position]
    return None


@cache
def _fuzzy_legal_words() -> tuple[str, ...]:
    """Every word of the typo-tolerant phrases."""
    return tuple(sorted({
        word for texts, _ in _fuzzy_legal_forms().values() for text in texts
        for word in text.split(" ")
    }))


@cache
def _legal_form_words() -> frozenset[str]:
    return frozenset(word for phrase in _legal_form_phrases() for word in phrase)


def _could_be_legal_word(legal_key: str) -> bool:
    """Whether a word could be part of a legal form, exactly or with the typos
    :func:`_fuzzy_legal_form` tolerates (one edit per seven letters of the form's word): a
    span with any other word need not be looked up. Remembered by :func:`_may_be_legal_word`,
    its only caller."""
    if legal_key in _legal_form_words():
        return True
    if not legal_key.startswith(f"{Script.LATIN.value}:"):
        return False
    word = _unqualified_key(legal_key)
    length = len(word)
    by_length = _fuzzy_legal_words_by_length()
    # a word of n letters is within len(c) // 7 edits of c only if len(c) is within that many
    # of n, so only lengths from 7n/8 to 7n/6 (rounded outwards) need be looked at
    for candidate_length in range(max(1, 7 * length // 8 - 1), 7 * length // 6 + 2):
        allowed = candidate_length // 7
        if abs(length - candidate_length) > allowed:
            continue
        candidates = by_length.get(candidate_length)
        # one call over every word of this length (a distance scorer: None when none is
        # within ``allowed``), rather than one call per word
        if candidates and process.extractOne(
            word, candidates, scorer=Levenshtein.distance, processor=None, score_cutoff=allowed
        ) is not None:
            return True
    return False


@cache
def _fuzzy_legal_words_by_length() -> dict[int, tuple[str, ...]]:
    """The words of :func:`_fuzzy_legal_words` by their length: a new word is compared only
    with the few it could be a typo of (this runs once for every distinct word screened)."""
    by_length: dict[int, list[str]] = {}
    for candidate in _fuzzy_legal_words():
        by_length.setdefault(len(candidate), []).append(candidate)
    return {length: tuple(words) for length, words in by_length.items()}


@cache
def _legal_form_max_len() -> int:
    return max((len(phrase) for phrase in _legal_form_phrases()), default=0)


@cache
def _han_terms(with_names: bool = True) -> dict[str, _HanTerm]:
    """Han term -> its renderings; ``with_names``: with the trade names (kind ``name``)."""
    terms: dict[str, _HanTerm] = {}
    for row in tables.legal_forms():
        variant = row["variant"]
        if variant and all(_script_of(ch) in (Script.HAN, Script.KANA) for ch in variant):
            terms[fold(variant)] = _HanTerm((), "legal_form", row["canonical"])
    for row in tables.han_terms():
        if row["kind"] == "name" and not with_names:
            continue
        han = fold(row["han"])
        english = tuple(_ascii_words(row["english"]))
        known = terms.get(han)
        if known is None:
            terms[han] = _HanTerm((english,), row["kind"])
        elif known.legal_class is None and len(known.renderings) < _MAX_RENDERINGS:
            # the table lists the conventional rendering first; others are alternatives
            terms[han] = _HanTerm((*known.renderings, english), known.kind)
    # a one-word rendering of a one-word term is another form of the same token, as a Cyrillic
    # word's translation is: compared wherever the token is, not only in a variant that takes
    # every term's second rendering at once
    for han, term in terms.items():
        if term.renderings and len(term.renderings[0]) == 1:
            first = term.renderings[0][0]
            forms = tuple(r[0] for r in term.renderings[1:] if len(r) == 1 and r[0] != first)
            if forms:
                kept = (term.renderings[0], *(r for r in term.renderings[1:] if len(r) != 1))
                terms[han] = _HanTerm(kept, term.kind, term.legal_class, forms)
    return terms


@cache
def _han_term_max_len() -> int:
    return max((len(term) for term in _han_terms()), default=1)


@cache
def _wade_giles() -> dict[str, str]:
    table: dict[str, str] = {}
    for row in tables.wade_giles():
        syllable = row["wade_giles"].replace("’", "'").replace("ʻ", "'")
        table.setdefault(unidecode(syllable).lower(), row["pinyin"])
    return table


@cache
def _alternatives() -> dict[str, tuple[tuple[str, str], ...]]:
    """Comparable word -> alternative forms (abbreviation expansions, place romanisations)."""
    found: dict[str, list[tuple[str, str]]] = {}

    def add(word: str, form: str, how: str) -> None:
        if word and form and form != word and (form, how) not in found.setdefault(word, []):
            found[word].append((form, how))

    for row in tables.abbreviations():
        words = _ascii_words(row["abbreviation"])
        expansion = "".join(_ascii_words(row["expansion"]))
        if len(words) == 1:
            add(words[0], expansion, "abbreviation")
    for row in tables.place_romanisations():
        words = _ascii_words(row["variant"])
        if len(words) == 1:
            add(words[0], "".join(_ascii_words(row["pinyin"])), "place romanisation")
    return {word: tuple(forms) for word, forms in found.items()}


_Renderings = tuple[tuple[str, ...], ...]


@cache
def _translations() -> dict[str, _Renderings]:
    """Folded original-script term -> its English renderings (each as words), the usual one
    first."""
    table: dict[str, list[tuple[str, ...]]] = {}
    for row in tables.term_translations():
        term = _term_key(row["term"])
        rendering = tuple(_ascii_words(row["english"]))
        renderings = table.setdefault(term, [])
        if rendering not in renderings:
            renderings.append(rendering)
    return {term: tuple(renderings) for term, renderings in table.items()}


def _term_key(term: str) -> str:
    """A term of the translation table as ``_cyrillic_tokens`` and ``_arabic_tokens`` read
    words: folded, ё as е, Persian letters as their Arabic twins, without vowel marks."""
    return _ARABIC_MARKS.sub("", fold(term)).translate(_ARABIC_PERSIAN).replace("ё", "е")


def _translated_forms(renderings: _Renderings | None) -> tuple[tuple[str, str], ...]:
    """A word's one-word renderings as alternative forms (завод: plant, factory, works)."""
    if renderings is None:
        return ()
    return tuple((rendering[0], "translated") for rendering in renderings if len(rendering) == 1)


@cache
def _russian_stemmer() -> Any:
    # imported when the first Cyrillic word is read: a process screening Latin names never
    # needs it
    from Stemmer import Stemmer

    return Stemmer("russian")


@cache
def _russian_translations_by_stem() -> dict[str, _Renderings]:
    """Snowball stem of a one-word Russian term -> English words: the table gives a word in
    one or two of its forms, and names decline it (научно-исследовательский институт, but
    Агентство интернет-исследований, Объединённая судостроительная корпорация).

    A stem shared by terms of different meaning (объединение association, объединенный
    united) is left out: those words translate only in the forms the table gives."""
    stem_of = _russian_stemmer().stemWord
    translations = _translations()
    by_stem: dict[str, list[str]] = {}
    for row in tables.term_translations():
        term = _term_key(row["term"])
        if row["language"] == "ru" and term.isalpha():
            terms = by_stem.setdefault(stem_of(term), [])
            if term not in terms:
                terms.append(term)
    table: dict[str, _Renderings] = {}
    for stem, terms in by_stem.items():
        first, *others = (translations[term] for term in terms)
        if all(_singular(other[0]) == _singular(first[0]) for other in others):
            table[stem] = first
    return table


def _singular(words: tuple[str, ...]) -> tuple[str, ...]:
    """English words with a plain plural ending taken off (technologies ~ technology)."""
    return tuple(
        word[:-3] + "y" if word.endswith("ies")
        else word[:-1] if word.endswith("s") and not word.endswith("ss")
        else word
        for word in words
    )


@cache
def _russian_stem_lengths() -> tuple[int, ...]:
    return tuple(sorted({len(stem) for stem in _russian_translations_by_stem()}))


def _cyrillic_translation(word: str) -> _Renderings | None:
    """English words for one folded Cyrillic word (or hyphenated compound): as the table
    gives it, else, for a plain word, by its stem."""
    found = _translations().get(word)
    if found is not None or not word.isalpha():
        return found
    by_stem = _russian_translations_by_stem()
    # Snowball only takes endings off, so a word's stem begins it: stem only the words that
    # begin with a stem of the table
    for length in _russian_stem_lengths():
        if word[:length] in by_stem:
            return by_stem.get(_russian_stemmer().stemWord(word))
    return None


# Function words of the languages names are written in: they carry no identity.
_STOPWORDS = frozenset(
    [
        *("and", "the", "of", "for", "in", "on", "to", "a", "an"),  # English
        *("de", "del", "la", "las", "los", "le", "les", "des", "du", "di", "da"),  # Romance
        *("dos", "das", "y", "e", "et", "und", "der", "die", "i"),  # ... and German
    ]
)
# Titles and honorifics say nothing about who a person is.
_STOPWORDS = _STOPWORDS | frozenset(
    [
        *("mr", "mrs", "ms", "miss", "dr", "prof", "sir", "dame", "herr", "frau"),
        *("sheikh", "shaykh", "sheik", "haji", "hajji"),
    ]
)
# Name particles: part of the name, but a weak signal (al-/el- are romanisations of one article;
# bin/ibn/bint: "son/daughter of").
_PARTICLES: Final = frozenset(
    [
        *("al", "el", "ul", "ad", "ar", "as", "an", "at", "ash", "az"),
        *("bin", "ibn", "bint", "ben", "van", "von"),
    ]
)
# The same in Arabic script: honorifics (Mr, Mrs, Miss, Dr, Professor, Sheikh, Hajji) and the
# patronymic particles.
_ARABIC_STOPWORDS: Final = frozenset(
    [
        *("السيد", "السيدة", "الآنسة", "الانسة", "الدكتور", "الدكتورة"),
        *("الأستاذ", "الأستاذة", "الاستاذ", "الاستاذة", "الشيخ", "الحاج"),
    ]
)
_ARABIC_PARTICLES: Final = frozenset(["بن", "ابن", "بنت", "بنو", "بني"])
_ARABIC_PERSIAN: Final = str.maketrans({"ک": "ك", "ی": "ي", "ى": "ي", "ۀ": "ة", "ە": "ه", "ھ": "ه"})
_ARABIC_ARTICLE: Final = re.compile(r"^(?:[وفبك]?ال|لل)(?=..)")
_APOSTROPHES: Final = "'’ʼ`ʻ"


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

    Apostrophes inside a Latin word stay in it (Wade-Giles ``ch'ih``); digits join the
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
    translation = _translations().get(run) or _translations().get(stem)
    romanised = "".join(_NON_ALNUM.split(unidecode(stem).lower().replace("@", "a")))
    if not romanised:
        return tuple(tokens)
    alternatives = _translated_forms(translation)
    tokens.append(
        Token(romanised, stem, Script.ARABIC, TokenKind.WORD, "transliterated", alternatives)
    )
    return tuple(tokens)


def _pinyin(run: str) -> list[str]:
    """pypinyin's reading of ``run``, one per character, word by word: what
    ``lazy_pinyin(run)`` gives, as pypinyin itself segments the run and reads each word on its
    own, but with each word's reading remembered. Reading a word costs about 30 times as much
    as segmenting, and company names share most of their words."""
    readings: list[str] = []
    for word in _pinyin_segments(run):
        readings.extend(_word_pinyin(word))
    return readings


@lru_cache(maxsize=65536)
def _word_pinyin(word: str) -> tuple[str, ...]:
    # a list: pypinyin reads each item as one word (segmenting only what has no Han reading,
    # as it does for a string); v_to_u: pypinyin writes lü as "lv", names "lu" (or "lyu")
    readings: list[str] = lazy_pinyin([word], errors=_unreadable, v_to_u=True)
    return tuple(readings)


def _unreadable(chars: str) -> Any:
    """pypinyin's fallback for characters it has no reading for: one reading per character."""
    return [unidecode(char).strip().lower() for char in chars]


def _han_segment(run: str) -> _Segment:
    primary, pinyin, alternates = _han_readings(run)
    return _Segment(primary, pinyin, alternates=alternates)


def _word_chunks(length: int) -> list[int]:
    """Lengths of the words an unknown run of Han characters is read as: most words of
    Chinese names are two characters; three make a personal name (surname, given name)."""
    if length <= 2:
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


def _read_han(
    run: str, readings: list[str], terms: dict[str, _HanTerm]
) -> tuple[_HanReadings, bool]:
    """The readings of ``run`` (each character's pinyin in ``readings``) with ``terms``, and
    whether a trade name was among the terms read."""
    longest = _han_term_max_len()
    read_a_name = False
    primary: list[Token] = []
    pinyin: list[Token] = []
    unknown_start: int | None = None

    alternates: list[list[Token]] = [[] for _ in range(_MAX_RENDERINGS - 1)]
    used_alternates = [False] * (_MAX_RENDERINGS - 1)

    def emit(tokens: Sequence[Token], others: Sequence[Sequence[Token]] = ()) -> None:
        primary.extend(tokens)
        for k, alternate in enumerate(alternates):
            if k < len(others):
                alternate.extend(others[k])
                used_alternates[k] = True
            else:
                alternate.extend(tokens)

    def pinyin_words(start: int, end: int) -> list[Token]:
        words: list[Token] = []
        for size in _word_chunks(end - start):
            text = "".join(_NON_ALNUM.sub("", r) for r in readings[start : start + size])
            if text:
                words.append(
                    Token(text, run[start : start + size], Script.HAN, TokenKind.WORD, "pinyin")
                )
            start += size
        return words

    def flush_unknown(end: int) -> None:
        nonlocal unknown_start
        if unknown_start is None:
            return
        for token in pinyin_words(unknown_start, end):
            emit([token])
            pinyin.append(token)
        unknown_start = None

    index = 0
    while index < len(run):
        ordinal = _han_ordinal(run, index)
        if ordinal is not None:
            # 第十三 -> 13th (lists write "13th Research Institute"); the pinyin variant keeps
            # the characters' reading
            token, length = ordinal
            flush_unknown(index)
            emit([token])
            pinyin.extend(pinyin_words(index, index + length))
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
            if unknown_start is None:
                unknown_start = index
            index += 1
            continue
        flush_unknown(index)
        original = run[index : index + length]
        reading = "".join(_NON_ALNUM.sub("", r) for r in readings[index : index + length])
        read_a_name = read_a_name or term.kind == "name"
        if term.legal_class is not None:
            token = Token(
                term.legal_class, original, Script.HAN, TokenKind.LEGAL_FORM, "legal form"
            )
            emit([token])
            pinyin.append(token)
        else:
            conventional, *other_renderings = term.renderings
            emit(
                _translated_tokens(conventional, original, term.forms),
                [_translated_tokens(rendering, original) for rendering in other_renderings],
            )
            pinyin.append(Token(reading, original, Script.HAN, TokenKind.WORD, "pinyin"))
        index += length
    flush_unknown(len(run))
    others = tuple(tuple(a) for a, used in zip(alternates, used_alternates, strict=True) if used)
    return (tuple(primary), tuple(pinyin), others), read_a_name


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


_CHUNK_SEPARATORS: Final = re.compile(r"[^\w’'ʼ`\-\u0300-\u036f]+|_")
_ASCII_CHUNK_CHARS: Final = frozenset(string.ascii_letters + string.digits + "'`-")
_ASCII_SEPARATORS_AS_SPACE: Final = str.maketrans(
    {chr(code): " " for code in range(128) if chr(code) not in _ASCII_CHUNK_CHARS}
)
_ASCII_WORD: Final = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=65536)
def _latin_chunk(chunk: str) -> tuple[tuple[Token, ...], tuple[Token, ...] | None, bool]:
    """Tokens of one Latin chunk (hyphens split words), its Wade-Giles reading if it has one,
    and whether the chunk shows a spelling only Wade-Giles uses."""
    if chunk.isascii():
        words = _ASCII_WORD.findall(chunk.replace("'", "").replace("`", ""))
        tokens = [_word_token(word, chunk, Script.LATIN, "as written") for word in words]
    else:
        tokens = []
        for part in chunk.split("-"):
            tokens.extend(_latin_tokens(part, Script.LATIN, "as written"))
    syllables = [s for s in chunk.split("-") if s]
    signal = any(_WG_SIGNAL.search(s) for s in syllables)
    if not (signal or len(syllables) > 1):
        return tuple(tokens), None, False
    return tuple(tokens), _wade_giles_tokens(chunk, tokens), signal


_PARENTHESES: Final = re.compile(r"([(\[（［【][^()\[\]（）［］【】]*[)\]）］】])")


def _as_qualifiers(segment: _Segment) -> _Segment:
    def mark(tokens: tuple[Token, ...] | None) -> tuple[Token, ...] | None:
        if tokens is None:
            return None
        return tuple(
            Token(t.text, t.original, t.script, t.kind, t.how, t.alternatives, qualifier=True)
            for t in tokens
        )

    return _Segment(mark(segment.primary) or (), mark(segment.pinyin), mark(segment.wade_giles))


def _tokenize(text: str, *, detect_legal_forms: bool = True) -> tuple[tuple[Token, ...], ...]:
    """Token variants of already folded ``text``."""
    segments: list[_Segment] = []
    has_wade_giles_signal = False
    for part_index, part in enumerate(_PARENTHESES.split(text)):
        qualifier = part_index % 2 == 1
        part_segments, part_signal = _segments(part)
        has_wade_giles_signal = has_wade_giles_signal or part_signal
        segments.extend(_as_qualifiers(seg) if qualifier else seg for seg in part_segments)
    if not any(t.kind is not TokenKind.STOPWORD and not t.qualifier
               for seg in segments for t in seg.primary):
        # a name written entirely in parentheses: nothing qualifies anything
        segments = [
            _Segment(_unqualified(s.primary) or (), _unqualified(s.pinyin),
                     _unqualified(s.wade_giles))
            for s in segments
        ]
    return _variants(segments, has_wade_giles_signal, detect_legal_forms)


def _unqualified(tokens: tuple[Token, ...] | None) -> tuple[Token, ...] | None:
    if tokens is None:
        return None
    return tuple(Token(t.text, t.original, t.script, t.kind, t.how, t.alternatives) for t in tokens)


def _chunks(text: str) -> list[str]:
    """The non-empty chunks of ``text`` between separators (``_CHUNK_SEPARATORS``)."""
    if text.isascii():
        # the same chunks for ASCII text, four times as fast as the Unicode pattern
        return text.translate(_ASCII_SEPARATORS_AS_SPACE).split()
    # White space always separates, and a word of letters and digits alone (\w less "_") is
    # one chunk: only the other words need the pattern
    chunks: list[str] = []
    for word in text.split():
        if word.isalnum():
            chunks.append(word)
        else:
            chunks.extend(chunk for chunk in _CHUNK_SEPARATORS.split(word) if chunk)
    return chunks


def _segments(text: str) -> tuple[list[_Segment], bool]:
    segments: list[_Segment] = []
    has_wade_giles_signal = False
    for chunk in _chunks(text):
        if chunk.isascii():
            tokens, wade_giles, signal = _latin_chunk(chunk)
            segments.append(_Segment(tokens, wade_giles=wade_giles))
            has_wade_giles_signal = has_wade_giles_signal or (signal and wade_giles is not None)
            continue
        runs = _runs(chunk)
        if len(runs) == 1 and runs[0][1] is Script.LATIN:
            tokens, wade_giles, signal = _latin_chunk(runs[0][0])
            segments.append(_Segment(tokens, wade_giles=wade_giles))
            has_wade_giles_signal = has_wade_giles_signal or (signal and wade_giles is not None)
            continue
        for run, script in runs:
            if script is Script.HAN:
                segments.append(_han_segment(run))
            elif script is Script.CYRILLIC:
                segments.append(_Segment(_cyrillic_tokens(run)))
            elif script is Script.ARABIC:
                segments.append(_Segment(_arabic_tokens(run)))
            elif script is Script.LATIN:
                segments.append(_Segment(_latin_chunk(run)[0]))
            else:
                segments.append(_Segment(_transliterated_tokens(run, script)))
    return segments, has_wade_giles_signal


def _variants(
    segments: list[_Segment], has_wade_giles_signal: bool, detect_legal_forms: bool
) -> tuple[tuple[Token, ...], ...]:
    primary = [token for segment in segments for token in segment.primary]
    variants = [primary]
    most_alternates = 0  # a loop: max(generator, default=0) is a generic call, compiled
    for segment in segments:
        if len(segment.alternates) > most_alternates:
            most_alternates = len(segment.alternates)
    for k in range(most_alternates):
        variants.append(
            [
                t
                for s in segments
                for t in (s.alternates[k] if k < len(s.alternates) else s.primary)
            ]
        )
    if any(segment.pinyin is not None for segment in segments):
        variants.append(
            [t for s in segments for t in (s.pinyin if s.pinyin is not None else s.primary)]
        )
    if has_wade_giles_signal:
        variants.append(
            [t for s in segments for t in (s.wade_giles if s.wade_giles is not None else s.primary)]
        )
    if detect_legal_forms:
        variants = [_keep_a_word(_mark_legal_forms(variant)) for variant in variants]
    unique: list[tuple[Token, ...]] = []
    for variant in variants:
        as_tuple = tuple(variant)
        if as_tuple not in unique:
            unique.append(as_tuple)
    return tuple(unique)


def _keep_a_word(tokens: list[Token]) -> list[Token]:
    """A name that is nothing but legal forms (有限公司 alone) keeps them as words: there is
    nothing else to screen."""
    if any(t.kind is TokenKind.WORD or t.kind is TokenKind.PARTICLE for t in tokens):
        return tokens
    return [
        Token("".join(_ascii_words(t.original)) or t.text, t.original, t.script, how="as written")
        if t.kind is TokenKind.LEGAL_FORM
        else t
        for t in tokens
    ]


def _mark_legal_forms(tokens: list[Token]) -> list[Token]:
    """Replace legal forms at the end, then at the start, of the name by one token each.

    Only the edges: ``co`` or ``company`` in the middle of a name is part of the name. At least
    one other token always remains, so a name that is nothing but legal-form words keeps them.
    A long legal form (``limited``, ``obshchestvo s ogranichennoy ...``) is also recognised
    with a typo.
    """
    # how many words from each position on could all belong to a legal form (backwards and
    # forwards): a span with any other word cannot be one, and most names have none
    possible = [t.kind is not TokenKind.LEGAL_FORM and _may_be_legal_word(t) for t in tokens]
    if not any(possible):
        return list(tokens)
    keys = [_legal_key(t) if t.kind is not TokenKind.LEGAL_FORM else "" for t in tokens]
    return _replace_legal_forms(tokens, keys, possible)


_LEGAL_WORDS_BY_SCRIPT: Final[dict[str, dict[str, bool]]] = {}
"""Script -> token text -> whether :func:`_could_be_legal_word` (see ``_MEMO_LIMIT``): the
token's text, an interned string, is looked up without making its legal key."""


def _may_be_legal_word(token: Token) -> bool:
    """``_could_be_legal_word(_legal_key(token))``, remembered."""
    by_text = _LEGAL_WORDS_BY_SCRIPT.get(token.script)
    if by_text is None:
        by_text = _LEGAL_WORDS_BY_SCRIPT[token.script] = {}
    known = by_text.get(token.text)
    if known is None:
        known = _remember(by_text, token.text, _could_be_legal_word(_legal_key(token)))
    return known


def _replace_legal_forms(
    tokens: list[Token], keys: list[str], possible: list[bool]
) -> list[Token]:
    """The work of :func:`_mark_legal_forms` for a name with a word that could be part of a
    legal form (``keys`` and ``possible`` as made there)."""
    # the helpers are module functions, not closures: compiled, a closure is called through
    # Python's generic call, several times per name
    phrases = _legal_form_phrases()
    longest = _legal_form_max_len()
    result = list(tokens)
    end = len(result)
    while end > 0:
        while end > 0 and result[end - 1].kind is TokenKind.LEGAL_FORM:
            end -= 1
        for length in range(min(longest, _possible_before(possible, end)), 0, -1):
            start = end - length
            found = _find_legal_form(phrases, keys, start, end)
            if found is not None and any(_is_content(t) for t in result[:start]):
                _replace_span(result, keys, possible, start, end, found)
                end = start
                break
        else:
            break
    begin = 0
    while begin < len(result):
        while begin < len(result) and result[begin].kind is TokenKind.LEGAL_FORM:
            begin += 1
        for length in range(min(longest, _possible_from(possible, begin)), 0, -1):
            found = _find_legal_form(phrases, keys, begin, begin + length)
            if found is not None and any(_is_content(t) for t in result[begin + length :]):
                _replace_span(result, keys, possible, begin, begin + length, found)
                begin += 1
                break
        else:
            break
    return result


def _is_content(token: Token) -> bool:
    return token.kind is not TokenKind.LEGAL_FORM and token.kind is not TokenKind.STOPWORD


def _find_legal_form(
    phrases: dict[tuple[str, ...], str], keys: list[str], start: int, end: int
) -> tuple[str, str] | None:
    """The legal form the words ``start:end`` spell, with how it was recognised, or None."""
    span = keys[start:end]
    if "" in span:
        return None
    canonical = phrases.get(tuple(span))
    if canonical is not None:
        return canonical, "legal form"
    if any(len(_unqualified_key(key)) >= _FUZZY_LEGAL_MIN_CHARS for key in span):
        canonical = _fuzzy_legal_form(span)
        if canonical is not None:
            return canonical, "legal form (typo)"
    return None


def _replace_span(
    result: list[Token],
    keys: list[str],
    possible: list[bool],
    start: int,
    end: int,
    found: tuple[str, str],
) -> None:
    """The words ``start:end`` become one legal-form token (``keys`` and ``possible`` follow)."""
    span = result[start:end]
    originals: list[str] = []  # each once, in order (dict.fromkeys, a generic call compiled)
    for token in span:
        if token.original not in originals:
            originals.append(token.original)
    original = " ".join(originals)
    result[start:end] = [
        Token(found[0], original, span[0].script, TokenKind.LEGAL_FORM, found[1],
              qualifier=span[0].qualifier)
    ]
    keys[start:end] = [""]
    possible[start:end] = [False]


def _possible_before(possible: list[bool], end: int) -> int:
    """How many words just before ``end`` could all belong to a legal form."""
    count = 0
    while count < end and possible[end - 1 - count]:
        count += 1
    return count


def _possible_from(possible: list[bool], begin: int) -> int:
    """How many words from ``begin`` on could all belong to a legal form."""
    count = 0
    while begin + count < len(possible) and possible[begin + count]:
        count += 1
    return count


def _describe(variants: Iterable[Sequence[Token]], truncated: bool) -> tuple[str, ...]:
    steps: list[str] = ["nfkc+casefold"]
    if truncated:
        steps.append(f"truncated to {MAX_NAME_CHARS} characters")
    seen: set[str] = set()
    for variant in variants:
        for token in variant:
            labels = [token.how] + [how for _, how in token.alternatives]
            if token.script is not Script.LATIN:
                labels.append(f"script:{token.script.value}")
            for label in labels:
                if label != "as written" and label not in seen:
                    seen.add(label)
                    steps.append(label)
    return tuple(steps)


@lru_cache(maxsize=16384)
def normalize_name(text: str) -> NormalizedName:
    """Normalise one name. Never raises for any ``str``; an input with no letter or digit gives
    a name whose ``is_empty`` is True. Results are cached (names repeat in batch files)."""
    truncated = len(text) > MAX_NAME_CHARS
    folded = fold(text[:MAX_NAME_CHARS])
    return NormalizedName(text, _tokenize(folded), truncated)
