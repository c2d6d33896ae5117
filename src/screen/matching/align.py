"""Align a query's tokens with a list name's, one to one, best pairs first; a token may also meet
two or three adjacent tokens of the other side joined.

Longer than most modules on purpose: it is one algorithm, whose steps (best pairs, joined runs,
respaced words, cut words, leftovers, the discounts and factors) all change the same pairs and
used positions; spread over modules, the invariants between them would be too.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from screen.index.prepared import _RUN_LENGTHS, PreparedVariant, joined_runs
from screen.index.weights import (
    CONTRADICTION_FACTOR,
    EXTRA_FACTORS,
    MISSING_FACTORS,
    MISSING_GENERIC_FACTOR,
    TokenWeights,
)
from screen.matching.pairs import Memo, TokenPair, _Alignment, _Pair, token_pairs
from screen.matching.results import AlignmentHow, TokenAlignment
from screen.names.compare import (
    MIN_TOKEN_SIMILARITY,
    Comparable,
    MatchHow,
    compare_cut,
    compare_joined,
    initial_similarity,
)
from screen.names.legal_slips import MISTYPED_LEGAL_FORMS
from screen.names.parts import (
    GENERIC,
    GIVEN,
    INITIAL,
    LEGAL_FORM,
    MIDDLE,
    OTHER_SURNAME,
    PART_NAMES,
    PARTICLE,
    PATRONYMIC,
    PLACE,
    QUALIFIER,
    SURNAME,
    WORD,
)
from screen.names.segment import SPLIT
from screen.names.tokens import Token

GENERIC_ONLY_FACTOR: Final = 0.9
"""A partial match in which no distinctive token (see ``TokenWeights.distinctive_weight``)
matched is scaled by this: common words alone (``Beijing Technology Co., Ltd.`` against
``Beijing Institute of Technology``) make a hit only when nearly everything matches. A match
that leaves nothing unmatched is not scaled: identical names score 100."""
MIN_CORE_SIMILARITY: Final = 0.9
"""A core word earns an organisation's discounts only when it matched this well (the same
word, another spelling of it): a typo in the core and a place or generic word ignored besides
is too little evidence together (``Lixin Electronics Technology`` is not ``Yixin Science and
Technology``)."""
DESCRIPTIVE_ONLY_FACTOR: Final = 0.5
"""A query made of nothing but places, generic words and legal forms (``Beijing Technology Co.,
Ltd.``) says no one in particular: unless it meets a listed name word for word, or meets rare
words of it (a Chinese institute's name translated term by term: ``Computer Applications``),
its score is scaled by this, so it never makes a hit."""
ORGANISATION_AS_PERSON_FACTOR: Final = 0.75
"""A query that gives a legal form of its own, left unmatched (``Otto GmbH``, ``Ward PLC``),
names an organisation; when it meets a listed person's name through one word of it alone (a
surname, a one-word alias), its score is scaled by this: a company called by a word that is
one listed person's name is not that person. Low enough that a perfect one-word match stays
below the default threshold (80). Not applied when two words of the person's name are met
(``Viktor Bout Trading LLC``: a company named after the person, worth a look), nor for a
generic word (``Park``, ``House``, ``Power`` are also surnames)."""
MIN_CORE_LETTERS: Final = 5
"""An organisation's name met through one distinctive word alone (``Megvii`` for ``Megvii
Technology Co., Ltd.``) gets the discounts for its missing places and generic words only when
that word has this many letters: shorter words coincide across languages and names far more
often (``Eko``, ``Hana``, ``Rose``)."""


_DESCRIPTIVE: Final = frozenset({GENERIC, PLACE, LEGAL_FORM, PARTICLE})
"""Kinds that describe an organisation rather than name anyone."""
_PERSON_OPTIONAL: Final = frozenset({OTHER_SURNAME, MIDDLE, PATRONYMIC, INITIAL})
"""Parts of a person's name people routinely leave out."""
_ABBREVIABLE: Final = frozenset({GIVEN, MIDDLE, PATRONYMIC})
"""Parts of a person's name that an initial may stand for."""


def _align(
    query: PreparedVariant,
    name: PreparedVariant,
    distinctive_weight: float,
    memo: Memo | None = None,
    threshold: float = 0.0,
) -> _Alignment:
    """Align two prepared token sequences and score them (0-1). Joining leftover tokens is
    skipped when even a perfect join could not lift the score to ``threshold`` (0-1). Where
    runs of tokens have the same letters on both sides, cut at other places, the alignment
    that pairs them first is scored too, and the better taken."""
    # each candidate pair is held as its sort key (best similarity, then heaviest name token,
    # then positions): a plain sort of tuples, with no key function to call for each; the
    # positions make every key distinct, so ``how`` never decides the order
    candidates = token_pairs(query.items, name.items, name.weights, memo)
    candidates.sort()
    best = _align_from(query, name, distinctive_weight, candidates, None, threshold)
    if best.score < 1.0:
        respaced = _respaced(query, name)
        if respaced:
            other = _align_from(query, name, distinctive_weight, candidates, respaced, threshold)
            if other.score > best.score:
                return other
    return best


def _respaced(query: PreparedVariant, name: PreparedVariant) -> list[_Pair]:
    """Two adjacent tokens with the same letters on both sides, cut at another place (``sem
    ielectronic`` ~ ``semi electronic``: a space typed a letter or more early or late), as pairs,
    none sharing a token, heaviest first; usually none, seen at once by the letters of the
    query's runs of two (:attr:`PreparedVariant.pair_texts`). Against a variant without them (a
    listed name's) there are none."""
    texts = query.pair_texts
    if not texts:
        return []
    items = name.items
    for slot, run in enumerate(name.runs):
        # run[0], its text: compiled, a named tuple's field by name is a generic attribute
        # lookup, by index a read of the tuple
        if run is not None:
            first = texts.get(run[0])
            # the same letters cut elsewhere: not the same first token (a run of three with
            # the letters of two of the query's gets the check below, which finds nothing)
            if first is not None and first != items[slot // _RUN_LENGTHS][0]:
                break
    else:
        return []  # nearly always: no two tokens with the letters of two of the query's
    found: list[tuple[float, tuple[int, ...], tuple[int, ...]]] = []
    name_runs = [(positions, run) for positions, run in joined_runs(name) if len(positions) == 2]
    for query_positions, query_run in joined_runs(query):
        if len(query_positions) != 2:
            continue
        text = query_run.text
        for name_positions, name_run in name_runs:
            if name_run.text == text and not _cut_alike(query, query_positions, name,
                                                        name_positions):
                found.append(
                    (-_weight_of(name.weights, name_positions), query_positions, name_positions)
                )
    found.sort()
    used_query: set[int] = set()
    used_name: set[int] = set()
    pairs: list[_Pair] = []
    for _negated_weight, query_two, name_two in found:
        if used_query.isdisjoint(query_two) and used_name.isdisjoint(name_two):
            used_query.update(query_two)
            used_name.update(name_two)
            pairs.append(_Pair(query_two, name_two, 1.0, "exact"))
    return pairs


def _cut_alike(
    query: PreparedVariant,
    query_positions: tuple[int, ...],
    name: PreparedVariant,
    name_positions: tuple[int, ...],
) -> bool:
    """Whether two runs of two tokens with the same letters begin with the same token: then
    they are the same two tokens, which pair one by one."""
    return query.items[query_positions[0]].text == name.items[name_positions[0]].text


def _align_from(
    query: PreparedVariant,
    name: PreparedVariant,
    distinctive_weight: float,
    candidates: list[TokenPair],
    forced: list[_Pair] | None,
    threshold: float,
) -> _Alignment:
    """The alignment made from the ``forced`` pairs and then ``candidates`` (sorted), best
    pairs first, and its score."""
    name_weights = name.weights
    used_query: set[int] = set()
    used_name: set[int] = set()
    pairs: list[_Pair] = []
    if forced is not None:
        for pair in forced:
            used_query.update(pair.query_positions)
            used_name.update(pair.name_positions)
            pairs.append(pair)
    for negated_similarity, _weight, i, j, how in candidates:
        if i not in used_query and j not in used_name:
            used_query.add(i)
            used_name.add(j)
            pairs.append(_Pair((i,), (j,), -negated_similarity, how))
    if query.cuts:
        _drop_partial_cuts(query, name, pairs, used_query, used_name)
    free_query = len(query.items) - len(used_query)
    free_name = len(name.items) - len(used_name)
    joinable = (free_query >= 2 and free_name >= 1) or (free_name >= 2 and free_query >= 1)
    if joinable and (
        threshold <= 0.0 or _join_could_reach(query, name, pairs, used_name, threshold)
    ):
        _join_leftovers(query, name, used_query, used_name, pairs)

    if query.parts and name.parts:
        _pair_initials(query, name, used_query, used_name, pairs)

    # sums as plain loops: see _weight_of
    numerator = 0.0
    matched = 0.0
    distinctive_pairs = 0
    core_pairs = 0
    long_core = False
    query_tokens = query.tokens
    name_parts = name.parts
    for pair in pairs:
        weight = _weight_of(name_weights, pair.name_positions)
        numerator += 2 * pair.similarity * weight
        matched += 2 * weight
        # a query word in parentheses (a place, a former name) that meets a rare word of the
        # list name does not make the match distinctive: "Huawei Technologies (Hong Kong)"
        # against "Hong Kong Energy Technology" matched only the qualifier
        if _qualifiers_only(query_tokens, pair):
            continue
        rare = weight >= distinctive_weight
        if rare:
            distinctive_pairs += 1
        # a core pair, which earns the discounts of an organisation's missing places and
        # generic words: a rare word or a word of an organisation's name of no descriptive
        # kind however many listed names share it (Huawei, whose affiliates fill the Entity
        # List); never a place or a generic word, however rare
        if (
            (rare or _organisation_word(name_parts, pair))
            and pair.similarity >= MIN_CORE_SIMILARITY
            and not _descriptive_pair(name_parts, pair.name_positions)
            and not _descriptive_pair(query.parts, pair.query_positions)
        ):
            core_pairs += 1
            if _letters(name.items, pair.name_positions) >= MIN_CORE_LETTERS:
                long_core = True
    query_factors, name_factors = _unmatched_factors(
        query, name, used_query, used_name, distinctive_pairs, core_pairs, long_core,
        distinctive_weight,
    )
    unmatched_query = 0.0
    for i, w in enumerate(query.weights):
        if i not in used_query:
            unmatched_query += query_factors[i] * w
    unmatched_name = 0.0
    for j, w in enumerate(name_weights):
        if j not in used_name:
            unmatched_name += name_factors[j] * w
    denominator = matched + unmatched_query + unmatched_name
    score = numerator / denominator if denominator else 0.0
    complete = len(used_query) == len(query.weights) and len(used_name) == len(name_weights)
    generic_only = bool(pairs) and distinctive_pairs == 0 and core_pairs == 0 and not complete
    if generic_only:
        score *= GENERIC_ONLY_FACTOR
    descriptive_only = (
        not complete
        and distinctive_pairs == 0
        and _descriptive_only(query.parts)
        and _names_someone_unmatched(name.parts, used_name)
    )
    if descriptive_only:
        score *= DESCRIPTIVE_ONLY_FACTOR
    organisation_as_person = _organisation_against_person(
        query.parts, name_parts, used_query
    ) and _name_word_pairs(name_parts, pairs) <= 1
    if organisation_as_person:
        score *= ORGANISATION_AS_PERSON_FACTOR
    return _Alignment(
        score, pairs, used_query, used_name, query_factors, name_factors, generic_only,
        descriptive_only, organisation_as_person, numerator, matched, unmatched_query,
        unmatched_name,
    )


def _organisation_against_person(query_parts: str, name_parts: str, used_query: set[int]) -> bool:
    """Whether the query has a legal form left unmatched and the list name is a person's
    (see ``ORGANISATION_AS_PERSON_FACTOR``; False for variants prepared without kinds)."""
    if GIVEN not in name_parts and SURNAME not in name_parts:
        return False
    for i, part in enumerate(query_parts):  # noqa: SIM110 (compiled, any() is a call)
        if part == LEGAL_FORM and i not in used_query:
            return True
    return False


def _name_word_pairs(parts: str, pairs: list[_Pair]) -> int:
    """How many of ``pairs`` meet a word of the list name that is not descriptive (counted only
    for the rare alignment that :func:`_organisation_against_person` holds for)."""
    count = 0
    for pair in pairs:
        if not _descriptive_pair(parts, pair.name_positions):
            count += 1
    return count


def _organisation_word(parts: str, pair: _Pair) -> bool:
    """Whether the list-name tokens of ``pair`` are words of an organisation's name of no
    descriptive kind (False for a person's name and for a variant without its kinds)."""
    if not parts or GIVEN in parts or SURNAME in parts:
        return False
    for position in pair.name_positions:  # noqa: SIM110 (compiled, all() is a call)
        if parts[position] != WORD:
            return False
    return True


def _descriptive_pair(parts: str, positions: tuple[int, ...]) -> bool:
    """Whether every token of one side of a pair (``positions`` in that side's ``parts``) is a
    place, generic word, legal form or particle: rare in the list or not, it does not say which
    organisation (``Semiconductor Manufacturing``; 조선, Korea, met as the list's Choson)."""
    if not parts:
        return False
    for position in positions:  # noqa: SIM110 (compiled, all() is a call)
        if parts[position] not in _DESCRIPTIVE:
            return False
    return True


def _letters(items: tuple[Comparable, ...], positions: tuple[int, ...]) -> int:
    """How many letters the tokens at ``positions`` have together."""
    total = 0
    for position in positions:
        total += len(items[position].text)
    return total


def _descriptive_only(parts: str) -> bool:
    """Whether a query of two words or more is nothing but places, generic words, legal forms
    and particles (False for a variant prepared without its kinds)."""
    if len(parts) < 2:
        # one word alone is a name as often as a place (Maipu, Butte)
        return False
    for part in parts:  # noqa: SIM110 (compiled, all() is a call)
        if part not in _DESCRIPTIVE:
            return False
    return True


def _names_someone_unmatched(parts: str, used: set[int]) -> bool:
    """Whether a name word of the list name (not a place, generic word, legal form, particle
    or parenthesised qualifier) is left unmatched: a list name made only of descriptive words
    is met by a query made only of them."""
    for j, part in enumerate(parts):
        if j not in used and part not in _DESCRIPTIVE and part != QUALIFIER:
            return True
    return False


def _unmatched_factors(
    query: PreparedVariant,
    name: PreparedVariant,
    used_query: set[int],
    used_name: set[int],
    distinctive_pairs: int,
    core_pairs: int,
    long_core: bool,
    distinctive_weight: float,
) -> tuple[list[float], list[float]]:
    """What each token left unmatched costs, as a fraction of its weight, query then name.

    By kind (``MISSING_FACTORS``, ``EXTRA_FACTORS``): a listed person's middle name,
    patronymic or second surname left out costs little unless the query has a name word of
    its own that nothing matched (then the parts are present and different); an
    organisation's place, generic words and legal form left out cost little once two of its
    core words matched, or one of five letters or more (``core_pairs``), and a query's
    place, generic words and legal form little against an organisation's name. A patronymic
    on each side, neither matched, costs double on each (``CONTRADICTION_FACTOR``), and a
    generic word on each side, neither matched, is excused on neither."""
    query_parts = query.parts
    name_parts = name.parts
    query_factors = [1.0] * len(query.weights)
    name_factors = [1.0] * len(name.weights)
    person = GIVEN in name_parts or SURNAME in name_parts
    # a query's places and generic words are extras of a company's name only when the query
    # reads as one (it has a legal form or a generic word): Adelaide is a city and a given name
    company_query = LEGAL_FORM in query_parts or GENERIC in query_parts
    # one core word excuses the listed name's places and generic words only when the query
    # gives no legal form of its own: a bare brand (Megvii) refers to the listed company, a
    # company's full name with its legal form (Noble Inc) that lacks the listed name's
    # generic words (Noble Shipping Company Limited) more likely names another
    bare_core = LEGAL_FORM not in query_parts
    name_extra = False
    query_patronymic = False
    query_generic = False
    if query_parts:
        for i, part in enumerate(query_parts):
            if i in used_query:
                continue
            if part == GENERIC:
                query_generic = True
            if not person and company_query and core_pairs > 0 and part in EXTRA_FACTORS:
                query_factors[i] = EXTRA_FACTORS[part]
            elif part == INITIAL:
                # a letter says little either way, present or not
                query_factors[i] = MISSING_FACTORS[INITIAL]
            elif part not in _DESCRIPTIVE:
                name_extra = True
                if part == PATRONYMIC:
                    query_patronymic = True
    name_patronymic = False
    name_generic = False
    missing_light = True
    missing_any = False
    if name_parts:
        for j, part in enumerate(name_parts):
            if j in used_name:
                continue
            missing_any = True
            if name.weights[j] >= distinctive_weight:
                missing_light = False
            factor = MISSING_FACTORS.get(part)
            if factor is None:
                continue
            if part == PATRONYMIC and query_patronymic:
                name_factors[j] = CONTRADICTION_FACTOR
                name_patronymic = True
            elif part in _PERSON_OPTIONAL:
                if not name_extra:
                    name_factors[j] = factor
            elif part == GENERIC and query_generic:
                # a generic word on each side, neither matched (Marshall Group, Marshall
                # Capital): what the organisations do differs; neither is excused
                name_generic = True
            elif core_pairs > 1 or (core_pairs == 1 and long_core and bare_core):
                name_factors[j] = factor
    else:
        for j, w in enumerate(name.weights):
            if j not in used_name:
                missing_any = True
                if w >= distinctive_weight:
                    missing_light = False
    if name_patronymic:
        _set_unmatched(query_factors, query_parts, used_query, PATRONYMIC, CONTRADICTION_FACTOR)
    if name_generic:
        _set_unmatched(query_factors, query_parts, used_query, GENERIC, 1.0)
    if missing_any and missing_light and distinctive_pairs >= 2:
        # every distinctive word of the list name matched, two at least: what is missing is
        # generic (a city, an industry word) whether or not the tables know the word
        for j in range(len(name_factors)):
            if j not in used_name and name_factors[j] > MISSING_GENERIC_FACTOR:
                name_factors[j] = MISSING_GENERIC_FACTOR
    return query_factors, name_factors


def _set_unmatched(
    factors: list[float], parts: str, used: set[int], part: str, factor: float
) -> None:
    """Set ``factor`` for every unmatched token of kind ``part``."""
    for position, kind in enumerate(parts):
        if kind == part and position not in used:
            factors[position] = factor


def _pair_initials(
    query: PreparedVariant,
    name: PreparedVariant,
    used_query: set[int],
    used_name: set[int],
    pairs: list[_Pair],
) -> None:
    """Pair a single letter of the query left over with a given name, middle name or
    patronymic of a listed person left over that it abbreviates (``A. Khamenei``, ``Putin
    V. V.``), in order, as weak evidence (``INITIAL_SIMILARITY``). (A listed name's own
    initials are not paired: the index could not find the names they would meet.)"""
    query_parts = query.parts
    name_parts = name.parts
    if INITIAL not in query_parts:
        return
    for i, query_part in enumerate(query_parts):
        if i in used_query or query_part != INITIAL:
            continue
        for j, name_part in enumerate(name_parts):
            if j in used_name or name_part not in _ABBREVIABLE:
                continue
            similarity = initial_similarity(query.items[i], name.items[j])
            if similarity > 0.0:
                used_query.add(i)
                used_name.add(j)
                pairs.append(_Pair((i,), (j,), similarity, "initial"))
                break


def _drop_partial_cuts(
    query: PreparedVariant,
    name: PreparedVariant,
    pairs: list[_Pair],
    used_query: set[int],
    used_name: set[int],
) -> None:
    """Unpair the words cut from a token written together unless every one of them met a word
    of the name by the same letters, an alternative form or the same sound
    (:func:`compare_cut`): a cut is a sign only whole (``Bachmann`` cut in ``bach mann`` is not
    ``Bach``), and only exact, as tokens joined are."""
    for cut in query.cuts:
        whole = True
        for position in cut:
            found: _Pair | None = None
            for pair in pairs:
                if pair.query_positions[0] == position:
                    found = pair
                    break
            if found is None or compare_cut(
                query.items[position], name.items[found.name_positions[0]]
            )[0] < MIN_TOKEN_SIMILARITY:
                whole = False
                break
        if whole:
            continue
        for position in cut:
            for at, pair in enumerate(pairs):
                if pair.query_positions[0] == position:
                    used_query.discard(position)
                    used_name.discard(pair.name_positions[0])
                    del pairs[at]
                    break


def _qualifiers_only(tokens: tuple[Token, ...], pair: _Pair) -> bool:
    """Whether every query token of ``pair`` is a qualifier (False when the variant was
    prepared without its tokens)."""
    if not tokens:
        return False
    for position in pair.query_positions:  # noqa: SIM110 (compiled, all() is a call)
        if not tokens[position].qualifier:
            return False
    return True


def _weight_of(weights: tuple[float, ...], positions: tuple[int, ...]) -> float:
    """The weights at ``positions`` added left to right from 0.0. Scores add weights in loops
    like this one rather than with ``sum()``, which compensates rounding from Python 3.12 on:
    a score must not move by a rounding step with the Python version."""
    total = 0.0
    for position in positions:
        total += weights[position]
    return total


def _join_could_reach(
    query: PreparedVariant,
    name: PreparedVariant,
    pairs: list[_Pair],
    used_name: set[int],
    threshold: float,
) -> bool:
    """Whether matching every leftover token perfectly (and halving what the name misses)
    could reach ``threshold``: if not, joining need not be tried."""
    numerator = 0.0
    paired = 0.0
    for pair in pairs:
        numerator += 2 * pair.similarity * _weight_of(name.weights, pair.name_positions)
        for p in pair.name_positions:
            paired += name.weights[p]
    leftover = 0.0
    for j, w in enumerate(name.weights):
        if j not in used_name:
            leftover += w
    denominator = 2 * paired + 2 * leftover
    numerator += 2 * leftover
    return denominator > 0 and numerator / denominator >= threshold


def _alignment_steps(
    query: PreparedVariant, name: PreparedVariant, alignment: _Alignment
) -> tuple[TokenAlignment, ...]:
    """The alignment as explanation steps, in the order of the query, then of the name."""
    steps: list[tuple[int, int, TokenAlignment]] = []
    query_tokens = query.tokens
    name_tokens = name.tokens
    for pair in alignment.pairs:
        weight = _weight_of(name.weights, pair.name_positions)
        how: AlignmentHow = pair.how
        if how == "exact":
            # the same letters, once joined or cut apart: say so
            if len(pair.query_positions) > 1 and len(pair.name_positions) > 1:
                how = "respaced"
            elif len(pair.query_positions) > 1 or len(pair.name_positions) > 1:
                how = "joined"
            elif query_tokens[pair.query_positions[0]].how == SPLIT:
                how = "split"
        elif (
            how == "legal form"
            and query_tokens[pair.query_positions[0]].how in MISTYPED_LEGAL_FORMS
        ):
            how = "mistyped legal form"
        steps.append(
            (
                pair.query_positions[0],
                pair.name_positions[0],
                TokenAlignment(
                    " ".join(query_tokens[p].text for p in pair.query_positions),
                    " ".join(query_tokens[p].original for p in pair.query_positions),
                    " ".join(name_tokens[p].text for p in pair.name_positions),
                    " ".join(name_tokens[p].original for p in pair.name_positions),
                    how,
                    pair.similarity,
                    2 * weight,
                    _part_name(name.parts, pair.name_positions[0]),
                ),
            )
        )
    for i, token in enumerate(query_tokens):
        if i not in alignment.used_query:
            factor = alignment.query_factors[i]
            steps.append(
                (i, len(name_tokens), TokenAlignment(
                    token.text, token.original, None, None, "unmatched", 0.0,
                    query.weights[i] * factor, _part_name(query.parts, i),
                    "contradicting" if factor > 1.0 else "extra",
                ))
            )
    for j, token in enumerate(name_tokens):
        if j not in alignment.used_name:
            factor = alignment.name_factors[j]
            steps.append(
                (len(query_tokens), j, TokenAlignment(
                    None, None, token.text, token.original, "unmatched", 0.0,
                    name.weights[j] * factor, _part_name(name.parts, j),
                    "contradicting" if factor > 1.0 else "absent",
                ))
            )
    steps.sort(key=lambda step: (step[0], step[1]))
    return tuple(step for _, _, step in steps)


def _part_name(parts: str, position: int) -> str | None:
    """What the token at ``position`` is called in explanations (None without kinds)."""
    if position >= len(parts):
        return None
    return PART_NAMES.get(parts[position])


def _join_leftovers(
    query: PreparedVariant,
    name: PreparedVariant,
    used_query: set[int],
    used_name: set[int],
    pairs: list[_Pair],
) -> None:
    """Match tokens written apart on one side and together on the other (Zhi Pu ~ Zhipu)."""
    joined: list[tuple[float, float, tuple[int, ...], tuple[int, ...], MatchHow]] = []
    for positions, item in joined_runs(query, used_query):
        for j, name_item in enumerate(name.items):
            if j not in used_name:
                similarity, how = compare_joined(item, name_item)
                if similarity >= MIN_TOKEN_SIMILARITY:
                    joined.append((similarity, name.weights[j], positions, (j,), how))
    for positions, item in joined_runs(name, used_name):
        weight = _weight_of(name.weights, positions)
        for i, query_item in enumerate(query.items):
            if i not in used_query:
                similarity, how = compare_joined(query_item, item)
                if similarity >= MIN_TOKEN_SIMILARITY:
                    joined.append((similarity, weight, (i,), positions, how))
    joined.sort(key=lambda c: (-c[0] * c[1], c[2], c[3]))
    for similarity, _weight, query_positions, name_positions, how in joined:
        if used_query.isdisjoint(query_positions) and used_name.isdisjoint(name_positions):
            used_query.update(query_positions)
            used_name.update(name_positions)
            pairs.append(_Pair(query_positions, name_positions, similarity, how))


def _best(
    query_variants: Sequence[PreparedVariant],
    name_variants: Sequence[PreparedVariant],
    weights: TokenWeights,
    memo: Memo | None = None,
    threshold: float = 0.0,
) -> tuple[_Alignment, int, int]:
    """The best-scoring pair of variants: alignment, query variant, name variant. A query
    variant with a legal form read from a mistyped word counts only where the name has that
    very form, paired with it (:func:`_paired_as_written`); the query's other variants are as
    written, so one always counts."""
    best: tuple[_Alignment, int, int] | None = None
    distinctive = weights.distinctive_weight
    for qi, query_prepared in enumerate(query_variants):
        slip = query_prepared.slip
        for ni, name_prepared in enumerate(name_variants):
            alignment = _align(query_prepared, name_prepared, distinctive, memo, threshold)
            if slip >= 0 and not _paired_as_written(alignment, slip):
                continue
            if best is None or alignment.score > best[0].score:
                best = (alignment, qi, ni)
    assert best is not None, "every normalised name has at least one variant"
    return best


def _paired_as_written(alignment: _Alignment, position: int) -> bool:
    """Whether the query token at ``position`` is paired, and exactly: a legal form read from a
    mistyped word counts only against the listed name's own form of that class, not one of
    its family (see :mod:`screen.names.legal_slips`)."""
    for pair in alignment.pairs:
        if position in pair.query_positions:
            return pair.similarity >= 1.0
    return False
