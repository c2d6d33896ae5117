"""The list names a re-screen searches the stored records for, and what a record's token (or run of
tokens) meets of them.

The score (see :mod:`screen.matching`) of a query against a list-name variant is
``sum(2 s w) / (sum(2 w) + U + C)``: ``w`` the list-side weight of each matched token, every
similarity ``s`` at most 1, ``U`` the weight of the query's unmatched tokens, and ``C`` what the
name's unmatched tokens cost. A token the query leaves unmatched costs at least
:func:`screen.index.names.least_missing_costs` (the figures the candidate search's bound takes):
``LEAST_MISSING_FACTOR`` of its weight for a kind people leave out, ``UNMATCHED_NAME_FACTOR``
of it for a light word of no such kind, its whole weight for the rest. So when a query can meet
only the positions ``P`` of a variant, it scores at most ``2M / (2M + U + C)`` with ``M`` the
weight of ``P`` and ``C`` the least costs of the other positions (:meth:`TargetVariant.bound`),
which only grows as ``P`` grows. A record that meets none of the name's *anchors* (its heaviest
tokens, taken until the others could not reach the threshold even all matched) cannot reach it.

A record's token meets a name's token when they compare (``compare``), when it meets a run of
the name's tokens (``compare_joined``), when a run of the record's tokens meets the name's
token (``compare_joined``), or when a run of the record's tokens has the letters of a run of the
name's, cut elsewhere (respaced): the four ways the matcher pairs tokens. Record tokens are
looked up in an index of the target names, the lookup the screener does for a query's token (by
key, deletions, swaps, consonants, joined runs), so every list token the matcher could pair with
one is found; the pairs are then checked with the matcher's own comparisons.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from screen.index.names import least_missing_costs
from screen.index.prepared import PreparedVariant, is_person, joined_runs, prepare
from screen.index.search import NameIndex
from screen.index.weights import TokenWeights
from screen.names.compare import (
    MIN_JOINED_VOWEL_LETTERS,
    MIN_TOKEN_SIMILARITY,
    Comparable,
    compare,
    compare_joined,
    may_meet_by_vowels,
    vowel_lookups,
)
from screen.names.normalize import normalize_name
from screen.release.models import ListEntry, ListRelease
from screen.text.phonetic import key_and_skeleton

__all__ = [
    "BOUND_MARGIN",
    "Meets",
    "NameVariant",
    "TargetVariant",
    "Targets",
]

BOUND_MARGIN = 0.005
"""Taken off the threshold (a fraction) before bounding: scores are rounded to two decimals
(79.995 shows as 80.0) and sums in another order may differ in their last bits; this margin is
far wider than both."""
NameVariant = tuple[int, int]
"""A target name's id (in the target index) and the number of one of its variants."""
Meets = dict[NameVariant, int]
"""For one record token or run: the target name variants it meets, with the positions met."""


def _met_and_missing(
    weights: tuple[float, ...], costs: tuple[float, ...], mask: int
) -> tuple[float, float]:
    """The weight of the positions in ``mask``, and the least the others cost unmatched."""
    matched = cost = 0.0
    for position, weight in enumerate(weights):
        if mask >> position & 1:
            matched += weight
        else:
            cost += costs[position]
    return matched, cost


def _bound(
    weights: tuple[float, ...], costs: tuple[float, ...], mask: int, unmatched_query: float
) -> float:
    """``2M / (2M + U + C)``: see the module docstring."""
    matched, cost = _met_and_missing(weights, costs, mask)
    denominator = 2.0 * matched + unmatched_query + cost
    return 2.0 * matched / denominator if denominator > 0.0 else 0.0


@dataclass(frozen=True, slots=True)
class TargetVariant:
    """One variant of a target name, prepared with the release's weights."""

    items: tuple[Comparable, ...]
    weights: tuple[float, ...]
    runs: tuple[tuple[tuple[int, ...], Comparable], ...]
    """Runs of adjacent tokens joined, with their positions."""
    anchors: int
    """Bit mask of the anchor positions."""
    legal: int
    """Bit mask of the legal-form positions (a record's legal form may meet them: they count
    as met in every bound)."""
    initials: frozenset[str]
    """The first letters of its words of two letters or more: the only letters a query's
    initial can stand for against it (``names.compare.initial_similarity``; the scorer pairs an
    initial with a given name, middle name or patronymic alone, a subset of these)."""
    missing_costs: tuple[float, ...]
    """The least each position costs left unmatched (``least_missing_costs``)."""
    threshold: float
    """The threshold (0-1, the margin taken) :attr:`anchors` and :meth:`reaches` are for."""

    @classmethod
    def of(
        cls, variant: PreparedVariant, threshold: float, distinctive_weight: float
    ) -> TargetVariant:
        """``variant`` with its anchors for ``threshold`` (0-1, the margin already taken);
        ``distinctive_weight``: the release's (``TokenWeights.distinctive_weight``)."""
        legal = 0
        for position, item in enumerate(variant.items):
            if item.legal_form:
                legal |= 1 << position
        initials = frozenset(
            item.text[0] for item in variant.items if not item.legal_form and len(item.text) > 1
        )
        costs = least_missing_costs(variant, distinctive_weight)
        # the heaviest positions, until the others all met could not reach the threshold;
        # should legal forms alone reach it (never for a real name), every other position is
        # an anchor: still a necessary condition, only a weaker one
        order = sorted(range(len(variant.items)), key=lambda p: (-variant.weights[p], p))
        others = (1 << len(variant.items)) - 1
        anchors = 0
        for position in order:
            if _bound(variant.weights, costs, others | legal, 0.0) < threshold:
                break
            if not legal >> position & 1:
                anchors |= 1 << position
                others &= ~(1 << position)
        return cls(variant.items, variant.weights, tuple(joined_runs(variant)), anchors, legal,
                   initials, costs, threshold)

    def bound(self, mask: int, unmatched_query: float) -> float:
        """The most a query can score (0-1) against this variant when it can meet only the
        positions in ``mask`` (and the legal forms) and its own unmatched tokens weigh
        ``unmatched_query``."""
        return _bound(self.weights, self.missing_costs, mask | self.legal, unmatched_query)

    def reaches(self, mask: int) -> bool:
        """Whether a query meeting the positions in ``mask``, with nothing unmatched of its
        own, may reach the threshold."""
        return self.bound(mask, 0.0) >= self.threshold

    def most_unmatched_query(self, mask: int) -> float:
        """The most a query's unmatched tokens may weigh for the bound to reach the threshold
        when it can meet the positions in ``mask``: ``2M / (2M + U + C) >= t`` holds for ``U``
        up to ``2M / t - 2M - C`` (negative: not even with none)."""
        t = self.threshold
        if t <= 0.0:
            return float("inf")
        matched, cost = _met_and_missing(self.weights, self.missing_costs, mask | self.legal)
        return 2.0 * matched / t - 2.0 * matched - cost

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
        """Positions a run of query tokens joined may be paired with: a token it compares with
        as joined, or a run of the same letters (cut elsewhere: respaced)."""
        mask = 0
        for position, target in enumerate(self.items):
            if compare_joined(run, target)[0] >= MIN_TOKEN_SIMILARITY:
                mask |= 1 << position
        for positions, name_run in self.runs:
            if name_run.text == run.text:
                for position in positions:
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
        # prepared as the screener's index prepares them (the parts of a person's name read
        # from the list's order: what a part left out costs depends on it), with the weights
        # of the whole release
        distinctive = weights.distinctive_weight
        self._variants: list[tuple[TargetVariant, ...]] = []
        for indexed in self.index.names if self.index is not None else ():
            listed_as = (indexed.name, is_person(entries[indexed.entry_index].entity_type))
            self._variants.append(tuple(
                TargetVariant.of(prepare(tokens, weights, listed_as=listed_as), fraction,
                                 distinctive)
                for tokens in normalize_name(indexed.name).variants
            ))
        # a run of record tokens meets a name's token only by the same letters, the same key
        # (longer than four letters) or, abjad on either side, the same consonants (four or
        # more): the name positions by each
        self._by_spelling: dict[str, list[tuple[NameVariant, int]]] = {}
        self._join_texts: set[str] = set()
        self._join_keys: set[str] = set()
        self._skeletons: set[str] = set()
        self._abjad_skeletons: set[str] = set()
        self._vowel_skeletons: set[str] = set()
        # and a run of record tokens meets a run of a name's tokens by the same letters
        # (respaced): the name variants with a run of each
        self._by_run_text: dict[str, list[NameVariant]] = {}
        for name_id, variants in enumerate(self._variants):
            for number, variant in enumerate(variants):
                for _positions, run in variant.runs:
                    self._by_run_text.setdefault(run.text, []).append((name_id, number))
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
                    if may_meet_by_vowels(item):
                        self._vowel_skeletons.add(item.skeleton)
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
        met = vowel_lookups(run.text, run.key, run.skeleton)
        for spelling in {run.text, run.key, *(skeleton for skeleton, _ in met)}:
            for key, position in self._by_spelling.get(spelling, ()):
                target = self.variant(key).items[position]
                if compare_joined(run, target)[0] >= MIN_TOKEN_SIMILARITY:
                    meets[key] = meets.get(key, 0) | 1 << position
        for key in self._by_run_text.get(run.text, ()):
            mask = self.variant(key).meets_run(run)
            if mask:
                meets[key] = meets.get(key, 0) | mask
        return meets

    def may_meet(self, text: str, abjad: bool) -> bool:
        """Whether tokens joined as ``text`` (``abjad``: one of them is) could meet a name
        token or run: ``compare_joined`` pairs only the same letters, the same key longer than
        four letters, abjad on either side the same consonants (four or more), or, Latin on
        both sides and long enough, the same consonants with vowels written otherwise; a run
        of a name's tokens only by the same letters."""
        if text in self._join_texts or text in self._by_run_text:
            return True
        key, skeleton = key_and_skeleton(text)
        if key in self._join_keys or skeleton in (
            self._skeletons if abjad else self._abjad_skeletons
        ):
            return True
        if abjad or len(text) < MIN_JOINED_VOWEL_LETTERS:
            return False
        return any(
            met in self._vowel_skeletons for met, _ in vowel_lookups(text, key, skeleton)
        )

