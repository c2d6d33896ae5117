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
from typing import Final

from screen.index.names import IndexedName
from screen.index.prepared import PreparedVariant, prepare
from screen.index.search import NameIndex, prepare_query
from screen.index.split import WordSplitter
from screen.index.weights import CONTRADICTION_FACTOR, TokenWeights
from screen.matching.align import (
    DESCRIPTIVE_ONLY_FACTOR,
    GENERIC_ONLY_FACTOR,
    ORGANISATION_AS_PERSON_FACTOR,
    _alignment_steps,
    _best,
)
from screen.matching.pairs import _Alignment, new_memo
from screen.matching.results import Explanation, Hit, PairScore
from screen.names.compare import MIN_TOKEN_SIMILARITY, compare
from screen.names.legal_slips import MISTYPED_LEGAL_FORMS
from screen.names.normalize import normalize_name
from screen.names.parts import PATRONYMIC, looks_like_person
from screen.names.segment import SPLIT
from screen.names.tokens import NormalizedName
from screen.release.models import ListEntry

__all__ = ["DEFAULT_THRESHOLD", "MATCHER_VERSION", "Matcher", "score_pair"]

MATCHER_VERSION: Final = "2.6.0"
"""Changes whenever a change to normalisation, weights or scoring can change a score."""

DEFAULT_THRESHOLD: Final = 80.0
"""Scores at or above this are hits. Chosen on the labelled development pairs (see README):
it keeps recall on listed parties first and the alert rate on ordinary names low."""


def _explanation(
    query: NormalizedName,
    query_variants: Sequence[PreparedVariant],
    name: NormalizedName,
    name_variants: Sequence[PreparedVariant],
    best: tuple[_Alignment, int, int],
) -> Explanation:
    alignment, qi, ni = best
    # a variant with tokens cut in words, or with a mistyped legal form read as that form, is
    # made by the index, not the normaliser
    made_by_index = [f"query: {SPLIT}"] if _has_split(query_variants[qi]) else []
    for token in query_variants[qi].tokens:
        if token.how in MISTYPED_LEGAL_FORMS:
            made_by_index.append(f"query: {token.how}")
    transformations = tuple(
        dict.fromkeys(
            [f"query: {step}" for step in query.transformations]
            + made_by_index
            + [f"name: {step}" for step in name.transformations]
        )
    )
    parts = {
        "matched_weight": alignment.matched,
        "matched_score": alignment.numerator,
        "unmatched_query_weight": alignment.unmatched_query,
        "unmatched_name_weight": alignment.unmatched_name,
        "generic_only_factor": GENERIC_ONLY_FACTOR if alignment.generic_only else 1.0,
        "descriptive_only_factor": (
            DESCRIPTIVE_ONLY_FACTOR if alignment.descriptive_only else 1.0
        ),
        "organisation_as_person_factor": (
            ORGANISATION_AS_PERSON_FACTOR if alignment.organisation_as_person else 1.0
        ),
        "entry_contradiction_weight": alignment.entry_contradiction,
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


def _has_split(variant: PreparedVariant) -> bool:
    """Whether ``variant`` has a token cut from a word written together."""
    for token in variant.tokens:  # noqa: SIM110 (compiled, any() is a call)
        if token.how == SPLIT:
            return True
    return False


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


def _siblings(name_ids: tuple[int, ...], name_id: int) -> list[int]:
    """The other names of an entry (``name_ids``, in id order) nearest ``name_id`` first:
    those before it, going back, then those after it (the entry's own names, then the names
    found inside them, which the index adds last)."""
    before = [other for other in name_ids if other < name_id]
    before.reverse()
    return before + [other for other in name_ids if other > name_id]


def alignment_denominator(alignment: _Alignment) -> float:
    """The denominator of an alignment's score: matched, unmatched query and name weights."""
    return alignment.matched + alignment.unmatched_query + alignment.unmatched_name


def score_pair(
    query: str,
    name: str,
    *,
    weights: TokenWeights | None = None,
    person: bool | None = None,
) -> PairScore:
    """Score one query against one name (0-100) with the explanation.

    ``weights``: a release's token weights (``NameIndex.weights``), so the pair scores exactly as
    it would in a screening against that release; without them no release is loaded, and every
    word weighs alike (:meth:`TokenWeights.without_release`). ``person``: whether ``name`` is a
    person's (its parts are then given names, surnames, patronymics ...); None guesses from its
    shape (:func:`screen.names.parts.looks_like_person`).
    """
    if weights is None:
        weights = TokenWeights.without_release()
    query_name = normalize_name(query)
    list_name = normalize_name(name)
    if person is None:
        person = looks_like_person(name, list_name.tokens)
    # tokens written together are cut into the name's own words
    splitter = WordSplitter(
        weights.document_frequency, pieces={t.key for v in list_name.variants for t in v}
    )
    return _score_variants(
        query_name,
        prepare_query(query_name.variants, weights, splitter),
        list_name,
        [prepare(v, weights, listed_as=(name, person)) for v in list_name.variants],
        weights,
    )


class Matcher:
    """Scores queries against every name of one release, through its index."""

    def __init__(self, index: NameIndex) -> None:
        self.index = index

    def _contradicted_by_entry(
        self, name_id: int, query: PreparedVariant, alignment: _Alignment
    ) -> bool:
        """What a patronymic of the query, left unmatched by the name that scored, costs more
        when another name of the same entry has a patronymic it does not match: the entry's
        names are one person's, so ``Sergey Ivanovich Lavrov`` contradicts the entry listed
        as ``LAVROV, Sergey Viktorovich`` also through its alias ``LAVROV, Sergey``
        (see ``CONTRADICTION_FACTOR``). Rescores ``alignment`` so and says whether it did."""
        extra = [
            i for i, part in enumerate(query.parts)
            if part == PATRONYMIC and i not in alignment.used_query
            and alignment.query_factors[i] <= 1.0
        ]
        if not extra:
            return False
        names = self.index.names
        entry_index = names[name_id].entry_index
        for sibling_id in _siblings(names.names_of(entry_index), name_id):
            for variant in names[sibling_id].variants:
                for j, part in enumerate(variant.parts):
                    if part != PATRONYMIC:
                        continue
                    for i in extra:
                        if compare(query.items[i], variant.items[j])[0] < MIN_TOKEN_SIMILARITY:
                            added = (CONTRADICTION_FACTOR - 1.0) * query.weights[i] + (
                                CONTRADICTION_FACTOR * variant.weights[j]
                            )
                            denominator = alignment_denominator(alignment)
                            alignment.score *= denominator / (denominator + added)
                            alignment.unmatched_query += added
                            alignment.query_factors[i] = CONTRADICTION_FACTOR
                            alignment.entry_contradiction = added
                            return True
        return False

    def score(self, query: NormalizedName, indexed: IndexedName) -> PairScore:
        """Score ``query`` against one indexed name."""
        return _score_variants(
            query,
            self.index.query_variants(query),
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
        best: dict[int, tuple[float, int, IndexedName, tuple[_Alignment, int, int]]] = {}
        query_variants = self.index.query_variants(query)
        memo = new_memo()
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
            if self._contradicted_by_entry(name_id, query_variants[result[1]], result[0]):
                score = round(100.0 * result[0].score, 2)
                if score < threshold:
                    continue
            # an entry's best name; of names scoring alike, the one the entry lists first
            # (names are indexed in the entry's order), whatever order the candidates came in
            current = best.get(indexed.entry_index)
            if current is None or score > current[0] or (
                score == current[0] and name_id < current[1]
            ):
                best[indexed.entry_index] = (score, name_id, indexed, result)
        hits = [
            Hit(
                entries[entry_index],
                indexed.listed,
                indexed.alias_kind,
                score,
                _explanation(
                    query, query_variants, indexed.normalized,
                    self.index.tokenized_variants(indexed), result,
                ),
            )
            for entry_index, (score, _name_id, indexed, result) in best.items()
        ]
        return sorted(hits, key=lambda hit: (-hit.score, hit.entry.id))
