"""Types of the compiled candidate search and token comparison (``_candidates.pyx``)."""

from collections.abc import Sequence

from screen.index.prepared import PreparedVariant
from screen.index.vocabulary import _Vocabulary
from screen.names.compare import Comparable, MatchHow

class Reach:
    """The names one token (or run of tokens) matches, with the most a match brings to each."""

    @property
    def most(self) -> float: ...
    def __len__(self) -> int: ...
    def to_dict(self) -> dict[int, float]: ...

class CandidateSearch:
    """Candidates and their bounds over one index, with its own cache of token lookups."""

    @property
    def cache(self) -> dict[tuple[Comparable, bool], Reach]: ...
    cache_size: int
    cache_budget: int
    def __init__(
        self,
        vocabulary: _Vocabulary,
        bucket_shift: int,
        min_weights: list[float],
        run_lengths: int,
        bound_margin: float,
        common_weight: float,
        max_subset_anchors: int,
        small_reach: int,
        cache_budget: int,
    ) -> None: ...
    def reach(self, item: Comparable, joined: bool) -> Reach | None: ...
    def lookup_single(self, item: Comparable) -> dict[int, float]: ...
    def lookup_joined(self, item: Comparable) -> dict[int, float]: ...
    def candidates(self, variants: Sequence[PreparedVariant], threshold: float) -> list[int]: ...

def compare(a: Comparable, b: Comparable) -> tuple[float, MatchHow]:
    """``screen.names.compare.compare``, compiled for plain words (the same result for every
    pair)."""

def token_pairs(
    query_items: tuple[Comparable, ...],
    name_items: tuple[Comparable, ...],
    name_weights: tuple[float, ...],
    memo: dict[int, dict[int, tuple[float, MatchHow]]],
) -> list[tuple[float, float, int, int, MatchHow]]:
    """``screen.matching.pairs.token_pairs`` with a memo, compiled."""
