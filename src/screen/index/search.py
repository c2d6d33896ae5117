"""Find, fast, the few list names a query could match, without losing any that could score
above the threshold.

Lookups go by phonetic key, by single deletions of the key and of the letters (which find every
pair of tokens within one edit, and with each swap of the query's neighbouring letters, every
pair a swap and one edit apart), by consonant skeleton, and by adjacent tokens joined
(``zhipu huazhang`` ~ ``zhipuhuazhang``).

A query's tokens are taken rarest first until the tokens left over could not, even all matched,
lift a name to the threshold (prefix filtering); only those rarest tokens are looked up, and each
name found gets an upper bound of its score from the tokens that found it. Names whose bound is
below the threshold are dropped before the matcher scores anything.

Longer than most modules: the lookups and the bounds must agree (a bound is only safe for what
the lookups can find), so they are kept side by side.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Sequence
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING, Final

from screen.diskcache import default_cache_dir
from screen.diskcache import read_cache as _read_cache
from screen.diskcache import remove_stale as _remove_stale
from screen.diskcache import write_cache as _write_cache
from screen.index.build import _build, _Built, _code_fingerprint
from screen.index.names import (
    UNMATCHED_NAME_FACTOR,
    IndexedName,
    IndexedNames,
    least_unmatched_cost,
)
from screen.index.prepared import (
    _RUN_LENGTHS,
    PreparedVariant,
    is_person,
    joined_runs,
    prepare,
    slipped_variants,
)
from screen.index.split import WordSplitter
from screen.index.vocabulary import (
    _BUCKET_SHIFT,
    _NO_REACH,
    KEY_LENGTH_CAP,
    _deletions,
    _Reach,
    _reach_size,
    _Vocabulary,
)
from screen.index.weights import (
    _BOUND_MARGIN,
    _COMMON_WEIGHT,
    _MAX_SUBSET_ANCHORS,
    _REACH_CACHE_BUDGET,
    _SMALL_REACH,
    LEAST_MISSING_FACTOR,
    TokenWeights,
)
from screen.names.compare import (
    MIN_TOKEN_SIMILARITY,
    SWAP_ONLY_LENGTH,
    Comparable,
    allowed_edits,
    compare,
    compare_joined,
    feminine_ending_partner,
    may_meet_by_vowels,
    neighbour_swaps,
    reading_keys,
    vowel_lookups,
)
from screen.names.parts import INITIAL
from screen.names.tokens import NormalizedName, Token
from screen.release.models import ListRelease
from screen.text.phonetic import phonetic_key

if TYPE_CHECKING:
    from screen.index._candidates import CandidateSearch

_UNLOOKED_PARTS: Final = INITIAL
"""Kinds of query token the index does not look up, taking them to match: an initial may
stand for any word that begins with its letter (``names.compare.initial_similarity``)."""

__all__ = ["NameIndex", "prepare_query"]


def prepare_query(
    variants: Sequence[tuple[Token, ...]], weights: TokenWeights, splitter: WordSplitter
) -> list[PreparedVariant]:
    """A query's variants prepared with ``weights``, in the order the scorer breaks ties by:
    as normalised, then with tokens written together cut into words by ``splitter`` (see
    :mod:`screen.index.split`), then with a mistyped legal form read as that form
    (:func:`~screen.index.prepared.slipped_variants`). :meth:`NameIndex.query_variants` and
    ``matching.score_pair`` both prepare a query so."""
    prepared = [prepare(v, weights) for v in variants]
    prepared.extend(splitter.prepared_variants(variants, weights))
    prepared.extend(slipped_variants(variants, weights))
    return prepared


class NameIndex:
    """Candidate generation over every name and alias of one release."""

    release: ListRelease
    weights: TokenWeights
    """Token weights of this release's names."""
    names: IndexedNames
    """Every name and alias of the release, normalised and prepared; candidates are ids into
    this."""
    _built: _Built
    _vocabulary: _Vocabulary
    _min_weights: list[float]
    _max_weights: list[float]
    _discountable: list[float]
    _light: list[float]
    """Each name's smallest variant weight, by name id (read for every candidate)."""
    _reach_cache: OrderedDict[tuple[Comparable, bool], _Reach]
    """Remembered lookups, least recently used first (see ``_REACH_CACHE_BUDGET``); a lookup
    that reaches nothing is remembered as ``_NO_REACH``, so one dictionary read answers."""
    _reach_cache_size: int
    _reach_cache_budget: int
    _search: CandidateSearch | None
    """The compiled candidate search (``screen.index._candidates``), None where it is not built."""
    splitter: WordSplitter
    """Cuts a query's tokens written together into the release's words."""

    @classmethod
    def cached(cls, release: ListRelease, cache_dir: Path | None = None) -> NameIndex:
        """The index of ``release``, loaded from the on-disk cache when a matching one is
        there (keyed by the release checksum and the matching code), else built and stored.

        The cache only saves time: a missing, unreadable or stale file is rebuilt, and a cache
        directory that cannot be written is skipped.
        """
        fingerprint = _code_fingerprint()
        if fingerprint is None:  # a source tree never built: no cache is tied to its code
            return cls(release)
        directory = cache_dir if cache_dir is not None else default_cache_dir()
        path = directory / f"index-{release.checksum[:20]}-{fingerprint}.pickle"
        loaded = _read_cache(path)
        if isinstance(loaded, _Built) and loaded.checksum == release.checksum:
            return cls(release, _built=loaded)
        index = cls(release)
        if _write_cache(path, index._built):
            _remove_stale(path, f"index-{release.checksum[:20]}-*.pickle")
        return index

    def __init__(self, release: ListRelease, *, _built: _Built | None = None) -> None:
        """Index every name and alias of ``release`` (``_built``: what an earlier build of
        this release made, from the cache)."""
        built = _built if _built is not None else _build(release)
        self.release = release
        self._built = built
        self.weights = built.weights
        self.names = built.names
        self._vocabulary = built.vocabulary
        self._min_weights = built.names.min_weights
        self._max_weights = built.names.max_weights
        self._discountable = built.names.discountable
        self._light = built.names.light
        self._reach_cache = OrderedDict()
        self._reach_cache_size = 0
        self._reach_cache_budget = _REACH_CACHE_BUDGET
        self._search = _compiled_search(self)
        self.splitter = WordSplitter(self.weights.document_frequency, self._vocabulary)

    def tokenized_variants(self, indexed: IndexedName) -> tuple[PreparedVariant, ...]:
        """The variants of one of the index's names, prepared with their tokens, as
        explanations need them (the index keeps them without: made again, they are the same,
        as normalisation and weights are deterministic)."""
        listed_as = (
            indexed.name, is_person(self.release.entries[indexed.entry_index].entity_type)
        )
        return tuple(
            prepare(v, self.weights, listed_as=listed_as) for v in indexed.normalized.variants
        )

    # -- queries -----------------------------------------------------------------------------

    def query_variants(self, query: NormalizedName) -> list[PreparedVariant]:
        """The variants of ``query`` prepared with this index's weights, and after them each
        variant with its tokens written together cut into the release's words (see
        :mod:`screen.index.split`), and last each with a mistyped legal form read as that form
        (:func:`~screen.index.prepared.slipped_variants`): what the candidate search and the
        scorer both look at."""
        return prepare_query(query.variants, self.weights, self.splitter)

    def lookup(self, item: Comparable, *, joined: bool = False) -> dict[int, float]:
        """Vocabulary ids whose key matches ``item`` (similarity >= the token minimum), with
        their similarity. ``joined``: ``item`` is several query tokens joined, which match
        only by the same key (or consonants, for abjad)."""
        return self._lookup(item, joined)

    def _lookup(self, item: Comparable, joined: bool) -> dict[int, float]:
        # also what the compiled search calls the first time it meets a token: the one
        # definition of what a token matches
        return self._lookup_joined(item) if joined else self._lookup_single(item)

    def _reach(self, item: Comparable, joined: bool) -> _Reach | None:
        """The names ``item`` matches, each with the most a match can bring to it (similarity
        x list weight), or None when it matches nothing. Remembered within a budget: the same
        words come back in query after query. The maps are shared: never change one."""
        cache = self._reach_cache
        cache_key = (item, joined)
        known = cache.get(cache_key)
        if known is not None:
            cache.move_to_end(cache_key)
            return None if known is _NO_REACH else known
        reach: _Reach | None = None
        if not item.legal_form:
            vocabulary = self._vocabulary
            weights = vocabulary.weights
            base_weights = vocabulary.base_weights
            heavier = vocabulary.heavier
            postings = vocabulary.postings
            similarities = self.lookup(item, joined=joined)
            if similarities:
                # each name gets the most any matched entry brings it, at the entry's weight
                # in that name
                values: dict[int, float] = {}
                most = 0.0
                for vocabulary_id, similarity in similarities.items():
                    value = similarity * base_weights[vocabulary_id]
                    for name_id in postings[vocabulary_id]:
                        if value > values.get(name_id, -1.0):
                            values[name_id] = value
                    for name_id, weight in heavier.get(vocabulary_id, ()):
                        value = similarity * weight
                        if value > values[name_id]:
                            values[name_id] = value
                    value = similarity * weights[vocabulary_id]
                    if value > most:
                        most = value
                reach = _Reach(values, most)
        remembered = _NO_REACH if reach is None else reach
        cache[cache_key] = remembered
        self._reach_cache_size += _reach_size(remembered)
        while self._reach_cache_size > self._reach_cache_budget and len(cache) > 1:
            self._reach_cache_size -= _reach_size(cache.popitem(last=False)[1])
        return reach

    def _lookup_single(self, item: Comparable) -> dict[int, float]:
        vocabulary = self._vocabulary
        matches: dict[int, float] = {}
        joined_only = vocabulary.joined_only
        found: set[int] = set()
        for key in (item.key, *(phonetic_key(form) for form, _ in item.forms)):
            vocabulary_id = vocabulary.by_key.get(key)
            if vocabulary_id is not None:
                if vocabulary_id in joined_only:
                    found.add(vocabulary_id)  # compared as joined, below
                else:
                    matches[vocabulary_id] = 1.0
        edits = allowed_edits(len(item.text))
        if len(item.text) == SWAP_ONLY_LENGTH:
            # a word too short for edits meets its swaps (see compare.SWAP_ONLY_LENGTH): found
            # by their keys, which are the keys the vocabulary holds words by
            for swapped in neighbour_swaps(item.text):
                swapped_id = vocabulary.by_key.get(phonetic_key(swapped))
                if swapped_id is not None:
                    found.add(swapped_id)
        spelled = {item.key, item.text} if edits else set()
        if edits > 1:
            # a swap and one more edit (see allowed_edits): the swap made here, the edit found
            # by single deletions as for the rest
            spelled.update(neighbour_swaps(item.text))
        if item.forms:
            # a reading of the token meets words one edit from it in the keys (see compare)
            spelled.update(reading_keys(item))
        if self._search is not None:
            self._search.add_deletion_matches(spelled, found)  # the same, in C++
        else:
            # as a set: deleting either swapped letter gives a deletion of the word itself
            for deleted in {deleted for text in spelled for deleted in _deletions(text)}:
                vocabulary.by_deletion.find(deleted, found)
        # consonants compare when either side is abjad: all names for an abjad query, only
        # the abjad names for any other; a word long enough meets a word with its consonants
        # whose vowels differ (see compare.MIN_VOWEL_SKELETON): any word from two edits on,
        # else only a word the list writes apart (compare_joined)
        skeleton_index = vocabulary.by_skeleton if item.abjad else vocabulary.by_abjad_skeleton
        if len(item.skeleton) >= 2:
            found.update(skeleton_index.get(item.skeleton, ()))
        if may_meet_by_vowels(item):
            found.update(self._vowel_partners(item, edits > 1))
        # an Arabic ta marbuta written -at on the Latin side (see compare._feminine_ending)
        partner = feminine_ending_partner(item)
        if partner is not None:
            found.update(skeleton_index.get(partner, ()))
        for vocabulary_id in found.difference(matches):
            # a word met only as listed tokens joined meets a query token as the scorer joins
            # leftovers: by the same letters or sound alone (Abd Al is no typo of Abdallah)
            similarity = max(
                (compare_joined if vocabulary_id in joined_only else compare)(item, spelling)[0]
                for spelling in vocabulary.spellings[vocabulary_id]
            )
            if similarity >= MIN_TOKEN_SIMILARITY:
                matches[vocabulary_id] = similarity
        return matches

    def _vowel_partners(self, item: Comparable, single_too: bool) -> list[int]:
        """Vocabulary ids of the words ``item`` may meet with vowels written otherwise
        (``compare``'s and ``compare_joined``'s rule; where: ``compare.vowel_lookups``);
        ``single_too`` False: only words the list writes apart (``item`` is too short for
        ``compare``'s)."""
        vocabulary = self._vocabulary
        key_lengths = vocabulary.key_lengths
        joined_only = vocabulary.joined_only
        by_skeleton = vocabulary.by_skeleton
        partners: list[int] = []
        for skeleton, key_length in vowel_lookups(item.text, item.key, item.skeleton):
            for vocabulary_id in by_skeleton.get(skeleton, ()):
                length = key_lengths[vocabulary_id]
                if length == KEY_LENGTH_CAP:
                    length = len(vocabulary.spellings[vocabulary_id][0].key)
                if length == key_length and (single_too or vocabulary_id in joined_only):
                    partners.append(vocabulary_id)
        return partners

    def _lookup_joined(self, item: Comparable) -> dict[int, float]:
        vocabulary = self._vocabulary
        found: set[int] = set()
        vocabulary_id = vocabulary.by_key.get(item.key)
        if vocabulary_id is not None:
            found.add(vocabulary_id)
        if item.abjad and len(item.skeleton) >= 4:
            found.update(vocabulary.by_skeleton.get(item.skeleton, ()))
        elif may_meet_by_vowels(item):
            found.update(self._vowel_partners(item, True))
        matches: dict[int, float] = {}
        for vocabulary_id in found:
            similarity = max(
                compare_joined(item, spelling)[0]
                for spelling in vocabulary.spellings[vocabulary_id]
            )
            if similarity >= MIN_TOKEN_SIMILARITY:
                matches[vocabulary_id] = similarity
        return matches

    def candidates(self, query: NormalizedName, threshold: float) -> list[int]:
        """Ids (into ``names``) of every name that could score ``threshold`` (0-1) or more
        against ``query``, best upper bound first."""
        return self.candidates_prepared(self.query_variants(query), threshold)

    def candidates_prepared(
        self, variants: Sequence[PreparedVariant], threshold: float
    ) -> list[int]:
        """Like :meth:`candidates`, for query variants already prepared with this index's
        weights (the matcher prepares them once for candidates and scoring)."""
        if self._search is not None:
            return self._search.candidates(variants, threshold)
        return self._candidates_in_python(variants, threshold)

    def _candidates_in_python(
        self, variants: Sequence[PreparedVariant], threshold: float
    ) -> list[int]:
        """The candidate search in Python: the reference for the compiled one, which does the
        same step for step, and the search wherever that is not built."""
        bounds: dict[int, float] = {}
        for variant in variants:
            for name_id, bound in self._variant_candidates(variant, threshold):
                if bound > bounds.get(name_id, -1.0):
                    bounds[name_id] = bound
        return sorted(bounds, key=lambda name_id: (-bounds[name_id], name_id))

    def _variant_candidates(
        self, prepared: PreparedVariant, threshold: float
    ) -> Iterator[tuple[int, float]]:
        if not prepared.items:
            return
        token_weights = prepared.weights
        total = prepared.total
        # heaviest first, ties in position order (reverse=True keeps a sort stable)
        order = sorted(range(len(token_weights)), key=token_weights.__getitem__, reverse=True)
        # Anchors: every token that is not common, and then common ones rarest first until a
        # name matching none of the anchors could not reach the threshold through the rest.
        # Only the tokens left over are assumed to match in the bound below.
        target = max(0.0, threshold - _BOUND_MARGIN)
        # what each token costs at least left unmatched (a query's place, generic word, legal
        # form or initial may cost less than its weight): the unmatched sums below add costs
        costs = prepared.costs or token_weights
        anchors: list[int] = []
        rest = total
        anchor_cost = 0.0
        parts = prepared.parts
        unlooked = {p for p in range(min(len(parts), len(token_weights)))
                    if parts[p] in _UNLOOKED_PARTS}
        if unlooked and _all_unlooked(prepared, unlooked):
            # nothing but initials (and legal forms, ``I.T.C. LLC``): the initials are looked
            # up as the letters they are, or nothing would be found
            unlooked = set()
        for position in order:
            if position in unlooked:
                continue
            common = token_weights[position] < _COMMON_WEIGHT
            if common and (rest <= 0 or 2 * rest / (2 * rest + anchor_cost) < target):
                break
            anchors.append(position)
            rest -= token_weights[position]
            anchor_cost += costs[position]
        anchor_set = set(anchors)
        # For each anchor position: the most any lookup through it brings to each name it
        # finds (similarity x list weight). A joined match is credited in full to each anchor
        # in it: an over-estimate, so the bound stays a bound whatever the run's other tokens
        # bring.
        reaches: dict[int, list[_Reach]] = {position: [] for position in anchors}
        for position in anchors:
            reach = self._reach(prepared.items[position], False)
            if reach is not None:
                reaches[position].append(reach)
        for run_positions, run in joined_runs(prepared):
            touched = anchor_set.intersection(run_positions)
            reach = self._reach(run, True) if touched else None
            if reach is not None:
                for position in touched:
                    reaches[position].append(reach)
        found_by: dict[int, dict[int, float]] = {}
        most: dict[int, float] = {}
        for position, found in reaches.items():
            if found:
                found_by[position] = _best_of([reach.values for reach in found])
                best = found[0].most
                for reach in found:
                    if reach.most > best:
                        best = reach.most
                most[position] = best
        # Written as plain loops, not sum() or any() over generators nor a nested function:
        # compiled, each of those is a call through the interpreter, and this runs for every
        # variant of every name screened. The sums add in the same order as sum() would.
        useful = [p for p in anchors if p in found_by]
        candidates: set[int] = set()
        reached = 0
        for p in useful:
            reached += len(found_by[p])
        if reached > _SMALL_REACH and len(useful) <= _MAX_SUBSET_ANCHORS:
            # names found through too few positions cannot reach the target: only the
            # intersections for the smallest sufficient sets of positions need be looked at
            sufficient: list[frozenset[int]] = []
            for size in range(1, len(useful) + 1):
                for subset in combinations(useful, size):
                    chosen = frozenset(subset)
                    if _holds_a_subset_of(sufficient, chosen):
                        continue
                    # optimistic bound for any name found through exactly these positions:
                    # they bring the most they can, every token outside the anchors
                    # matches, and nothing of the list name is missing
                    most_brought = 0.0
                    found_cost = 0.0
                    for p in subset:  # in position order, as the compiled search adds
                        most_brought += most[p]
                        found_cost += costs[p]
                    covered = rest + most_brought
                    not_found = anchor_cost - found_cost
                    denominator = 2 * covered + max(0.0, not_found)
                    bound = 2 * covered / denominator if denominator else 0.0
                    if not bound >= target:
                        continue
                    sufficient.append(chosen)
                    if size == 1:
                        candidates.update(found_by[subset[0]])
                        continue
                    ordered = sorted(chosen, key=lambda p: len(found_by[p]))
                    shared = set(found_by[ordered[0]])
                    for position in ordered[1:]:
                        values = found_by[position]
                        shared = {name_id for name_id in shared if name_id in values}
                    candidates |= shared
        else:
            # few names found (bounding each costs less than choosing), or too many anchors
            for p in useful:
                candidates.update(found_by[p])
        found_values = [(found_by[p], costs[p]) for p in useful]
        min_weights = self._min_weights
        max_weights = self._max_weights
        discountable = self._discountable
        light = self._light
        rest_values: list[tuple[dict[int, float] | None, float, float]] | None = None
        rest_cost = 0.0
        for name_id in candidates:
            # the bound for this name: what each anchor brings to it exactly, the tokens left
            # over matching in full, and the list name's missing words counted at the
            # discount they may get (see screen.match)
            covered = rest
            not_found = anchor_cost
            for values, cost in found_values:
                brought = values.get(name_id)
                if brought is not None:
                    covered += brought
                    not_found -= cost
            min_weight = min_weights[name_id]
            # a query matches at most the name's own weight (a word repeated in the query,
            # each time bringing the name's one word): the bound counts no more
            max_weight = max_weights[name_id]
            capped = covered if covered < max_weight else max_weight
            cheap = discountable[name_id]
            unmatched_name = 0.0
            if min_weight > capped:
                unmatched_name = least_unmatched_cost(min_weight - capped, cheap, light[name_id])
            denominator = 2 * capped + (not_found if not_found > 0.0 else 0.0) + unmatched_name
            if (2 * capped / denominator if denominator else 0.0) < target:
                continue
            # close enough: look at what the tokens left over really bring to this name (their
            # lookups are common words, so only now, for the few names still in)
            if rest_values is None:
                rest_values = self._rest_values(prepared, anchor_set, unlooked, costs)
                rest_cost = 0.0
                for _map, _weight, cost in rest_values:
                    rest_cost += cost
            covered -= rest
            not_found += rest_cost
            for rest_map, weight, cost in rest_values:
                brought = weight if rest_map is None else rest_map.get(name_id)
                if brought is not None:
                    covered += brought
                    not_found -= cost
            capped = covered if covered < max_weight else max_weight
            unmatched_name = 0.0
            if min_weight > capped:
                unmatched_name = least_unmatched_cost(min_weight - capped, cheap, light[name_id])
            denominator = 2 * capped + max(0.0, not_found) + unmatched_name
            name_bound = 2 * capped / denominator if denominator else 0.0
            if name_bound >= target:
                yield name_id, name_bound

    def _rest_values(
        self,
        prepared: PreparedVariant,
        anchors: set[int],
        unlooked: set[int],
        costs: tuple[float, ...],
    ) -> list[tuple[dict[int, float] | None, float, float]]:
        """For each token that is not an anchor: the most it can bring to each name (through
        itself or any joined run it is part of), with its weight and its least cost unmatched;
        None for a legal form or an initial (``unlooked``), which the index does not hold and
        which is taken to match."""
        result: list[tuple[dict[int, float] | None, float, float]] = []
        runs = list(joined_runs(prepared))
        for position, item in enumerate(prepared.items):
            if position in anchors:
                continue
            weight = prepared.weights[position]
            if item.legal_form or position in unlooked:
                result.append((None, weight, costs[position]))
                continue
            found = [self._reach(item, False)]
            found += [self._reach(run, True) for positions, run in runs if position in positions]
            maps = [reach.values for reach in found if reach is not None]
            result.append((_best_of(maps) if maps else {}, weight, costs[position]))
        return result

    def names_with_key(self, key: str) -> tuple[int, ...]:
        """Ids of the names with a token of key ``key`` (legal forms aside: the index keeps
        none), or with an alternative form or a run of tokens written together of that key, in
        id order: a superset of the names whose tokens have it, found without a search."""
        vocabulary = self._vocabulary
        vocabulary_id = vocabulary.by_key.get(key)
        return () if vocabulary_id is None else vocabulary.postings[vocabulary_id]

    def stats(self) -> dict[str, int]:
        """Sizes of the index, for benchmarks and the README."""
        vocabulary = self._vocabulary
        return {
            "entries": len(self.release.entries),
            "names": len(self.names),
            "vocabulary": len(vocabulary.weights),
            "deletion_keys": len(vocabulary.by_deletion.hashes),
            "postings": sum(len(p) for p in vocabulary.postings),
        }


def _compiled_search(index: NameIndex) -> CandidateSearch | None:
    """The compiled candidate search over ``index``, or None where ``screen.index._candidates`` was
    not built (no compiler, or a plain-Python install): the Python search then runs."""
    try:
        from screen.index._candidates import CandidateSearch
    except ImportError:
        return None
    return CandidateSearch(
        index._vocabulary,
        index._lookup,
        _BUCKET_SHIFT,
        index._min_weights,
        index._max_weights,
        index._discountable,
        index._light,
        _RUN_LENGTHS,
        _BOUND_MARGIN,
        _COMMON_WEIGHT,
        _MAX_SUBSET_ANCHORS,
        _SMALL_REACH,
        UNMATCHED_NAME_FACTOR,
        LEAST_MISSING_FACTOR,
        _REACH_CACHE_BUDGET,
        _UNLOOKED_PARTS,
    )


def _all_unlooked(prepared: PreparedVariant, unlooked: set[int]) -> bool:
    """Whether every token of ``prepared`` is ``unlooked`` or a legal form."""
    for position, item in enumerate(prepared.items):
        if position not in unlooked and not item.legal_form:
            return False
    return True


def _holds_a_subset_of(sets: list[frozenset[int]], chosen: frozenset[int]) -> bool:
    """Whether one of ``sets`` is a subset of ``chosen``. A plain loop, not any() over a
    generator, which compiled is a call through the interpreter for every subset tried."""
    for known in sets:  # noqa: SIM110
        if known <= chosen:
            return True
    return False


def _best_of(maps: list[dict[int, float]]) -> dict[int, float]:
    """The most any of ``maps`` gives each name. One map is returned as it is (maps from the
    reach cache are shared, so several are merged into a new one, never into the first)."""
    if len(maps) == 1:
        return maps[0]
    merged = dict(maps[0])
    for values in maps[1:]:
        for name_id, value in values.items():
            if value > merged.get(name_id, 0.0):
                merged[name_id] = value
    return merged
