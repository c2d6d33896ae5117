"""The compiled token comparison (``screen.index._candidates.compare``) gives what
``screen.names.compare.compare`` gives, to the last bit, for every pair: it is the same
definition of a match, and the index and the matcher rely on that."""

from __future__ import annotations

import random
import sys
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from screen.names.compare import Comparable, MatchHow, comparable, compare
from screen.names.normalize import normalize_name
from screen.names.tokens import Token, TokenKind
from screen.screener import Screener
from screen.text.scripts import Script

Compare = Callable[[Comparable, Comparable], tuple[float, MatchHow]]


@pytest.fixture(scope="module")
def compiled() -> Compare:
    try:
        from screen.index._candidates import compare as compiled_compare
    except ImportError:
        pytest.skip("the compiled module is not built")
    return compiled_compare


def _same(compiled: Compare, a: Comparable, b: Comparable) -> None:
    expected, got = compare(a, b), compiled(a, b)
    assert got == expected, (a, b)
    assert got[0].hex() == expected[0].hex(), (a, b)


def _token(text: str, *, abjad: bool = False) -> Comparable:
    script = Script.ARABIC if abjad else Script.LATIN
    return comparable((Token(text, text, script),))


def _typo(rng: random.Random, text: str) -> str:
    """``text`` with a slip: two neighbours swapped, a letter dropped, changed or doubled."""
    if len(text) < 2:
        return text + "a"
    at = rng.randrange(len(text) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return text[:at] + text[at + 1] + text[at] + text[at + 2 :]
    if kind == 1:
        return text[:at] + text[at + 1 :]
    if kind == 2:
        return text[:at] + rng.choice("aeiouhkstvxyz") + text[at + 1 :]
    return text[:at] + text[at] + text[at:]


def test_the_same_on_the_release_spellings_and_their_typos(
    compiled: Compare, default_screener: Screener
) -> None:
    spellings = [s for group in default_screener.index._vocabulary.spellings for s in group]
    rng = random.Random(11)
    sample = rng.sample(spellings, 1500)
    kinds: set[MatchHow] = set()
    for a in sample[:120]:
        for b in sample:
            _same(compiled, a, b)
    for a in sample:
        for _ in range(4):
            typo = _typo(rng, a.text)
            b = _token(_typo(rng, typo) if rng.random() < 0.3 else typo, abjad=a.abjad)
            _same(compiled, a, b)
            _same(compiled, b, a)
            kinds.add(compare(a, b)[1])
    # every rule was met: the same letters, the same sound, the same consonants, a typo
    assert {"exact", "transliteration", "consonants", "edit distance"} <= kinds


_LETTERS = st.text(alphabet="aeiouyhkcsztdgbwvxqj'0", min_size=0, max_size=12)


@settings(max_examples=2000, deadline=None)
@given(
    _LETTERS,
    _LETTERS,
    st.booleans(),
    st.booleans(),
    st.sampled_from([(), (("kompaniya", "translated"),), (("co", "abbreviation"),)]),
)
def test_the_same_on_made_up_words(
    compiled: Compare, a: str, b: str, a_abjad: bool, b_abjad: bool,
    forms: tuple[tuple[str, str], ...],
) -> None:
    # a small alphabet, so near misses, equal keys and equal consonants are common
    left = _token(a, abjad=a_abjad)
    right = _token(b, abjad=b_abjad)
    _same(compiled, left, right)
    _same(compiled, left._replace(forms=forms), right)
    _same(compiled, right, left._replace(forms=((b, "translated"),)))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("gmbh", "gmbh"),  # legal forms
        ("ooo", "gmbh"),
        ("beijing", "北京"),  # another script
        ("x" * 70, "x" * 69 + "y"),  # longer than the compiled comparison takes
        ("", ""),
        ("54th", "55th"),  # digits
        ("znp", "znpp"),  # an acronym with a letter doubled
        ("nasrallah", "nsrllh"),
    ],
)
def test_the_same_on_pairs_it_hands_back(compiled: Compare, a: str, b: str) -> None:
    legal = a == b == "gmbh" or {a, b} == {"ooo", "gmbh"}
    kind = TokenKind.LEGAL_FORM if legal else TokenKind.WORD
    left = comparable((Token(a, a, Script.LATIN, kind),))
    right = comparable((Token(b, b, Script.HAN if b == "北京" else Script.LATIN, kind),))
    _same(compiled, left, right)
    _same(compiled, right, left)
    _same(compiled, left, _token(b, abjad=True))


def test_comparable_forms_are_the_named_tuples_the_fields_give(
    default_screener: Screener,
) -> None:
    """Comparable forms (made in C where ``screen.text._phonetic`` is built) are exactly the named
    tuples of their fields, for single tokens and for runs of adjacent tokens joined."""
    from screen.text import phonetic

    python_engine = phonetic.RewriteEngine(phonetic.TABLE)
    names = [indexed.name for indexed in default_screener.index.names][::25]
    names += ["Zhipu Huazhang", "حركة المقاومة الإسلامية", "ООО Ромашка"]
    names += ["北京智谱华章科技有限公司"]
    checked = 0
    for name in names:
        for variant in normalize_name(name).variants:
            for start in range(len(variant)):
                for end in range(start + 1, min(start + 3, len(variant)) + 1):
                    tokens = variant[start:end]
                    made = comparable(tokens)
                    assert type(made) is Comparable
                    if len(tokens) == 1:
                        (token,) = tokens
                        expected = Comparable(
                            token.text, token.alternatives, token.key, token.skeleton,
                            token.script in (Script.ARABIC, Script.HEBREW),
                            token.kind is TokenKind.LEGAL_FORM,
                        )
                    else:
                        text = "".join(token.text for token in tokens)
                        expected = Comparable(
                            text, (), *python_engine.key_and_skeleton(text),
                            any(t.script in (Script.ARABIC, Script.HEBREW) for t in tokens),
                            False,
                        )
                    assert made == expected, tokens
                    if len(tokens) == 1:  # a joined run's key is new for nearly every name
                        assert made.key is sys.intern(made.key)
                    checked += 1
    assert checked > 5000


def test_compiled_token_pairs_are_the_python_pairs(default_screener: Screener) -> None:
    """The matcher's token pairs made in C++ (``screen.index._candidates.token_pairs``) are the list
    ``screen.match.token_pairs`` makes, to the last bit, and remember the same comparisons."""
    try:
        from screen.index._candidates import token_pairs as compiled_pairs
    except ImportError:
        pytest.skip("the compiled module is not built")
    from screen.index.prepared import prepare
    from screen.matching.pairs import token_pairs

    index = default_screener.index
    rng = random.Random(20261130)
    names = [index.names[at] for at in rng.sample(range(len(index.names)), 400)]
    queries = ["Zhipu Huazhang Technology", "Bank Melli Iran", "ООО Ромашка", "Sophgo"]
    queries += [indexed.name for indexed in names[:60]]
    compared = 0
    for query_text in queries:
        query = prepare(normalize_name(query_text).variants[0], index.weights)
        python_memo: dict[int, dict[int, tuple[float, MatchHow]]] = {}
        compiled_memo: dict[int, dict[int, tuple[float, MatchHow]]] = {}
        for indexed in names:
            for variant in indexed.variants:
                args = (query.items, variant.items, variant.weights)
                expected = token_pairs(*args, python_memo)
                got = compiled_pairs(*args, compiled_memo)
                assert got == expected, (query_text, indexed.name)
                assert [pair[0].hex() for pair in got] == [pair[0].hex() for pair in expected]
                compared += len(expected)
        assert compiled_memo == python_memo
    assert compared > 1000
