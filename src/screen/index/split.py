"""Query tokens written together (``SergeiLavrov``, ``ShipyardJSC``) cut into the list's words, so
that the candidate search and the scorer both see the words apart.

A token is cut only when no list name has a word of its sound (its phonetic key is not in the
release's vocabulary): a known word is a word of the list as written. The cut
(:func:`screen.names.segment.cuts`) takes known words of four letters or more and legal forms,
and only words that some one list name has all of (the scorer counts a cut only whole, so a cut
into words no name has together could not meet any; this also keeps ordinary names from being
cut: ``Toninelli`` is ``toni`` and ``nelli``, both list words, but of no one name). Each such
cut of a name's tokens is one more variant of the query, beside the variants as written, so a cut
never costs a name a score it had. Tokens written apart on one side and together on the
other are joined by the candidate search and the scorer as before (``Zhi Pu`` ~ ``Zhipu``).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Collection, Sequence
from typing import Final

from screen.index.prepared import PreparedVariant, prepare
from screen.index.vocabulary import _Vocabulary
from screen.index.weights import TokenWeights
from screen.names.segment import (
    MIN_SPLIT_CHARS,
    SPLIT,
    SPLIT_SCRIPTS,
    cuts,
    legal_pieces,
    with_pieces,
)
from screen.names.tokens import Token, TokenKind
from screen.text.memo import _remember
from screen.text.phonetic import passing_key
from screen.text.scripts import Script

__all__ = ["MAX_CUT_VARIANTS", "WordSplitter", "cut_options"]

MAX_CUT_VARIANTS: Final = 8
"""The most variants with tokens cut made of one variant of a query (a token with several cuts,
several tokens cut: the ways multiply; almost every name has none)."""

_WORD: Final = TokenKind.WORD
"""Read from a module constant: compiled, an enum member read from its class is a lookup by
name, for every token screened."""


class WordSplitter:
    """Cuts tokens written together into words of one vocabulary (phonetic keys of the words
    that are known: a release's :attr:`TokenWeights.document_frequency`, or a name's own keys)."""

    def __init__(
        self,
        keys: Collection[str],
        vocabulary: _Vocabulary | None = None,
        pieces: Collection[str] | None = None,
    ) -> None:
        """``keys``: the phonetic keys of the known words (a token of one of them is not cut);
        ``vocabulary``: the index's, to tell whether one of its names has all the words of a
        cut (a cut into words no name has together could meet no name whole: it is not made);
        ``pieces``: the keys of the only words to cut into, when they are one name's (to score
        a pair), instead of ``keys`` and ``vocabulary``."""
        self._keys = keys
        self._vocabulary = vocabulary
        self._pieces = pieces
        self._cuts: dict[str, tuple[tuple[str, ...], ...]] = {}
        """Token text -> its cuts (none: not cut), remembered: the same words come back."""

    def known(self, key: str) -> bool:
        """Whether a word of phonetic key ``key`` is known (it is then not cut)."""
        return key in self._keys or (self._pieces is not None and key in self._pieces)

    def _words_together(self, pieces: tuple[str, ...]) -> bool:
        vocabulary = self._vocabulary
        if vocabulary is None:
            return True
        keys = [passing_key(piece) for piece in pieces if piece not in legal_pieces()]
        return len(keys) < 2 or _together(vocabulary, keys)

    def _known_piece(self, piece: str) -> bool:
        key = passing_key(piece)
        return key in self._keys if self._pieces is None else key in self._pieces

    def pieces(self, token: Token) -> tuple[tuple[str, ...], ...]:
        """Every cut of ``token`` into words (best first, see
        :func:`screen.names.segment.cuts`) whose words one name has together; none when it is
        not cut (not a plain word of letters in an alphabet, known as it is, too short or too
        long, or not made of known words). Every such cut, not the best alone: which is best
        may change with names a new release adds or removes, and re-screening must not meet a
        cut that an earlier screening passed over."""
        # cheapest tests first: this runs for every token of every name screened, and nearly
        # every token is a known word
        if token.kind is not _WORD:
            return ()
        text = token.text
        if len(text) < MIN_SPLIT_CHARS or self.known(token.key):
            return ()
        remembered = self._cuts
        found = remembered.get(text)
        if found is not None:
            return found
        made: tuple[tuple[str, ...], ...] = ()
        if _cuttable(token):
            made = tuple(
                [cut for cut in cuts(text, self._known_piece) if self._words_together(cut)]
            )
        return _remember(remembered, text, made)

    def split_variants(
        self, variants: Sequence[tuple[Token, ...]]
    ) -> list[tuple[Token, ...]]:
        """For each of ``variants`` with a token that is cut, the variant with its tokens cut,
        in each way (at most ``MAX_CUT_VARIANTS`` a variant; each new variant once; none for
        most names)."""
        made: list[tuple[Token, ...]] = []
        keys = self._keys
        for variant in variants:
            options: list[tuple[int, tuple[tuple[str, ...], ...]]] = []
            for position in range(len(variant)):
                token = variant[position]
                # the tests of pieces() that nearly every token fails, inline: this runs for
                # every token of every name screened
                if (
                    token.kind is not _WORD
                    or len(token.text) < MIN_SPLIT_CHARS
                    or token.key in keys
                ):
                    continue
                found = self.pieces(token)
                if found:
                    options.append((position, found))
            if not options:
                continue
            for choice in _first_products([found for _, found in options], MAX_CUT_VARIANTS):
                pieces_at = {
                    options[number][0]: cut for number, cut in enumerate(choice)
                }
                split = with_pieces(variant, pieces_at)
                if split not in variants and split not in made:
                    made.append(split)
        return made

    def prepared_variants(
        self, variants: Sequence[tuple[Token, ...]], weights: TokenWeights
    ) -> list[PreparedVariant]:
        """:meth:`split_variants` prepared with ``weights``, each with the positions of its
        cuts (:attr:`PreparedVariant.cuts`)."""
        prepared: list[PreparedVariant] = []
        for split in self.split_variants(variants):
            made = prepare(split, weights)
            # without its pairs of words by their letters: a variant cut from words written
            # together is not respaced as well (the scorer unpairs a cut met in part, which a
            # respaced pair of two tokens would leave half-used)
            prepared.append(PreparedVariant(
                made.tokens, made.items, made.weights, made.total, made.runs, made.parts,
                made.costs, _cuts(made.tokens),
            ))
        return prepared


def _first_products(
    choices: list[tuple[tuple[str, ...], ...]], most: int
) -> list[tuple[tuple[str, ...], ...]]:
    """The first ``most`` ways of taking one of each of ``choices`` (each best first), the
    best of each first."""
    made: list[tuple[tuple[str, ...], ...]] = [()]
    for found in choices:
        made = [(*done, cut) for done in made for cut in found][:most]
    return made


def _together(vocabulary: _Vocabulary, keys: list[str]) -> bool:
    """Whether one name of ``vocabulary`` has a word of each of ``keys`` (phonetic keys): each
    name of the rarest looked for in the others' postings, which are sorted."""
    lists: list[tuple[int, ...]] = []
    for key in keys:
        vocabulary_id = vocabulary.by_key.get(key)
        if vocabulary_id is None:
            return False
        lists.append(vocabulary.postings[vocabulary_id])
    lists.sort(key=len)
    for name_id in lists[0]:  # noqa: SIM110 (compiled, any() is a call)
        if _in_all(name_id, lists):
            return True
    return False


def _in_all(name_id: int, lists: list[tuple[int, ...]]) -> bool:
    """Whether ``name_id`` is in each of the sorted ``lists`` after the first."""
    for at in range(1, len(lists)):
        ids = lists[at]
        found = bisect_left(ids, name_id)
        if found == len(ids) or ids[found] != name_id:
            return False
    return True


def cut_options(token: Token, keys: Collection[str]) -> list[tuple[str, ...]]:
    """Every cut of ``token`` into words of ``keys`` (phonetic keys; see
    :func:`screen.names.segment.cuts`), for a search that must find whatever a screening with
    a :class:`WordSplitter` of ``keys`` cuts, or a pair scored with ``keys`` as its weights'
    words (re-screening); empty for a token no splitter cuts."""
    if (
        token.kind is not TokenKind.WORD
        or len(token.text) < MIN_SPLIT_CHARS
        or token.key in keys
        or not _cuttable(token)
    ):
        return []
    return cuts(token.text, lambda piece: passing_key(piece) in keys)


def _cuttable(token: Token) -> bool:
    """Whether ``token`` is letters of an alphabet (``SPLIT_SCRIPTS``), the only tokens cut."""
    text = token.text
    return _alphabet(token.script) and text.isascii() and text.isalpha()


def _alphabet(script: Script) -> bool:
    """``script in SPLIT_SCRIPTS``, by identity: a script is a string enum, whose hash is a
    call of Python code."""
    for alphabet in SPLIT_SCRIPTS:  # noqa: SIM110 (compiled, any() is a call)
        if script is alphabet:
            return True
    return False


def _cuts(tokens: tuple[Token, ...]) -> tuple[tuple[int, ...], ...]:
    """The positions of the words cut from each token written together: neighbours cut
    (:data:`SPLIT`) from one original (legal forms cut off are no longer words)."""
    cuts: list[list[int]] = []
    previous: Token | None = None
    for position, token in enumerate(tokens):
        if token.how == SPLIT and token.kind is not TokenKind.LEGAL_FORM:
            if previous is not None and previous.original == token.original:
                cuts[-1].append(position)
            else:
                cuts.append([position])
            previous = token
        else:
            previous = None
    return tuple(tuple(cut) for cut in cuts)
