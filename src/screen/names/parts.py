"""What each word of a name is: a given name, a surname, a patronymic, a place, a generic word...

The matcher weighs what is missing from a name by what it is: a patronymic or a second surname
left out is routine, a given name left out is not; a place or ``Technologies`` added to a company
name says little, another distinctive word says much. The kinds come from the name's own
structure (the lists write people ``SURNAME, Given Middle``), the patronymic table
(``data/name_parts.tsv``), the generic words of the term tables and the place table
(``data/places.tsv``). Each kind is one character, so a variant's kinds are one short string.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Final

from screen.names import tables
from screen.names.terms import generic_words, place_names, place_words
from screen.names.tokens import INITIAL_HOW, Token, TokenKind
from screen.text.fold import _ascii_words

__all__ = [
    "GENERIC",
    "GIVEN",
    "INITIAL",
    "LEGAL_FORM",
    "MIDDLE",
    "OTHER_SURNAME",
    "PARTICLE",
    "PART_NAMES",
    "PATRONYMIC",
    "PLACE",
    "QUALIFIER",
    "SURNAME",
    "WORD",
    "list_name_parts",
    "looks_like_person",
    "may_cost_less",
    "names_a_branch",
    "query_parts",
]

GIVEN: Final = "G"
"""The first given name of a person."""
SURNAME: Final = "S"
"""A person's (first) surname."""
OTHER_SURNAME: Final = "s"
"""A second surname (``MADURO MOROS``: the mother's surname of a Hispanic name)."""
MIDDLE: Final = "M"
"""A given name after the first."""
PATRONYMIC: Final = "P"
"""A name made from the father's given name (``Viktorovich``, ``ogly``)."""
INITIAL: Final = "I"
"""A single letter standing for a name."""
WORD: Final = "W"
"""A word of no other kind: in an organisation's name, its distinctive words."""
GENERIC: Final = "g"
"""A generic word of organisation names (technology, trading, group, bank ...)."""
PLACE: Final = "p"
"""A country, region or city."""
QUALIFIER: Final = "q"
"""A word in parentheses (an acronym, a place, a former name) that is of no other kind."""
LEGAL_FORM: Final = "L"
PARTICLE: Final = "a"
"""A name particle (al, bin, van ...)."""

PART_NAMES: Final = {
    GIVEN: "given name",
    SURNAME: "surname",
    OTHER_SURNAME: "second surname",
    MIDDLE: "middle name",
    PATRONYMIC: "patronymic",
    INITIAL: "initial",
    WORD: "word",
    GENERIC: "generic word",
    PLACE: "place",
    QUALIFIER: "qualifier",
    LEGAL_FORM: "legal form",
    PARTICLE: "particle",
}
"""What each kind is called in explanations."""

_MIN_STEM: Final = 3
"""A patronymic ending marks a word only when at least this many letters come before it."""
_MAX_PLACE_WORDS: Final = 3


@cache
def _patronymic_rules() -> tuple[tuple[str, ...], frozenset[str]]:
    endings: list[str] = []
    words: set[str] = set()
    for row in tables.name_parts():
        if row["match"] == "word":
            words.add(row["form"])
        else:
            endings.append(row["form"])
    return tuple(endings), frozenset(words)


def is_patronymic(text: str) -> bool:
    """Whether a comparable word reads as a patronymic (by the table's endings and words)."""
    endings, words = _patronymic_rules()
    if text in words:
        return True
    if not text.endswith(endings):  # one call for every ending
        return False
    for ending in endings:  # noqa: SIM110 (compiled, any() over a generator is a call)
        if text.endswith(ending) and len(text) >= len(ending) + _MIN_STEM:
            return True
    return False


def names_a_branch(token: Token) -> bool:
    """Whether ``token`` is a word of a place or of a branch or office (``branch_words.tsv``):
    after an organisation's legal form, such words name a branch or a seat of it, not another
    organisation (:mod:`screen.names.legal_forms`)."""
    return token.text in _words_of_places() or token.text in _branch_words()


@cache
def _branch_words() -> frozenset[str]:
    words: set[str] = set()
    for row in tables.branch_words():
        words.update(_ascii_words(row["word"]))
    return frozenset(words)


@cache
def _place_index() -> tuple[frozenset[str], frozenset[str]]:
    """Places of one word, and the first words of places of several (looked up for every
    token of every query: a set lookup each, before any sequence is made)."""
    single = place_words()
    starts = frozenset(place[0] for place in place_names() if len(place) > 1)
    return single, starts


@cache
def _words_of_places() -> frozenset[str]:
    """Every word of every place name (``tsuen`` and ``wan`` of Tsuen Wan)."""
    return frozenset(word for place in place_names() for word in place)


def may_cost_less(token: Token) -> bool:
    """Whether ``token`` may, in some query, be of a kind whose absence from a listed name
    costs less than its weight (a generic word, a word of a place, an initial, a legal form):
    for bounds that look at a word outside its name."""
    return (
        _word_part(token) in (LEGAL_FORM, INITIAL, GENERIC, PLACE)
        or token.text in _words_of_places()
    )


def _descriptive_parts(tokens: Sequence[Token]) -> list[str]:
    """Each token's kind as a word of any name: legal form, particle, place, generic word,
    initial, patronymic, qualifier, else WORD."""
    count = len(tokens)
    parts = [WORD] * count
    starts = _place_index()[1]
    at = 0
    while at < count:
        token = tokens[at]
        part = token.word_part
        if part is None:
            part = _word_part(token)
            object.__setattr__(token, "word_part", part)  # a cache, not a field of the token
        parts[at] = part
        if token.text in starts and part != LEGAL_FORM and part != PARTICLE:
            # the longest place of several words starting here (Tsuen Wan, Inner Mongolia)
            places = place_names()
            for size in range(min(_MAX_PLACE_WORDS, count - at), 1, -1):
                if tuple(t.text for t in tokens[at:at + size]) in places:
                    for position in range(at + 1, at + size):
                        parts[position] = PLACE
                    parts[at] = PLACE
                    at += size - 1
                    break
        at += 1
    return parts


def _word_part(token: Token) -> str:
    """The kind of one token as a word of any name, places of one word included."""
    if token.kind is TokenKind.LEGAL_FORM:
        return LEGAL_FORM
    if token.kind is TokenKind.PARTICLE:
        return PARTICLE
    if token.text in _place_index()[0]:
        return PLACE
    if token.how == INITIAL_HOW:
        # a letter written as an initial (the normaliser says which: S.L.N.E. is not)
        return INITIAL
    generic = generic_words()
    if token.text in generic or (token.alternatives and _generic_form(token, generic)):
        return GENERIC
    if is_patronymic(token.text):
        return PATRONYMIC
    if token.qualifier:
        return QUALIFIER
    return WORD


def _generic_form(token: Token, generic: frozenset[str]) -> bool:
    """Whether an alternative form of ``token`` (a translation, an expansion) is generic."""
    for form, _how in token.alternatives:  # noqa: SIM110
        if form in generic:
            return True
    return False


def query_parts(tokens: Sequence[Token]) -> str:
    """The kinds of a query's scoring tokens, one character each: what any name's words can
    be told to be without knowing whether it names a person."""
    return "".join(_descriptive_parts(tokens))


def list_name_parts(name: str, tokens: Sequence[Token], person: bool) -> str:
    """The kinds of a listed name's scoring tokens (``tokens``, in order), one character each.

    ``person``: the entry is an individual. Its name written ``SURNAME, Given Middle`` gives
    surname, given and middle names (a patronymic by its ending; the second word of a
    two-word surname is a second surname); written without the comma, the first word is the
    given name, the last the surname, those between middle names. An organisation's words are
    legal forms, particles, places, generic words or distinctive words."""
    parts = _descriptive_parts(tokens)
    if not person:
        # a letter alone in an organisation's name is a word (A.B.C., Belarusian z "with")
        return "".join(WORD if p == INITIAL else p for p in parts)
    names = [
        position for position, part in enumerate(parts) if part not in (PARTICLE, LEGAL_FORM)
    ]
    if not names:
        return "".join(parts)
    surname_words = _surname_word_count(name, tokens)
    if surname_words is not None:
        in_surname = [p for p in names if p < surname_words]
        in_given = [p for p in names if p >= surname_words]
        if not in_surname or not in_given:
            return "".join(_unordered_person(parts, names))
        for rank, position in enumerate(in_surname):
            parts[position] = SURNAME if rank == 0 else OTHER_SURNAME
        for rank, position in enumerate(in_given):
            parts[position] = _given_part(parts[position], rank)
        return "".join(parts)
    return "".join(_unordered_person(parts, names))


_MAX_PERSON_WORDS: Final = 6


def looks_like_person(name: str, tokens: Sequence[Token]) -> bool:
    """A guess, for a name scored without its entry: written ``SURNAME, Given`` (one comma),
    of two to six words, none a legal form, a generic word or a place."""
    if name.count(",") != 1:
        return False
    words = [t for t in tokens if t.kind is not TokenKind.STOPWORD]
    if not 2 <= len(words) <= _MAX_PERSON_WORDS:
        return False
    return all(
        part in (WORD, PATRONYMIC, INITIAL, PARTICLE) for part in _descriptive_parts(words)
    )


def _given_part(descriptive: str, rank: int) -> str:
    if descriptive in (PATRONYMIC, INITIAL):
        return descriptive
    return GIVEN if rank == 0 else MIDDLE


def _unordered_person(parts: list[str], names: list[int]) -> list[str]:
    """A person's name without the comma: first word given, last surname, the rest middle."""
    if len(names) == 1:
        parts[names[0]] = SURNAME
        return parts
    for rank, position in enumerate(names):
        if parts[position] in (PATRONYMIC, INITIAL):
            continue
        if rank == 0:
            parts[position] = GIVEN
        elif rank == len(names) - 1:
            parts[position] = SURNAME
        else:
            parts[position] = MIDDLE
    return parts


def _surname_word_count(name: str, tokens: Sequence[Token]) -> int | None:
    """How many of ``tokens`` come before the name's one comma (``SURNAME, Given``), or None
    when the name has no single comma or its tokens cannot be told apart at it."""
    if name.count(",") != 1:
        return None
    before = name.split(",", 1)[0]
    words = _ascii_words(before)
    if not words:
        return None
    count = 0
    at = 0
    for token in tokens:
        # the tokens of the part before the comma are its words in order (legal forms and
        # particles included); a token that is not one of them ends it
        if at < len(words) and token.text == words[at]:
            at += 1
            count += 1
        else:
            break
    return count if at == len(words) else None
