"""Types of the compiled candidate search (``_candidates.pyx``)."""

from collections.abc import Callable, Iterable, Sequence

from screen.index.prepared import PreparedVariant
from screen.index.vocabulary import _Vocabulary
from screen.names.compare import Comparable

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
        lookup: Callable[[Comparable, bool], dict[int, float]],
        bucket_shift: int,
        min_weights: list[float],
        max_weights: list[float],
        discountable: list[float],
        light: list[float],
        run_lengths: int,
        bound_margin: float,
        common_weight: float,
        max_subset_anchors: int,
        small_reach: int,
        unmatched_name_factor: float,
        least_missing_factor: float,
        cache_budget: int,
        unlooked_parts: str,
    ) -> None: ...
    def reach(self, item: Comparable, joined: bool) -> Reach | None: ...
    def add_deletion_matches(self, texts: Iterable[str], found: set[int]) -> None: ...
    def candidates(self, variants: Sequence[PreparedVariant], threshold: float) -> list[int]: ...
