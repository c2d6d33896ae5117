"""How a new list release moves the token weights of the names it did not touch.

A token weighs by its rarity across every name of the release (inverse document frequency,
:class:`screen.index.weights.TokenWeights`): ``max(1, log((N + 1) / df))`` for a token in ``df``
of the ``N`` names. An update changes ``df`` for the tokens of the names it adds and removes, and
``N`` for every token. So the score of a record against an entry the update did not touch can
move too: a little for every pair (``N``), more for pairs with a token whose ``df`` changed.

This module finds, from the new release's weights and the diff alone (the old release's index is
not needed), the old weights; the tokens whose weight the update changed *materially* (by more
than ``MATERIAL_CHANGE`` of itself, or across the line between distinctive and generic tokens,
which the matcher treats differently); and how far any other weight moved.

A list name's token weighs in a score whether it is matched or not; a record's token only when
it is left unmatched (a matched pair weighs what the list token weighs), and then the heavier it
is, the lower the score. So ``screen rescreen`` searches for the untouched names with a material
token as if they had changed, and re-screens the records with a token whose weight *fell*
materially (:attr:`WeightDrift.lowered_keys`); what is left moves every score by at most
:meth:`WeightDrift.bound` points.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from screen.index.weights import TokenWeights, scoring_tokens
from screen.matching.align import GENERIC_ONLY_FACTOR, ORGANISATION_AS_PERSON_FACTOR
from screen.names.compare import MIN_TOKEN_SIMILARITY
from screen.names.normalize import normalize_name
from screen.names.tokens import TokenKind
from screen.release.diff import ReleaseDiff
from screen.release.models import ListEntry, ListRelease

__all__ = ["MATERIAL_CHANGE", "WeightDrift", "entry_name_keys", "weight_drift"]

MATERIAL_CHANGE = 0.01
"""A token whose weight the update changed by more than this fraction of it (through its own
document frequency) is handled exactly: records with it are re-screened, names with it searched
for. Smaller changes (a common word's frequency moving by one, every weight moving with the
number of names) are left, and bounded (:meth:`WeightDrift.bound`)."""


def entry_name_keys(entry: ListEntry) -> list[tuple[frozenset[str], frozenset[str]]]:
    """For each name of ``entry`` the index counts (each distinct name once, names with no
    letter left out, as :class:`~screen.index.search.NameIndex` counts them for the weights):
    the phonetic keys of its scoring tokens, and those of its words (legal forms and particles
    weigh the same whatever their frequency)."""
    counted: list[tuple[frozenset[str], frozenset[str]]] = []
    seen: set[str] = set()
    for name in entry.names:
        if name in seen:
            continue
        seen.add(name)
        normalized = normalize_name(name)
        if normalized.is_empty:
            continue
        tokens = [t for v in normalized.variants for t in scoring_tokens(v)]
        counted.append((
            frozenset(t.key for t in tokens),
            frozenset(t.key for t in tokens if t.kind is TokenKind.WORD),
        ))
    return counted


def _count(entries: Iterable[ListEntry]) -> tuple[Counter[str], set[str], int]:
    frequency: Counter[str] = Counter()
    words: set[str] = set()
    names = 0
    for entry in entries:
        for keys, word_keys in entry_name_keys(entry):
            frequency.update(keys)
            words.update(word_keys)
            names += 1
    return frequency, words, names


def _weight(frequency: int | None, names: int) -> float:
    if frequency is None or frequency <= 0:
        return math.log(names + 1)
    return max(1.0, math.log((names + 1) / frequency))


@dataclass(frozen=True)
class WeightDrift:
    """The old and new weights of the tokens, and which changed materially."""

    old: TokenWeights
    new: TokenWeights
    material_keys: frozenset[str]
    """Keys whose weight changed materially (see the module docstring)."""
    lowered_keys: frozenset[str]
    """Those of them whose weight fell by more than ``MATERIAL_CHANGE``, and the words no name
    of the new release has any more: a record with one may score higher than it did against
    any name (a word the list no longer has may now be cut into words of names the update did
    not touch: see :mod:`screen.index.split`)."""
    largest_change: float
    """The largest relative change of any other token's weight (0 when nothing moved)."""

    @property
    def exact(self) -> bool:
        """True when no weight moved except materially (then a delta re-screen is exact)."""
        return self.largest_change == 0.0

    def bound(self, threshold: float) -> float:
        """How far, in score points, a score near ``threshold`` (0-100) can have moved with the
        weights that changed immaterially (each by at most ``c = largest_change`` of itself).

        A score is ``s = g N / D`` (see :mod:`screen.matching`): ``N = sum(2 s_i w_i)`` over
        the matched tokens, ``D = sum(2 w_i) + U``, ``g`` the product of the factors that
        apply (1, 0.9 for generic words only, 0.75 for an organisation against a person; no
        immaterial change alters which). Its change with one weight is ``2 g (s_i - s / g) / D``
        for a matched token and ``-s / D`` per unit for an unmatched one, so with every weight
        moving by at most ``c`` of itself (``c / (1 - c)`` of its value on the way), the score
        moves by at most ``c / (1 - c) * (max |g s_i - s| * M / D + s U / D)``, and ``U / D <=
        1 - s``, ``M / D <= 1``, ``g s_i`` within [``g`` * 0.6, 1], where ``g >= s`` (a score
        never exceeds its factor): the smallest such ``g`` is the worst. Taken at the worst
        ``s`` within 0.05 of the threshold."""
        change = self.largest_change
        if change <= 0.0:
            return 0.0
        if change >= 1.0:
            return 100.0
        factors = (1.0, GENERIC_ONLY_FACTOR, ORGANISATION_AS_PERSON_FACTOR,
                   GENERIC_ONLY_FACTOR * ORGANISATION_AS_PERSON_FACTOR)
        worst = 0.0
        centre = threshold / 100.0
        for step in range(11):
            s = min(1.0, max(0.0, centre - 0.05 + step * 0.01))
            low = min(g for g in factors if g >= s) * MIN_TOKEN_SIMILARITY
            worst = max(worst, max(1.0 - s, s - low) + s * (1.0 - s))
        return 100.0 * change / (1.0 - change) * worst


def weight_drift(
    old_release: ListRelease, new_release: ListRelease, difference: ReleaseDiff,
    new_weights: TokenWeights,
) -> WeightDrift:
    """The drift of token weights from ``old_release`` to ``new_release`` (``difference`` their
    diff, ``new_weights`` the new release's weights)."""
    old_by_id = {entry.id: entry for entry in old_release.entries}
    new_by_id = {entry.id: entry for entry in new_release.entries}
    changed = [change.id for change in difference.changed]
    gone, gone_words, gone_names = _count(
        [*difference.removed, *(old_by_id[i] for i in changed)]
    )
    came, came_words, came_names = _count(
        [*difference.added, *(new_by_id[i] for i in changed)]
    )
    new_names = new_weights.name_count
    old_names = max(1, new_names - came_names + gone_names)
    old_frequency = dict(new_weights.document_frequency)
    for key, count in came.items():
        left = old_frequency.get(key, 0) - count
        if left > 0:
            old_frequency[key] = left
        else:
            old_frequency.pop(key, None)
    for key, count in gone.items():
        old_frequency[key] = old_frequency.get(key, 0) + count
    old_weights = TokenWeights(old_frequency, old_names)

    old_line = old_weights.distinctive_weight
    new_line = new_weights.distinctive_weight
    material: set[str] = set()
    lowered: set[str] = set()
    largest = 0.0
    # words whose frequency changed: material when that change alone is large
    for key in came_words | gone_words:
        before, after = old_weights.key_weight(key), new_weights.key_weight(key)
        alone = _weight(old_frequency.get(key), new_names)  # the old frequency, new N
        if (
            abs(after - alone) > MATERIAL_CHANGE * alone
            or (before >= old_line) != (after >= new_line)
        ):
            material.add(key)
            if after < alone * (1.0 - MATERIAL_CHANGE):
                lowered.add(key)
        else:
            largest = max(largest, abs(after - before) / before)
    # every other token moved with the number of names only: the same for one frequency
    frequencies = set(new_weights.document_frequency.values()) | {0}
    for frequency in frequencies:
        before, after = _weight(frequency, old_names), _weight(frequency, new_names)
        if (before >= old_line) != (after >= new_line):
            material.update(
                key for key, count in new_weights.document_frequency.items()
                if count == frequency and key not in came and key not in gone
            )
        else:
            largest = max(largest, abs(after - before) / before)
    # a record's word the list knew as it is was not cut into others; known no more, it may be
    vanished = {key for key in gone_words if key not in new_weights.document_frequency}
    lowered.update(vanished)
    material.update(vanished)  # no name has it: searching for the names with it costs nothing
    return WeightDrift(
        old_weights, new_weights, frozenset(material), frozenset(lowered), largest
    )
