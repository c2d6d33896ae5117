"""Score a query against list names and explain every score.

The score (0-100) is a weighted agreement between the two token sets. Tokens are aligned one to
one, best pairs first (a token may also match two or three adjacent tokens joined, so
``Zhipu Huazhang`` meets ``zhipuhuazhang``). Each token weighs by its rarity across the list, a
legal form or a particle weighs little, function words nothing. With ``w`` the weight of the
list-side token of a matched pair, ``s`` its similarity, and ``u`` the weight of each token left
unmatched on either side::

    score = 100 * sum(2 * s * w) / (sum(2 * w) + sum(u_query) + sum(u_name))

So identical names score 100, a missing or extra distinctive word costs much, and a missing
``Co., Ltd.`` costs almost nothing. Order of words does not matter.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Final, Literal

from screen.compare import MIN_TOKEN_SIMILARITY, Comparable, MatchHow, compare, compare_joined
from screen.index import (
    IndexedName,
    NameIndex,
    PreparedVariant,
    TokenWeights,
    joined_runs,
    prepare,
)
from screen.normalize import NormalizedName, Token, normalize_name
from screen.release.models import AliasKind, ListEntry

__all__ = [
    "DEFAULT_THRESHOLD",
    "MATCHER_VERSION",
    "Explanation",
    "Hit",
    "Matcher",
    "PairScore",
    "TokenAlignment",
    "score_pair",
]

MATCHER_VERSION: Final = "1.4.0"
"""Changes whenever a change to normalisation, weights or scoring can change a score."""

GENERIC_ONLY_FACTOR: Final = 0.9
"""A partial match in which no distinctive token (see ``TokenWeights.distinctive_weight``)
matched is scaled by this: common words alone (``Beijing Technology Co., Ltd.`` against
``Beijing Institute of Technology``) make a hit only when nearly everything matches. A match
that leaves nothing unmatched is not scaled: identical names score 100."""
MISSING_GENERIC_FACTOR: Final = 0.5
"""When every distinctive token of the list name matched, and at least two did, a list-name
token that is only generic and missing from the query costs this fraction of its weight
(``Zhipu Huazhang`` for ``Beijing Zhipu Huazhang Technology Co., Ltd.``)."""

DEFAULT_THRESHOLD: Final = 80.0
"""Scores at or above this are hits. Chosen on the labelled development pairs (see README):
it keeps recall on listed parties first and the alert rate on ordinary names low."""


AlignmentHow = MatchHow | Literal["unmatched"]


@dataclass(frozen=True, slots=True, init=False)
class TokenAlignment:
    """One step of the token alignment: which query token met which name token, and how."""

    query: str | None
    """Comparable query token(s) (None: a name token nothing in the query matched)."""
    query_original: str | None
    name: str | None
    """Comparable name token(s) (None: a query token nothing in the name matched)."""
    name_original: str | None
    how: AlignmentHow
    similarity: float
    weight: float
    """Weight this pair or lone token carries in the score."""

    def __init__(
        self,
        query: str | None,
        query_original: str | None,
        name: str | None,
        name_original: str | None,
        how: AlignmentHow,
        similarity: float,
        weight: float,
    ) -> None:
        # written out: see normalize.Token.__init__
        object.__setattr__(self, "query", query)
        object.__setattr__(self, "query_original", query_original)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "name_original", name_original)
        object.__setattr__(self, "how", how)
        object.__setattr__(self, "similarity", similarity)
        object.__setattr__(self, "weight", weight)

    def __reduce__(self) -> tuple[type[TokenAlignment], tuple[object, ...]]:
        # pickled by constructor arguments: compiled with mypyc, a frozen class has no default
        # unpickling (results are handed between processes)
        return TokenAlignment, (
            self.query, self.query_original, self.name, self.name_original, self.how,
            self.similarity, self.weight,
        )

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {
            "query": self.query,
            "query_original": self.query_original,
            "name": self.name,
            "name_original": self.name_original,
            "how": self.how,
            "similarity": round(self.similarity, 4),
            "weight": round(self.weight, 4),
        }


@dataclass(frozen=True, slots=True, init=False)
class Explanation:
    """Why a name scored what it did."""

    query_normalized: str
    name_normalized: str
    alignment: tuple[TokenAlignment, ...]
    transformations: tuple[str, ...]
    """Transformations applied to the query and the name (see :mod:`screen.normalize`)."""
    parts: dict[str, float] = field(default_factory=dict)
    """The score's parts: matched, unmatched_query and unmatched_name weights."""

    def __init__(
        self,
        query_normalized: str,
        name_normalized: str,
        alignment: tuple[TokenAlignment, ...],
        transformations: tuple[str, ...],
        parts: dict[str, float] | None = None,
    ) -> None:
        # written out: see normalize.Token.__init__
        object.__setattr__(self, "query_normalized", query_normalized)
        object.__setattr__(self, "name_normalized", name_normalized)
        object.__setattr__(self, "alignment", alignment)
        object.__setattr__(self, "transformations", transformations)
        object.__setattr__(self, "parts", {} if parts is None else parts)

    def __reduce__(self) -> tuple[type[Explanation], tuple[object, ...]]:
        # see TokenAlignment.__reduce__
        return Explanation, (
            self.query_normalized, self.name_normalized, self.alignment, self.transformations,
            self.parts,
        )

    def summary(self) -> str:
        """One line: each aligned pair and how it matched, then what was left unmatched."""
        pieces: list[str] = []
        unmatched: list[str] = []
        for step in self.alignment:
            if step.how == "unmatched":
                unmatched.append(f"{step.query_original or step.name_original}")
            elif step.how == "exact" and step.query == step.name:
                pieces.append(f"{step.query}")
            else:
                pieces.append(f"{step.query_original}~{step.name_original} ({step.how})")
        text = "matched " + ", ".join(pieces) if pieces else "nothing matched"
        if unmatched:
            text += "; unmatched " + ", ".join(unmatched)
        return text

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {
            "summary": self.summary(),
            "query_normalized": self.query_normalized,
            "name_normalized": self.name_normalized,
            "alignment": [step.to_dict() for step in self.alignment],
            "transformations": list(self.transformations),
            "parts": {key: round(value, 4) for key, value in self.parts.items()},
        }


@dataclass(frozen=True, slots=True, init=False)
class PairScore:
    """The score of one query against one name, with its explanation."""

    score: float
    explanation: Explanation

    def __init__(self, score: float, explanation: Explanation) -> None:
        # written out: see normalize.Token.__init__
        object.__setattr__(self, "score", score)
        object.__setattr__(self, "explanation", explanation)

    def __reduce__(self) -> tuple[type[PairScore], tuple[object, ...]]:
        # see TokenAlignment.__reduce__
        return PairScore, (self.score, self.explanation)


@dataclass(frozen=True, slots=True, init=False)
class Hit:
    """A list entry that matched, through which of its names, how well, and why."""

    entry: ListEntry
    matched_name: str
    """The entry's name or alias that scored best, exactly as the list gives it."""
    alias_kind: AliasKind | None
    """None when the primary name matched."""
    score: float
    explanation: Explanation

    def __init__(
        self,
        entry: ListEntry,
        matched_name: str,
        alias_kind: AliasKind | None,
        score: float,
        explanation: Explanation,
    ) -> None:
        # written out: see normalize.Token.__init__
        object.__setattr__(self, "entry", entry)
        object.__setattr__(self, "matched_name", matched_name)
        object.__setattr__(self, "alias_kind", alias_kind)
        object.__setattr__(self, "score", score)
        object.__setattr__(self, "explanation", explanation)

    def __reduce__(self) -> tuple[type[Hit], tuple[object, ...]]:
        # see TokenAlignment.__reduce__
        return Hit, (self.entry, self.matched_name, self.alias_kind, self.score, self.explanation)

    @property
    def is_primary(self) -> bool:
        """True when the entry's primary name matched, False for an alias."""
        return self.alias_kind is None

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form (the entry by id, list, primary name, programs and citations)."""
        return {
            "entry_id": self.entry.id,
            "source_list": self.entry.source_list.value,
            "entry_name": self.entry.name,
            "entity_type": self.entry.entity_type.value if self.entry.entity_type else None,
            "programs": list(self.entry.programs),
            "federal_register": list(self.entry.federal_register),
            "verification": self.entry.verification,
            "matched_name": self.matched_name,
            "is_primary": self.is_primary,
            "alias_kind": self.alias_kind.value if self.alias_kind else None,
            "score": round(self.score, 2),
            "explanation": self.explanation.to_dict(),
        }


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
        "generic_only", "matched", "missing_name_factor", "numerator", "pairs", "score",
        "unmatched_name", "unmatched_query", "used_name", "used_query",
    )

    def __init__(
        self,
        score: float,
        pairs: list[_Pair],
        used_query: set[int],
        used_name: set[int],
        missing_name_factor: float,
        generic_only: bool,
        numerator: float,
        matched: float,
        unmatched_query: float,
        unmatched_name: float,
    ) -> None:
        self.score = score
        self.pairs = pairs
        self.used_query = used_query
        self.used_name = used_name
        self.missing_name_factor = missing_name_factor
        self.generic_only = generic_only
        self.numerator = numerator
        self.matched = matched
        self.unmatched_query = unmatched_query
        self.unmatched_name = unmatched_name


def _compiled_compare() -> Callable[[Comparable, Comparable], tuple[float, MatchHow]]:
    """``screen.compare.compare`` compiled (``screen._candidates``), or the function itself
    where that module is not built."""
    try:
        from screen._candidates import compare as compiled
    except ImportError:
        return compare
    return compiled


_compare_tokens: Final = _compiled_compare()
"""How the matcher compares two tokens: the same result as ``compare``, three times faster
where compiled (most pairs of a query and a candidate are compared only here)."""

Memo = dict[int, dict[int, tuple[float, MatchHow]]]
"""Token comparisons already made for one query: query token id -> name token id -> result."""

TokenPair = tuple[float, float, int, int, MatchHow]
"""A pair of tokens that may be aligned, as its sort key: -similarity, -name token weight,
query position, name position, how they matched."""


def token_pairs(
    query_items: tuple[Comparable, ...],
    name_items: tuple[Comparable, ...],
    name_weights: tuple[float, ...],
    memo: Memo | None,
) -> list[TokenPair]:
    """Every pair of a query token and a name token that compare at ``MIN_TOKEN_SIMILARITY``
    or more, as sort keys (see ``TokenPair``); with ``memo``, each comparison is remembered by
    the tokens' identity. ``screen._candidates.token_pairs`` does the same in C++: change both
    together."""
    candidates: list[TokenPair] = []
    for i, query_item in enumerate(query_items):
        known = None if memo is None else memo.setdefault(id(query_item), {})
        for j, name_item in enumerate(name_items):
            if known is None:
                similarity, how = _compare_tokens(query_item, name_item)
            else:
                found = known.get(id(name_item))
                if found is None:
                    found = known[id(name_item)] = _compare_tokens(query_item, name_item)
                similarity, how = found
            if similarity >= MIN_TOKEN_SIMILARITY:
                candidates.append((-similarity, -name_weights[j], i, j, how))
    return candidates


def _compiled_token_pairs() -> Callable[
    [tuple[Comparable, ...], tuple[Comparable, ...], tuple[float, ...], Memo], list[TokenPair]
] | None:
    try:
        from screen._candidates import token_pairs as compiled
    except ImportError:
        return None
    return compiled


_TOKEN_PAIRS: Final = _compiled_token_pairs()
"""``token_pairs`` with a memo, in C++ (``screen._candidates``), or None where not built:
compiled code calls a compiled function directly, where mypyc goes through Python's generic
call for each comparison."""


def _align(
    query: PreparedVariant,
    name: PreparedVariant,
    distinctive_weight: float,
    memo: Memo | None = None,
    threshold: float = 0.0,
) -> _Alignment:
    """Align two prepared token sequences and score them (0-1). Joining leftover tokens is
    skipped when even a perfect join could not lift the score to ``threshold`` (0-1)."""
    name_weights = name.weights
    # each candidate pair is held as its sort key (best similarity, then heaviest name token,
    # then positions): a plain sort of tuples, with no key function to call for each; the
    # positions make every key distinct, so ``how`` never decides the order
    if memo is not None and _TOKEN_PAIRS is not None:
        candidates = _TOKEN_PAIRS(query.items, name.items, name_weights, memo)
    else:
        candidates = token_pairs(query.items, name.items, name_weights, memo)
    candidates.sort()
    used_query: set[int] = set()
    used_name: set[int] = set()
    pairs: list[_Pair] = []
    for negated_similarity, _weight, i, j, how in candidates:
        if i not in used_query and j not in used_name:
            used_query.add(i)
            used_name.add(j)
            pairs.append(_Pair((i,), (j,), -negated_similarity, how))
    free_query = len(query.items) - len(used_query)
    free_name = len(name.items) - len(used_name)
    joinable = (free_query >= 2 and free_name >= 1) or (free_name >= 2 and free_query >= 1)
    if joinable and (
        threshold <= 0.0 or _join_could_reach(query, name, pairs, used_name, threshold)
    ):
        _join_leftovers(query, name, used_query, used_name, pairs)

    # sums as plain loops: see _weight_of
    numerator = 0.0
    matched = 0.0
    distinctive_pairs = 0
    query_tokens = query.tokens
    for pair in pairs:
        weight = _weight_of(name_weights, pair.name_positions)
        numerator += 2 * pair.similarity * weight
        matched += 2 * weight
        # a query word in parentheses (a place, a former name) that meets a rare word of the
        # list name does not make the match distinctive: "Huawei Technologies (Hong Kong)"
        # against "Hong Kong Energy Technology" matched only the qualifier
        if weight >= distinctive_weight and not _qualifiers_only(query_tokens, pair):
            distinctive_pairs += 1
    unmatched_query = 0.0
    for i, w in enumerate(query.weights):
        if i not in used_query:
            unmatched_query += w
    missing_weight = 0.0
    missing_generic_only = True
    for j, w in enumerate(name_weights):
        if j not in used_name:
            missing_weight += w
            if w >= distinctive_weight:
                missing_generic_only = False
    # every distinctive word of the list name matched, two at least: the missing words are
    # generic (a city, an industry word) and cost less
    missing_factor = (
        MISSING_GENERIC_FACTOR if distinctive_pairs >= 2 and missing_generic_only else 1.0
    )
    unmatched_name = missing_factor * missing_weight
    denominator = matched + unmatched_query + unmatched_name
    score = numerator / denominator if denominator else 0.0
    complete = unmatched_query == 0.0 and len(used_name) == len(name_weights)
    generic_only = bool(pairs) and distinctive_pairs == 0 and not complete
    if generic_only:
        score *= GENERIC_ONLY_FACTOR
    return _Alignment(
        score, pairs, used_query, used_name, missing_factor, generic_only,
        numerator, matched, unmatched_query, unmatched_name,
    )


def _qualifiers_only(tokens: tuple[Token, ...], pair: _Pair) -> bool:
    """Whether every query token of ``pair`` is a qualifier (False when the variant was
    prepared without its tokens)."""
    if not tokens:
        return False
    for position in pair.query_positions:  # noqa: SIM110 (compiled, all() is a call)
        if not tokens[position].qualifier:
            return False
    return True


def _weight_of(weights: tuple[float, ...], positions: tuple[int, ...]) -> float:
    """The weights at ``positions`` added left to right from 0.0. Scores add weights in loops
    like this one rather than with ``sum()``, which compensates rounding from Python 3.12 on:
    a score must not move by a rounding step with the Python version."""
    total = 0.0
    for position in positions:
        total += weights[position]
    return total


def _join_could_reach(
    query: PreparedVariant,
    name: PreparedVariant,
    pairs: list[_Pair],
    used_name: set[int],
    threshold: float,
) -> bool:
    """Whether matching every leftover token perfectly (and halving what the name misses)
    could reach ``threshold``: if not, joining need not be tried."""
    numerator = 0.0
    paired = 0.0
    for pair in pairs:
        numerator += 2 * pair.similarity * _weight_of(name.weights, pair.name_positions)
        for p in pair.name_positions:
            paired += name.weights[p]
    leftover = 0.0
    for j, w in enumerate(name.weights):
        if j not in used_name:
            leftover += w
    denominator = 2 * paired + 2 * leftover
    numerator += 2 * leftover
    return denominator > 0 and numerator / denominator >= threshold


def _alignment_steps(
    query: PreparedVariant, name: PreparedVariant, alignment: _Alignment
) -> tuple[TokenAlignment, ...]:
    """The alignment as explanation steps, in the order of the query, then of the name."""
    steps: list[tuple[int, int, TokenAlignment]] = []
    query_tokens = query.tokens
    name_tokens = name.tokens
    for pair in alignment.pairs:
        weight = _weight_of(name.weights, pair.name_positions)
        steps.append(
            (
                pair.query_positions[0],
                pair.name_positions[0],
                TokenAlignment(
                    " ".join(query_tokens[p].text for p in pair.query_positions),
                    " ".join(query_tokens[p].original for p in pair.query_positions),
                    " ".join(name_tokens[p].text for p in pair.name_positions),
                    " ".join(name_tokens[p].original for p in pair.name_positions),
                    pair.how,
                    pair.similarity,
                    2 * weight,
                ),
            )
        )
    for i, token in enumerate(query_tokens):
        if i not in alignment.used_query:
            weight = query.weights[i]
            steps.append(
                (i, len(name_tokens), TokenAlignment(
                    token.text, token.original, None, None, "unmatched", 0.0, weight
                ))
            )
    for j, token in enumerate(name_tokens):
        if j not in alignment.used_name:
            weight = name.weights[j] * alignment.missing_name_factor
            steps.append(
                (len(query_tokens), j, TokenAlignment(
                    None, None, token.text, token.original, "unmatched", 0.0, weight
                ))
            )
    steps.sort(key=lambda step: (step[0], step[1]))
    return tuple(step for _, _, step in steps)


def _join_leftovers(
    query: PreparedVariant,
    name: PreparedVariant,
    used_query: set[int],
    used_name: set[int],
    pairs: list[_Pair],
) -> None:
    """Match tokens written apart on one side and together on the other (Zhi Pu ~ Zhipu)."""
    joined: list[tuple[float, float, tuple[int, ...], tuple[int, ...], MatchHow]] = []
    for positions, item in joined_runs(query, used_query):
        for j, name_item in enumerate(name.items):
            if j not in used_name:
                similarity, how = compare_joined(item, name_item)
                if similarity >= MIN_TOKEN_SIMILARITY:
                    joined.append((similarity, name.weights[j], positions, (j,), how))
    for positions, item in joined_runs(name, used_name):
        weight = _weight_of(name.weights, positions)
        for i, query_item in enumerate(query.items):
            if i not in used_query:
                similarity, how = compare_joined(query_item, item)
                if similarity >= MIN_TOKEN_SIMILARITY:
                    joined.append((similarity, weight, (i,), positions, how))
    joined.sort(key=lambda c: (-c[0] * c[1], c[2], c[3]))
    for similarity, _weight, query_positions, name_positions, how in joined:
        if used_query.isdisjoint(query_positions) and used_name.isdisjoint(name_positions):
            used_query.update(query_positions)
            used_name.update(name_positions)
            pairs.append(_Pair(query_positions, name_positions, similarity, how))


def _best(
    query_variants: Sequence[PreparedVariant],
    name_variants: Sequence[PreparedVariant],
    weights: TokenWeights,
    memo: Memo | None = None,
    threshold: float = 0.0,
) -> tuple[_Alignment, int, int]:
    """The best-scoring pair of variants: alignment, query variant, name variant."""
    best: tuple[_Alignment, int, int] | None = None
    distinctive = weights.distinctive_weight
    for qi, query_prepared in enumerate(query_variants):
        for ni, name_prepared in enumerate(name_variants):
            alignment = _align(query_prepared, name_prepared, distinctive, memo, threshold)
            if best is None or alignment.score > best[0].score:
                best = (alignment, qi, ni)
    assert best is not None, "every normalised name has at least one variant"
    return best


def _explanation(
    query: NormalizedName,
    query_variants: Sequence[PreparedVariant],
    name: NormalizedName,
    name_variants: Sequence[PreparedVariant],
    best: tuple[_Alignment, int, int],
) -> Explanation:
    alignment, qi, ni = best
    transformations = tuple(
        dict.fromkeys(
            [f"query: {step}" for step in query.transformations]
            + [f"name: {step}" for step in name.transformations]
        )
    )
    parts = {
        "matched_weight": alignment.matched,
        "matched_score": alignment.numerator,
        "unmatched_query_weight": alignment.unmatched_query,
        "unmatched_name_weight": alignment.unmatched_name,
        "missing_name_factor": alignment.missing_name_factor,
        "generic_only_factor": GENERIC_ONLY_FACTOR if alignment.generic_only else 1.0,
        "query_variant": float(qi),
        "name_variant": float(ni),
    }
    return Explanation(
        " ".join(t.text for t in query_variants[qi].tokens),
        " ".join(t.text for t in name_variants[ni].tokens),
        _alignment_steps(query_variants[qi], name_variants[ni], alignment),
        transformations,
        parts,
    )


def _score_variants(
    query: NormalizedName,
    query_variants: Sequence[PreparedVariant],
    name: NormalizedName,
    name_variants: Sequence[PreparedVariant],
    weights: TokenWeights,
) -> PairScore:
    if not query_variants or not name_variants:
        empty = Explanation("", "", (), (), {})
        return PairScore(0.0, empty)
    best = _best(query_variants, name_variants, weights)
    explanation = _explanation(query, query_variants, name, name_variants, best)
    return PairScore(round(100.0 * best[0].score, 2), explanation)


def score_pair(query: str, name: str, *, weights: TokenWeights | None = None) -> PairScore:
    """Score one query against one name (0-100) with the explanation.

    Token weights come from the default list release unless ``weights`` is given, so a pair
    scores exactly as it would in a screening against that release.
    """
    if weights is None:
        weights = _default_weights()
    query_name = normalize_name(query)
    list_name = normalize_name(name)
    return _score_variants(
        query_name,
        [prepare(v, weights) for v in query_name.variants],
        list_name,
        [prepare(v, weights) for v in list_name.variants],
        weights,
    )


@cache
def _default_weights() -> TokenWeights:
    from screen.release.store import default_release

    return NameIndex(default_release()).weights


class Matcher:
    """Scores queries against every name of one release, through its index."""

    def __init__(self, index: NameIndex) -> None:
        self.index = index

    def score(self, query: NormalizedName, indexed: IndexedName) -> PairScore:
        """Score ``query`` against one indexed name."""
        return _score_variants(
            query,
            [prepare(v, self.index.weights) for v in query.variants],
            indexed.normalized,
            self.index.tokenized_variants(indexed),
            self.index.weights,
        )

    def match(
        self,
        query: NormalizedName,
        threshold: float,
        accept: Callable[[ListEntry], bool] | None = None,
    ) -> list[Hit]:
        """Every entry scoring ``threshold`` (0-100) or more through any of its names, best
        first; ``accept`` filters entries before scoring."""
        entries = self.index.release.entries
        best: dict[int, tuple[float, IndexedName, tuple[_Alignment, int, int]]] = {}
        query_variants = [prepare(v, self.index.weights) for v in query.variants]
        memo: Memo = {}
        for name_id in self.index.candidates_prepared(query_variants, threshold / 100.0):
            indexed = self.index.names[name_id]
            if accept is not None and not accept(entries[indexed.entry_index]):
                continue
            result = _best(
                query_variants, indexed.variants, self.index.weights, memo, threshold / 100.0
            )
            score = round(100.0 * result[0].score, 2)
            if score < threshold:
                continue
            current = best.get(indexed.entry_index)
            if current is None or score > current[0]:
                best[indexed.entry_index] = (score, indexed, result)
        hits = [
            Hit(
                entries[entry_index],
                indexed.name,
                indexed.alias_kind,
                score,
                _explanation(
                    query, query_variants, indexed.normalized,
                    self.index.tokenized_variants(indexed), result,
                ),
            )
            for entry_index, (score, indexed, result) in best.items()
        ]
        return sorted(hits, key=lambda hit: (-hit.score, hit.entry.id))
