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

1. by word: each distinct word is looked at once (:mod:`screen.rescreen.words`), and a record
   goes on only if one of its words, or a run of tokens across its words, meets an anchor,
   and its words that meet no name at all weigh little enough for the threshold;
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
from screen.text.scripts import ABJAD_SCRIPTS

__all__ = ["BOUND_MARGIN", "ReverseSearch", "TargetVariant", "needed_weight"]

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
    needed: float
    """The least weight of the variant a query must match (:func:`needed_weight`)."""
    legal_weight: float
    """The weight of its legal forms."""

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
        return cls(variant.items, variant.weights, variant.total,
                   tuple(joined_runs(variant)), anchors, legal, most, needed, legal_weight)

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
    meets: dict[NameVariant, float]
    """The name variants it meets, each with the weight of the positions it meets."""
    strong: frozenset[NameVariant]
    """The name variants it meets at an anchor with enough weight to reach the threshold."""
    weak: frozenset[NameVariant]
    """Those it meets at an anchor with too little weight alone: another word must help."""
    budget: float
    """The largest ``most_unmatched`` of those (-1: none)."""
    light: float
    """The least its tokens weigh among a record's unmatched tokens (its lightest variant;
    tokens that could be a legal form, which may weigh little, left out)."""
    simple: bool
    """One variant, with at least one scoring token (most words)."""
    solid: bool
    """Every variant has a scoring token (a word that may have none lets runs reach past it)."""
    material: bool
    """One of its tokens has a weight the update moved materially."""
    heads: tuple[tuple[str, ...], ...]
    """The letters of its first one and two tokens, in each variant (a legal form ends them:
    no run holds one)."""
    tails: tuple[tuple[str, ...], ...]
    """The letters of its last two tokens and its last one, in each variant."""
    abjad: bool
    """One of its tokens is written in an abjad (compared by consonants)."""
    empty: bool
    """No variant has a scoring token (a function word: runs pass over it)."""
    singles: tuple[str, ...]
    """The letters of the variants with exactly one token (runs may pass through them)."""


def _ends(tokens: Sequence[Token]) -> tuple[str, ...]:
    """The letters of ``tokens`` up to the first legal form."""
    texts: list[str] = []
    for token in tokens:
        if token.kind is TokenKind.LEGAL_FORM:
            break
        texts.append(token.text)
    return tuple(texts)


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


class ReverseSearch:
    """Finds the records that could score ``threshold`` (0-100) or more against any name of
    ``entries``, scored with ``weights`` (the token weights of the release they are in), and
    the records with a token of ``material_keys`` (whose weight fell: see
    :mod:`screen.rescreen.drift`).

    ``table`` probes the records' words."""

    def __init__(
        self,
        release: ListRelease,
        weights: TokenWeights,
        entries: Sequence[ListEntry],
        threshold: float,
        table: WordTable,
        material_keys: frozenset[str] = frozenset(),
    ) -> None:
        self.threshold = threshold
        self.material_keys = material_keys
        self.fraction = max(0.0, threshold / 100.0 - BOUND_MARGIN)
        self.weights = weights
        self.entries = tuple(entries)
        self.table = table
        self.index = NameIndex(_sub_release(release, entries)) if entries else None
        self._variants: list[tuple[TargetVariant, ...]] = [
            tuple(
                TargetVariant.of(prepare(tokens, weights), self.fraction)
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
        self._words: dict[str, _Word] = {}
        self._cross: dict[tuple[int, ...], Meets] = {}
        self._cross_tokens: list[tuple[Token, ...]] = []  # keeps the ids in ``_cross`` valid
        # runs across words, by the words' identities (words are kept in ``_words``)
        self._pairs: dict[tuple[int, int], bool] = {}
        self._triples: dict[tuple[int, int, int], bool] = {}
        self._plans: dict[tuple[tuple[str, ...], bool], list[tuple[NameVariant, float]]] = {}
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
        if item.legal_form or self.index is None:
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
        weights = {key: self.variant(key).weight_of(mask) for key, mask in meets.items()}
        strong: set[NameVariant] = set()
        weak: set[NameVariant] = set()
        for key, mask in meets.items():
            variant = self.variant(key)
            if mask & variant.anchors:
                (strong if weights[key] >= variant.needed else weak).add(key)
        budget = max(
            (self.variant(key).most_unmatched for key in strong | weak), default=-1.0
        )
        light: float | None = None
        for seq, legal in zip(info.seqs, info.maybe_legal, strict=True):
            weight = 0.0
            for token, maybe_legal in zip(seq, legal, strict=True):
                if not maybe_legal:
                    weight += self.weights.weight(token)
            light = weight if light is None else min(light, weight)
        known = self._words[word] = _Word(
            info, weights, frozenset(strong), frozenset(weak), budget, light or 0.0,
            len(info.seqs) == 1 and bool(info.seqs[0]),
            all(info.seqs),
            any(item.key in self.material_keys for item in info.items),
            tuple({_ends(seq[:2]): None for seq in info.seqs if seq}),
            tuple({_ends(seq[-2:][::-1])[::-1]: None for seq in info.seqs if seq}),
            any(t.script in ABJAD_SCRIPTS for seq in info.seqs for t in seq),
            not any(info.seqs),
            tuple({
                seq[0].text: None for seq in info.seqs
                if len(seq) == 1 and seq[0].kind is not TokenKind.LEGAL_FORM
            }),
        )
        return known

    def _spans(self, words: Sequence[str], found: Sequence[_Word]) -> list[tuple[int, int, Meets]]:
        """What the runs across the record's words meet, with their first and last words."""
        spans: list[tuple[int, int, Meets]] = []
        if all(word.simple for word in found):
            # every word one variant with tokens: the runs of its tokens in a row that cross a
            # word boundary
            tokens: list[Token] = []
            owners: list[int] = []
            for number, word in enumerate(found):
                tokens += word.info.seqs[0]
                owners += [number] * len(word.info.seqs[0])
            count = len(tokens)
            for start in range(count - 1):
                if tokens[start].kind is TokenKind.LEGAL_FORM:
                    continue
                text = tokens[start].text
                for end in range(start + 2, min(start + MAX_JOINED_TOKENS, count) + 1):
                    token = tokens[end - 1]
                    if token.kind is TokenKind.LEGAL_FORM:
                        break
                    text += token.text
                    if owners[start] != owners[end - 1] and self._may_meet(
                        text, any(t.script in ABJAD_SCRIPTS for t in tokens[start:end])
                    ):
                        meets = self._cross_meets(tuple(tokens[start:end]))
                        if meets:
                            spans.append((owners[start], owners[end - 1], meets))
            return spans
        record = RecordWords(tuple(words), tuple(word.info for word in found))
        for first, last, run in record.cross_runs():
            if self._may_meet(
                "".join(token.text for token in run),
                any(token.script in ABJAD_SCRIPTS for token in run),
            ):
                meets = self._cross_meets(run)
                if meets:
                    spans.append((first, last, meets))
        return spans

    def _may_meet(self, text: str, abjad: bool) -> bool:
        """Whether tokens joined as ``text`` (``abjad``: one of them is) could meet a name
        token: ``compare_joined`` pairs only the same letters, the same key longer than four
        letters, or, abjad on either side, the same consonants (four or more)."""
        if text in self._join_texts:
            return True
        key, skeleton = key_and_skeleton(text)
        return key in self._join_keys or skeleton in (
            self._skeletons if abjad else self._abjad_skeletons
        )

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

    def why(self, name: str) -> str | None:
        """Why a record screened as ``name`` must be screened again: ``weights`` (a token whose
        weight moved materially), ``candidate`` (it could score the threshold against a target
        name), or None (it surely cannot, and its answer stands)."""
        words = name_words(name)
        known = self._words
        found: list[_Word] = []
        for word in words:
            data = known.get(word)
            if data is None:
                data = self._word(word)
            if data.material:
                return "weights"
            found.append(data)
        return "candidate" if self._could_match(name, words, found) else None

    def could_match(self, name: str) -> bool:
        """Whether a record screened as ``name`` could score the threshold against a target
        name (False only when it surely cannot)."""
        words = name_words(name)
        return self._could_match(name, words, [self._word(word) for word in words])

    def _could_match(self, name: str, words: list[str], found: list[_Word]) -> bool:
        if not found:
            return False
        relevant: list[str] = []
        apart = 0.0
        brackets = False
        lacking = True
        for word, data in zip(words, found, strict=True):
            if data.meets:
                relevant.append(word)
            else:
                apart += data.light
            brackets = brackets or data.info.brackets
            lacking = lacking and data.info.can_lack_content
        if lacking:
            return True  # the name may keep its legal forms as words: see RecordWords
        if len(found) > 1 and self._may_join(words, found):
            return self._with_runs(name, words, found)
        # no run across words meets a name: what the record can meet is what its words meet,
        # so the decision depends only on the words that meet something (as a multiset) and
        # on the weight of the others, which is unmatched against every name
        if not relevant:
            return False
        relevant.sort()
        plan_key = (tuple(relevant), brackets)
        plan = self._plans.get(plan_key)
        if plan is None:
            plan = self._plans[plan_key] = self._plan(
                [self._word(word) for word in relevant], brackets
            )
        if not plan:
            return False
        if brackets:
            apart *= QUALIFIER_FACTOR
        if apart > plan[0][1]:
            return False
        self.step_three += 1
        return self._exact(name, [key for key, most in plan if most >= apart])

    def _plan(
        self, relevant: Sequence[_Word], brackets: bool
    ) -> list[tuple[NameVariant, float]]:
        """For words that meet something: the name variants they meet at an anchor with enough
        weight together, each with the most the record's other (unmatched) words may weigh
        for it to reach the threshold, largest first."""
        factor = QUALIFIER_FACTOR if brackets else 1.0
        keys = self._anchored_keys([word.meets for word in relevant], relevant)
        plan: list[tuple[NameVariant, float]] = []
        f = MISSING_GENERIC_FACTOR
        t = self.fraction
        for key in keys:
            variant = self.variant(key)
            matched = variant.legal_weight
            unmatched = 0.0
            for word in relevant:
                weight = word.meets.get(key)
                if weight is None:
                    unmatched += word.light * factor
                else:
                    matched += weight
            matched = min(matched, variant.total)
            # 2M / (2M + U + f (W - M)) >= t  <=>  U <= 2M / t - 2M - f (W - M)
            most = (2.0 * matched / t - 2.0 * matched - f * (variant.total - matched)
                    if t > 0.0 else float("inf"))
            if most - unmatched >= 0.0:
                plan.append((key, most - unmatched))
        plan.sort(key=lambda pair: -pair[1])
        self.step_two += 1
        return plan

    def _anchored_keys(
        self, met: Sequence[dict[NameVariant, float]], words: Sequence[_Word]
    ) -> set[NameVariant]:
        """The name variants met at an anchor with enough weight: by one word alone (strong),
        or by one word at an anchor and others together (``met``: what each word or run meets,
        the words first)."""
        keys: set[NameVariant] = set()
        for word in words:
            keys.update(word.strong)
        for number, word in enumerate(words):
            if not word.weak:
                continue
            for other, meets in enumerate(met):
                if other == number or not meets:
                    continue
                if len(word.weak) <= len(meets):
                    keys.update(key for key in word.weak if key in meets)
                else:
                    keys.update(key for key in meets if key in word.weak)
        confirmed: set[NameVariant] = set()
        for key in keys:
            total = 0.0
            for meets in met:
                total += meets.get(key, 0.0)
            if total + self.variant(key).legal_weight >= self.variant(key).needed:
                confirmed.add(key)
        return confirmed

    def _may_join(self, words: Sequence[str], found: Sequence[_Word]) -> bool:
        """Whether some run of tokens across the record's words could meet a name token: a
        run's letters, or its key or consonants, must be some name token's (``compare_joined``).
        Function words (no scoring token) are passed over by runs; a word that has a scoring
        token in some variants only takes the long way. Remembered by the neighbouring words:
        they repeat across records."""
        if not all(word.solid or word.empty for word in found):
            return bool(self._spans(words, found))
        chain = [word for word in found if word.solid]
        pairs, triples = self._pairs, self._triples
        for number in range(len(chain) - 1):
            before, after = chain[number], chain[number + 1]
            key = (id(before), id(after))
            known = pairs.get(key)
            if known is None:
                known = pairs[key] = self._pair_joins(before, after)
            if known:
                return True
            if after.singles and number + 2 < len(chain):
                third = chain[number + 2]
                key3 = (id(before), id(after), id(third))
                known = triples.get(key3)
                if known is None:
                    known = triples[key3] = self._through_joins(before, after, third)
                if known:
                    return True
        return False

    def _pair_joins(self, before: _Word, after: _Word) -> bool:
        """Whether a run across two neighbouring words may meet a name: the last token and one
        or two first ones, or the last two and the first one."""
        abjad = before.abjad or after.abjad
        for tail in before.tails:
            if not tail:
                continue
            for head in after.heads:
                if not head:
                    continue
                joined = tail[-1] + head[0]
                if (
                    self._may_meet(joined, abjad)
                    or (len(head) > 1 and self._may_meet(joined + head[1], abjad))
                    or (len(tail) > 1 and self._may_meet(tail[0] + joined, abjad))
                ):
                    return True
        return False

    def _through_joins(self, before: _Word, middle: _Word, after: _Word) -> bool:
        """Whether a run through a word of one token may meet a name."""
        abjad = before.abjad or middle.abjad or after.abjad
        for tail in before.tails:
            if not tail:
                continue
            for single in middle.singles:
                for head in after.heads:
                    if head and self._may_meet(tail[-1] + single + head[0], abjad):
                        return True
        return False

    def _with_runs(self, name: str, words: Sequence[str], found: Sequence[_Word]) -> bool:
        """:meth:`could_match` for a record with runs across its words that meet a name."""
        spans = self._spans(words, found)
        met: list[dict[NameVariant, float]] = [word.meets for word in found]
        met += [{key: self.variant(key).weight_of(mask) for key, mask in run_meets.items()}
                for _, _, run_meets in spans]
        keys = self._anchored_keys(met, found)
        for _, _, run_meets in spans:  # a run across words meeting an anchor
            for key, mask in run_meets.items():
                if mask & self.variant(key).anchors:
                    keys.add(key)
        joined: set[int] = set()
        for first, last, _ in spans:
            joined.update(range(first, last + 1))
        factor = QUALIFIER_FACTOR if any(word.info.brackets for word in found) else 1.0
        survivors: list[NameVariant] = []
        for key in keys:
            variant = self.variant(key)
            matched = variant.legal_weight
            unmatched = 0.0
            for number, word in enumerate(found):
                weight = word.meets.get(key)
                if weight is not None:
                    matched += weight
                elif number not in joined:
                    unmatched += word.light * factor
            for weights in met[len(found):]:
                matched += weights.get(key, 0.0)
            if score_bound(matched, variant.total, unmatched) >= self.fraction:
                survivors.append(key)
        self.step_two += 1
        if not survivors:
            return False
        self.step_three += 1
        return self._exact(name, survivors)

    def _exact(self, name: str, keys: Iterable[NameVariant]) -> bool:
        """Step three: the record normalised whole, each of its variants bounded against each
        name variant left, its unmatched tokens counted."""
        prepared = [prepare(tokens, self.weights) for tokens in normalize_name(name).variants]
        for query in prepared:
            items = [{} if item.legal_form else self.item_meets(item) for item in query.items]
            runs = [(positions, self.run_meets(run)) for positions, run in joined_runs(query)]
            for key in keys:
                if self._exact_bound(query, key, items, runs) >= self.fraction:
                    return True
        return False

    def _exact_bound(
        self,
        query: PreparedVariant,
        key: NameVariant,
        items: Sequence[Meets],
        runs: Sequence[tuple[tuple[int, ...], Meets]],
    ) -> float:
        target = self.variant(key)
        mask = target.legal
        used = 0  # query positions that may be matched
        for position, item in enumerate(query.items):
            if item.legal_form:
                used |= 1 << position  # a legal form may meet the name's legal forms
                continue
            met = items[position].get(key)
            if met:
                mask |= met
                used |= 1 << position
        for positions, meets in runs:
            met = meets.get(key)
            if met:
                mask |= met
                for position in positions:
                    used |= 1 << position
        unmatched = 0.0
        for position, weight in enumerate(query.weights):
            if not used >> position & 1:
                unmatched += weight
        return score_bound(target.weight_of(mask), target.total, unmatched)
