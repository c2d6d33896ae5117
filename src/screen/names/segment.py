"""Words written together (``SergeiLavrov``, ``ShipyardJSC``, ``JSCArgument``) cut into the words
they join, given which words are known (the index's vocabulary: :mod:`screen.index.split`).

The cuts are found by a search over the places a word can be cut: every piece a known word of at
least ``MIN_PIECE_CHARS`` letters, or a legal form (``jsc``, ``llc``, ``pte``: the one-word Latin
forms of ``data/legal_forms.tsv`` that are not also ordinary words) at the start or the end; two
pieces or three. A name with a token cut is made again from its tokens, so a
legal form cut off an end of the name becomes a legal-form token as it would written apart.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Final

from screen.names import tables
from screen.names.legal_forms import mark_legal_forms
from screen.names.normalize import _chunks, _keep_a_word, _latin_chunk
from screen.names.tokens import Token, TokenKind
from screen.names.transliterate import _word_token
from screen.text.scripts import Script

__all__ = [
    "MAX_SPLIT_CHARS",
    "MIN_PIECE_CHARS",
    "MIN_SPLIT_CHARS",
    "SPLIT",
    "SPLIT_SCRIPTS",
    "cuts",
    "legal_pieces",
    "piece_tokens",
    "with_pieces",
]

MIN_PIECE_CHARS: Final = 4
"""The shortest word a token is cut into: shorter list words (``al``, ``bin``, ``kim``) are
pieces of too many ordinary words for a cut into them to mean anything."""
MIN_LEGAL_PIECE_CHARS: Final = 3
"""The shortest legal form cut off a token (``jsc``, ``llc``, ``zao``; not ``co`` or ``sa``)."""
MIN_SPLIT_CHARS: Final = MIN_PIECE_CHARS + MIN_LEGAL_PIECE_CHARS
"""The shortest token that may be cut."""
MAX_SPLIT_CHARS: Final = 48
"""The longest token that is tried: the search is quadratic in the length at worst, and no name
runs more than three long words together."""
SPLIT_SCRIPTS: Final = frozenset({Script.LATIN, Script.CYRILLIC, Script.GREEK})
"""Scripts whose tokens may be cut: alphabets written with a space between words. Han, kana and
Hangul are read by syllables or by words the reading already cut; abjad tokens leave vowels
unwritten, so a cut in them would be a guess."""
SPLIT: Final = "split"
"""How a piece of a token cut in words is made (its ``Token.how``)."""


@cache
def legal_pieces() -> frozenset[str]:
    """One-word Latin-script legal forms of ``MIN_LEGAL_PIECE_CHARS`` letters or more that are
    not also ordinary words (the table's ``note`` = ``word``: ``company``, ``spa``, ``sal``)."""
    return frozenset(
        row["variant"]
        for row in tables.legal_forms()
        if row["variant"].isascii()
        and row["variant"].isalpha()
        and len(row["variant"]) >= MIN_LEGAL_PIECE_CHARS
        and row["note"] != "word"
    )


@cache
def _legal_lengths() -> tuple[int, ...]:
    return tuple(sorted({len(piece) for piece in legal_pieces()}))


def cuts(text: str, known: Callable[[str], bool]) -> list[tuple[str, ...]]:
    """Every cut of ``text`` into known words and legal forms (see the module docs), best
    first: fewest pieces, then the longest shortest word (``moises|flores`` before a cut with
    a four-letter piece), then from the left. ``known`` is asked only of pieces of
    ``MIN_PIECE_CHARS`` letters or more, each at most once."""
    asked: dict[tuple[int, int], bool] = {}
    return _ranked(_two_piece_cuts(text, known, asked)) + _ranked(
        _three_piece_cuts(text, known, asked)
    )


def _two_piece_cuts(
    text: str, known: Callable[[str], bool], asked: dict[tuple[int, int], bool]
) -> list[tuple[str, ...]]:
    """A legal form at either end and a known word, or two known words."""
    length = len(text)
    found: list[tuple[str, ...]] = []
    if length < MIN_SPLIT_CHARS or length > MAX_SPLIT_CHARS:
        return found
    legal = legal_pieces()
    for size in _legal_lengths():
        rest = length - size
        if rest < MIN_PIECE_CHARS:
            break
        if text[rest:] in legal and _word(text, 0, rest, known, asked):
            found.append((text[:rest], text[rest:]))
        if text[:size] in legal and _word(text, size, length, known, asked):
            found.append((text[:size], text[size:]))
    for cut in range(MIN_PIECE_CHARS, length - MIN_PIECE_CHARS + 1):
        if _word(text, 0, cut, known, asked) and _word(text, cut, length, known, asked):
            found.append((text[:cut], text[cut:]))
    return found


def _three_piece_cuts(
    text: str, known: Callable[[str], bool], asked: dict[tuple[int, int], bool]
) -> list[tuple[str, ...]]:
    """A known word or a legal form first, a known word, a known word or a legal form last
    (not two legal forms)."""
    length = len(text)
    found: list[tuple[str, ...]] = []
    if length < 2 * MIN_PIECE_CHARS + MIN_LEGAL_PIECE_CHARS or length > MAX_SPLIT_CHARS:
        return found
    legal = legal_pieces()
    last_first = length - MIN_PIECE_CHARS - MIN_LEGAL_PIECE_CHARS
    for first in range(MIN_LEGAL_PIECE_CHARS, last_first + 1):
        head = text[:first]
        head_legal = head in legal
        if not head_legal and not _word(text, 0, first, known, asked):
            continue
        for second in range(first + MIN_PIECE_CHARS, length - MIN_LEGAL_PIECE_CHARS + 1):
            tail = text[second:]
            tail_ok = (not head_legal and tail in legal) or _word(
                text, second, length, known, asked
            )
            if tail_ok and _word(text, first, second, known, asked):
                found.append((head, text[first:second], tail))
    return found


def _word(
    text: str, start: int, end: int, known: Callable[[str], bool],
    asked: dict[tuple[int, int], bool],
) -> bool:
    """Whether ``text[start:end]`` is a known word of ``MIN_PIECE_CHARS`` letters or more."""
    if end - start < MIN_PIECE_CHARS:
        return False
    found = asked.get((start, end))
    if found is None:
        found = asked[(start, end)] = known(text[start:end])
    return found


def _ranked(found: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """``found`` (cuts of one number of pieces) with the longest shortest word first; equals
    in the order found (sorting is stable)."""
    if len(found) < 2:
        return found
    return sorted(found, key=_shortest_word, reverse=True)


def _shortest_word(pieces: tuple[str, ...]) -> int:
    """The length of the shortest word of a cut (legal forms left out)."""
    shortest = MAX_SPLIT_CHARS
    legal = legal_pieces()
    for piece in pieces:
        if piece not in legal and len(piece) < shortest:
            shortest = len(piece)
    return shortest


def with_pieces(
    variant: tuple[Token, ...], pieces_at: dict[int, tuple[str, ...]]
) -> tuple[Token, ...]:
    """``variant`` with the token at each position of ``pieces_at`` replaced by its pieces, and
    its legal forms marked again (a legal form cut off the end of a token may now end the name,
    or join the form after it: ``TechnologyPte Ltd`` gives ``pte ltd``)."""
    tokens: list[Token] = []
    for position, token in enumerate(variant):
        pieces = pieces_at.get(position)
        if pieces is not None:
            tokens.extend(piece_tokens(token, pieces))
        elif token.kind is TokenKind.LEGAL_FORM and token.original.isascii():
            # written out again as its words, so that the marking sees them with the pieces
            for chunk in _chunks(token.original):
                for word in _latin_chunk(chunk)[0]:
                    tokens.append(_with_qualifier(word, token.qualifier))
        else:
            tokens.append(token)
    return tuple(_keep_a_word(mark_legal_forms(tokens)))


def piece_tokens(token: Token, pieces: tuple[str, ...]) -> list[Token]:
    """The tokens of the pieces ``token`` is cut into, each made as a word of its letters would
    be (its alternative forms, its kind), by :data:`SPLIT`, from ``token``'s original."""
    return [
        _with_qualifier(_word_token(piece, token.original, token.script, SPLIT), token.qualifier)
        for piece in pieces
    ]


def _with_qualifier(token: Token, qualifier: bool) -> Token:
    if token.qualifier == qualifier:
        return token
    return Token(
        token.text, token.original, token.script, token.kind, token.how, token.alternatives,
        qualifier=qualifier,
    )
