"""The index's vocabulary: every distinct token of the release with the names it occurs in, and the
tables that find a token's near spellings (single deletions of its key and letters, consonant
skeletons) without comparing it with every word.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Final, cast
from zlib import crc32

from screen.index.names import _PickledEach
from screen.names.compare import (
    Comparable,
    comparable_from,
)

KEY_LENGTH_CAP: Final = 255
"""The longest key length ``_Vocabulary.key_lengths`` holds (one byte); longer keys are read."""


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
    base_weights: list[float]
    """What a match with each entry can weigh in most of its names: the least of its weights
    in them (a word's key weight, where a few names also hold it as tokens joined)."""
    heavier: dict[int, tuple[tuple[int, float], ...]]
    """For the entries that weigh more in some names than their base weight: those names, by
    id, each with the entry's weight in it. Bounds count a match by the name's own weight: a
    common word that some name also writes as two rare tokens joined (``tra ding``) would
    otherwise lift every name holding the word."""
    postings: list[tuple[int, ...]]
    by_key: dict[str, int]
    by_deletion: _DeletionTable
    by_skeleton: dict[str, tuple[int, ...]]
    by_abjad_skeleton: dict[str, tuple[int, ...]]
    """Only the entries written in an abjad script: a Latin query meets them by consonants."""
    key_lengths: bytes
    """Each entry's key length (255 for any longer key): what finding vowel partners compares,
    read without unpickling the entry's spellings."""
    joined_only: frozenset[int]
    """The entries that are only ever adjacent tokens of a listed name joined (``zhi pu`` as
    ``zhipu``), never one token: the scorer compares a query token with them as joined
    (``names.compare.compare_joined``), so the lookup does too."""

    def __reduce__(self) -> tuple[type[_Vocabulary], tuple[object, ...]]:
        # see TokenWeights.__reduce__
        return _Vocabulary, (
            self.spellings, self.weights, self.base_weights, self.heavier, self.postings,
            self.by_key,
            self.by_deletion, self.by_skeleton, self.by_abjad_skeleton, self.key_lengths,
            self.joined_only,
        )


def _deletions(text: str) -> Iterator[str]:
    """The text itself and every string one deletion away."""
    yield text
    for position in range(len(text)):
        yield text[:position] + text[position + 1 :]
