"""Find, fast, the few list names a query could match, without losing any that could score
above the threshold.

Every name and alias of a release is normalised once. Token weights come from how rare a token
is across all names (inverse document frequency): a rare word identifies, a common one does not.
Lookups go by phonetic key, by single deletions of the key and of the letters (which find every
pair of tokens within one edit, and with each swap of the query's neighbouring letters, every
pair a swap and one edit apart), by consonant skeleton, and by adjacent tokens joined
(``zhipu huazhang`` ~ ``zhipuhuazhang``).

A query's tokens are taken rarest first until the tokens left over could not, even all matched,
lift a name to the threshold (prefix filtering); only those rarest tokens are looked up, and each
name found gets an upper bound of its score from the tokens that found it. Names whose bound is
below the threshold are dropped before the matcher scores anything.
"""

from __future__ import annotations

import hashlib
import math
import pickle
from array import array
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING, Final, Generic, NamedTuple, TypeVar, cast
from zlib import crc32

from screen.compare import (
    MIN_TOKEN_SIMILARITY,
    Comparable,
    allowed_edits,
    comparable,
    comparable_from,
    compare,
    compare_joined,
    neighbour_swaps,
)
from screen.diskcache import default_cache_dir
from screen.diskcache import read_cache as _read_cache
from screen.diskcache import remove_stale as _remove_stale
from screen.diskcache import write_cache as _write_cache
from screen.implementation import build_identity
from screen.normalize import (
    NormalizedName,
    Script,
    Token,
    TokenKind,
    normalize_name,
    phonetic_key,
)
from screen.release.models import AliasKind, ListRelease

if TYPE_CHECKING:
    from screen._candidates import CandidateSearch

__all__ = [
    "DISTINCTIVE_FRACTION",
    "LEGAL_FORM_WEIGHT",
    "MAX_JOINED_TOKENS",
    "PARTICLE_WEIGHT",
    "IndexedName",
    "IndexedNames",
    "NameIndex",
    "PreparedVariant",
    "TokenWeights",
    "default_cache_dir",
    "joined_runs",
    "prepare",
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


@dataclass(frozen=True, slots=True, init=False)
class PreparedVariant:
    """A token sequence with what scoring needs of each token computed once."""

    tokens: tuple[Token, ...]
    """The scoring tokens (left out, as (), in the variants a :class:`NameIndex` keeps)."""
    items: tuple[Comparable, ...]
    weights: tuple[float, ...]
    total: float
    runs: tuple[Comparable | None, ...]
    """Comparable forms of adjacent word tokens joined, by slot (see :func:`joined_runs`);
    computed once here because the matcher and the index look at them for every comparison."""

    def __init__(
        self,
        tokens: tuple[Token, ...],
        items: tuple[Comparable, ...],
        weights: tuple[float, ...],
        total: float,
        runs: tuple[Comparable | None, ...],
    ) -> None:
        # written out: see normalize.Token.__init__
        object.__setattr__(self, "tokens", tokens)
        object.__setattr__(self, "items", items)
        object.__setattr__(self, "weights", weights)
        object.__setattr__(self, "total", total)
        object.__setattr__(self, "runs", runs)

    def __reduce__(self) -> tuple[type[PreparedVariant], tuple[object, ...]]:
        # see TokenWeights.__reduce__
        return PreparedVariant, (self.tokens, self.items, self.weights, self.total, self.runs)


_RUN_LENGTHS: Final = MAX_JOINED_TOKENS - 1


def _run_slot(start: int, length: int) -> int:
    return start * _RUN_LENGTHS + length - 2


def _run_positions(slot: int) -> tuple[int, ...]:
    if slot < len(_RUN_POSITIONS):
        return _RUN_POSITIONS[slot]
    start, offset = divmod(slot, _RUN_LENGTHS)
    return tuple(range(start, start + offset + 2))


_RUN_POSITIONS: Final = tuple(
    tuple(range(slot // _RUN_LENGTHS, slot // _RUN_LENGTHS + slot % _RUN_LENGTHS + 2))
    for slot in range(64 * _RUN_LENGTHS)
)
"""The positions of each run slot of names up to 64 tokens, made once: read for every run of
every name screened."""


def joined_runs(
    prepared: PreparedVariant, used: set[int] | None = None
) -> list[tuple[tuple[int, ...], Comparable]]:
    """Every run of 2 to MAX_JOINED_TOKENS adjacent word tokens of ``prepared`` (legal forms
    take no part: they compare only as whole legal forms), with its comparable form; with
    ``used``, only runs of positions not in it. (A list: compiled, a generator costs more than
    the few runs it would spare making.)"""
    runs: list[tuple[tuple[int, ...], Comparable]] = []
    for slot, item in enumerate(prepared.runs):
        if item is not None:
            positions = _run_positions(slot)
            if used is None or _none_in(positions, used):
                runs.append((positions, item))
    return runs


def _none_in(positions: tuple[int, ...], used: set[int]) -> bool:
    """``used.isdisjoint(positions)`` as a loop: compiled, a set's ``in`` is a direct call and
    its methods are looked up by name."""
    for position in positions:  # noqa: SIM110
        if position in used:
            return False
    return True


def prepare(
    tokens: Iterable[Token],
    weights: TokenWeights,
    shared: dict[Comparable, Comparable] | None = None,
) -> PreparedVariant:
    """The scoring tokens of a variant with their comparable forms and weights. With
    ``shared``, equal comparable forms become one object (the index shares them across names,
    so the matcher can remember a comparison by object identity)."""
    kept = scoring_tokens(tokens)
    token_weights = tuple(weights.weight(token) for token in kept)
    items = tuple(comparable((token,)) for token in kept)
    if shared is not None:
        items = tuple(shared.setdefault(item, item) for item in items)
    slots: list[Comparable | None] = []
    legal = [item.legal_form for item in items]
    for start in range(len(kept) - 1):
        if legal[start]:
            continue
        for end in range(start + 2, min(start + MAX_JOINED_TOKENS, len(kept)) + 1):
            if legal[end - 1]:
                break
            slot = _run_slot(start, end - start)
            slots.extend([None] * (slot + 1 - len(slots)))
            run = comparable(kept[start:end])
            slots[slot] = run if shared is None else shared.setdefault(run, run)
    total = 0.0
    for weight in token_weights:  # not sum(), which compensates rounding from Python 3.12 on
        total += weight
    return PreparedVariant(kept, items, token_weights, total, tuple(slots))


@dataclass(frozen=True, slots=True, init=False)
class IndexedName:
    """One name or alias of one entry, normalised for matching."""

    entry_index: int
    """Position of the entry in ``release.entries``."""
    name: str
    """The name exactly as the list gives it."""
    alias_kind: AliasKind | None
    """None for the entry's primary name."""
    variants: tuple[PreparedVariant, ...]
    """Scoring tokens of each variant (function words removed), prepared; without their
    ``tokens`` (see :meth:`NameIndex.tokenized_variants`)."""
    min_weight: float
    """Smallest total token weight over the variants (for the score upper bound)."""

    def __init__(
        self,
        entry_index: int,
        name: str,
        alias_kind: AliasKind | None,
        variants: tuple[PreparedVariant, ...],
        min_weight: float,
    ) -> None:
        # written out: see normalize.Token.__init__
        object.__setattr__(self, "entry_index", entry_index)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "alias_kind", alias_kind)
        object.__setattr__(self, "variants", variants)
        object.__setattr__(self, "min_weight", min_weight)

    def __reduce__(self) -> tuple[type[IndexedName], tuple[object, ...]]:
        # see TokenWeights.__reduce__
        fields = (self.entry_index, self.name, self.alias_kind, self.variants, self.min_weight)
        return IndexedName, fields

    @property
    def is_primary(self) -> bool:
        """True for the entry's primary name, False for an alias."""
        return self.alias_kind is None

    @property
    def normalized(self) -> NormalizedName:
        """The name normalised (made again when asked, for explanations: normalisation is
        deterministic, and not keeping it saves memory in every screening process)."""
        return normalize_name(self.name)


_Item = TypeVar("_Item")
_ALIAS_KINDS: Final = {kind.value: kind for kind in AliasKind}
_FlatVariant = tuple[
    tuple[tuple[object, ...], ...], tuple[float, ...], float, tuple[tuple[object, ...] | None, ...]
]
"""A :class:`PreparedVariant` of the cache (without tokens): comparable forms as plain tuples."""
_FlatName = tuple[int, str, str | None, tuple[_FlatVariant, ...], float]
"""An :class:`IndexedName` of the cache: the alias kind by value, variants flat."""


class _PickledEach(Generic[_Item]):
    """A sequence whose items, loaded from the on-disk cache, stay pickled one by one until
    each is first read: a screening process reads few of the index's names and spellings, and
    unpickling them all took most of loading the index."""

    _pickled: list[bytes] | None
    _loaded: list[_Item | None]

    def __init__(self, items: Sequence[_Item]) -> None:
        """Items made in this process, all in memory."""
        self._pickled = None
        self._loaded = list(items)

    def _load_pickled(self, pickled: list[bytes]) -> None:
        self._pickled = pickled
        self._loaded = [None] * len(pickled)

    def _pickled_items(self) -> list[bytes]:
        """Each item pickled on its own, so that reading one unpickles only that one."""
        if self._pickled is not None:
            return self._pickled
        return [
            pickle.dumps(self._flatten(self[at]), protocol=pickle.HIGHEST_PROTOCOL)
            for at in range(len(self._loaded))
        ]

    def _flatten(self, item: _Item) -> object:
        """What is pickled of ``item``: plain tuples, strings and numbers, which unpickle
        several times as fast as classes, each looked up by name for every item."""
        return item

    def _restore(self, flat: object) -> _Item:
        """The item ``_flatten`` made ``flat`` of, ready for use."""
        return flat  # type: ignore[return-value]

    def __len__(self) -> int:
        return len(self._loaded)

    def __getitem__(self, at: int) -> _Item:
        item = self._loaded[at]
        if item is None:
            assert self._pickled is not None  # only unpickled tables have items not loaded
            item = self._restore(pickle.loads(self._pickled[at]))
            self._loaded[at] = item
        return item

    def __iter__(self) -> Iterator[_Item]:
        for at in range(len(self._loaded)):
            yield self[at]

    @property
    def loaded(self) -> int:
        """How many items are in memory."""
        return sum(1 for item in self._loaded if item is not None)


class IndexedNames(_PickledEach[IndexedName]):
    """Every name and alias of an index, by name id. Loaded from the cache, a name is unpickled
    the first time it is read (a batch worker screening 50,000 rows reads about one in six);
    each name's smallest weight, read for every candidate, is always in memory."""

    min_weights: list[float]
    """Each name's smallest variant weight, by name id (read for every candidate)."""
    _shared: dict[tuple[object, ...], Comparable]

    def __init__(self, names: Sequence[IndexedName]) -> None:
        """The names of a freshly built index, all in memory."""
        super().__init__(names)
        self.min_weights = [indexed.min_weight for indexed in names]
        self._shared = {}

    @classmethod
    def _unpickle(cls, min_weights: list[float], pickled: list[bytes]) -> IndexedNames:
        table = cls([])
        table.min_weights = min_weights
        table._load_pickled(pickled)
        return table

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        return IndexedNames._unpickle, (self.min_weights, self._pickled_items())

    def _flatten(self, item: IndexedName) -> object:
        variants = tuple(
            (
                tuple([tuple(form) for form in variant.items]),
                variant.weights,
                variant.total,
                tuple([None if run is None else tuple(run) for run in variant.runs]),
            )
            for variant in item.variants
        )
        kind = None if item.alias_kind is None else item.alias_kind.value
        return item.entry_index, item.name, kind, variants, item.min_weight

    def _restore(self, flat: object) -> IndexedName:
        entry_index, name, kind, variants, min_weight = cast(_FlatName, flat)
        return IndexedName(
            entry_index,
            name,
            None if kind is None else _ALIAS_KINDS[kind],
            tuple([self._prepared(variant) for variant in variants]),
            min_weight,
        )

    def _prepared(self, flat: _FlatVariant) -> PreparedVariant:
        items, weights, total, runs = flat
        return PreparedVariant(
            (),
            tuple([self._shared_form(fields) for fields in items]),
            weights,
            total,
            tuple([None if run is None else self._shared_form(run) for run in runs]),
        )

    def _shared_form(self, fields: tuple[object, ...]) -> Comparable:
        # equal comparable forms become the one an earlier name brought, as a built index
        # shares them: the matcher remembers comparisons by object identity, and a query's
        # candidates have many words in common (the plain tuple finds its equal Comparable)
        shared = self._shared
        found = shared.get(fields)
        if found is None:
            found = comparable_from(fields)
            shared[found] = found
        return found


@dataclass(frozen=True, slots=True)
class _Reach:
    values: dict[int, float]
    """Name id -> the most a match can bring to that name."""
    most: float
    """The largest of the values."""


_NO_REACH = _Reach({}, 0.0)
"""What the lookup cache holds for a token that reaches no name."""


def _reach_size(reach: _Reach) -> int:
    """What one remembered lookup counts against ``_REACH_CACHE_BUDGET``."""
    return 1 + len(reach.values)


def _deletion_hash(text: str) -> int:
    # stable across processes (unlike hash()), so the table can be cached on disk
    return crc32(text.encode())


_BUCKET_SHIFT: Final = 14
"""A deletion's hash is looked up in the bucket of its top 32 - 14 = 18 bits: 262,144 buckets
for the shipped release's 344,000 deletions, one or two in a bucket."""


@dataclass(frozen=True, slots=True)
class _DeletionTable:
    """Every string one deletion (or none) away from an indexed spelling -> the vocabulary
    entries it comes from, as two sorted arrays of 32-bit hashes and ids: a tenth of the
    memory of a dict of strings. Two strings with one hash only add a candidate, which the
    comparison then rejects; no entry is ever lost. ``starts`` holds where each bucket of
    hashes begins, so a lookup reads a few entries instead of bisecting all of them (each
    read of an array makes a Python integer; a bisection made eighteen)."""

    hashes: array[int]
    ids: array[int]
    starts: array[int]
    """``starts[b]``: the position of the first hash whose top bits are ``b`` or more; one more
    entry than there are buckets."""

    def __reduce__(
        self,
    ) -> tuple[type[_DeletionTable], tuple[array[int], array[int], array[int]]]:
        # see TokenWeights.__reduce__
        return _DeletionTable, (self.hashes, self.ids, self.starts)

    @classmethod
    def of(cls, pairs: Iterable[tuple[int, int]]) -> _DeletionTable:
        """The table of (hash, vocabulary id) pairs."""
        ordered = sorted(pairs)
        hashes = array("I", [h for h, _ in ordered])
        buckets = 1 << (32 - _BUCKET_SHIFT)
        starts = array(
            "I", [bisect_left(hashes, bucket << _BUCKET_SHIFT) for bucket in range(buckets + 1)]
        )
        return cls(hashes, array("i", [i for _, i in ordered]), starts)

    def find(self, text: str, found: set[int]) -> None:
        """Add to ``found`` the entries ``text`` is a deletion of."""
        self.find_hash(_deletion_hash(text), found)

    def find_hash(self, wanted: int, found: set[int]) -> None:
        """Add to ``found`` the entries stored with hash ``wanted``."""
        hashes = self.hashes
        bucket = wanted >> _BUCKET_SHIFT
        end = self.starts[bucket + 1]
        at = self.starts[bucket]
        while at < end:
            stored = hashes[at]
            if stored == wanted:
                found.add(self.ids[at])
            elif stored > wanted:
                return
            at += 1


class _Spellings(_PickledEach[tuple[Comparable, ...]]):
    """Every distinct spelling behind each vocabulary entry, by entry id; loaded from the
    cache, an entry's spellings are unpickled when first read (a batch worker reads about one
    entry in eight)."""

    @classmethod
    def _unpickle(cls, pickled: list[bytes]) -> _Spellings:
        table = cls([])
        table._load_pickled(pickled)
        return table

    def _flatten(self, item: tuple[Comparable, ...]) -> object:
        return tuple([tuple(form) for form in item])

    def _restore(self, flat: object) -> tuple[Comparable, ...]:
        forms = cast(tuple[tuple[object, ...], ...], flat)
        return tuple([comparable_from(fields) for fields in forms])

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        return _Spellings._unpickle, (self._pickled_items(),)


@dataclass(slots=True)
class _Vocabulary:
    # an entry's key-only comparable form is not kept: building needs it, screening does not
    spellings: _Spellings
    """Every distinct spelling behind each key, as the scorer compares them."""
    weights: list[float]
    """The most a match with each entry can weigh: its key's weight, or for tokens joined, the
    sum of their weights (what the scorer counts)."""
    postings: list[tuple[int, ...]]
    by_key: dict[str, int]
    by_deletion: _DeletionTable
    by_skeleton: dict[str, tuple[int, ...]]
    by_abjad_skeleton: dict[str, tuple[int, ...]]
    """Only the entries written in an abjad script: a Latin query meets them by consonants."""

    def __reduce__(self) -> tuple[type[_Vocabulary], tuple[object, ...]]:
        # see TokenWeights.__reduce__
        return _Vocabulary, (
            self.spellings, self.weights, self.postings, self.by_key,
            self.by_deletion, self.by_skeleton, self.by_abjad_skeleton,
        )


def _deletions(text: str) -> Iterator[str]:
    """The text itself and every string one deletion away."""
    yield text
    for position in range(len(text)):
        yield text[:position] + text[position + 1 :]


_CACHE_FORMAT: Final = 5


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
    raw: list[tuple[int, str, AliasKind | None, NormalizedName]] = []
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
            raw.append((entry_index, name, kind, normalized))
            keys = {t.key for v in normalized.variants for t in scoring_tokens(v)}
            for key in keys:
                document_frequency[key] = document_frequency.get(key, 0) + 1
    token_weights = TokenWeights(document_frequency, max(1, len(raw)))
    shared: dict[Comparable, Comparable] = {}
    for entry_index, name, kind, normalized in raw:
        variants = tuple(prepare(v, token_weights, shared) for v in normalized.variants)
        min_weight = min(v.total for v in variants)
        names.append(IndexedName(entry_index, name, kind, variants, min_weight))
    vocabulary = _build_vocabulary(names, token_weights)
    # scoring needs only the comparable forms: the tokens (for explanations) are made again
    # for the few names that are hits (see NameIndex.tokenized_variants)
    stored = IndexedNames([
        IndexedName(
            n.entry_index, n.name, n.alias_kind,
            tuple(replace(v, tokens=()) for v in n.variants), n.min_weight,
        )
        for n in names
    ])
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
    deletions: set[tuple[int, int]] = set()

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
        elif weight > weights[vocabulary_id]:
            weights[vocabulary_id] = weight
        elif item.abjad and not comparables[vocabulary_id].abjad:
            # a key shared by a Latin and an abjad token must be found by consonants too
            comparables[vocabulary_id] = item
        spellings = all_spellings[vocabulary_id]
        if original not in spellings:
            spellings.append(original)
        if single:
            # the scorer allows edits (by the word's length in letters) in the letters or in
            # the phonetic key: index the single deletions of both (a query's swaps meet them
            # too; see NameIndex._lookup_single)
            for spelled in {item.key, text} if allowed_edits(len(text)) else ():
                if (spelled, vocabulary_id) not in indexed_spellings:
                    indexed_spellings.add((spelled, vocabulary_id))
                    for deleted in _deletions(spelled):
                        deletions.add((_deletion_hash(deleted), vocabulary_id))
        postings = all_postings[vocabulary_id]
        if not postings or postings[-1] != name_id:
            postings.append(name_id)

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
    return _Vocabulary(
        _Spellings([tuple(spellings) for spellings in all_spellings]),
        weights,
        [tuple(postings) for postings in all_postings],
        by_key,
        _DeletionTable.of(deletions),
        by_skeleton,
        by_abjad_skeleton,
    )


class _Built(NamedTuple):
    """What building an index computes from a release: what the on-disk cache holds."""

    checksum: str
    weights: TokenWeights
    names: IndexedNames
    vocabulary: _Vocabulary


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
    """Each name's smallest variant weight, by name id (read for every candidate)."""
    _reach_cache: OrderedDict[tuple[Comparable, bool], _Reach]
    """Remembered lookups, least recently used first (see ``_REACH_CACHE_BUDGET``); a lookup
    that reaches nothing is remembered as ``_NO_REACH``, so one dictionary read answers."""
    _reach_cache_size: int
    _reach_cache_budget: int
    _search: CandidateSearch | None
    """The compiled candidate search (``screen._candidates``), None where it is not built."""

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
        self._reach_cache = OrderedDict()
        self._reach_cache_size = 0
        self._reach_cache_budget = _REACH_CACHE_BUDGET
        self._search = _compiled_search(self)

    def tokenized_variants(self, indexed: IndexedName) -> tuple[PreparedVariant, ...]:
        """The variants of one of the index's names, prepared with their tokens, as
        explanations need them (the index keeps them without: made again, they are the same,
        as normalisation and weights are deterministic)."""
        return tuple(prepare(v, self.weights) for v in indexed.normalized.variants)

    # -- queries -----------------------------------------------------------------------------

    def lookup(self, item: Comparable, *, joined: bool = False) -> dict[int, float]:
        """Vocabulary ids whose key matches ``item`` (similarity >= the token minimum), with
        their similarity. ``joined``: ``item`` is several query tokens joined, which match
        only by the same key (or consonants, for abjad)."""
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
            weights = self._vocabulary.weights
            postings = self._vocabulary.postings
            matches = sorted(
                (similarity * weights[vocabulary_id], vocabulary_id)
                for vocabulary_id, similarity in self.lookup(item, joined=joined).items()
            )
            if matches:
                values: dict[int, float] = {}
                for value, vocabulary_id in matches:  # ascending: the best value is kept
                    values.update(dict.fromkeys(postings[vocabulary_id], value))
                reach = _Reach(values, matches[-1][0])
        remembered = _NO_REACH if reach is None else reach
        cache[cache_key] = remembered
        self._reach_cache_size += _reach_size(remembered)
        while self._reach_cache_size > self._reach_cache_budget and len(cache) > 1:
            self._reach_cache_size -= _reach_size(cache.popitem(last=False)[1])
        return reach

    def _lookup_single(self, item: Comparable) -> dict[int, float]:
        # CandidateSearch._lookup_single (_candidates.pyx) does the same: change both together
        vocabulary = self._vocabulary
        matches: dict[int, float] = {}
        for key in (item.key, *(phonetic_key(form) for form, _ in item.forms)):
            vocabulary_id = vocabulary.by_key.get(key)
            if vocabulary_id is not None:
                matches[vocabulary_id] = 1.0
        found: set[int] = set()
        edits = allowed_edits(len(item.text))
        spelled = {item.key, item.text} if edits else set()
        if edits > 1:
            # a swap and one more edit (see allowed_edits): the swap made here, the edit found
            # by single deletions as for the rest
            spelled.update(neighbour_swaps(item.text))
        # as a set: deleting either swapped letter gives a deletion of the word itself
        for deleted in {deleted for text in spelled for deleted in _deletions(text)}:
            vocabulary.by_deletion.find(deleted, found)
        # consonants compare when either side is abjad: all names for an abjad query, only
        # the abjad names for any other
        skeleton_index = vocabulary.by_skeleton if item.abjad else vocabulary.by_abjad_skeleton
        if len(item.skeleton) >= 2:
            found.update(skeleton_index.get(item.skeleton, ()))
        # an Arabic ta marbuta written -at on the Latin side (see compare._feminine_ending)
        if item.abjad and item.text.endswith("a") and len(item.skeleton) >= 3:
            found.update(skeleton_index.get(item.skeleton + "t", ()))
        elif not item.abjad and item.text.endswith("at") and len(item.skeleton) >= 4:
            found.update(skeleton_index.get(item.skeleton[:-1], ()))
        for vocabulary_id in found.difference(matches):
            similarity = max(
                compare(item, spelling)[0] for spelling in vocabulary.spellings[vocabulary_id]
            )
            if similarity >= MIN_TOKEN_SIMILARITY:
                matches[vocabulary_id] = similarity
        return matches

    def _lookup_joined(self, item: Comparable) -> dict[int, float]:
        # CandidateSearch._lookup_joined (_candidates.pyx) does the same: change both together
        vocabulary = self._vocabulary
        found: set[int] = set()
        vocabulary_id = vocabulary.by_key.get(item.key)
        if vocabulary_id is not None:
            found.add(vocabulary_id)
        if item.abjad and len(item.skeleton) >= 4:
            found.update(vocabulary.by_skeleton.get(item.skeleton, ()))
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
        return self.candidates_prepared([prepare(v, self.weights) for v in query.variants],
                                        threshold)

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
        anchors: list[int] = []
        rest = total
        for position in order:
            common = token_weights[position] < _COMMON_WEIGHT
            if common and (rest <= 0 or 2 * rest / (rest + total) < target):
                break
            anchors.append(position)
            rest -= token_weights[position]
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
        anchor_weight = total - rest
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
                    found_weight = 0.0
                    for p in subset:  # in position order, as the compiled search adds
                        most_brought += most[p]
                        found_weight += token_weights[p]
                    covered = rest + most_brought
                    not_found = anchor_weight - found_weight
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
        found_values = [(found_by[p], token_weights[p]) for p in useful]
        min_weights = self._min_weights
        rest_values: list[tuple[dict[int, float] | None, float]] | None = None
        for name_id in candidates:
            # the bound for this name: what each anchor brings to it exactly, the tokens left
            # over matching in full, and the list name's missing words counted at the
            # discount they may get (see screen.match)
            covered = rest
            not_found = anchor_weight
            for values, weight in found_values:
                brought = values.get(name_id)
                if brought is not None:
                    covered += brought
                    not_found -= weight
            min_weight = min_weights[name_id]
            unmatched_name = 0.5 * (min_weight - covered) if min_weight > covered else 0.0
            denominator = 2 * covered + (not_found if not_found > 0.0 else 0.0) + unmatched_name
            if (2 * covered / denominator if denominator else 0.0) < target:
                continue
            # close enough: look at what the tokens left over really bring to this name (their
            # lookups are common words, so only now, for the few names still in)
            if rest_values is None:
                rest_values = self._rest_values(prepared, anchor_set)
            covered -= rest
            not_found += rest
            for rest_map, weight in rest_values:
                brought = weight if rest_map is None else rest_map.get(name_id)
                if brought is not None:
                    covered += brought
                    not_found -= weight
            unmatched_name = 0.5 * (min_weight - covered) if min_weight > covered else 0.0
            denominator = 2 * covered + max(0.0, not_found) + unmatched_name
            name_bound = 2 * covered / denominator if denominator else 0.0
            if name_bound >= target:
                yield name_id, name_bound

    def _rest_values(
        self, prepared: PreparedVariant, anchors: set[int]
    ) -> list[tuple[dict[int, float] | None, float]]:
        """For each token that is not an anchor: the most it can bring to each name (through
        itself or any joined run it is part of), with its weight; None for a legal form,
        which the index does not hold and which is taken to match."""
        result: list[tuple[dict[int, float] | None, float]] = []
        runs = list(joined_runs(prepared))
        for position, item in enumerate(prepared.items):
            if position in anchors:
                continue
            weight = prepared.weights[position]
            if item.legal_form:
                result.append((None, weight))
                continue
            found = [self._reach(item, False)]
            found += [self._reach(run, True) for positions, run in runs if position in positions]
            maps = [reach.values for reach in found if reach is not None]
            result.append((_best_of(maps) if maps else {}, weight))
        return result

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
    """The compiled candidate search over ``index``, or None where ``screen._candidates`` was
    not built (no compiler, or a plain-Python install): the Python search then runs."""
    try:
        from screen._candidates import CandidateSearch
    except ImportError:
        return None
    return CandidateSearch(
        index._vocabulary,
        _BUCKET_SHIFT,
        index._min_weights,
        _RUN_LENGTHS,
        _BOUND_MARGIN,
        _COMMON_WEIGHT,
        _MAX_SUBSET_ANCHORS,
        _SMALL_REACH,
        _REACH_CACHE_BUDGET,
    )


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


def _key_comparable(item: Comparable) -> Comparable:
    """A vocabulary entry stands for every token with its key: compare by key only."""
    return Comparable(item.key, (), item.key, item.skeleton, item.abjad, False)


@cache
def _plain(text: str) -> Token:
    return Token(text, text, Script.LATIN)
