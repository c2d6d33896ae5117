"""Query tokens written together (``SergeiLavrov``, ``ShipyardJSC``) cut into the list's words, so
that the candidate search and the scorer both see the words apart.

A token is cut only when no list name has a word of its sound (its phonetic key is not in the
release's vocabulary): a known word is a word of the list as written. The cut
(:func:`screen.names.segment.segment`) takes known words of four letters or more and legal forms;
the name with its tokens cut is one more variant of the query, beside the variants as written, so
a cut never costs a name a score it had. Tokens written apart on one side and together on the
other are joined by the candidate search and the scorer as before (``Zhi Pu`` ~ ``Zhipu``).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from screen.names.segment import MIN_SPLIT_CHARS, SPLIT_SCRIPTS, segment, with_pieces
from screen.names.tokens import Token, TokenKind
from screen.text.memo import _remember
from screen.text.phonetic import passing_key

__all__ = ["WordSplitter"]


class WordSplitter:
    """Cuts tokens written together into words of one vocabulary (phonetic keys of the words
    that are known: a release's :attr:`TokenWeights.document_frequency`, or a name's own keys)."""

    def __init__(self, keys: Collection[str], more_keys: Collection[str] = ()) -> None:
        """``keys`` and ``more_keys``: the phonetic keys of the known words (the second for a
        pair's own list name, beside a release's words)."""
        self._keys = keys
        self._more_keys = more_keys
        self._cuts: dict[str, tuple[str, ...] | None] = {}
        """Token text -> its pieces (None: not cut), remembered: the same words come back."""

    def known(self, key: str) -> bool:
        """Whether a word of phonetic key ``key`` is known."""
        return key in self._keys or key in self._more_keys

    def _known_piece(self, piece: str) -> bool:
        return self.known(passing_key(piece))

    def pieces(self, token: Token) -> tuple[str, ...] | None:
        """The words ``token`` is cut into, or None when it is not cut (not a plain word of
        letters, known as it is, too short or too long, or not made of known words)."""
        text = token.text
        if (
            token.kind is not TokenKind.WORD
            or len(text) < MIN_SPLIT_CHARS
            or self.known(token.key)
            or token.script not in SPLIT_SCRIPTS
        ):
            return None
        cuts = self._cuts
        if text in cuts:
            return cuts[text]
        cut: tuple[str, ...] | None = None
        if text.isascii() and text.isalpha():
            cut = segment(text, self._known_piece)
        return _remember(cuts, text, cut)

    def split_variants(
        self, variants: Sequence[tuple[Token, ...]]
    ) -> list[tuple[Token, ...]]:
        """For each of ``variants`` with a token that is cut, the variant with its tokens cut
        (each new variant once; none for most names)."""
        made: list[tuple[Token, ...]] = []
        for variant in variants:
            pieces_at: dict[int, tuple[str, ...]] | None = None
            for position, token in enumerate(variant):
                pieces = self.pieces(token)
                if pieces is not None:
                    if pieces_at is None:
                        pieces_at = {}
                    pieces_at[position] = pieces
            if pieces_at is not None:
                split = with_pieces(variant, pieces_at)
                if split not in variants and split not in made:
                    made.append(split)
        return made
