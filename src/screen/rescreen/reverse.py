"""Which stored records could now score the threshold against some list names (the targets of
:mod:`screen.rescreen.targets`): the candidate search turned around, from the list names to the
records, in three steps, cheapest first, each keeping every record the next might pass:

1. by word: each distinct word is looked at once (:mod:`screen.rescreen.words`); a record goes
   on only if one of its words, or a run of tokens across its words, meets a name's anchor with
   enough weight (alone, or with what its other words meet of that name), and its words that
   meet no name at all weigh little enough for the threshold. Without runs across words, this
   depends only on the words that meet something (as a multiset) and on the weight of the rest:
   it is worked out once per such set of words;
2. the bound of :meth:`screen.rescreen.targets.TargetVariant.bound` from the record's words
   (what they meet of each name, the weight of the words that meet nothing of it);
3. the record normalised whole, its exact tokens and weights bounded per variant.

A record passing all three is a candidate: the screener re-screens it and decides. Records with a
token whose weight the update lowered materially are sent back too (:mod:`screen.rescreen.drift`).

Longer than most modules: the three steps share what is remembered of each word, and each must
stay a bound of the next.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from screen.index.prepared import PreparedVariant, joined_runs, prepare, slipped_variants
from screen.index.weights import (
    EXTRA_FACTORS,
    LEAST_EXTRA_FACTOR,
    MAX_JOINED_TOKENS,
    QUALIFIER_FACTOR,
    TokenWeights,
    scoring_tokens,
)
from screen.names.compare import (
    comparable,
)
from screen.names.normalize import normalize_name
from screen.names.parts import INITIAL, may_cost_less
from screen.names.tokens import INITIAL_HOW, Token, TokenKind
from screen.release.models import ListEntry, ListRelease
from screen.rescreen.cuts import cut_seqs, cut_variants
from screen.rescreen.targets import BOUND_MARGIN, Meets, NameVariant, Targets
from screen.rescreen.words import RecordWords, WordInfo, WordTable, name_words
from screen.text.scripts import ABJAD_SCRIPTS

__all__ = ["ReverseSearch"]


def _initials(seqs: Sequence[Sequence[Token]]) -> set[str]:
    """The letters a word's tokens hold as initials (see ``screen.names.normalize``)."""
    letters: set[str] = set()
    for seq in seqs:
        for token in seq:
            if token.how == INITIAL_HOW:
                letters.add(token.text)
    return letters


def _has_key(variants: Sequence[Sequence[Token]], keys: set[str]) -> bool:
    """Whether a scoring token of ``variants`` (legal forms aside, as a word's probe leaves
    them) has one of ``keys``. A word read alone may hold a letter the whole name does not:
    ``S.A.`` alone reads as initials too, not in a name with a legal form or a generic word
    (``screen.names.normalize``), so a letter whose weight moved sends a record back only when
    the name as a whole has it."""
    for variant in variants:
        for token in scoring_tokens(variant):
            if token.kind is not TokenKind.LEGAL_FORM and token.key in keys:
                return True
    return False


@dataclass(frozen=True, slots=True)
class _Word:
    """What one word of the records meets, for the first two steps."""

    info: WordInfo
    meets: Meets
    """The name variants it meets, each with the positions it meets."""
    strong: frozenset[NameVariant]
    """The name variants it meets at an anchor with enough weight to reach the threshold."""
    weak: frozenset[NameVariant]
    """Those it meets at an anchor with too little weight alone: another word must help."""
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
    initials: frozenset[str]
    """The letters its tokens hold as initials (read alone: see :meth:`ReverseSearch.why`)."""


def _ends(tokens: Sequence[Token]) -> tuple[str, ...]:
    """The letters of ``tokens`` up to the first legal form."""
    texts: list[str] = []
    for token in tokens:
        if token.kind is TokenKind.LEGAL_FORM:
            break
        texts.append(token.text)
    return tuple(texts)


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
        self.targets = Targets(release, weights, entries, self.fraction)
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

    def _word(self, word: str) -> _Word:
        known = self._words.get(word)
        if known is not None:
            return known
        info = self.table.info(word)
        cut = cut_seqs(info.seqs, self.weights.document_frequency)
        if cut:
            info = info.with_seqs(cut)
        meets: Meets = {}
        for found in [self.targets.item_meets(item) for item in info.items] + [
            self.targets.run_meets(run) for run in info.runs
        ]:
            for key, mask in found.items():
                meets[key] = meets.get(key, 0) | mask
        strong: set[NameVariant] = set()
        weak: set[NameVariant] = set()
        for key, mask in meets.items():
            variant = self.targets.variant(key)
            if mask & variant.anchors:
                (strong if variant.reaches(mask) else weak).add(key)
        light: float | None = None
        for seq, legal in zip(info.seqs, info.maybe_legal, strict=True):
            weight = 0.0
            for token, maybe_legal in zip(seq, legal, strict=True):
                if not maybe_legal:
                    # a place, generic word or initial of the record may cost less unmatched
                    factor = LEAST_EXTRA_FACTOR if may_cost_less(token) else 1.0
                    weight += factor * self.weights.weight(token)
            light = weight if light is None else min(light, weight)
        known = self._words[word] = _Word(
            info, meets, frozenset(strong), frozenset(weak), light or 0.0,
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
            frozenset(_initials(info.seqs)),
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
                    if owners[start] != owners[end - 1] and self.targets.may_meet(
                        text, any(t.script in ABJAD_SCRIPTS for t in tokens[start:end])
                    ):
                        meets = self._cross_meets(tuple(tokens[start:end]))
                        if meets:
                            spans.append((owners[start], owners[end - 1], meets))
            return spans
        record = RecordWords(tuple(words), tuple(word.info for word in found))
        for first, last, run in record.cross_runs():
            if self.targets.may_meet(
                "".join(token.text for token in run),
                any(token.script in ABJAD_SCRIPTS for token in run),
            ):
                meets = self._cross_meets(run)
                if meets:
                    spans.append((first, last, meets))
        return spans

    def _cross_meets(self, run: tuple[Token, ...]) -> Meets:
        """What a run of tokens of adjacent words meets (remembered by the tokens' identity:
        tokens are shared by the words that have them)."""
        key = tuple(id(token) for token in run)
        known = self._cross.get(key)
        if known is None:
            known = self._cross[key] = self.targets.run_meets(comparable(run))
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
        letters: set[str] = set()
        for word in words:
            data = known.get(word)
            if data is None:
                data = self._word(word)
            if data.material:
                moved = {i.key for i in data.info.items if i.key in self.material_keys}
                if any(len(key) > 1 for key in moved):
                    return "weights"
                letters |= moved
            found.append(data)
        # the whole name's variants, made only for a record that needs them, at most once
        whole: tuple[tuple[Token, ...], ...] | None = None
        if letters:
            whole = normalize_name(name).variants
            if _has_key(whole, letters):
                return "weights"
        if self._initial_may_pair(name, found, whole):
            # an initial may meet any given name that begins with its letter: the words cannot
            # bound a record that also meets a target name with such a word
            return "candidate"
        return "candidate" if self._could_match(name, words, found) else None

    def _initial_may_pair(
        self,
        name: str,
        found: Sequence[_Word],
        whole: tuple[tuple[Token, ...], ...] | None = None,
    ) -> bool:
        """Whether a record ``name`` with these words holds an initial and meets a target name
        variant with a word beginning with its letter. (Without one, its initials pair with
        nothing and count as unmatched tokens, as the scorer counts them.) A word is read alone
        here, so the initials are then taken from the whole name (``whole``: its variants,
        when the caller has them)."""
        for data in found:
            if data.initials:
                break
        else:
            return False  # no word holds an initial even read alone, so the name holds none
        # the initials of the whole name: a word alone may read as initials where the name
        # does not (``S.A.`` in a name with a legal form or a generic word; a letter the name
        # writes as a word, see ``letters_written_as_words``)
        letters = _initials(normalize_name(name).variants if whole is None else whole)
        if not letters:
            return False
        for data in found:
            for key in data.meets:
                if not letters.isdisjoint(self.targets.variant(key).initials):
                    return True
        return False

    def _could_match(self, name: str, words: list[str], found: list[_Word]) -> bool:
        if not found:
            return False
        relevant: list[str] = []
        apart = 0.0
        brackets = False
        lacking = True
        anchored = False
        for word, data in zip(words, found, strict=True):
            if data.meets:
                relevant.append(word)
                anchored = anchored or bool(data.strong) or bool(data.weak)
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
        if not anchored:
            return False  # no word meets an anchor of any name (nor does a run: see above)
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
        for key in keys:
            variant = self.targets.variant(key)
            mask = 0
            unmatched = 0.0
            for word in relevant:
                met = word.meets.get(key)
                if met is None:
                    unmatched += word.light * factor
                else:
                    mask |= met
            most = variant.most_unmatched_query(mask)
            if most - unmatched >= 0.0:
                plan.append((key, most - unmatched))
        plan.sort(key=lambda pair: -pair[1])
        self.step_two += 1
        return plan

    def _anchored_keys(self, met: Sequence[Meets], words: Sequence[_Word]) -> set[NameVariant]:
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
            mask = 0
            for meets in met:
                mask |= meets.get(key, 0)
            if self.targets.variant(key).reaches(mask):
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
                    self.targets.may_meet(joined, abjad)
                    or (len(head) > 1 and self.targets.may_meet(joined + head[1], abjad))
                    or (len(tail) > 1 and self.targets.may_meet(tail[0] + joined, abjad))
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
                    if head and self.targets.may_meet(tail[-1] + single + head[0], abjad):
                        return True
        return False

    def _with_runs(self, name: str, words: Sequence[str], found: Sequence[_Word]) -> bool:
        """:meth:`why` for a record with runs across its words that meet a name."""
        spans = self._spans(words, found)
        met: list[Meets] = [word.meets for word in found]
        met += [run_meets for _, _, run_meets in spans]
        keys = self._anchored_keys(met, found)
        for _, _, run_meets in spans:  # a run across words meeting an anchor
            for key, mask in run_meets.items():
                if mask & self.targets.variant(key).anchors:
                    keys.add(key)
        joined: set[int] = set()
        for first, last, _ in spans:
            joined.update(range(first, last + 1))
        factor = QUALIFIER_FACTOR if any(word.info.brackets for word in found) else 1.0
        survivors: list[NameVariant] = []
        for key in keys:
            variant = self.targets.variant(key)
            mask = 0
            unmatched = 0.0
            for number, word in enumerate(found):
                word_mask = word.meets.get(key)
                if word_mask is not None:
                    mask |= word_mask
                elif number not in joined:
                    unmatched += word.light * factor
            for run_meets in met[len(found):]:
                mask |= run_meets.get(key, 0)
            if variant.bound(mask, unmatched) >= self.fraction:
                survivors.append(key)
        self.step_two += 1
        if not survivors:
            return False
        self.step_three += 1
        return self._exact(name, survivors)

    def _exact(self, name: str, keys: Iterable[NameVariant]) -> bool:
        """Step three: the record normalised whole, each of its variants bounded against each
        name variant left, its unmatched tokens counted."""
        variants = normalize_name(name).variants
        prepared = [
            prepare(tokens, self.weights)
            for tokens in (*variants, *cut_variants(variants, self.weights.document_frequency))
        ]
        # a mistyped legal form read as that form, as the screener reads the record's name
        prepared.extend(slipped_variants(variants, self.weights))
        for query in prepared:
            targets = self.targets
            items = [{} if item.legal_form else targets.item_meets(item) for item in query.items]
            runs = [(positions, targets.run_meets(run)) for positions, run in joined_runs(query)]
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
        target = self.targets.variant(key)
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
        if any(
            part == INITIAL and query.items[position].text in target.initials
            for position, part in enumerate(query.parts)
        ):
            return 1.0  # an initial may meet any given name that begins with its letter
        unmatched = 0.0
        parts = query.parts
        for position, weight in enumerate(query.weights):
            if not used >> position & 1:
                discounted = parts[position] in EXTRA_FACTORS or parts[position] == INITIAL
                unmatched += weight * (LEAST_EXTRA_FACTOR if discounted else 1.0)
        return target.bound(mask, unmatched)
