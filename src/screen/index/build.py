"""Building a release's index: normalising every name and alias once, weighing tokens and making the
vocabulary; and the fingerprint that keys the built index in the on-disk cache.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace
from functools import cache
from typing import Final, NamedTuple

from screen.implementation import build_identity
from screen.index.inner_names import inner_names, plain_name
from screen.index.names import IndexedName, IndexedNames
from screen.index.prepared import is_person, joined_runs, prepare
from screen.index.vocabulary import (
    KEY_LENGTH_CAP,
    _deletion_hash,
    _deletions,
    _DeletionTable,
    _Spellings,
    _Vocabulary,
)
from screen.index.weights import TokenWeights, scoring_tokens
from screen.names.compare import (
    Comparable,
    allowed_edits,
    comparable,
)
from screen.names.normalize import normalize_name
from screen.names.tokens import NormalizedName, Token, TokenKind
from screen.release.models import AliasKind, ListRelease
from screen.text.scripts import Script

_CACHE_FORMAT: Final = 10


def _code_fingerprint() -> str | None:
    """What an index depends on besides the release: the installed build of the matching code
    and its tables (:func:`screen.implementation.build_identity`) and the cache format. None
    when the code has no build identity: then no index is cached."""
    build = build_identity()
    if build is None:
        return None
    return hashlib.sha256(f"{_CACHE_FORMAT} {build}".encode()).hexdigest()[:16]


def _build(release: ListRelease) -> _Built:
    """Normalise, weigh and index every name and alias of ``release``."""
    names: list[IndexedName] = []
    raw: list[_Raw] = []
    document_frequency: dict[str, int] = {}
    for entry_index, entry in enumerate(release.entries):
        labelled: list[tuple[str, AliasKind | None]] = [(entry.name, None)]
        labelled += [(alias.name, alias.kind) for alias in entry.aliases]
        seen: set[str] = set()
        for name, kind in labelled:
            if name in seen:
                continue
            seen.add(name)
            normalized = normalize_name(name)
            if normalized.is_empty:
                continue
            raw.append((entry_index, name, kind, normalized, name))
            keys = {t.key for v in normalized.variants for t in scoring_tokens(v)}
            for key in keys:
                document_frequency[key] = document_frequency.get(key, 0) + 1
    token_weights = TokenWeights(document_frequency, max(1, len(raw)))
    # names written inside the list's names are names of the entry too; they are not counted
    # in the weights, which stay those of the names the list gives
    raw += _inner_names(release)
    shared: dict[Comparable, Comparable] = {}
    for entry_index, name, kind, normalized, listed in raw:
        listed_as = (name, is_person(release.entries[entry_index].entity_type))
        variants = tuple(
            prepare(v, token_weights, shared, listed_as=listed_as) for v in normalized.variants
        )
        min_weight = min(v.total for v in variants)
        names.append(IndexedName(entry_index, name, kind, variants, min_weight, listed))
    vocabulary = _build_vocabulary(names, token_weights)
    # scoring needs only the comparable forms: the tokens (for explanations) are made again
    # for the few names that are hits (see NameIndex.tokenized_variants)
    stored = IndexedNames([
        IndexedName(
            n.entry_index, n.name, n.alias_kind,
            tuple(replace(v, tokens=()) for v in n.variants), n.min_weight, n.listed,
        )
        for n in names
    ], token_weights.distinctive_weight)
    return _Built(release.checksum, token_weights, stored, vocabulary)


def _build_vocabulary(
    names: Sequence[IndexedName], token_weights: TokenWeights
) -> _Vocabulary:
    # built in lists and sets, then stored in tuples and a deletion table, which take
    # less memory in every screening process
    comparables: list[Comparable] = []
    weights: list[float] = []
    by_key: dict[str, int] = {}
    all_spellings: list[list[Comparable]] = []
    all_postings: list[list[int]] = []
    # what a match with the entry can weigh in each name of its postings (parallel lists)
    all_posting_weights: list[list[float]] = []
    deletions: set[tuple[int, int]] = set()
    single_ids: set[int] = set()

    def add(
        item: Comparable, name_id: int, single: bool, original: Comparable, weight: float
    ) -> None:
        text = original.text
        vocabulary_id = by_key.get(item.key)
        if vocabulary_id is None:
            vocabulary_id = len(comparables)
            by_key[item.key] = vocabulary_id
            comparables.append(item)
            all_spellings.append([])
            weights.append(weight)
            all_postings.append([])
            all_posting_weights.append([])
        elif weight > weights[vocabulary_id]:
            weights[vocabulary_id] = weight
        elif item.abjad and not comparables[vocabulary_id].abjad:
            # a key shared by a Latin and an abjad token must be found by consonants too
            comparables[vocabulary_id] = item
        spellings = all_spellings[vocabulary_id]
        if original not in spellings:
            spellings.append(original)
        if single:
            single_ids.add(vocabulary_id)
            # the scorer allows edits (by the word's length in letters) in the letters or in
            # the phonetic key: index the single deletions of both (a query's swaps meet them
            # too; see NameIndex._lookup_single)
            for spelled in {item.key, text} if allowed_edits(len(text)) else ():
                if (spelled, vocabulary_id) not in indexed_spellings:
                    indexed_spellings.add((spelled, vocabulary_id))
                    for deleted in _deletions(spelled):
                        deletions.add((_deletion_hash(deleted), vocabulary_id))
        postings = all_postings[vocabulary_id]
        posting_weights = all_posting_weights[vocabulary_id]
        if not postings or postings[-1] != name_id:
            postings.append(name_id)
            posting_weights.append(weight)
        elif weight > posting_weights[-1]:
            posting_weights[-1] = weight

    skeletons: dict[str, set[int]] = {}
    indexed_spellings: set[tuple[str, int]] = set()
    for name_id, indexed in enumerate(names):
        for prepared in indexed.variants:
            variant = prepared.tokens
            for token in variant:
                if token.kind is TokenKind.LEGAL_FORM:
                    continue
                original = comparable((token,))
                item = _key_comparable(original)
                weight = token_weights.key_weight(token.key)
                add(item, name_id, True, original, weight)
                skeletons.setdefault(item.skeleton, set()).add(by_key[item.key])
                for form, how in token.alternatives:
                    if how == "plural":
                        continue  # a query's token carries the other number as well
                    alternative = comparable((_plain(form),))
                    add(_key_comparable(alternative), name_id, True, alternative, weight)
            for positions, original in joined_runs(prepared):
                item = _key_comparable(original)
                weight = 0.0
                for p in positions:
                    weight += token_weights.key_weight(variant[p].key)
                add(item, name_id, False, original, weight)
                skeletons.setdefault(item.skeleton, set()).add(by_key[item.key])
    by_skeleton: dict[str, tuple[int, ...]] = {}
    by_abjad_skeleton: dict[str, tuple[int, ...]] = {}
    for skeleton, vocabulary_ids in skeletons.items():
        if len(skeleton) < 2:
            continue
        ordered = tuple(sorted(vocabulary_ids))
        abjad = tuple(i for i in ordered if comparables[i].abjad)
        by_skeleton[skeleton] = ordered
        if abjad:
            by_abjad_skeleton[skeleton] = abjad
    base_weights, heavier = _posting_weights(all_postings, all_posting_weights)
    return _Vocabulary(
        _Spellings([tuple(spellings) for spellings in all_spellings]),
        weights,
        base_weights,
        heavier,
        [tuple(postings) for postings in all_postings],
        by_key,
        _DeletionTable.of(deletions),
        by_skeleton,
        by_abjad_skeleton,
        bytes(min(len(item.key), KEY_LENGTH_CAP) for item in comparables),
        frozenset(range(len(comparables))) - single_ids,
    )


def _posting_weights(
    all_postings: list[list[int]], all_posting_weights: list[list[float]]
) -> tuple[list[float], dict[int, tuple[tuple[int, float], ...]]]:
    """Each entry's weight in most of its names (the least of them), and the names in which it
    weighs more (as tokens joined, or as another token's alternative form), with that weight."""
    base_weights: list[float] = []
    heavier: dict[int, tuple[tuple[int, float], ...]] = {}
    for vocabulary_id, posting_weights in enumerate(all_posting_weights):
        base = min(posting_weights)
        base_weights.append(base)
        above = tuple(
            (name_id, weight)
            for name_id, weight in zip(all_postings[vocabulary_id], posting_weights, strict=True)
            if weight > base
        )
        if above:
            heavier[vocabulary_id] = above
    return base_weights, heavier


_Raw = tuple[int, str, AliasKind | None, NormalizedName, str]
"""A name to index: entry, name, alias kind, the name normalised, the listed name it is."""


def _inner_names(release: ListRelease) -> list[_Raw]:
    """The names written inside each entry's names (:mod:`screen.index.inner_names`) that the
    entry does not give already, normalised, each with the name it is written in."""
    found: list[_Raw] = []
    for entry_index, entry in enumerate(release.entries):
        given = {plain_name(name) for name in entry.names}
        for name in dict.fromkeys(entry.names):
            for inner, kind in inner_names(entry, name):
                plain = plain_name(inner)
                if plain in given:
                    continue
                given.add(plain)
                normalized = normalize_name(inner)
                if not normalized.is_empty:
                    found.append((entry_index, inner, kind, normalized, name))
    return found


class _Built(NamedTuple):
    """What building an index computes from a release: what the on-disk cache holds."""

    checksum: str
    weights: TokenWeights
    names: IndexedNames
    vocabulary: _Vocabulary


def _key_comparable(item: Comparable) -> Comparable:
    """A vocabulary entry stands for every token with its key: compare by key only."""
    return Comparable(item.key, (), item.key, item.skeleton, item.abjad, False)


@cache
def _plain(text: str) -> Token:
    return Token(text, text, Script.LATIN)
