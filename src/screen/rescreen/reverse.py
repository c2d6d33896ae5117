"""Which stored records could now score the threshold against some list names: the candidate
search turned around, from the list names to the records.

The score (see :mod:`screen.matching`) of a query against a list-name variant is
``sum(2 s w) / (sum(2 w) + U + f * (W - M))``: ``w`` the list-side weight of each matched
token, every similarity ``s`` at most 1, ``M`` the weight of the name's matched tokens, ``W`` the
weight of all of them, ``U`` the weight of the query's unmatched tokens, and the missing-name
factor ``f`` at least ``MISSING_GENERIC_FACTOR``. So the score is at most ``2M / (2M + U +
f (W - M))``, which grows with ``M``: a record whose tokens can meet only some of a name's tokens
is bounded by their weight, and a record that meets none of the name's *anchors* (its heaviest
tokens, taken until the others could not reach the threshold even all matched: ``M >= t f W /
(2 - 2t + t f)``) cannot reach it at all.

A record's token meets a name's token when they compare (``compare``), when it meets a run of
the name's tokens (``compare_joined``), or when a run of the record's tokens meets the name's
token (``compare_joined``): the three ways the matcher pairs tokens. Record tokens are looked up
in an index of the target names, the lookup the screener does for a query's token (by key,
deletions, swaps, consonants, joined runs), so every list token the matcher could pair with one
is found; the pairs are then checked with the matcher's own comparisons.

It runs in three steps, cheapest first, each keeping every record the next might pass:

1. by word, for a million records in a few seconds: each distinct word is looked at once
   (:mod:`screen.rescreen.words`); a record goes on only if one of its words meets an anchor
   and the words that meet nothing at all weigh little enough, or its words could join into a
   run that meets a name (the first token's key, less its last ``JOIN_MARGIN`` letters, begins
   a name token's key; the last token's ends one);
2. the bound above from the record's words (what they meet, the weight of the rest);
3. the record normalised whole, its exact tokens and weights bounded per variant.

A record passing all three is a candidate: the screener re-screens it and decides.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from screen.index.prepared import PreparedVariant, joined_runs, prepare
from screen.index.search import NameIndex
from screen.index.weights import MAX_JOINED_TOKENS, QUALIFIER_FACTOR, TokenWeights
from screen.matching.align import MISSING_GENERIC_FACTOR
from screen.names.compare import (
    MIN_TOKEN_SIMILARITY,
    Comparable,
    comparable,
    compare,
    compare_joined,
)
from screen.names.normalize import normalize_name
from screen.names.tokens import Token, TokenKind
from screen.release.models import ListEntry, ListRelease
from screen.rescreen.words import RecordWords, WordInfo, WordTable, name_words
from screen.text.phonetic import key_and_skeleton

__all__ = ["BOUND_MARGIN", "JOIN_MARGIN", "ReverseSearch", "TargetVariant", "needed_weight"]

BOUND_MARGIN = 0.005
"""Taken off the threshold (a fraction) before bounding: scores are rounded to two decimals
(79.995 shows as 80.0) and sums in another order may differ in their last bits; this margin is
far wider than both."""
JOIN_MARGIN = 3
"""Letters at the end of a token's phonetic key (or consonant skeleton) that the token after it
may change when the two are joined, and at the start of the next one's: the key's rules read at
most four letters at once (``tsch``, ``shch``), and no pair of strings needs more than two
(``tests/test_rescreen_reverse.py`` holds the key and skeleton to three)."""

NameVariant = tuple[int, int]
"""A target name's id (in the target index) and the number of one of its variants."""
Meets = dict[NameVariant, int]
"""For one record token or run: the target name variants it meets, with the positions met."""


def needed_weight(total: float, threshold: float) -> float:
    """The least weight of a name variant's tokens (of ``total``) a query must match to score
    ``threshold`` (0-1); see the module docstring."""
    if threshold <= 0.0:
        return 0.0
    f = MISSING_GENERIC_FACTOR
    t = min(threshold, 1.0)
    return t * f * total / (2.0 - 2.0 * t + t * f)


def score_bound(matched: float, total: float, unmatched_query: float) -> float:
    """The most a query can score (0-1) against a name variant weighing ``total`` when at most
    ``matched`` of it can be matched and the query's unmatched tokens weigh ``unmatched_query``."""
    matched = min(matched, total)
    denominator = 2.0 * matched + unmatched_query + MISSING_GENERIC_FACTOR * (total - matched)
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
        return cls(variant.items, variant.weights, variant.total,
                   tuple(joined_runs(variant)), anchors, legal, most)

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


@dataclass(frozen=True, slots=True)
class _Word:
    """What one word of the records meets, for the first two steps."""

    info: WordInfo
    meets: Meets
    budget: float
    """The largest ``most_unmatched`` of the name variants it meets at an anchor (-1: none)."""
    light: float
    """The least its tokens weigh among a record's unmatched tokens (its lightest variant;
    tokens that could be a legal form, which may weigh little, left out)."""
    simple: bool
    """One variant, with at least one scoring token (most words)."""


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


def _prefixes(words: Iterable[str]) -> set[str]:
    return {word[:end] for word in words for end in range(1, len(word) + 1)}


def _suffixes(words: Iterable[str]) -> set[str]:
    return {word[start:] for word in words for start in range(len(word))}


class ReverseSearch:
    """Finds the records that could score ``threshold`` (0-100) or more against any name of
    ``entries``, scored with ``weights`` (the token weights of the release they are in).

    ``table`` probes the records' words (shared between searches, as words are)."""

    def __init__(
        self,
        release: ListRelease,
        weights: TokenWeights,
        entries: Sequence[ListEntry],
        threshold: float,
        table: WordTable,
    ) -> None:
        self.threshold = threshold
        self.fraction = max(0.0, threshold / 100.0 - BOUND_MARGIN)
        self.weights = weights
        self.entries = tuple(entries)
        self.table = table
        self.index = NameIndex(_sub_release(release, entries))
        self._variants: list[tuple[TargetVariant, ...]] = [
            tuple(
                TargetVariant.of(prepare(tokens, weights), self.fraction)
                for tokens in normalize_name(indexed.name).variants
            )
            for indexed in self.index.names
        ]
        # a run of record tokens meets a name's token only by the same letters, the same key
        # (longer than four letters) or, abjad on either side, the same consonants (four or
        # more): the name positions by each, and what a run's first and last tokens may be
        self._by_spelling: dict[str, list[tuple[NameVariant, int]]] = {}
        texts: set[str] = set()
        keys: set[str] = set()
        for name_id, variants in enumerate(self._variants):
            for number, variant in enumerate(variants):
                for position, item in enumerate(variant.items):
                    if item.legal_form:
                        continue
                    texts.add(item.text)
                    keys.update((item.key, item.skeleton))
                    for spelling in {item.text, item.key, item.skeleton}:
                        self._by_spelling.setdefault(spelling, []).append(
                            ((name_id, number), position)
                        )
        self._text_starts, self._text_ends = _prefixes(texts), _suffixes(texts)
        self._key_starts, self._key_ends = _prefixes(keys), _suffixes(keys)
        self._item_meets: dict[Comparable, Meets] = {}
        self._run_meets: dict[Comparable, Meets] = {}
        self._words: dict[str, _Word] = {}
        self._cross: dict[tuple[int, ...], Meets] = {}
        self._join_ends: dict[int, tuple[Token, tuple[bool, bool]]] = {}
        self._cross_tokens: list[tuple[Token, ...]] = []  # keeps the ids in ``_cross`` valid
        self.step_two = 0
        """Records the word step sent on so far."""
        self.step_three = 0
        """Records normalised whole so far."""

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
        if item.legal_form:
            return {}
        meets: Meets = {}
        query = PreparedVariant((), (item,), (1.0,), 1.0, ())
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

    def _word(self, word: str) -> _Word:
        known = self._words.get(word)
        if known is not None:
            return known
        info = self.table.info(word)
        meets: Meets = {}
        for found in [self.item_meets(item) for item in info.items] + [
            self.run_meets(run) for run in info.runs
        ]:
            for key, mask in found.items():
                meets[key] = meets.get(key, 0) | mask
        budget = -1.0
        for key, mask in meets.items():
            variant = self.variant(key)
            if mask & variant.anchors and variant.most_unmatched > budget:
                budget = variant.most_unmatched
        light: float | None = None
        for seq, legal in zip(info.seqs, info.maybe_legal, strict=True):
            weight = 0.0
            for token, maybe_legal in zip(seq, legal, strict=True):
                if not maybe_legal:
                    weight += self.weights.weight(token)
            light = weight if light is None else min(light, weight)
        known = self._words[word] = _Word(
            info, meets, budget, light or 0.0, len(info.seqs) == 1 and bool(info.seqs[0])
        )
        return known

    def _spans(self, words: Sequence[str], found: Sequence[_Word]) -> list[tuple[int, int, Meets]]:
        """What the runs across the record's words meet, with their first and last words."""
        spans: list[tuple[int, int, Meets]] = []
        if all(word.simple for word in found):
            # every word one variant with tokens: the runs of its tokens in a row that cross a
            # word boundary, each looked at only when its ends could be a name token's
            tokens: list[Token] = []
            owners: list[int] = []
            for number, word in enumerate(found):
                tokens += word.info.seqs[0]
                owners += [number] * len(word.info.seqs[0])
            count = len(tokens)
            for start in range(count - 1):
                if not self._joins(tokens[start])[0]:
                    continue
                for end in range(start + 2, min(start + MAX_JOINED_TOKENS, count) + 1):
                    if tokens[end - 1].kind is TokenKind.LEGAL_FORM:
                        break
                    if owners[start] == owners[end - 1] or not self._joins(tokens[end - 1])[1]:
                        continue
                    meets = self._cross_meets(tuple(tokens[start:end]))
                    if meets:
                        spans.append((owners[start], owners[end - 1], meets))
            return spans
        record = RecordWords(tuple(words), tuple(word.info for word in found))
        for first, last, run in record.cross_runs():
            if self._joins(run[0])[0] and self._joins(run[-1])[1]:
                meets = self._cross_meets(run)
                if meets:
                    spans.append((first, last, meets))
        return spans

    def _joins(self, token: Token) -> tuple[bool, bool]:
        """Whether a run of tokens joined could meet a name token when it begins, and when it
        ends, with ``token`` (see ``JOIN_MARGIN``). Remembered by the token's identity."""
        known = self._join_ends.get(id(token))
        if known is not None and known[0] is token:
            return known[1]
        if token.kind is TokenKind.LEGAL_FORM:
            ends = (False, False)
        else:
            # a run's key and consonants are made from its letters joined (key_and_skeleton),
            # so the token's are taken the same way (an abjad token's own are made otherwise)
            key, skeleton = key_and_skeleton(token.text)
            cut = JOIN_MARGIN
            ends = (
                token.text in self._text_starts
                or len(key) <= cut or key[:-cut] in self._key_starts
                or len(skeleton) <= cut or skeleton[:-cut] in self._key_starts,
                token.text in self._text_ends
                or len(key) <= cut or key[cut:] in self._key_ends
                or len(skeleton) <= cut or skeleton[cut:] in self._key_ends,
            )
        self._join_ends[id(token)] = (token, ends)
        return ends

    def _cross_meets(self, run: tuple[Token, ...]) -> Meets:
        """What a run of tokens of adjacent words meets (remembered by the tokens' identity:
        tokens are shared by the words that have them)."""
        key = tuple(id(token) for token in run)
        known = self._cross.get(key)
        if known is None:
            known = self._cross[key] = self.run_meets(comparable(run))
            self._cross_tokens.append(run)
        return known

    # -- records ---------------------------------------------------------------------------------

    def could_match(self, name: str) -> bool:
        """Whether a record screened as ``name`` could score the threshold against a target
        name (False only when it surely cannot)."""
        words = name_words(name)
        found = [self._word(word) for word in words]
        if not found:
            return False
        if all(word.info.can_lack_content for word in found):
            return True  # the name may keep its legal forms as words: see RecordWords
        spans = self._spans(words, found) if len(words) > 1 else []
        factor = QUALIFIER_FACTOR if any(word.info.brackets for word in found) else 1.0
        # step one: no run across words meets a name, so the words that meet no name at all
        # are unmatched against every name; the best budget must allow them
        if not spans:
            budget = max(word.budget for word in found)
            if budget < 0.0:
                return False
            apart = 0.0
            for word in found:
                if not word.meets:
                    apart += word.light
            if apart * factor > budget:
                return False
        # step two
        self.step_two += 1
        seeds: set[NameVariant] = set()
        for meets in [word.meets for word in found] + [meets for _, _, meets in spans]:
            for key, mask in meets.items():
                if mask & self.variant(key).anchors:
                    seeds.add(key)
        order = sorted(range(len(found)), key=lambda number: -found[number].light)
        survivors = [key for key in seeds if self._bound(key, found, order, spans, factor)]
        if not survivors:
            return False
        # step three
        self.step_three += 1
        return self._exact(name, survivors)

    def _bound(
        self,
        key: NameVariant,
        words: Sequence[_Word],
        order: Sequence[int],
        spans: Sequence[tuple[int, int, Meets]],
        factor: float,
    ) -> bool:
        """Step two for one name variant: what the record's words meet of it, and the weight of
        the words that meet nothing of it (heaviest first, stopping once too much)."""
        variant = self.variant(key)
        joined: set[int] = set()
        mask = variant.legal
        for first, last, meets in spans:
            met = meets.get(key)
            if met:
                mask |= met
                joined.update(range(first, last + 1))
        unmatched = 0.0
        for number in order:
            word = words[number]
            met = word.meets.get(key)
            if met:
                mask |= met
            elif number not in joined:
                unmatched += word.light * factor
                if unmatched > variant.most_unmatched:
                    return False
        return score_bound(variant.weight_of(mask), variant.total, unmatched) >= self.fraction

    def _exact(self, name: str, keys: Iterable[NameVariant]) -> bool:
        """Step three: the record normalised whole, each of its variants bounded against each
        name variant left, its unmatched tokens counted."""
        prepared = [prepare(tokens, self.weights) for tokens in normalize_name(name).variants]
        for key in keys:
            target = self.variant(key)
            for query in prepared:
                if self._exact_bound(query, target) >= self.fraction:
                    return True
        return False

    def _exact_bound(self, query: PreparedVariant, target: TargetVariant) -> float:
        mask = target.legal
        used = 0  # query positions that may be matched
        for position, item in enumerate(query.items):
            if item.legal_form:
                used |= 1 << position  # a legal form may meet the name's legal forms
                continue
            met = target.meets_item(item)
            if met:
                mask |= met
                used |= 1 << position
        for positions, run in joined_runs(query):
            met = target.meets_run(run)
            if met:
                mask |= met
                for position in positions:
                    used |= 1 << position
        unmatched = 0.0
        for position, weight in enumerate(query.weights):
            if not used >> position & 1:
                unmatched += weight
        return score_bound(target.weight_of(mask), target.total, unmatched)
