"""screen.text.phonetic: the phonetic key and the consonant skeleton are one table of rewrite
rules (``data/phonetic_rules.tsv``), applied by two generic engines, the Python one and the
compiled one (``_phonetic.pyx``), that hold no rule of their own.

What a table means is its rules as regular expressions (``RewriteRule.pattern``) substituted in
order; both engines must give exactly that, for the shipped table and for any other, and a rule
changed in the table must change both engines' keys alike."""

from __future__ import annotations

import dataclasses
import random
import re
from collections.abc import Callable, Iterable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from screen.screener import Screener
from screen.text import phonetic
from screen.text.phonetic import (
    TABLE,
    PhoneticTable,
    RewriteEngine,
    RewriteRule,
    RuleTableError,
    collapse_repeats,
    consonant_skeleton,
    key_and_skeleton,
    phonetic_key,
    phonetic_table,
    read_phonetic_table,
)

Engine = Any  # RewriteEngine, or the compiled one: both have key and key_and_skeleton


def _compiled(table: PhoneticTable) -> Engine:
    """The compiled engine given ``table``; the test is skipped where it is not built (and with
    SCREEN_IMPLEMENTATION=python, which refuses it)."""
    try:
        from screen.text._phonetic import RewriteEngine as Compiled
    except ImportError:
        pytest.skip("the compiled rewrite engine (_phonetic.pyx) is not built")
    return Compiled(table)


def _by_regular_expressions(rules: Iterable[RewriteRule], text: str) -> str:
    """What a table's rules mean: each its regular expression, substituted in order."""
    for rule in rules:
        replacement = r"\1" if rule.where == "collapse" else rule.replacement.replace("\\", r"\\")
        text = re.sub(rule.pattern(), replacement, text)
    return text


def _specified(table: PhoneticTable, text: str) -> tuple[str, str]:
    key = _by_regular_expressions(table.key, text)
    return key, _by_regular_expressions(table.skeleton, key)


def _mismatches(one: Engine, other: Engine, words: Iterable[str]) -> list[str]:
    """The words whose key or skeleton differs between two engines."""
    return [
        word for word in words
        if one.key_and_skeleton(word) != other.key_and_skeleton(word)
        or one.key(word) != other.key(word)
    ]


def _random_words(count: int, letters: str, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(letters) for _ in range(rng.randint(0, 16))) for _ in range(count)]


# --- the shipped table ---------------------------------------------------------------------------


def test_the_shipped_table_is_package_data_with_a_reason_for_every_rule() -> None:
    assert phonetic_table() == TABLE
    assert len(TABLE.key) > 10 and len(TABLE.skeleton) >= 3
    assert all(rule.reason for rule in TABLE.key + TABLE.skeleton)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("yevgeniy", "evgenii"), ("schmidt", "shmidt"), ("thatcher", "thacher"),
        ("djamal", "dzhamal"), ("khalid", "halid"), ("philip", "filip"), ("qasim", "kasim"),
        ("carl", "karl"), ("alexander", "aleksander"), ("wladimir", "vladimir"),
        ("mahmood", "mahmud"), ("jameel", "jamil"), ("mohammed", "mohamed"),
        ("dmitrij", "dmitri"),
    ],
)
def test_spellings_of_one_sound_share_a_key(one: str, other: str) -> None:
    assert phonetic_key(one) == phonetic_key(other)


def test_the_skeleton_keeps_the_consonants_of_the_key() -> None:
    assert consonant_skeleton("nasrallah") == consonant_skeleton("nsrllh") == "nsrl"
    assert consonant_skeleton("abdullah") == consonant_skeleton("abdulla") == "bdl"
    assert phonetic_key("chen") == "chen"  # c before h is kept


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="schtdzjkgpfqxwyieouanrv'@`éʿ\n", max_size=14))
def test_keys_are_the_tables_regular_expressions_applied_in_order(text: str) -> None:
    # the engines are written for speed (rules skipped when their letters are absent, plain
    # replacements, bytes changed in place); they must give exactly what the table means
    assert (phonetic_key(text), consonant_skeleton(text)) == _specified(TABLE, text)
    assert key_and_skeleton(text) == _specified(TABLE, text)
    assert RewriteEngine(TABLE).key_and_skeleton(text) == _specified(TABLE, text)


def test_keys_of_many_random_words_are_the_tables_regular_expressions() -> None:
    words = _random_words(20_000, "schtdzjkgpfqxwyieouanrvbml", seed=7)
    mismatched = [w for w in words if key_and_skeleton(w) != _specified(TABLE, w)]
    assert mismatched == []


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=st.sampled_from("aabbn\n\u0301ßж"), max_size=12) | st.text(max_size=12))
def test_collapse_repeats_is_the_repeated_letter_rule(text: str) -> None:
    assert collapse_repeats(text) == re.sub(r"(.)\1+", r"\1", text)


# --- the two engines on the shipped table --------------------------------------------------------


def test_both_engines_give_every_word_of_the_release_the_same_key_and_skeleton(
    default_screener: Screener,
) -> None:
    """Every word, key and joined pair of words of the shipped release (ASCII: what the compiled
    engine takes) has one key and skeleton by both engines, and by the functions that choose."""
    compiled = _compiled(TABLE)
    python = RewriteEngine(TABLE)
    vocabulary = default_screener.index._vocabulary
    spellings = [item for group in vocabulary.spellings for item in group]
    words = {item.text for item in spellings} | {item.key for item in spellings}
    texts = sorted(words)
    rng = random.Random(5)
    words |= {rng.choice(texts) + rng.choice(texts) for _ in range(20_000)}
    words = {word for word in words if word.isascii()}
    assert len(words) > 150_000
    assert _mismatches(compiled, python, words) == []
    assert [w for w in words if key_and_skeleton(w) != python.key_and_skeleton(w)] == []


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="abcdeghijklnoqstuwxyz'@`\n -\x00", max_size=14))
def test_both_engines_agree_on_any_ascii_text(text: str) -> None:
    """Made-up strings dense in the letters the rules rewrite (sch, tsch, dzh, kh, ck, qu, c,
    x, w, y, ie, ou, oo, ee, repeats, final ii/ij) and in the characters the skeleton drops."""
    expected = _specified(TABLE, text)
    assert _compiled(TABLE).key_and_skeleton(text) == expected
    assert _compiled(TABLE).key(text) == expected[0]
    assert RewriteEngine(TABLE).key_and_skeleton(text) == expected


def test_the_comparison_of_engines_finds_an_engine_one_rule_apart() -> None:
    """The equality check above fails when one engine is given a table one rule apart."""
    altered = _without(TABLE.key, ("w",))
    words = ["wladimir", "wang"]
    assert _mismatches(_compiled(TABLE), RewriteEngine(altered), words) == words
    assert _mismatches(_compiled(altered), RewriteEngine(TABLE), words) == words


def test_the_shipped_keys_come_from_the_compiled_engine_where_it_is_built() -> None:
    _compiled(TABLE)
    assert phonetic.COMPILED_ENGINE is not None
    assert phonetic.COMPILED_ENGINE.key_and_skeleton == phonetic._COMPILED_KEYS


def test_joined_comparable_is_the_tuple_of_text_key_and_skeleton() -> None:
    engine = _compiled(TABLE)
    made = engine.joined_comparable(tuple, "zhipuhuazhang", True)
    assert made == ("zhipuhuazhang", (), *_specified(TABLE, "zhipuhuazhang"), True, False)
    assert engine.joined_comparable(tuple, "zhipué", False) is None


def test_the_compiled_engine_takes_ascii_only() -> None:
    engine = _compiled(TABLE)
    with pytest.raises(ValueError, match="ASCII"):
        engine.key("zhipué")
    with pytest.raises(ValueError, match="ASCII"):
        _compiled(PhoneticTable((RewriteRule("anywhere", ("é",), "e", reason="accent"),), ()))


# --- other tables --------------------------------------------------------------------------------


def _find(rules: tuple[RewriteRule, ...], alternatives: tuple[str, ...]) -> int:
    return next(i for i, rule in enumerate(rules) if rule.alternatives == alternatives)


def _without(rules: tuple[RewriteRule, ...], alternatives: tuple[str, ...]) -> PhoneticTable:
    at = _find(rules, alternatives)
    return _replaced(rules, rules[:at] + rules[at + 1 :])


def _replaced(old: tuple[RewriteRule, ...], new: tuple[RewriteRule, ...]) -> PhoneticTable:
    if old is TABLE.key:
        return PhoneticTable(new, TABLE.skeleton)
    return PhoneticTable(TABLE.key, new)


def _changed(
    rules: tuple[RewriteRule, ...], matching: tuple[str, ...], **change: Any
) -> PhoneticTable:
    at = _find(rules, matching)
    changed = dataclasses.replace(rules[at], **change)
    return _replaced(rules, (*rules[:at], changed, *rules[at + 1 :]))


def _moved_after(
    rules: tuple[RewriteRule, ...], moved: tuple[str, ...], after: tuple[str, ...]
) -> PhoneticTable:
    rule = rules[_find(rules, moved)]
    rest = tuple(r for r in rules if r is not rule)
    at = _find(rest, after) + 1
    return _replaced(rules, (*rest[:at], rule, *rest[at:]))


_VOWELS = ("a", "e", "i", "o", "u", "y", "v", "w", "'", "@", "`")
_CHANGES: dict[str, tuple[Callable[[], PhoneticTable], str]] = {
    # a changed table, and a word whose key or skeleton it changes
    "kh becomes k": (lambda: _changed(TABLE.key, ("kh",), replacement="k"), "khalid"),
    "c before h too": (lambda: _changed(TABLE.key, ("c",), not_before=""), "chen"),
    "ie anywhere": (lambda: _changed(TABLE.key, ("ie",), where="anywhere"), "danielle"),
    "y->i after ie": (lambda: _moved_after(TABLE.key, ("y",), ("ie",)), "yevgeniy"),
    "a new alternative": (
        lambda: _changed(TABLE.key, ("ou", "oo"), alternatives=("ou", "oo", "au")), "paul"
    ),
    "no collapse in the key": (lambda: _without(TABLE.key, ()), "mohammed"),
    "no final ii/ij": (lambda: _without(TABLE.key, ("ii", "ij")), "dmitrij"),
    "v and w kept in the skeleton": (
        lambda: _changed(TABLE.skeleton, _VOWELS, alternatives=_VOWELS[:6] + _VOWELS[8:]),
        "vladimir",
    ),
    "no final h in the skeleton": (lambda: _without(TABLE.skeleton, ("h",)), "abdullah"),
}


@pytest.mark.parametrize("change", sorted(_CHANGES))
def test_a_rule_changed_in_the_table_changes_both_engines_keys(change: str) -> None:
    make, word = _CHANGES[change]
    table = make()
    assert table != TABLE
    python, compiled = RewriteEngine(table), _compiled(table)
    shipped = RewriteEngine(TABLE).key_and_skeleton(word)
    assert python.key_and_skeleton(word) != shipped
    assert compiled.key_and_skeleton(word) == python.key_and_skeleton(word) == _specified(
        table, word
    )
    words = _random_words(3000, "schtdzjkgpfqxwyieouanrvbml'", seed=11)
    assert _mismatches(compiled, python, words) == []
    assert [w for w in words if python.key_and_skeleton(w) != _specified(table, w)] == []


_PIECES = "abch'"
_ALTERNATIVE = st.text(alphabet=_PIECES, min_size=1, max_size=3)
_RULE = st.builds(
    RewriteRule,
    where=st.sampled_from(["anywhere", "start", "end"]),
    alternatives=st.lists(_ALTERNATIVE, min_size=1, max_size=3).map(tuple),
    replacement=st.text(alphabet=_PIECES, max_size=3),
    not_before=st.sampled_from(["", "h", "ab"]),
) | st.just(RewriteRule("collapse", (), ""))
_TABLES = st.builds(
    PhoneticTable,
    key=st.lists(_RULE, max_size=6).map(tuple),
    skeleton=st.lists(_RULE, max_size=3).map(tuple),
)


_TEXTS = st.lists(st.text(alphabet=_PIECES + "\n", max_size=10), min_size=1, max_size=25)


@settings(max_examples=400, deadline=None)
@given(_TABLES, _TEXTS)
def test_the_python_engine_applies_any_table_as_its_regular_expressions(
    table: PhoneticTable, texts: list[str]
) -> None:
    """Generic engines: for made-up tables (alternatives that overlap, share prefixes, one byte
    or several; replacements longer, shorter or empty; conditions; starts and ends), each gives
    what the table means."""
    python = RewriteEngine(table)
    for text in texts:
        assert python.key_and_skeleton(text) == _specified(table, text), text
        assert python.key(text) == _specified(table, text)[0], text


@settings(max_examples=400, deadline=None)
@given(_TABLES, _TEXTS)
def test_the_compiled_engine_applies_any_table_as_its_regular_expressions(
    table: PhoneticTable, texts: list[str]
) -> None:
    compiled = _compiled(table)
    for text in texts:
        assert compiled.key_and_skeleton(text) == _specified(table, text), text
        assert compiled.key(text) == _specified(table, text)[0], text


# --- reading a table -----------------------------------------------------------------------------

_HEADER = "table\twhere\tmatch\treplacement\treason\n"


def test_a_table_is_read_with_its_comments_conditions_and_empty_replacements() -> None:
    table = read_phonetic_table(
        "# a comment\n\n" + _HEADER
        + "key\tnot before hx\tc|k\tq\tsome reason\n"
        + "key\tcollapse repeats\t\t\tdoubled\n"
        + "skeleton\tat end\th\t\tfinal h\n"
    )
    assert table == PhoneticTable(
        (
            RewriteRule("anywhere", ("c", "k"), "q", "hx", "some reason"),
            RewriteRule("collapse", (), "", "", "doubled"),
        ),
        (RewriteRule("end", ("h",), "", "", "final h"),),
    )


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("word\tanywhere\ta\tb\treason", "table must be key or skeleton"),
        ("key\tsomewhere\ta\tb\treason", "where must be one of"),
        ("key\tnot before \ta\tb\treason", "names no character"),
        ("key\tanywhere\ta||b\tb\treason", "empty alternative"),
        ("key\tanywhere\té\te\treason", "not ASCII"),
        ("key\tanywhere\ta\tb\t", "reason"),
        ("key\tanywhere\ta\tb", "4 cells, not 5"),
        ("key\tcollapse repeats\ta\t\treason", "takes no match"),
    ],
)
def test_a_malformed_table_is_refused_naming_its_line(row: str, message: str) -> None:
    with pytest.raises(RuleTableError, match=message) as raised:
        read_phonetic_table("# comment\n" + _HEADER + row + "\n", "rules.tsv")
    assert str(raised.value).startswith("rules.tsv:3: ")


def test_a_table_without_its_header_is_refused() -> None:
    with pytest.raises(RuleTableError, match=r"rules\.tsv:1: the columns must be"):
        read_phonetic_table("key\tanywhere\ta\tb\treason\n", "rules.tsv")
