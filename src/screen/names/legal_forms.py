"""Legal forms (``Co., Ltd.``, ``Company Limited``, ``有限公司``, ``OOO``...): finding them at
either end of a name (the end of an organisation's own name: before a parenthesised qualifier
or the words of a branch, ``Ltd. Beijing Branch``), fuzzily where a word is misspelt, and
replacing them by their class.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache, lru_cache
from typing import Final

from rapidfuzz import process
from rapidfuzz.distance import OSA

from screen.names import tables
from screen.names.parts import names_a_branch
from screen.names.tokens import Token, TokenKind
from screen.text.memo import _remember
from screen.text.scripts import Script, _script_of


@cache
def legal_form_rows() -> tuple[tuple[tuple[Token, ...], str], ...]:
    """The table's legal-form variants as tokens, with their class code, tokenised once (Han
    legal forms aside: the Han segmenter matches them, see ``_han_terms``)."""
    # the table's phrases are tokenised as names are, with legal forms not yet known: the
    # tokeniser calls back into this module, so it is imported here, once
    from screen.names.normalize import _tokenize

    rows: list[tuple[tuple[Token, ...], str]] = []
    for row in tables.legal_forms():
        variant = row["variant"]
        if any(_script_of(ch) is Script.HAN for ch in variant):
            continue
        tokens = tuple(_tokenize(variant, detect_legal_forms=False)[0])
        if tokens:
            rows.append((tokens, row["canonical"]))
    return tuple(rows)


@cache
def _legal_form_phrases() -> dict[tuple[str, ...], str]:
    """Legal-form variants as tuples of script-qualified phonetic keys -> class code."""
    phrases: dict[tuple[str, ...], str] = {}
    for tokens, canonical in legal_form_rows():
        # by phonetic key, so romanisation variants of one form (-oy / -oi) are one phrase
        phrases.setdefault(tuple(_legal_key(t) for t in tokens), canonical)
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


LEGAL_FORM_TYPO: Final = "legal form (typo)"
"""``Token.how`` of a legal form recognised despite a typo (a long form, or a phrase of forms
one of whose words is one slip off: :mod:`screen.names.legal_slips`)."""
_MIN_TRAILED_LETTERS: Final = 3
"""A legal form followed by a branch's words is marked only when it has this many letters: two
letters (SE, AG, SA, AS) are as often a syllable of a name (``Lee Se Hong``)."""
_FUZZY_LEGAL_MIN_CHARS: Final = 6
"""A legal form is recognised despite a typo only when it is at least this long."""


@cache
def _legal_form_spellings() -> dict[tuple[str, ...], str]:
    """The table's Latin-script legal-form variants as written (their words' letters, not
    phonetic keys) -> class code: a slip is one edit in the letters but may be two in the keys
    (``obhchestvo``: key ``obhchestvo``, against ``obshestvo`` for ``obshchestvo``)."""
    spellings: dict[tuple[str, ...], str] = {}
    for tokens, canonical in legal_form_rows():
        if all(t.script is Script.LATIN for t in tokens):
            spellings.setdefault(tuple(t.text for t in tokens), canonical)
    return spellings


@cache
def _fuzzy_legal_forms() -> dict[int, tuple[list[str], list[str]]]:
    """Legal-form phrases long enough for typo-tolerant matching, by word count: (joined
    texts, class codes), each phrase by its phonetic keys and as the table spells it."""
    by_length: dict[int, tuple[list[str], list[str]]] = {}
    seen: set[str] = set()
    by_key = [
        (tuple(_unqualified_key(word) for word in phrase), canonical)
        for phrase, canonical in _legal_form_phrases().items()
        # typo tolerance for Latin-script forms only
        if all(word.startswith(f"{Script.LATIN.value}:") for word in phrase)
    ]
    for words, canonical in [*by_key, *_legal_form_spellings().items()]:
        joined = " ".join(words)
        if len(joined) >= _FUZZY_LEGAL_MIN_CHARS and joined not in seen:
            seen.add(joined)
            texts, classes = by_length.setdefault(len(words), ([], []))
            texts.append(joined)
            classes.append(canonical)
    return by_length


def _fuzzy_legal_form(keys: Sequence[str]) -> str | None:
    """Class of the legal form ``keys`` (script-qualified phonetic keys or letters) spell with a
    typo or two (see :func:`_typo_allowance`)."""
    return _fuzzy_legal_form_of(tuple(keys))


def _typo_allowance(word: str, in_phrase: bool = True) -> int:
    """The edits (a letter added, dropped or replaced, or two neighbours swapped: the optimal
    string alignment distance) a word of a legal form may show and still be read as that word:
    one per seven of its letters (``limted``, ``compnay``, ``imited``: limited, company); in a
    phrase of several words, whose other words are there as written, one for any word of four
    letters or more (``joint tock company``). None for a shorter word, nor for a word of four
    to six letters alone (``ltd``, ``corp``, ``sarl``: a slip in so few letters makes another
    word or abbreviation as often as not, ``karl``)."""
    return _allowance_for_length(len(word), in_phrase)


def _allowance_for_length(length: int, in_phrase: bool = True) -> int:
    """:func:`_typo_allowance` of a word of ``length`` letters."""
    if in_phrase and length >= _FUZZY_PHRASE_WORD_MIN_CHARS:
        return max(length // 7, 1)
    return length // 7


_FUZZY_PHRASE_WORD_MIN_CHARS: Final = 4


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
    words = joined.split(" ")
    in_phrase = len(words) > 1
    # candidates within what the longest phrase could allow, then word by word: each word
    # within its own allowance, so a typo never swallows a word of the name itself ("puala
    # company limited" is not "public company limited")
    for text, _distance, position in process.extract(
        joined, bucket[0], scorer=OSA.distance, score_cutoff=_most_edits(joined), limit=None
    ):
        phrase_words = text.split(" ")
        if all(
            OSA.distance(word, phrase_word) <= _typo_allowance(phrase_word, in_phrase)
            for word, phrase_word in zip(words, phrase_words, strict=True)
        ):
            return bucket[1][position]
    return None


def _most_edits(joined: str) -> int:
    """At most how many edits apart ``joined`` (words joined by spaces) can be from a phrase
    of as many words it is read as: the sum of the allowances of the longest words each of its
    words could be a slip of (a form's word of n + k letters allows at most (n + k) // 7 or one
    edit, so k stays under n // 6 + 2); an upper bound, the words are checked one by one after."""
    total = 0
    for word in joined.split(" "):
        total += _allowance_for_length(len(word) + len(word) // 6 + 2)
    return total


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
    :func:`_fuzzy_legal_form` tolerates (:func:`_typo_allowance`): a
    span with any other word need not be looked up. Remembered by :func:`may_be_legal_word`,
    its only caller."""
    if legal_key in _legal_form_words():
        return True
    if not legal_key.startswith(f"{Script.LATIN.value}:"):
        return False
    word = _unqualified_key(legal_key)
    # one call per allowance over every word a word of this length could be a slip of (a
    # distance scorer: None when none is within ``allowed``), rather than one per word
    for allowed, candidates in _fuzzy_legal_words_near(len(word)):
        if process.extractOne(
            word, candidates, scorer=OSA.distance, processor=None, score_cutoff=allowed
        ) is not None:
            return True
    return False


@cache
def _fuzzy_legal_words_near(length: int) -> tuple[tuple[int, tuple[str, ...]], ...]:
    """The words of :func:`_fuzzy_legal_words` a word of ``length`` letters could be within
    their :func:`_typo_allowance` of (their lengths differ by that much at most), grouped by
    allowance: a new word is compared only with these (this runs once for every distinct word
    screened)."""
    groups: dict[int, list[str]] = {}
    for candidate in _fuzzy_legal_words():
        allowed = _typo_allowance(candidate)
        if abs(len(candidate) - length) <= allowed:
            groups.setdefault(allowed, []).append(candidate)
    return tuple((allowed, tuple(words)) for allowed, words in sorted(groups.items()))


@cache
def _legal_form_max_len() -> int:
    return max((len(phrase) for phrase in _legal_form_phrases()), default=0)


def _legal_form_readings(tokens: list[Token]) -> list[list[Token]]:
    """The readings of a name's legal forms: :func:`mark_legal_forms`'s, and, when that reads
    the first word as a legal form of two letters (``Se Ri Pak``, ``Sa Ra Kim``, ``As Salam
    Trading``; ``AO Rosneft``, ``PT Bank Mandiri``), the name with that word left a word too: two
    letters are as often a syllable of a given name or an article as a legal form written
    before the name (see ``_MIN_TRAILED_LETTERS`` for the same doubt after a name). Latin
    letters only: a form abbreviated in its own script (``(주)``, ``(유)`` in Hangul) is no
    syllable of a romanised name."""
    marked = mark_legal_forms(tokens)
    if (
        marked
        and marked[0].kind is TokenKind.LEGAL_FORM
        and tokens[0].kind is not TokenKind.LEGAL_FORM
        and tokens[0].script is Script.LATIN
        and len(tokens[0].text) < _MIN_TRAILED_LETTERS
    ):
        as_word = mark_legal_forms(tokens, at_start=False)
        if len(as_word) == len(marked):  # the legal form was that one word alone
            return [marked, as_word]
    return [marked]


def mark_legal_forms(tokens: list[Token], at_start: bool = True) -> list[Token]:
    """Replace legal forms at the end, then (``at_start``) at the start, of the name by one
    token each.

    Only the edges: ``co`` or ``company`` in the middle of a name is part of the name. The end
    is also where the words after it could not be the organisation's own (parenthesised, or
    places and words of a branch only: ``Sophgo Technologies Ltd. Beijing Branch``). At least
    one other token always remains, so a name that is nothing but legal-form words keeps them.
    A long legal form (``limited``, ``obshchestvo s ogranichennoy ...``) is also recognised
    with a typo.
    """
    # how many words from each position on could all belong to a legal form (backwards and
    # forwards): a span with any other word cannot be one, and most names have none
    possible = [t.kind is not TokenKind.LEGAL_FORM and may_be_legal_word(t) for t in tokens]
    if not any(possible):
        return list(tokens)
    keys = [_legal_key(t) if t.kind is not TokenKind.LEGAL_FORM else "" for t in tokens]
    return _replace_legal_forms(tokens, keys, possible, at_start)


_LEGAL_WORDS_BY_SCRIPT: Final[dict[str, dict[str, bool]]] = {}
"""Script -> token text -> whether :func:`_could_be_legal_word` (see ``_MEMO_LIMIT``): the
token's text, an interned string, is looked up without making its legal key."""


def may_be_legal_word(token: Token) -> bool:
    """Whether ``token`` could be a word of a legal form, as written or with the typos the
    marking forgives (:func:`_typo_allowance`), by its phonetic key or by its letters: the test
    the marking applies before it looks a span up (:func:`_could_be_legal_word`, remembered)."""
    by_text = _LEGAL_WORDS_BY_SCRIPT.get(token.script)
    if by_text is None:
        by_text = _LEGAL_WORDS_BY_SCRIPT[token.script] = {}
    known = by_text.get(token.text)
    if known is None:
        key = _legal_key(token)
        known = _remember(
            by_text,
            token.text,
            _could_be_legal_word(key)
            # the letters too, where the key differs from them
            or (_unqualified_key(key) != token.text and _could_be_legal_word(_letters_key(token))),
        )
    return known


def _replace_legal_forms(
    tokens: list[Token], keys: list[str], possible: list[bool], at_start: bool
) -> list[Token]:
    """The work of :func:`mark_legal_forms` for a name with a word that could be part of a
    legal form (``keys`` and ``possible`` as made there)."""
    # the helpers are module functions, not closures: compiled, a closure is called through
    # Python's generic call, several times per name
    phrases = _legal_form_phrases()
    longest = _legal_form_max_len()
    result = list(tokens)
    end = len(result)
    if _mark_before(result, keys, possible, end) == end:
        # none at the end: the organisation's own name may end before a parenthesised
        # qualifier or words that name a branch of it or its place (``Co., Ltd. (Zhipu AI)``,
        # ``Ltd. Beijing Branch``); the last legal form before such words only is marked
        while end > 0 and _trails_a_name(result[end - 1]):
            end -= 1
            if _mark_before(result, keys, possible, end, _MIN_TRAILED_LETTERS) < end:
                break
    begin = 0
    while at_start and begin < len(result):
        while begin < len(result) and result[begin].kind is TokenKind.LEGAL_FORM:
            begin += 1
        for length in range(min(longest, _possible_from(possible, begin)), 0, -1):
            found = _find_legal_form(phrases, result, keys, begin, begin + length)
            if found is not None and any(_is_content(t) for t in result[begin + length :]):
                _replace_span(result, keys, possible, begin, begin + length, found)
                begin += 1
                break
        else:
            break
    return result


def _mark_before(
    result: list[Token], keys: list[str], possible: list[bool], end: int, min_letters: int = 0
) -> int:
    """Mark the legal forms that end at ``end``, one after another backwards, each of
    ``min_letters`` letters or more; where the marking stopped (the first of them, or
    ``end``)."""
    phrases = _legal_form_phrases()
    longest = _legal_form_max_len()
    while end > 0:
        while end > 0 and result[end - 1].kind is TokenKind.LEGAL_FORM:
            end -= 1
        for length in range(min(longest, _possible_before(possible, end)), 0, -1):
            start = end - length
            found = _find_legal_form(phrases, result, keys, start, end)
            if (
                found is not None
                and _letters(result, start, end) >= min_letters
                and any(_is_content(t) for t in result[:start])
            ):
                _replace_span(result, keys, possible, start, end, found)
                end = start
                break
        else:
            break
    return end


def _letters(tokens: list[Token], start: int, end: int) -> int:
    total = 0
    for token in tokens[start:end]:
        total += len(token.text)
    return total


def _trails_a_name(token: Token) -> bool:
    """Whether ``token`` may follow an organisation's legal form without being part of its
    name: a word in parentheses, a word of a place, of a branch or an office."""
    return token.qualifier or names_a_branch(token)


def _is_content(token: Token) -> bool:
    return token.kind is not TokenKind.LEGAL_FORM and token.kind is not TokenKind.STOPWORD


def _find_legal_form(
    phrases: dict[tuple[str, ...], str],
    tokens: list[Token],
    keys: list[str],
    start: int,
    end: int,
) -> tuple[str, str] | None:
    """The legal form the words ``start:end`` of ``tokens`` (``keys`` their legal keys, ""
    for a legal form already marked) spell, with how it was recognised, or None."""
    span = keys[start:end]
    if "" in span:
        return None
    canonical = phrases.get(tuple(span))
    if canonical is not None:
        return canonical, "legal form"
    if any(len(_unqualified_key(key)) >= _FUZZY_LEGAL_MIN_CHARS for key in span):
        # by the phonetic keys (a slip in a romanisation the table does not write: obschesrvo,
        # key obshesrvo, for obshestvo), then by the letters typed, which one slip may change
        # in two places of the key (obhchestvo: key obhchestvo)
        canonical = _fuzzy_legal_form(span)
        if canonical is None:
            words = tokens[start:end]
            if [t.text for t in words] != [_unqualified_key(key) for key in span]:
                canonical = _fuzzy_legal_form([_letters_key(t) for t in words])
        if canonical is not None:
            return canonical, LEGAL_FORM_TYPO
    return None


def _letters_key(token: Token) -> str:
    """A token's script-qualified letters, as :func:`_legal_key` writes a short word's."""
    return token.script + ":=" + token.text


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
