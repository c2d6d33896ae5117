"""Align a query's tokens with a list name's, one to one, best pairs first; a token may also meet
two or three adjacent tokens of the other side joined.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from screen.index.prepared import PreparedVariant, joined_runs
from screen.index.weights import TokenWeights
from screen.matching.pairs import Memo, _Alignment, _Pair, token_pairs
from screen.matching.results import AlignmentHow, TokenAlignment
from screen.names.compare import MIN_TOKEN_SIMILARITY, MatchHow, compare_cut, compare_joined
from screen.names.segment import SPLIT
from screen.names.tokens import Token

GENERIC_ONLY_FACTOR: Final = 0.9
"""A partial match in which no distinctive token (see ``TokenWeights.distinctive_weight``)
matched is scaled by this: common words alone (``Beijing Technology Co., Ltd.`` against
``Beijing Institute of Technology``) make a hit only when nearly everything matches. A match
that leaves nothing unmatched is not scaled: identical names score 100."""
MISSING_GENERIC_FACTOR: Final = 0.5
"""When every distinctive token of the list name matched, and at least two did, a list-name
token that is only generic and missing from the query costs this fraction of its weight
(``Zhipu Huazhang`` for ``Beijing Zhipu Huazhang Technology Co., Ltd.``)."""


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
    if query.cuts:
        _drop_partial_cuts(query, name, pairs, used_query, used_name)
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


def _drop_partial_cuts(
    query: PreparedVariant,
    name: PreparedVariant,
    pairs: list[_Pair],
    used_query: set[int],
    used_name: set[int],
) -> None:
    """Unpair the words cut from a token written together unless every one of them met a word
    of the name by the same letters, an alternative form or the same sound
    (:func:`compare_cut`): a cut is a sign only whole (``Bachmann`` cut in ``bach mann`` is not
    ``Bach``), and only exact, as tokens joined are."""
    for cut in query.cuts:
        whole = True
        for position in cut:
            found: _Pair | None = None
            for pair in pairs:
                if pair.query_positions[0] == position:
                    found = pair
                    break
            if found is None or compare_cut(
                query.items[position], name.items[found.name_positions[0]]
            )[0] < MIN_TOKEN_SIMILARITY:
                whole = False
                break
        if whole:
            continue
        for position in cut:
            for at, pair in enumerate(pairs):
                if pair.query_positions[0] == position:
                    used_query.discard(position)
                    used_name.discard(pair.name_positions[0])
                    del pairs[at]
                    break


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
        how: AlignmentHow = pair.how
        if how == "exact":
            # the same letters, once joined or cut apart: say so
            if len(pair.query_positions) > 1 or len(pair.name_positions) > 1:
                how = "joined"
            elif query_tokens[pair.query_positions[0]].how == SPLIT:
                how = "split"
        steps.append(
            (
                pair.query_positions[0],
                pair.name_positions[0],
                TokenAlignment(
                    " ".join(query_tokens[p].text for p in pair.query_positions),
                    " ".join(query_tokens[p].original for p in pair.query_positions),
                    " ".join(name_tokens[p].text for p in pair.name_positions),
                    " ".join(name_tokens[p].original for p in pair.name_positions),
                    how,
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
