"""The list names a re-screen searches the stored records for, and what a record's token (or run of
tokens) meets of them.

The score (see :mod:`screen.matching`) of a query against a list-name variant is
``sum(2 s w) / (sum(2 w) + U + f * (W - M))``: ``w`` the list-side weight of each matched
token, every similarity ``s`` at most 1, ``M`` the weight of the name's matched tokens, ``W`` the
weight of all of them, ``U`` the weight of the query's unmatched tokens, and the missing-name
factor ``f`` at least ``LEAST_MISSING_FACTOR``. So the score is at most ``2M / (2M + U +
f (W - M))`` (:func:`score_bound`), which grows with ``M``: a record whose tokens can meet only
some of a name's tokens is bounded by their weight, and a record that meets none of the name's
*anchors* (its heaviest tokens, taken until the others could not reach the threshold even all
matched: ``M >= t f W / (2 - 2t + t f)``, :func:`needed_weight`) cannot reach it at all.

A record's token meets a name's token when they compare (``compare``), when it meets a run of
the name's tokens (``compare_joined``), or when a run of the record's tokens meets the name's
token (``compare_joined``): the three ways the matcher pairs tokens. Record tokens are looked up
in an index of the target names, the lookup the screener does for a query's token (by key,
deletions, swaps, consonants, joined runs), so every list token the matcher could pair with one
is found; the pairs are then checked with the matcher's own comparisons.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from screen.index.prepared import PreparedVariant, joined_runs, prepare
from screen.index.search import NameIndex
from screen.index.weights import LEAST_MISSING_FACTOR, TokenWeights
from screen.names.compare import MIN_TOKEN_SIMILARITY, Comparable, compare, compare_joined
from screen.names.normalize import normalize_name
from screen.release.models import ListEntry, ListRelease
from screen.text.phonetic import key_and_skeleton

__all__ = [
    "BOUND_MARGIN",
    "Meets",
    "NameVariant",
    "TargetVariant",
    "Targets",
    "needed_weight",
    "score_bound",
]

BOUND_MARGIN = 0.005
"""Taken off the threshold (a fraction) before bounding: scores are rounded to two decimals
(79.995 shows as 80.0) and sums in another order may differ in their last bits; this margin is
far wider than both."""
NameVariant = tuple[int, int]
"""A target name's id (in the target index) and the number of one of its variants."""
Meets = dict[NameVariant, int]
"""For one record token or run: the target name variants it meets, with the positions met."""


def needed_weight(total: float, threshold: float) -> float:
    """The least weight of a name variant's tokens (of ``total``) a query must match to score
    ``threshold`` (0-1); see the module docstring."""
    if threshold <= 0.0:
        return 0.0
    f = LEAST_MISSING_FACTOR
    t = min(threshold, 1.0)
    return t * f * total / (2.0 - 2.0 * t + t * f)


def score_bound(matched: float, total: float, unmatched_query: float) -> float:
    """The most a query can score (0-1) against a name variant weighing ``total`` when at most
    ``matched`` of it can be matched and the query's unmatched tokens weigh ``unmatched_query``."""
    matched = min(matched, total)
    denominator = 2.0 * matched + unmatched_query + LEAST_MISSING_FACTOR * (total - matched)
    return 2.0 * matched / denominator if denominator > 0.0 else 0.0


@dataclass(frozen=True, slots=True)
class TargetVariant:
    """One variant of a target name, prepared with the release's weights."""

    items: tuple[Comparable, ...]
    weights: tuple[float, ...]
    total: float
    runs: tuple[tuple[tuple[int, ...], Comparable], ...]
    """Runs of adjacent tokens joined, with their positions."""
    anchors: int
    """Bit mask of the anchor positions."""
    legal: int
    """Bit mask of the legal-form positions (a record's legal form may meet them)."""
    most_unmatched: float
    """The most a query's unmatched tokens may weigh for it to reach the threshold, all of
    the variant matched: ``2W / (2W + U) >= t``."""
    needed: float
    """The least weight of the variant a query must match (:func:`needed_weight`)."""
    legal_weight: float
    """The weight of its legal forms."""
    initials: frozenset[str]
    """The first letters of its words of two letters or more: the only letters a query's
    initial can stand for against it (``names.compare.initial_similarity``; the scorer pairs an
    initial with a given name, middle name or patronymic alone, a subset of these)."""

    @classmethod
    def of(cls, variant: PreparedVariant, threshold: float) -> TargetVariant:
        """``variant`` with its anchors for ``threshold`` (0-1, the margin already taken)."""
        needed = needed_weight(variant.total, threshold)
        legal = 0
        for position, item in enumerate(variant.items):
            if item.legal_form:
                legal |= 1 << position
        order = sorted(range(len(variant.items)), key=lambda p: (-variant.weights[p], p))
        rest = variant.total
        anchors = 0
        for position in order:
            if rest < needed:
                break
            if not legal >> position & 1:
                anchors |= 1 << position
                rest -= variant.weights[position]
        # should legal forms alone reach the threshold (never for a real name), every other
        # position is an anchor: still a necessary condition, only a weaker one
        most = 2.0 * variant.total * (1.0 - threshold) / threshold if threshold > 0 else 1e300
        legal_weight = 0.0
        for position, weight in enumerate(variant.weights):
            if legal >> position & 1:
                legal_weight += weight
        initials = frozenset(
            item.text[0] for item in variant.items if not item.legal_form and len(item.text) > 1
        )
        return cls(variant.items, variant.weights, variant.total,
                   tuple(joined_runs(variant)), anchors, legal, most, needed, legal_weight,
                   initials)

    def weight_of(self, mask: int) -> float:
        """The weight of the positions in ``mask``."""
        total = 0.0
        for position, weight in enumerate(self.weights):
            if mask >> position & 1:
                total += weight
        return total

    def meets_item(self, item: Comparable) -> int:
        """Positions a query token may be paired with: compared, or through a run of them."""
        mask = 0
        for position, target in enumerate(self.items):
            if compare(item, target)[0] >= MIN_TOKEN_SIMILARITY:
                mask |= 1 << position
        for positions, run in self.runs:
            if compare_joined(item, run)[0] >= MIN_TOKEN_SIMILARITY:
                for position in positions:
                    mask |= 1 << position
        return mask

    def meets_run(self, run: Comparable) -> int:
        """Positions a run of query tokens joined may be paired with."""
        mask = 0
        for position, target in enumerate(self.items):
            if compare_joined(run, target)[0] >= MIN_TOKEN_SIMILARITY:
                mask |= 1 << position
        return mask


def _sub_release(release: ListRelease, entries: Sequence[ListEntry]) -> ListRelease:
    """The entries of ``release`` as a release of their own, to index them alone."""
    ids = ",".join(entry.id for entry in entries)
    return ListRelease.model_construct(
        version=f"{release.version}-subset",
        created=dt.date.today(),
        sources=release.sources,
        counts={},
        checksum=hashlib.sha256(f"{release.checksum}:{ids}".encode()).hexdigest(),
        entries=tuple(entries),
    )


class Targets:
    """The names of ``entries`` (of ``release``) prepared with ``weights`` (the token weights of
    the release they are in) for a threshold ``fraction`` (0-1, the margin taken), indexed."""

    def __init__(
        self,
        release: ListRelease,
        weights: TokenWeights,
        entries: Sequence[ListEntry],
        fraction: float,
    ) -> None:
        self.fraction = fraction
        self.index = NameIndex(_sub_release(release, entries)) if entries else None
        self._variants: list[tuple[TargetVariant, ...]] = [
            tuple(
                TargetVariant.of(prepare(tokens, weights), fraction)
                for tokens in normalize_name(indexed.name).variants
            )
            for indexed in (self.index.names if self.index is not None else ())
        ]
        # a run of record tokens meets a name's token only by the same letters, the same key
        # (longer than four letters) or, abjad on either side, the same consonants (four or
        # more): the name positions by each
        self._by_spelling: dict[str, list[tuple[NameVariant, int]]] = {}
        self._join_texts: set[str] = set()
        self._join_keys: set[str] = set()
        self._skeletons: set[str] = set()
        self._abjad_skeletons: set[str] = set()
        for name_id, variants in enumerate(self._variants):
            for number, variant in enumerate(variants):
                for position, item in enumerate(variant.items):
                    if item.legal_form:
                        continue
                    for spelling in {item.text, item.key, item.skeleton}:
                        self._by_spelling.setdefault(spelling, []).append(
                            ((name_id, number), position)
                        )
                    self._join_texts.add(item.text)
                    if len(item.key) > 4:
                        self._join_keys.add(item.key)
                    if len(item.skeleton) >= 4:
                        self._skeletons.add(item.skeleton)
                        if item.abjad:
                            self._abjad_skeletons.add(item.skeleton)
        self._item_meets: dict[Comparable, Meets] = {}
        self._run_meets: dict[Comparable, Meets] = {}
    @property
    def names(self) -> int:
        """How many list names are searched for."""
        return len(self._variants)

    def variant(self, key: NameVariant) -> TargetVariant:
        """One variant of one target name."""
        return self._variants[key[0]][key[1]]

    # -- what one token, run or word meets (remembered: words repeat across records) ------------

    def item_meets(self, item: Comparable) -> Meets:
        """The target name variants a record token may be paired with, and where."""
        known = self._item_meets.get(item)
        if known is None:
            known = self._item_meets[item] = self._find_item(item)
        return known

    def _find_item(self, item: Comparable) -> Meets:
        if item.legal_form or self.index is None:
            return {}
        meets: Meets = {}
        query = PreparedVariant((), (item,), (1.0,), 1.0, (), "W", (1.0,))
        for name_id in self.index.candidates_prepared([query], 0.0):
            for number, variant in enumerate(self._variants[name_id]):
                mask = variant.meets_item(item)
                if mask:
                    meets[(name_id, number)] = mask
        return meets

    def run_meets(self, run: Comparable) -> Meets:
        """The target name variants a run of record tokens joined may be paired with."""
        known = self._run_meets.get(run)
        if known is None:
            known = self._run_meets[run] = self._find_run(run)
        return known

    def _find_run(self, run: Comparable) -> Meets:
        meets: Meets = {}
        for spelling in {run.text, run.key, run.skeleton}:
            for key, position in self._by_spelling.get(spelling, ()):
                target = self.variant(key).items[position]
                if compare_joined(run, target)[0] >= MIN_TOKEN_SIMILARITY:
                    meets[key] = meets.get(key, 0) | 1 << position
        return meets

    def may_meet(self, text: str, abjad: bool) -> bool:
        """Whether tokens joined as ``text`` (``abjad``: one of them is) could meet a name
        token: ``compare_joined`` pairs only the same letters, the same key longer than four
        letters, or, abjad on either side, the same consonants (four or more)."""
        if text in self._join_texts:
            return True
        key, skeleton = key_and_skeleton(text)
        return key in self._join_keys or skeleton in (
            self._skeletons if abjad else self._abjad_skeletons
        )
