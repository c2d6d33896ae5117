"""Tokens written together, cut in every way a screening or a pair's scoring may cut them (see
:mod:`screen.index.split`), for the reverse search: a screening cuts a token into the one best
cut whose words one list name has, a pair's scoring into that name's words; every cut into
words of the release holds both, so a record that either would make a hit is looked at.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Iterator, Sequence
from typing import TypeVar

from screen.index.split import cut_options
from screen.index.weights import scoring_tokens
from screen.names.segment import piece_tokens, with_pieces
from screen.names.tokens import Token

__all__ = ["cut_seqs", "cut_variants"]

_Choice = TypeVar("_Choice")


def cut_seqs(seqs: Sequence[tuple[Token, ...]], keys: Collection[str]) -> list[tuple[Token, ...]]:
    """A word's scoring token sequences (one per variant) with its tokens cut into words of
    ``keys`` (phonetic keys) in every way, each token cut or not; none for nearly every word.
    The pieces are words as the probe makes them (legal forms not marked)."""
    made: list[tuple[Token, ...]] = []
    for seq in seqs:
        choices: list[list[tuple[Token, ...]]] = []
        cuttable = False
        for token in seq:
            options = cut_options(token, keys)
            cuttable = cuttable or bool(options)
            choices.append(
                [(token,)] + [scoring_tokens(piece_tokens(token, option)) for option in options]
            )
        if not cuttable:
            continue
        for combination in _combinations(choices):
            joined = tuple(token for part in combination for token in part)
            if joined != seq and joined not in made:
                made.append(joined)
    return made


def cut_variants(
    variants: Sequence[tuple[Token, ...]], keys: Collection[str]
) -> list[tuple[Token, ...]]:
    """A name's variants with its tokens cut into words of ``keys`` in every way (legal forms
    marked again, as a screening does), each token cut or not; none for nearly every name."""
    made: list[tuple[Token, ...]] = []
    for variant in variants:
        options = [cut_options(token, keys) for token in variant]
        if not any(options):
            continue
        choices: list[list[tuple[int, tuple[str, ...]] | None]] = [
            [None, *[(position, option) for option in found]]
            for position, found in enumerate(options)
        ]
        for combination in _combinations(choices):
            cut = {choice[0]: choice[1] for choice in combination if choice is not None}
            if cut:
                made.append(with_pieces(variant, cut))
    return made


def _combinations(choices: Sequence[Sequence[_Choice]]) -> Iterator[tuple[_Choice, ...]]:
    """Every way of taking one of each of ``choices`` (a product: a name has few tokens that
    can be cut, and each few cuts)."""
    return itertools.product(*choices)
