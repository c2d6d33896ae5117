"""How two name tokens compare: one similarity in [0, 1] and the reason for it.

Shared by the candidate index (which must find every name the matcher could score above the
threshold) and the matcher (which scores and explains), so both use exactly one definition:
which is why every way two tokens may meet is in this one module, longer than most.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Final, Literal, NamedTuple, cast

from rapidfuzz.distance.OSA import distance as _rapidfuzz_osa

from screen.names import tables
from screen.names.romanisations import DIGITS_AS_LETTERS, ROMANISATION
from screen.names.tokens import Token, TokenKind
from screen.text.memo import _remember
from screen.text.phonetic import collapse_repeats, key_and_skeleton, phonetic_key
from screen.text.scripts import ABJAD_SCRIPTS

__all__ = [
    "ARTICLE_L_BEFORE",
    "INITIAL_SIMILARITY",
    "KEY_EDIT_PENALTY",
    "MIN_JOINED_VOWEL_LETTERS",
    "MIN_READING_EDIT_KEY",
    "MIN_TOKEN_SIMILARITY",
    "MIN_VOWEL_SKELETON",
    "READING_FORMS",
    "SWAP_ONLY_LENGTH",
    "Comparable",
    "MatchHow",
    "allowed_edits",
    "assimilated_skeletons",
    "comparable",
    "compare",
    "compare_cut",
    "compare_joined",
    "feminine_ending_partner",
    "initial_similarity",
    "legal_form_family",
    "may_meet_by_vowels",
    "neighbour_swaps",
    "reading_keys",
    "swapped_short",
    "unassimilated_skeletons",
    "vowel_lookups",
]

MatchHow = Literal[
    "exact",
    "legal form",
    "abbreviation",
    "translation",
    "place romanisation",
    "plural",
    "transliteration",
    "consonants",
    "vowels",
    "edit distance",
    "initial",
]

MIN_TOKEN_SIMILARITY: Final = 0.6
"""Below this two tokens do not match at all."""
INITIAL_SIMILARITY: Final = 0.7
"""How much an initial counts for the name it abbreviates (``A.`` for ``Ali``): weak evidence,
below any spelling of the name itself."""
KEY_EDIT_PENALTY: Final = 0.05
"""How much less an edit in the phonetic keys counts than an edit in the letters."""

READING_FORMS: Final = frozenset({ROMANISATION, DIGITS_AS_LETTERS})
"""How the forms are made that compare by sound (a word read as the lists would spell it:
:func:`_reading_similarity`); every other form compares by its letters, whole."""
MIN_VOWEL_SKELETON: Final = 3
"""Two words of six letters or more whose consonants are the same, this many at least, and whose
phonetic keys differ only in two vowels, each written as another (``Mohammed`` / ``Muhammad``,
``Hezbollah`` / ``Hizballah``, ``Hossein`` / ``Husayn``), compare as one typo apart: the vowels
are what romanisations of Arabic, Persian and other scripts that do not write short vowels
disagree on most."""
MIN_JOINED_VOWEL_LETTERS: Final = 5
"""Tokens written apart on one side and together on the other meet with vowels written
otherwise (see ``MIN_VOWEL_SKELETON``) from this many letters: the Arabic article is written
al, el, ul, ol, joined or apart (``Abdul`` ~ ``ABD AL``, ``Abdelaziz`` ~ ``ABD AL-AZIZ``)."""
MIN_READING_EDIT_KEY: Final = 8
"""A reading's phonetic key and the other word's must have this many letters for the reading
to meet the other word one edit away (the patronymics and most surnames a convention spells
two ways have)."""

_ALTERNATIVE_HOW: dict[str, MatchHow] = {
    "abbreviation": "abbreviation",
    "translated": "translation",
    "place romanisation": "place romanisation",
    "transliterated": "transliteration",
    "plural": "plural",
}


class Comparable(NamedTuple):
    """The parts of a token (or of several adjacent tokens joined) that comparison looks at.

    A named tuple rather than a dataclass: the index holds a quarter of a million of them and
    looks them up by value for every query, and tuples hash, compare and build in C."""

    text: str
    forms: tuple[tuple[str, str], ...]
    """Alternative forms and how each was made."""
    key: str
    skeleton: str
    abjad: bool
    """True when written in a script without short vowels: consonants decide."""
    legal_form: bool


def comparable(tokens: tuple[Token, ...]) -> Comparable:
    """The comparable form of one token, or of adjacent tokens joined into one word."""
    if len(tokens) == 1:
        token = tokens[0]
        known = token.comparable_form
        if known is not None:
            return cast(Comparable, known)
        made = _new_comparable(
            token.text,
            token.alternatives,
            token.key,
            token.skeleton,
            token.script in ABJAD_SCRIPTS,
            token.kind is TokenKind.LEGAL_FORM,
        )
        object.__setattr__(token, "comparable_form", made)  # a cache, not a field of the token
        return made
    text = "".join(token.text for token in tokens)
    abjad = any(token.script in ABJAD_SCRIPTS for token in tokens)
    # a joined form depends on its letters and script kind alone: remembered, as the same
    # pairs of words come back in name after name (two in three after 20,000 names)
    memo = _JOINED_ABJAD if abjad else _JOINED_OTHER
    known_joined = memo.get(text)
    if known_joined is not None:
        return known_joined
    made_joined: Comparable | None = None
    if _JOINED is not None:
        made_joined = _JOINED(Comparable, text, abjad)
    if made_joined is None:
        key, skeleton = key_and_skeleton(text)
        made_joined = _new_comparable(text, (), key, skeleton, abjad, False)
    return _remember(memo, text, made_joined)


def initial_similarity(initial: Comparable, word: Comparable) -> float:
    """``INITIAL_SIMILARITY`` when ``initial`` is one letter that begins ``word`` (a word of
    two letters or more, written in the same kind of script), else 0."""
    text = word.text
    if (
        len(initial.text) == 1
        and len(text) > 1
        and text[0] == initial.text
        and not initial.legal_form
        and not word.legal_form
        and initial.abjad == word.abjad
    ):
        return INITIAL_SIMILARITY
    return 0.0


def comparable_from(fields: tuple[object, ...]) -> Comparable:
    """The :class:`Comparable` of its fields kept as a plain tuple (as the index cache keeps
    them: a plain tuple unpickles without its class being looked up by name; it also equals
    its :class:`Comparable` and hashes the same)."""
    return tuple.__new__(Comparable, fields)


def _new_comparable(
    text: str,
    forms: tuple[tuple[str, str], ...],
    key: str,
    skeleton: str,
    abjad: bool,
    legal_form: bool,
) -> Comparable:
    """A :class:`Comparable` of its fields in order, made in C where ``screen.text._phonetic`` is
    built, else by ``tuple.__new__``: the named tuple's own constructor is interpreted Python,
    and about nine comparables are made for every name screened (its tokens and joined runs)."""
    if _NAMED is not None:
        return _NAMED(Comparable, text, forms, key, skeleton, abjad, legal_form)
    return tuple.__new__(Comparable, (text, forms, key, skeleton, abjad, legal_form))


def _compiled_named() -> Callable[..., Comparable] | None:
    try:
        from screen.text._phonetic import new_named_tuple
    except ImportError:
        return None
    return new_named_tuple


def _compiled_joined() -> Callable[[type[Comparable], str, bool], Comparable | None] | None:
    # the compiled engine given the phonetic table (None where ``_phonetic`` is not built)
    from screen.text.phonetic import COMPILED_ENGINE

    return None if COMPILED_ENGINE is None else COMPILED_ENGINE.joined_comparable


_JOINED_ABJAD: Final[dict[str, Comparable]] = {}
_JOINED_OTHER: Final[dict[str, Comparable]] = {}
"""Comparable forms of tokens joined, by their joined letters (abjad or not; see
``screen.text.memo``)."""
_NAMED: Final = _compiled_named()
_JOINED: Final = _compiled_joined()
"""The comparable form of ASCII tokens joined, key and skeleton made in C (``_phonetic.pyx``),
or None where that module is not built."""


def _python_osa_distance(a: str, b: str, cutoff: int) -> int:
    return _rapidfuzz_osa(a, b, score_cutoff=cutoff)


def _osa_distance_function() -> Callable[[str, str, int], int]:
    try:
        from screen.text._distance import osa_distance
    except ImportError:
        return _python_osa_distance
    return osa_distance


_osa_distance: Final = _osa_distance_function()
"""The optimal string alignment distance of two words, or ``cutoff + 1`` when it is more than
``cutoff``: rapidfuzz's, or the same in C++ (``screen.text._distance``, a generic algorithm with
no rule of matching in it) where that is built, at a fraction of the price of a call."""


def allowed_edits(length: int) -> int:
    """Edits tolerated between two words whose shorter has ``length`` letters: none for very
    short words (one letter changes a short name entirely); one (a substitution, insertion,
    deletion or swap of neighbours) from four letters; two from six letters, when one of the
    two is a swap of neighbouring letters, the commonest slip in typing (``Srefei`` for
    ``Sergei``). The index finds every such pair, through single deletions and the query's
    swaps, so scoring and candidate search agree exactly."""
    return 0 if length < 4 else 1 if length < 6 else 2


SWAP_ONLY_LENGTH: Final = 3
"""Two words of this many letters, too short for any other edit (:func:`allowed_edits`), still
compare as one typo apart when they differ by a swap of neighbouring letters (``Kuy`` / ``Kyu``,
``Gli`` / ``Gil``): a swap keeps every letter, it is the commonest slip in typing, and it seldom
turns a name of three letters into another. Weak evidence, as one edit in three letters is
(:func:`_edit_similarity`): enough beside other words matched, never alone."""


def swapped_short(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` are words of ``SWAP_ONLY_LENGTH`` letters, one the other with two
    neighbouring letters swapped."""
    return len(a) == SWAP_ONLY_LENGTH == len(b) and a != b and b in neighbour_swaps(a)


def neighbour_swaps(text: str) -> list[str]:
    """``text`` with each pair of neighbouring, different letters swapped in turn."""
    return [
        text[:i] + text[i + 1] + text[i] + text[i + 2 :]
        for i in range(len(text) - 1)
        if text[i] != text[i + 1]
    ]


def _edit_similarity(length: int, edits: int = 1) -> float:
    # One edit in a five-letter word often makes another name (Rossi / Rose); in a
    # twelve-letter word it is most likely a typo: similarity grows with length, and falls
    # with each edit.
    return 0.95 - 0.95 * edits / length


def _swap_is_one_of_two_edits(a: str, b: str) -> bool:
    """For ``a`` and ``b`` two edits apart: whether one of the two is a swap of neighbours.
    (The optimal string alignment distance never edits a swapped pair again, so this is
    symmetric.)"""
    return any(_osa_distance(swapped, b, 1) <= 1 for swapped in neighbour_swaps(a))


def compare_joined(a: Comparable, b: Comparable) -> tuple[float, MatchHow]:
    """Like :func:`compare`, for a comparison where one side is several tokens joined: only
    the same letters, the same sound (``zhi pu`` ~ ``zhipu``) or the same consonants with
    vowels written otherwise (``abd al`` ~ ``abdul``) count; any other near miss of a joined
    pair is too weak a sign."""
    if a.legal_form or b.legal_form:
        return 0.0, "legal form"  # legal forms compare only as whole legal forms
    if a.text == b.text:
        return 1.0, "exact"
    if a.key == b.key and len(a.key) > 4:
        return 0.95, "transliteration"
    if (a.abjad or b.abjad) and len(a.skeleton) >= 4 and a.skeleton == b.skeleton:
        return 0.9, "consonants"
    if min(len(a.text), len(b.text)) >= MIN_JOINED_VOWEL_LETTERS and _vowels_apart(a, b):
        return _edit_similarity(max(len(a.text), len(b.text))), "vowels"
    return 0.0, "edit distance"


def may_meet_by_vowels(item: Comparable) -> bool:
    """Whether ``item`` is long enough to meet another word by its consonants with vowels
    written otherwise (:func:`compare` from six letters, :func:`compare_joined` from
    ``MIN_JOINED_VOWEL_LETTERS``): an index looks such words up by their consonants."""
    return (
        not item.abjad
        and len(item.text) >= MIN_JOINED_VOWEL_LETTERS
        and len(item.skeleton) >= MIN_VOWEL_SKELETON
    )


def compare_cut(a: Comparable, b: Comparable) -> tuple[float, MatchHow]:
    """Like :func:`compare_joined`, for a word cut from a token written together (``sergei`` of
    ``SergeiLavrov``, see ``screen.index.split``) against one token: the same letters, an
    alternative form of either, or the same sound; a near miss of a cut word is too weak a
    sign, as of tokens joined."""
    joined = compare_joined(a, b)
    if joined[0] > 0.0 or a.legal_form or b.legal_form:
        return joined
    for form, how in a.forms:
        if form == b.text:
            return 1.0, _ALTERNATIVE_HOW.get(how, "exact")
    for form, how in b.forms:
        if form == a.text:
            return 1.0, _ALTERNATIVE_HOW.get(how, "exact")
    return 0.0, "edit distance"


def compare(a: Comparable, b: Comparable) -> tuple[float, MatchHow]:
    """Similarity of two tokens in [0, 1] and how they match; (0.0, "edit distance") when they
    do not match at all."""
    if a.legal_form or b.legal_form:
        if a.legal_form and b.legal_form:
            if a.text == b.text:
                return 1.0, "legal form"
            if legal_form_family(a.text) is not None and (
                legal_form_family(a.text) == legal_form_family(b.text)
            ):
                return 0.8, "legal form"
        return 0.0, "legal form"
    if a.text == b.text:
        return 1.0, "exact"
    has_readings = False
    for form, how in a.forms:
        if how in READING_FORMS:
            has_readings = True
        elif form == b.text:
            return 1.0, _ALTERNATIVE_HOW.get(how, "exact")
    for form, how in b.forms:
        if how in READING_FORMS:
            has_readings = True
        elif form == a.text:
            return 1.0, _ALTERNATIVE_HOW.get(how, "exact")
    similarity, spelled = _compare_spellings(a, b)
    if similarity > 0.0 and (_has_digit(a.text) or _has_digit(b.text)):
        # a number identifies (the 54th and the 55th institute, unit 61398): one digit more
        # or less is another party, not a typo (looked at only for a pair that would match
        # otherwise: most pairs do not, and this is the one rule that reads every letter)
        similarity, spelled = 0.0, "edit distance"
    if has_readings:
        reading = max(_reading_similarity(a, b), _reading_similarity(b, a))
        if reading > similarity:
            return reading, "transliteration"
    return similarity, spelled


def reading_keys(item: Comparable) -> list[str]:
    """The phonetic keys of ``item``'s readings (forms made by reading it as the lists would
    spell it) that are long enough for an edit: the index looks up their single deletions, as
    it does the token's own key's, to find what :func:`compare` lets a reading meet."""
    keys: list[str] = []
    for form, how in item.forms:
        if how in READING_FORMS:
            key = phonetic_key(form)
            if len(key) >= MIN_READING_EDIT_KEY:
                keys.append(key)
    return keys


def _reading_similarity(read: Comparable, other: Comparable) -> float:
    """How alike ``other`` is to the best of ``read``'s readings: a reading with the other's
    phonetic key sounds as it is written (Lawrow read lavrov, Ig0r read igor), as alike as two
    spellings of one key; a reading one edit from it in the keys (Polish Gieorgiewicz read
    gieorgievich, Georgiyevich), as an edit on top of folded spellings is. Only long keys take
    an edit: a shorter word read another way and changed again is most often another word
    (Giovine read as French giovin, and Giovan)."""
    best = 0.0
    for form, how in read.forms:
        if how not in READING_FORMS:
            continue
        key = phonetic_key(form)
        if key == other.key:
            return _key_similarity(key)
        if (
            len(key) >= MIN_READING_EDIT_KEY
            and len(other.key) >= MIN_READING_EDIT_KEY
            and _osa_distance(key, other.key, 1) <= 1
        ):
            longest = max(len(form), len(other.text))
            best = max(best, _edit_similarity(longest) - KEY_EDIT_PENALTY)
    return best


def _key_similarity(key: str) -> float:
    """How alike two words with one phonetic key are: short words that only sound alike
    (reed / rid) are weaker evidence than long ones."""
    return 0.95 if len(key) > 4 else 0.8


def _compare_spellings(a: Comparable, b: Comparable) -> tuple[float, MatchHow]:
    """How two different words that are not legal forms compare by how they are spelled: by
    sound, by consonants, or within a few edits (:func:`compare` applies the digit rule)."""
    if a.key == b.key and (
        not (_spelled_out(a) or _spelled_out(b))
        or collapse_repeats(a.text) == collapse_repeats(b.text)
    ):
        # acronyms only alike with a letter doubled (ZNP / ZNPP: a slip), not by sound
        return _key_similarity(a.key), "transliteration"
    if a.abjad or b.abjad:
        shortest = min(len(a.skeleton), len(b.skeleton))
        if shortest >= 2 and a.skeleton == b.skeleton:
            return (0.9 if shortest >= 3 else 0.8), "consonants"
        if shortest >= 3 and _feminine_ending(a, b):
            return 0.85, "consonants"
    edits = allowed_edits(min(len(a.text), len(b.text)))
    if edits:
        longest = max(len(a.text), len(b.text))
        distance = _osa_distance(a.text, b.text, 2)
        if distance <= 1:
            return _edit_similarity(longest), "edit distance"
        if _osa_distance(a.key, b.key, 2) <= 1:
            # an edit on top of folded spellings (herrmann ~ qerman): two steps away, weaker
            # evidence than one typo in the letters as written
            return _edit_similarity(longest) - KEY_EDIT_PENALTY, "edit distance"
        if edits > 1 and distance == 2 and _swap_is_one_of_two_edits(a.text, b.text):
            return _edit_similarity(longest, 2), "edit distance"
        if edits > 1 and _vowels_apart(a, b):
            return _edit_similarity(longest), "vowels"
    elif swapped_short(a.text, b.text):
        return _edit_similarity(SWAP_ONLY_LENGTH), "edit distance"
    return 0.0, "edit distance"


def _vowels_apart(a: Comparable, b: Comparable) -> bool:
    """Whether two Latin-script words have the same consonants (``MIN_VOWEL_SKELETON`` or more)
    and phonetic keys of one length that differ in two vowels at most, each replaced by another
    (see ``MIN_VOWEL_SKELETON``; a vowel added or dropped is a typo's business), also once the
    Arabic article's l is assimilated in the one that writes it, when the other writes the
    letter doubled (see ``ARTICLE_L_BEFORE``)."""
    if a.abjad or b.abjad:
        return False
    if len(b.key) > len(a.key):
        a, b = b, a
    if len(a.key) == len(b.key):
        return (
            a.skeleton == b.skeleton and len(a.skeleton) >= MIN_VOWEL_SKELETON
            and _differ_in_vowels(a.key, b.key)
        )
    # cheap tests first: this runs for most pairs of long words that are not alike
    if (
        len(a.key) != len(b.key) + 1
        or len(a.skeleton) != len(b.skeleton) + 1
        or len(b.skeleton) < MIN_VOWEL_SKELETON
        or not _doubles_a_letter(b.text)
        or b.skeleton not in assimilated_skeletons(a.skeleton)
    ):
        return False
    for at in _article_ls(a.key):  # noqa: SIM110 (compiled, any() is a call)
        if _differ_in_vowels(a.key[:at] + a.key[at + 1 :], b.key):
            return True
    return False


def vowel_lookups(text: str, key: str, skeleton: str) -> list[tuple[str, int]]:
    """Where the words a Latin word (``text``, its ``key`` and ``skeleton``) may meet with
    vowels written otherwise (:func:`_vowels_apart`) are found: consonant skeletons, each with
    the length of those words' keys. Its own skeleton at its key's length; when its key writes
    the article's l, the skeleton without it, one letter shorter; when it writes a letter
    doubled, the skeletons with an l put back, one longer. The one list of them the index and
    the re-screen's reverse search look up."""
    lookups = [(skeleton, len(key))]
    if _article_ls(key):
        lookups += [(other, len(key) - 1) for other in assimilated_skeletons(skeleton)]
    if _doubles_a_letter(text):
        lookups += [(other, len(key) + 1) for other in unassimilated_skeletons(skeleton)]
    return lookups


def _doubles_a_letter(text: str) -> bool:
    """Whether ``text`` writes a letter the article assimilates to doubled, as the assimilated
    article is written (Nure*dd*in, Abdu*rr*ahman): without it, an l left out is no article
    (``Foster`` is not ``Full Star``)."""
    for doubled in _DOUBLED_AFTER_ARTICLE:  # noqa: SIM110 (compiled, any() is a call)
        if doubled in text:  # a search in C: indexing a str makes a string per letter
            return True
    return False


def _differ_in_vowels(a: str, b: str) -> bool:
    """Whether two keys of one length differ in two vowels at most, and in nothing else."""
    differing = 0
    for left, right in zip(a, b, strict=True):
        if left != right:
            if left not in _VOWELS or right not in _VOWELS:
                return False
            differing += 1
    return differing <= 2


def _article_ls(key: str) -> list[int]:
    """Positions of an ``l`` after a vowel and before a letter it assimilates to."""
    if "l" not in key:  # most keys: no letter to look at one by one
        return []
    return [
        at for at in range(1, len(key) - 1)
        if key[at] == "l" and key[at - 1] in _VOWELS and key[at + 1] in ARTICLE_L_BEFORE
    ]


def assimilated_skeletons(skeleton: str) -> list[str]:
    """``skeleton`` with one ``l`` before a letter it assimilates to left out, each way: the
    consonants of the word with the Arabic article written assimilated (``nrldn`` of Nur al-Din
    gives ``nrdn``, Nureddin's)."""
    return [
        skeleton[:at] + skeleton[at + 1 :]
        for at in range(len(skeleton) - 1)
        if skeleton[at] == "l" and skeleton[at + 1] in ARTICLE_L_BEFORE
    ]


def unassimilated_skeletons(skeleton: str) -> list[str]:
    """The skeletons whose :func:`assimilated_skeletons` include ``skeleton``: an ``l`` put
    before each letter the article assimilates to."""
    return [
        skeleton[:at] + "l" + skeleton[at:]
        for at in range(1, len(skeleton))
        if skeleton[at] in ARTICLE_L_BEFORE
    ]


ARTICLE_L_BEFORE: Final = frozenset("tdrzsn")
"""Letters (as phonetic keys write them) before which the Arabic article al- is said and often
written as the letter doubled: the sun letters t, th, d, dh, r, z, s, sh, ṣ, ḍ, ṭ, ẓ and n, which
keys write with these first letters (``Nur al-Din`` / ``Nureddin``, ``Abd al-Rahman`` /
``Abdurrahman``, ``Abd al-Salam`` / ``Abdussalam``; W. Wright, A Grammar of the Arabic
Language, 3rd ed., vol. 1, §14). l itself is left out: the article before it is written al."""
_DOUBLED_AFTER_ARTICLE: Final = tuple(sorted(letter * 2 for letter in ARTICLE_L_BEFORE))
"""Each of those letters doubled, as the assimilated article writes it."""


_VOWELS: Final = frozenset("aeiou")
"""Vowels as phonetic keys write them (``y`` is folded to ``i``)."""


def _has_digit(text: str) -> bool:
    """Whether ``text`` holds a digit (a number, an ordinal such as 54th, a code)."""
    for char in text:  # noqa: SIM110 (a plain loop: compiled, any() is a call per token)
        if char.isdigit():
            return True
    return False


def _spelled_out(item: Comparable) -> bool:
    """A Latin-script token without a vowel (CSSC, KSK, NRG): an acronym, said letter by
    letter, so how romanisations spell sounds (c/k, kh/h) says nothing about it."""
    if item.abjad:
        return False
    for letter in item.text:  # noqa: SIM110 (a plain loop: compiled, any() is a call per token)
        if letter in "aeiouy":
            return False
    return True


def _feminine_ending(a: Comparable, b: Comparable) -> bool:
    """An Arabic word ending in ta marbuta (ة), which romanisations write -a, -ah, or -at in
    construct (حركة / harakat, جماعة / jamaat): the Latin side's final t is that letter."""
    abjad, latin = (a, b) if a.abjad else (b, a)
    return (
        not latin.abjad
        and latin.text.endswith("at")
        and abjad.text.endswith("a")
        and latin.skeleton[:-1] == abjad.skeleton
    )


def feminine_ending_partner(item: Comparable) -> str | None:
    """The consonant skeleton of the words ``item`` can meet by :func:`_feminine_ending` (for
    the index, which must find them): an abjad word ending -a, of three consonants or more,
    meets Latin words of its skeleton and a final t; a Latin word ending -at, of four or more,
    meets abjad words of its skeleton without the final consonant. None for any other word."""
    if item.abjad:
        if item.text.endswith("a") and len(item.skeleton) >= 3:
            return item.skeleton + "t"
        return None
    if item.text.endswith("at") and len(item.skeleton) >= 4:
        return item.skeleton[:-1]
    return None


@cache
def _legal_form_families() -> dict[str, str]:
    return {row["canonical"]: row["family"] for row in tables.legal_form_classes()}


def legal_form_family(canonical: str) -> str | None:
    """Family of a legal-form class (company, partnership ...): forms of one family are close
    (lists give both ОАО and ПАО names of one firm)."""
    return _legal_form_families().get(canonical)
