"""Term tables in use: Han terms and their translations, Wade-Giles syllables, abbreviations and
older place-name spellings, translations of generic words, stop words and particles.

The tables themselves are data files in ``screen/names/data/`` with a source on every row
(:mod:`screen.names.tables` reads them); this module turns them into lookups.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any, Final

from unidecode import unidecode

from screen.names import tables
from screen.text.fold import _ARABIC_MARKS, ZWNJ, _ascii_words, fold
from screen.text.scripts import Script, _script_of


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
def _han_terms(with_names: bool = True, japanese: bool = False) -> dict[str, _HanTerm]:
    """Han term -> its renderings; ``with_names``: with the trade names (kind ``name``);
    ``japanese``: with the Japanese-only words of ``term_translations.tsv`` (産業, 電気), for
    the Han characters of a Japanese name."""
    terms: dict[str, _HanTerm] = {}
    for row in tables.legal_forms():
        variant = row["variant"]
        if variant and all(_script_of(ch) in (Script.HAN, Script.KANA) for ch in variant):
            terms[fold(variant)] = _HanTerm((), "legal_form", row["canonical"])
    rows = [
        (row["han"], row["english"], row["kind"]) for row in tables.han_terms()
        if with_names or row["kind"] != "name"
    ]
    if japanese:
        rows.extend(
            (row["term"], row["english"], "generic") for row in tables.term_translations()
            if row["language"] == "ja" and all(_script_of(ch) is Script.HAN for ch in row["term"])
        )
    for written, rendering, kind in rows:
        han = fold(written)
        english = tuple(_ascii_words(rendering))
        known = terms.get(han)
        if known is None:
            terms[han] = _HanTerm((english,), kind)
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


def _japanese_han_terms() -> dict[str, _HanTerm]:
    """The Han terms of a Japanese name (see ``_han_terms``)."""
    return _han_terms(True, True)


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


@cache
def generic_words() -> frozenset[str]:
    """Words that describe an organisation rather than name it (company, bank, technology,
    group, holding, international ...): the single English words of the renderings of the
    generic Han terms of ``han_terms.tsv``, of the generic words of other languages in
    ``term_translations.tsv`` and of the expansions of ``abbreviations.tsv``, function words
    aside. The one list of them: the normaliser, the alias finder and the typing of name parts
    all read it."""
    words: set[str] = set()
    for row in tables.han_terms():
        if row["kind"] == "generic":
            words.update(_ascii_words(row["english"]))
    for row in tables.term_translations():
        words.update(_ascii_words(row["english"]))
    for row in tables.abbreviations():
        words.update(_ascii_words(row["expansion"]))
    return frozenset(words - _STOPWORDS)


@cache
def place_names() -> frozenset[tuple[str, ...]]:
    """Every place name as its words: the place table (countries, capitals, large cities), the
    places of the Han term table in English and the older romanisations of Chinese places with
    their pinyin (``hongkong``, ``xianggang``, ``shenyang``). The one list of places: the
    typing of name parts and the alias finder both read it."""
    places: set[tuple[str, ...]] = set()
    for row in tables.places():
        places.add(tuple(_ascii_words(row["place"])))
    for row in tables.han_terms():
        if row["kind"] == "place":
            places.add(tuple(_ascii_words(row["english"])))
    for row in tables.place_romanisations():
        places.add(tuple(_ascii_words(row["variant"])))
        places.add(tuple(_ascii_words(row["pinyin"])))
    places.discard(())
    return frozenset(places)


@cache
def place_words() -> frozenset[str]:
    """The places of :func:`place_names` written as one word (``moscow``, ``hongkong``)."""
    return frozenset(place[0] for place in place_names() if len(place) == 1)


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


@cache
def _arabic_translations() -> dict[str, _Renderings]:
    """Arabic-script terms by :func:`_arabic_key`, each also without its article (ال, لل), so
    a word the table gives with the article is found without it (صناعات as الصناعات) and the
    other way round; a form the table gives itself keeps its own rendering (تجارة trade,
    للتجارة trading)."""
    table: dict[str, _Renderings] = {}
    stems: dict[str, _Renderings] = {}
    for term, renderings in _translations().items():
        if not any(_script_of(ch) is Script.ARABIC for ch in term):
            continue
        key = _arabic_key(term)
        table.setdefault(key, renderings)
        article = _ARABIC_ARTICLE.match(key)
        if article:
            stems.setdefault(key[article.end() :], renderings)
    for stem, renderings in stems.items():
        table.setdefault(stem, renderings)
        table.setdefault("ال" + stem, renderings)
    return table


_ALEFS: Final = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا"})


def _arabic_key(word: str) -> str:
    """An Arabic-script word as terms are looked up: hamza seats on alef written as a bare alef
    (names write الإسلامية and الاسلامية alike), a zero-width non-joiner as a space (the table
    writes بین المللی for بین‌المللی)."""
    return word.translate(_ALEFS).replace(ZWNJ, " ")


def _arabic_translation(word: str, stem: str) -> _Renderings | None:
    """English renderings of an Arabic-script word (folded, Persian letters as their Arabic
    twins), or of ``stem``, the word without its article; None when it is no generic word."""
    table = _arabic_translations()
    for candidate in (word, stem):
        key = _arabic_key(candidate)
        found = table.get(key)
        if found is None and ZWNJ in candidate:
            found = table.get(key.replace(" ", ""))
        if found is not None:
            return found
    return None


@cache
def _arabic_phrase_pattern() -> re.Pattern[str] | None:
    """The Arabic-script generic terms of several words, as a pattern matching them whole
    between spaces in folded text (Persian or Arabic letters, any hamza seat on alef)."""
    twins: dict[str, set[str]] = {}
    for persian, arabic in _ARABIC_PERSIAN_PAIRS:
        twins.setdefault(arabic, {arabic}).add(persian)
    for seat in "أإآٱ":
        twins.setdefault("ا", {"ا"}).add(seat)
    phrases = []
    for term in _arabic_translations():
        if " " not in term:
            continue
        words = [
            "".join(
                "[" + "".join(sorted(twins[ch])) + "]" if ch in twins else re.escape(ch)
                for ch in word
            )
            for word in term.split()
        ]
        phrases.append(r"\s+".join(words))
    if not phrases:
        return None
    return re.compile(r"(?<!\S)(?:" + "|".join(sorted(phrases, key=len, reverse=True)) + r")(?!\S)")


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
_ARABIC_PERSIAN_PAIRS: Final = (
    ("ک", "ك"), ("ی", "ي"), ("ى", "ي"), ("ۀ", "ة"), ("ە", "ه"), ("ھ", "ه"),
)
"""Persian (and Urdu) letters and their Arabic twins: one letter, written in two forms."""
_ARABIC_PERSIAN: Final = str.maketrans(dict(_ARABIC_PERSIAN_PAIRS))
_ARABIC_ARTICLE: Final = re.compile(r"^(?:[وفبك]?ال|لل)(?=..)")
_APOSTROPHES: Final = "'’ʼ`ʻ"
