"""Types of the compiled token pairs (``_pairs.pyx``)."""

from collections.abc import Callable

from screen.names.compare import Comparable, MatchHow

class TokenPairs:
    """Token comparisons of one query, each made once (see ``matching.pairs.PairMemo``)."""

    def __init__(
        self,
        compare: Callable[[Comparable, Comparable], tuple[float, MatchHow]],
        min_similarity: float,
    ) -> None: ...
    def pairs(
        self,
        query_items: tuple[Comparable, ...],
        name_items: tuple[Comparable, ...],
        name_weights: tuple[float, ...],
    ) -> list[tuple[float, float, int, int, MatchHow]]: ...
