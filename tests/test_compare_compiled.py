"""The compiled helpers of the token comparison are generic algorithms held equal to their
references: the optimal string alignment distance in C++ (``screen.text._distance``) gives what
rapidfuzz gives, and comparable forms made in C are the named tuples of their fields. No rule of
matching has a compiled twin: ``screen.names.compare`` is the one definition (compiled by mypyc
from that same source), so there is no second comparison to check here."""

from __future__ import annotations

import random
import sys
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import OSA

from screen.names.compare import Comparable, comparable
from screen.names.normalize import normalize_name
from screen.names.tokens import TokenKind
from screen.screener import Screener
from screen.text.scripts import Script

Distance = Callable[[str, str, int], int]


@pytest.fixture(scope="module")
def compiled() -> Distance:
    try:
        from screen.text._distance import osa_distance
    except ImportError:
        pytest.skip("the compiled edit distance is not built")
    return osa_distance


def _same(compiled: Distance, a: str, b: str) -> None:
    for cutoff in range(4):
        assert compiled(a, b, cutoff) == OSA.distance(a, b, score_cutoff=cutoff), (a, b, cutoff)


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


def test_the_same_distance_on_the_release_spellings_and_their_typos(
    compiled: Distance, default_screener: Screener
) -> None:
    spellings = [s for group in default_screener.index._vocabulary.spellings for s in group]
    rng = random.Random(11)
    sample = rng.sample(spellings, 1500)
    distances: set[int] = set()
    for a in sample[:60]:
        for b in sample:
            _same(compiled, a.text, b.text)
            _same(compiled, a.key, b.key)
    for a in sample:
        for _ in range(4):
            typo = _typo(rng, a.text)
            b = _typo(rng, typo) if rng.random() < 0.3 else typo
            _same(compiled, a.text, b)
            _same(compiled, b, a.text)
            distances.add(compiled(a.text, b, 3))
    assert {0, 1, 2} <= distances


_LETTERS = st.text(alphabet="abcxyz'0é北", min_size=0, max_size=12)


@settings(max_examples=3000, deadline=None)
@given(_LETTERS, _LETTERS)
def test_the_same_distance_on_made_up_words(compiled: Distance, a: str, b: str) -> None:
    # a small alphabet, so near misses are common; non-ASCII letters take rapidfuzz's path
    _same(compiled, a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("", ""), ("", "ab"), ("a", ""), ("ab", "ba"), ("abc", "ca"), ("sergei", "srefei"),
        ("x" * 64, "x" * 63 + "y"), ("x" * 70, "x" * 69 + "y"), ("y" + "x" * 63, "x" * 64),
        ("beijing", "北京"), ("müller", "muller"),
    ],
)
def test_the_same_distance_at_the_edges(compiled: Distance, a: str, b: str) -> None:
    _same(compiled, a, b)
    _same(compiled, b, a)


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


def test_compiled_token_pairs_are_the_python_memos(default_screener: Screener) -> None:
    """``screen.matching._pairs.TokenPairs`` keeps its comparisons in C++ and gives, call after
    call (remembered comparisons included), the pairs ``matching.pairs.PairMemo`` gives."""
    try:
        from screen.matching._pairs import TokenPairs
    except ImportError:
        pytest.skip("the compiled token pairs are not built")
    from screen.matching.pairs import PairMemo
    from screen.names.compare import MIN_TOKEN_SIMILARITY, compare

    index = default_screener.index
    rng = random.Random(11)
    names = [index.names[rng.randrange(len(index.names))] for _ in range(300)]
    for query_text in ["Sergey Lavrov", "Zhipu AI", "Huawei Technologies Co Ltd", "محمد عبدالله"]:
        query_variants = index.query_variants(normalize_name(query_text))
        compiled, reference = TokenPairs(compare, MIN_TOKEN_SIMILARITY), PairMemo()
        for indexed in names + names[:50]:  # the second time round, every pair is remembered
            for query in query_variants:
                for name in indexed.variants:
                    got = compiled.pairs(query.items, name.items, name.weights)
                    assert got == reference.pairs(query.items, name.items, name.weights)
