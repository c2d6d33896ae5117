"""How much each token weighs: its rarity across all the release's names (inverse document
frequency), less for legal forms, particles and qualifiers, nothing for function words.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final

from screen.names import parts as kinds
from screen.names.tokens import Token, TokenKind

__all__ = [
    "CONTRADICTION_FACTOR",
    "DISTINCTIVE_FRACTION",
    "EXTRA_FACTORS",
    "LEAST_EXTRA_FACTOR",
    "LEAST_MISSING_FACTOR",
    "LEGAL_FORM_WEIGHT",
    "MAX_JOINED_TOKENS",
    "MISSING_FACTORS",
    "MISSING_GENERIC_FACTOR",
    "PARTICLE_WEIGHT",
    "TokenWeights",
    "scoring_tokens",
]

DISTINCTIVE_FRACTION: Final = 0.6
"""See :attr:`TokenWeights.distinctive_weight`: 0.6 of the weight of an unknown token is about
6.5 for a release of 50,000 names (a token in fewer than about 75 of them)."""
LEGAL_FORM_WEIGHT: Final = 0.3
"""Weight of a legal form: it should decide nothing on its own."""
PARTICLE_WEIGHT: Final = 0.5
"""Weight of a name particle such as ``al``."""
QUALIFIER_FACTOR: Final = 0.3
"""A token in parentheses (an acronym, a place, a former name) weighs this much of its due."""
MISSING_FACTORS: Final = {
    kinds.OTHER_SURNAME: 0.25,
    kinds.MIDDLE: 0.25,
    kinds.PATRONYMIC: 0.25,
    kinds.INITIAL: 0.25,
    kinds.GENERIC: 0.3,
    kinds.PLACE: 0.3,
    kinds.LEGAL_FORM: 0.3,
    kinds.PARTICLE: 0.5,
}
"""What a listed name's word that the query leaves out costs, as a fraction of its weight, by
its kind (:mod:`screen.names.parts`); kinds not here cost their whole weight. People are
written without middle names, patronymics and second surnames all the time, and companies
without their place, generic words and legal form; a given name, a surname or a distinctive
word left out is evidence of another party. The matcher gives these discounts only when
nothing contradicts them (see ``matching.align``)."""
EXTRA_FACTORS: Final = {
    kinds.GENERIC: 0.3,
    kinds.PLACE: 0.3,
    kinds.LEGAL_FORM: 0.3,
}
"""What a query's word that the (organisation's) listed name lacks costs, as a fraction of its
weight, by its kind: ``Zhejiang Dahua Technology Co., Ltd.`` for ``Dahua Technology``."""
MISSING_GENERIC_FACTOR: Final = 0.5
"""When every distinctive token of the list name matched, and at least two did, a list-name
token that is light and missing from the query costs this fraction of its weight
(``Zhipu Huazhang`` for ``Beijing Zhipu Huazhang Technology Co., Ltd.``), whatever its kind:
the least any list-name word of a kind not in ``MISSING_FACTORS`` can cost."""
LEAST_MISSING_FACTOR: Final = min(MISSING_FACTORS.values())
"""The least a listed name's word left out can cost, as a fraction of its weight: what bounds
on a score (the candidate search, the re-screen's reverse search) must assume."""
LEAST_EXTRA_FACTOR: Final = min(*EXTRA_FACTORS.values(), MISSING_FACTORS[kinds.INITIAL])
"""The least a query's word left unmatched can cost, as a fraction of its weight (a place, a
generic word, a legal form of a company's name; an initial), for the same bounds."""
CONTRADICTION_FACTOR: Final = 2.0
"""A patronymic in the query and another in the listed name, neither matched, each cost this
many times their weight: present and different, they say another person."""
MAX_JOINED_TOKENS: Final = 3
"""Up to this many adjacent tokens may be joined to match one token on the other side."""
_BOUND_MARGIN: Final = 0.05
"""Safety margin, in score fraction, when pruning by upper bound."""
_REACH_CACHE_BUDGET: Final = 500_000
"""Remembered token lookups, counted in names reached. When it is full, the lookups used longest
ago are dropped first, so the words in steady use stay and a long run never goes back to a cold
start. A trade of memory for speed: 300,000 instead took about 40 MB off the peak of a process
that screened 200,000 new names, and made it 15% slower (README, Long runs)."""
_MAX_SUBSET_ANCHORS: Final = 8
"""Up to this many anchors, candidates come from intersections of what the anchors found."""
_SMALL_REACH: Final = 24
"""When the anchors find no more names than this in all, each is bounded without first
choosing sufficient sets of anchors."""
_COMMON_WEIGHT: Final = 5.0
"""Tokens lighter than this (in more than ~1 in 150 names: bank, technology, mohammed) have
long posting lists: they are looked up only when the rarer tokens cannot decide alone."""

_NAMES_WITHOUT_RELEASE: Final = 100_000
"""The size of list assumed by :meth:`TokenWeights.without_release` (the shipped release has
about this many names and aliases)."""


def scoring_tokens(tokens: Iterable[Token]) -> tuple[Token, ...]:
    """The tokens that take part in scoring (function words are left out)."""
    return tuple(token for token in tokens if token.kind is not TokenKind.STOPWORD)


@dataclass(frozen=True, slots=True)
class TokenWeights:
    """Inverse document frequency of phonetic keys over all names of a release."""

    document_frequency: dict[str, int]
    name_count: int
    _by_key: dict[str, float] = field(init=False, repr=False, compare=False)
    """Weights already worked out, by key: every token of every query asks for its weight."""
    _unknown: float = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_key", {})
        object.__setattr__(self, "_unknown", math.log(self.name_count + 1))

    def __reduce__(self) -> tuple[type[TokenWeights], tuple[dict[str, int], int]]:
        # pickled (for the on-disk cache) by constructor arguments: compiled with mypyc, the
        # class has no default pickling
        return TokenWeights, (self.document_frequency, self.name_count)

    @classmethod
    def without_release(cls) -> TokenWeights:
        """Weights for scoring without a list release: every word weighs as one that no name
        of a large list contains (as in a release of 100,000 names), so only a token's kind
        (legal form, particle, function word, qualifier) lowers its weight."""
        return cls({}, _NAMES_WITHOUT_RELEASE)

    @property
    def unknown_weight(self) -> float:
        """Weight of a token no list name contains: as rare as a token can be."""
        return self._unknown

    @property
    def distinctive_weight(self) -> float:
        """Tokens at least this heavy identify (in fewer than about 1 in 700 names of a large
        release); lighter ones describe. Relative to the release's size, so that in a small
        release every rare word counts."""
        return DISTINCTIVE_FRACTION * self.unknown_weight

    def weight(self, token: Token) -> float:
        """How much ``token`` counts in a match."""
        if token.kind is TokenKind.LEGAL_FORM:
            return LEGAL_FORM_WEIGHT
        if token.kind is TokenKind.PARTICLE:
            return PARTICLE_WEIGHT
        if token.kind is TokenKind.STOPWORD:
            return 0.0
        weight = self.key_weight(token.key)
        return weight * QUALIFIER_FACTOR if token.qualifier else weight

    def key_weight(self, key: str) -> float:
        """Weight of a phonetic key (unknown keys weigh the most)."""
        weight = self._by_key.get(key)
        if weight is None:
            frequency = self.document_frequency.get(key)
            if frequency is None:
                return self._unknown  # not remembered: most unknown keys are seen once
            weight = max(1.0, math.log((self.name_count + 1) / frequency))
            self._by_key[key] = weight
        return weight
