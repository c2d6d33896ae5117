"""The indexed names of a release (every name and alias of every entry), kept pickled per name in
the cache and unpickled on first read, since a batch worker reads only a fraction of them.
"""

from __future__ import annotations

import pickle
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Final, Generic, TypeVar, cast

from screen.index.prepared import PreparedVariant
from screen.index.weights import LEAST_MISSING_FACTOR, MISSING_FACTORS, MISSING_GENERIC_FACTOR
from screen.names.compare import (
    Comparable,
    comparable_from,
)
from screen.names.normalize import normalize_name
from screen.names.tokens import NormalizedName
from screen.release.models import AliasKind

__all__ = [
    "UNMATCHED_NAME_FACTOR",
    "IndexedName",
    "IndexedNames",
    "discountable_weight",
    "least_missing_costs",
    "least_unmatched_cost",
    "light_weight",
]

@dataclass(frozen=True, slots=True, init=False)
class IndexedName:
    """One name or alias of one entry, normalised for matching."""

    entry_index: int
    """Position of the entry in ``release.entries``."""
    name: str
    """The name exactly as the list gives it, or as written inside one of the entry's names
    (alias kinds ``inner`` and ``outer``: see :mod:`screen.index.inner_names`)."""
    alias_kind: AliasKind | None
    """None for the entry's primary name."""
    variants: tuple[PreparedVariant, ...]
    """Scoring tokens of each variant (function words removed), prepared; without their
    ``tokens`` (see :meth:`NameIndex.tokenized_variants`)."""
    min_weight: float
    """Smallest total token weight over the variants (for the score upper bound)."""
    listed: str
    """The entry's name or alias exactly as the list gives it: ``name`` itself, or for a name
    written inside another, that one (what a hit reports as the name matched)."""

    def __init__(
        self,
        entry_index: int,
        name: str,
        alias_kind: AliasKind | None,
        variants: tuple[PreparedVariant, ...],
        min_weight: float,
        listed: str | None = None,
    ) -> None:
        # written out: see normalize.Token.__init__
        object.__setattr__(self, "entry_index", entry_index)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "alias_kind", alias_kind)
        object.__setattr__(self, "variants", variants)
        object.__setattr__(self, "min_weight", min_weight)
        object.__setattr__(self, "listed", name if listed is None else listed)

    def __reduce__(self) -> tuple[type[IndexedName], tuple[object, ...]]:
        # see TokenWeights.__reduce__
        fields = (
            self.entry_index, self.name, self.alias_kind, self.variants, self.min_weight,
            None if self.listed == self.name else self.listed,
        )
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


UNMATCHED_NAME_FACTOR: Final = MISSING_GENERIC_FACTOR
"""The least a list name's light words of no discountable kind that no query token matched can
count against a score (:func:`light_weight`); words of kinds in ``MISSING_FACTORS`` count at
``LEAST_MISSING_FACTOR``, up to the name's :func:`discountable_weight`, and the rest (heavy
words of no discountable kind) in full. Bounds count them so (:func:`least_unmatched_cost`),
and a bound is never too low."""


def least_unmatched_cost(missing: float, discountable: float, light: float) -> float:
    """The least the list name's words left unmatched (``missing`` of its weight) can cost:
    its discountable words first (``discountable`` of its weight), at the least factor, then its
    light words (``light``), then the rest in full."""
    cheap = missing if missing < discountable else discountable
    left = missing - cheap
    lighter = left if left < light else light
    return LEAST_MISSING_FACTOR * cheap + UNMATCHED_NAME_FACTOR * lighter + (left - lighter)


_DISCOUNTABLE: Final = 0
_LIGHT: Final = 1
_HEAVY: Final = 2


def _unmatched_class(variant: PreparedVariant, position: int, distinctive_weight: float) -> int:
    """How a listed name's word left unmatched may count, by the rule the bounds take: a kind
    people leave out (``MISSING_FACTORS``) at ``LEAST_MISSING_FACTOR``; a word of no such kind
    lighter than ``distinctive_weight`` (every light word of a variant without kinds) at
    ``UNMATCHED_NAME_FACTOR`` (when every distinctive word matched, see ``matching.align``); any
    other word in full."""
    parts = variant.parts
    if position < len(parts) and parts[position] in MISSING_FACTORS:
        return _DISCOUNTABLE
    return _LIGHT if variant.weights[position] < distinctive_weight else _HEAVY


def discountable_weight(variant: PreparedVariant) -> float:
    """The weight of the variant's words whose kinds may cost less than their weight when left
    out (kinds of ``MISSING_FACTORS``)."""
    weight = 0.0
    for position, token_weight in enumerate(variant.weights):
        if _unmatched_class(variant, position, 0.0) == _DISCOUNTABLE:
            weight += token_weight
    return weight


def least_missing_costs(
    variant: PreparedVariant, distinctive_weight: float
) -> tuple[float, ...]:
    """The least each word of a listed name's variant can cost when no query token matches it,
    by position (see ``_unmatched_class``): what :func:`least_unmatched_cost` counts, cheapest
    first, when which words are left out is not known."""
    factors = (LEAST_MISSING_FACTOR, UNMATCHED_NAME_FACTOR, 1.0)
    return tuple(
        factors[_unmatched_class(variant, position, distinctive_weight)] * token_weight
        for position, token_weight in enumerate(variant.weights)
    )


def light_weight(variant: PreparedVariant, distinctive_weight: float) -> float:
    """The weight of the variant's words of no discountable kind that are lighter than
    ``distinctive_weight``: left out, they may cost ``UNMATCHED_NAME_FACTOR`` of their weight;
    a heavier word of no discountable kind left out costs its whole weight."""
    weight = 0.0
    for position, token_weight in enumerate(variant.weights):
        if _unmatched_class(variant, position, distinctive_weight) == _LIGHT:
            weight += token_weight
    return weight


def _light_weight(indexed: IndexedName, distinctive_weight: float) -> float:
    """The largest :func:`light_weight` over the name's variants."""
    most = 0.0
    for variant in indexed.variants:
        most = max(most, light_weight(variant, distinctive_weight))
    return most


def _discountable_weight(indexed: IndexedName) -> float:
    """The largest :func:`discountable_weight` over the name's variants."""
    most = 0.0
    for variant in indexed.variants:
        most = max(most, discountable_weight(variant))
    return most


_Item = TypeVar("_Item")
_ALIAS_KINDS: Final = {kind.value: kind for kind in AliasKind}
_FlatVariant = tuple[
    tuple[tuple[object, ...], ...],
    tuple[float, ...],
    float,
    tuple[tuple[object, ...] | None, ...],
    str,
    tuple[float, ...],
]
"""A :class:`PreparedVariant` of the cache (without tokens): comparable forms as plain tuples."""
_FlatName = tuple[int, str, str | None, tuple[_FlatVariant, ...], float, str | None]
"""An :class:`IndexedName` of the cache: the alias kind by value, variants flat, the listed name
only where it is not the name."""


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
    max_weights: list[float]
    """Each name's largest variant weight, by name id: the most a query can match of the name
    (a matched pair counts the list name's weight, and each of its words pairs once), so the
    candidate bound never counts more than it, however often the query repeats a word."""
    discountable: list[float]
    """Each name's largest weight of words that may cost less than their weight left out
    (kinds of ``MISSING_FACTORS``), by name id: the candidate bound counts them at the least
    factor, then its light words (:attr:`light`) at ``MISSING_GENERIC_FACTOR``, the rest in
    full."""
    light: list[float]
    """Each name's largest weight of words of no discountable kind lighter than the release's
    distinctive weight, by name id (see ``_light_weight``)."""
    entry_indexes: list[int]
    """Each name's entry (its ``entry_index``), by name id: an entry's names are found without
    unpickling every name (:meth:`names_of`)."""
    _shared: dict[tuple[object, ...], Comparable]
    _by_entry: dict[int, tuple[int, ...]] | None

    def __init__(self, names: Sequence[IndexedName], distinctive_weight: float) -> None:
        """The names of a freshly built index, all in memory; ``distinctive_weight`` is the
        release's (``TokenWeights.distinctive_weight``)."""
        super().__init__(names)
        self.min_weights = [indexed.min_weight for indexed in names]
        self.max_weights = [max(v.total for v in indexed.variants) for indexed in names]
        self.discountable = [_discountable_weight(indexed) for indexed in names]
        self.light = [_light_weight(indexed, distinctive_weight) for indexed in names]
        self.entry_indexes = [indexed.entry_index for indexed in names]
        self._shared = {}
        self._by_entry = None

    def names_of(self, entry_index: int) -> tuple[int, ...]:
        """The ids of every name of the entry ``entry_index``, in id order. Not a run of
        consecutive ids: the names found inside an entry's names are added after every entry's
        own (``screen.index.inner_names``)."""
        by_entry = self._by_entry
        if by_entry is None:
            # made at the first call, in the one process that asks (a tenth of the names'
            # memory; most screening processes never ask)
            grouped: dict[int, list[int]] = {}
            for name_id, entry in enumerate(self.entry_indexes):
                grouped.setdefault(entry, []).append(name_id)
            by_entry = self._by_entry = {
                entry: tuple(name_ids) for entry, name_ids in grouped.items()
            }
        return by_entry.get(entry_index, ())

    @classmethod
    def _unpickle(
        cls,
        min_weights: list[float],
        max_weights: list[float],
        discountable: list[float],
        light: list[float],
        entry_indexes: list[int],
        pickled: list[bytes],
    ) -> IndexedNames:
        table = cls([], 0.0)
        table.min_weights = min_weights
        table.max_weights = max_weights
        table.discountable = discountable
        table.light = light
        table.entry_indexes = entry_indexes
        table._load_pickled(pickled)
        return table

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        return IndexedNames._unpickle, (
            self.min_weights, self.max_weights, self.discountable, self.light,
            self.entry_indexes,
            self._pickled_items(),
        )

    def _flatten(self, item: IndexedName) -> object:
        variants = tuple(
            (
                tuple([tuple(form) for form in variant.items]),
                variant.weights,
                variant.total,
                tuple([None if run is None else tuple(run) for run in variant.runs]),
                variant.parts,
                variant.costs,
            )
            for variant in item.variants
        )
        kind = None if item.alias_kind is None else item.alias_kind.value
        listed = None if item.listed == item.name else item.listed
        return item.entry_index, item.name, kind, variants, item.min_weight, listed

    def _restore(self, flat: object) -> IndexedName:
        entry_index, name, kind, variants, min_weight, listed = cast(_FlatName, flat)
        return IndexedName(
            entry_index,
            name,
            None if kind is None else _ALIAS_KINDS[kind],
            tuple([self._prepared(variant) for variant in variants]),
            min_weight,
            listed,
        )

    def _prepared(self, flat: _FlatVariant) -> PreparedVariant:
        items, weights, total, runs, parts, costs = flat
        return PreparedVariant(
            (),
            tuple([self._shared_form(fields) for fields in items]),
            weights,
            total,
            tuple([None if run is None else self._shared_form(run) for run in runs]),
            sys.intern(parts),
            costs,
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
