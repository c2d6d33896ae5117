"""The candidate token pairs of a query and a list name: every pair similar enough to be aligned,
with its similarity and how the tokens matched, remembered per pair of comparable forms.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Final, Protocol

from screen.names.compare import MIN_TOKEN_SIMILARITY, Comparable, MatchHow, compare

# _Pair and _Alignment are plain classes, not dataclasses: compiled, their constructors are
# native, where a dataclass's generated __init__ stays interpreted Python (and every candidate
# name scored makes them).


class _Pair:
    __slots__ = ("how", "name_positions", "query_positions", "similarity")

    def __init__(
        self,
        query_positions: tuple[int, ...],
        name_positions: tuple[int, ...],
        similarity: float,
        how: MatchHow,
    ) -> None:
        self.query_positions = query_positions
        self.name_positions = name_positions
        self.similarity = similarity
        self.how = how


class _Alignment:
    """The numbers of one alignment; turned into an explanation only for hits."""

    __slots__ = (
        "descriptive_only", "entry_contradiction", "generic_only", "matched", "name_factors",
        "numerator", "organisation_as_person", "pairs", "query_factors", "score",
        "unmatched_name", "unmatched_query", "used_name", "used_query",
    )

    def __init__(
        self,
        score: float,
        pairs: list[_Pair],
        used_query: set[int],
        used_name: set[int],
        query_factors: list[float],
        name_factors: list[float],
        generic_only: bool,
        descriptive_only: bool,
        organisation_as_person: bool,
        numerator: float,
        matched: float,
        unmatched_query: float,
        unmatched_name: float,
    ) -> None:
        self.score = score
        self.pairs = pairs
        self.used_query = used_query
        self.used_name = used_name
        self.query_factors = query_factors
        """What each query token left unmatched costs, as a fraction of its weight."""
        self.name_factors = name_factors
        """What each name token left unmatched costs, as a fraction of its weight."""
        self.generic_only = generic_only
        self.descriptive_only = descriptive_only
        self.organisation_as_person = organisation_as_person
        self.entry_contradiction = 0.0
        """Weight added because another name of the entry contradicts the query."""
        self.numerator = numerator
        self.matched = matched
        self.unmatched_query = unmatched_query
        self.unmatched_name = unmatched_name


TokenPair = tuple[float, float, int, int, MatchHow]
"""A pair of tokens that may be aligned, as its sort key: -similarity, -name token weight,
query position, name position, how they matched."""


class Memo(Protocol):
    """Token comparisons of one query, each pair of tokens compared once (:func:`new_memo`)."""

    def pairs(
        self,
        query_items: tuple[Comparable, ...],
        name_items: tuple[Comparable, ...],
        name_weights: tuple[float, ...],
    ) -> list[TokenPair]:
        """Every pair of a query token and a name token that compare at
        ``MIN_TOKEN_SIMILARITY`` or more, as sort keys (see ``TokenPair``), in query then name
        order."""
        ...


class PairMemo:
    """The memo of :func:`new_memo` in Python: a comparison is remembered by the two tokens'
    identity (``id``) in a dictionary per query token. The reference of the compiled
    ``screen.matching._pairs.TokenPairs``, which does the same with its bookkeeping in C++."""

    __slots__ = ("_known",)

    def __init__(self) -> None:
        self._known: dict[int, dict[int, tuple[float, MatchHow]]] = {}

    def pairs(
        self,
        query_items: tuple[Comparable, ...],
        name_items: tuple[Comparable, ...],
        name_weights: tuple[float, ...],
    ) -> list[TokenPair]:
        """See :meth:`Memo.pairs`. (Compiled by mypyc with :func:`compare`, each comparison is
        a direct call of compiled code.)"""
        candidates: list[TokenPair] = []
        memo = self._known
        for i, query_item in enumerate(query_items):
            known = memo.get(id(query_item))
            if known is None:
                known = memo[id(query_item)] = {}
            for j, name_item in enumerate(name_items):
                found = known.get(id(name_item))
                if found is None:
                    found = known[id(name_item)] = compare(query_item, name_item)
                similarity, how = found
                if similarity >= MIN_TOKEN_SIMILARITY:
                    candidates.append((-similarity, -name_weights[j], i, j, how))
        return candidates


def _compiled_memo() -> Callable[[], Memo] | None:
    """What makes a compiled memo, or None where ``screen.matching._pairs`` is not built."""
    try:
        from screen.matching._pairs import TokenPairs
    except ImportError:
        return None
    return partial(TokenPairs, compare, MIN_TOKEN_SIMILARITY)


_COMPILED_MEMO: Final = _compiled_memo()
"""Looked up once: an import statement in :func:`new_memo` would run for every name."""


def new_memo() -> Memo:
    """A memo for the token pairs of one query (:func:`token_pairs`): the compiled one where
    ``screen.matching._pairs`` is built, else :class:`PairMemo`."""
    if _COMPILED_MEMO is None:
        return PairMemo()
    return _COMPILED_MEMO()


def token_pairs(
    query_items: tuple[Comparable, ...],
    name_items: tuple[Comparable, ...],
    name_weights: tuple[float, ...],
    memo: Memo | None,
) -> list[TokenPair]:
    """Every pair of a query token and a name token that compare at ``MIN_TOKEN_SIMILARITY``
    or more, as sort keys (see ``TokenPair``); with ``memo`` (:func:`new_memo`), each
    comparison is made once per query."""
    if memo is not None:
        return memo.pairs(query_items, name_items, name_weights)
    candidates: list[TokenPair] = []
    for i, query_item in enumerate(query_items):
        for j, name_item in enumerate(name_items):
            similarity, how = compare(query_item, name_item)
            if similarity >= MIN_TOKEN_SIMILARITY:
                candidates.append((-similarity, -name_weights[j], i, j, how))
    return candidates
