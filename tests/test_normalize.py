"""screen.normalize: any string is safe, results are deterministic, and each conversion the
matcher relies on (pinyin, Wade-Giles, legal forms, transliteration, honorifics, qualifiers)
does what the list data needs."""

from __future__ import annotations

import random
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypinyin import lazy_pinyin
from pypinyin.constants import PHRASES_DICT
from rapidfuzz.distance import OSA

from screen.index.weights import TokenWeights
from screen.matching.score import DEFAULT_THRESHOLD, score_pair
from screen.names import normalize, tables, terms, transliterate
from screen.names.legal_forms import (
    _could_be_legal_word,
    _fuzzy_legal_form_of,
    _fuzzy_legal_forms,
    _fuzzy_legal_words,
    _legal_form_words,
    _typo_allowance,
)
from screen.names.normalize import normalize_name
from screen.names.tokens import MAX_NAME_CHARS, NormalizedName, Token, TokenKind
from screen.names.transliterate import _han_number, _pinyin, _runs, _unreadable
from screen.release.store import default_release
from screen.text import fold as fold_module
from screen.text import scripts
from screen.text.fold import fold
from screen.text.scripts import Script

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

# Every Unicode category, surrogates and control characters included.
ANY_TEXT = st.text(alphabet=st.characters(codec=None, exclude_categories=()))

# Pieces of names in the scripts the lists use, plus characters that have broken normalisers:
# a lone surrogate, NUL, a zero-width space, a combining accent, NFKC expansions (﷽, ㈱, ｆｕｌｌ
# width), bidi controls and brackets of every kind.
FRAGMENTS = (
    "北京", "智谱华章", "科技有限公司", "重庆", "Путин", "ООО", "الأسد", "حزب الله", "السيد",
    "Chih-p'u", "Hua-chang", "Co., Ltd.", "Company Limited", "LLC", "GmbH & Co. KG", "(", ")",
    "（", "）", "[", "]", "-", "'", "’", ",", ".", " ", "  ", "\t", "\n", "\ud800", "\udfff",
    "\x00", "\u200b", "\u0301", "\u202e", "﷽", "㈱", "ｆｕｌｌ", "ß", "İ", "ı", "Ⅻ", "١٢٣", "שלום",
    "Ελλάδα", "東京", "トヨタ", "한국", "ꙮ", "\U0001f600", "Dr.", "al-", "bin", "of", "the",
    "\u200c", "김정은", "金正恩", "プーチン", "株式会社", "ッ", "ー", "بین\u200cالمللی",
    "بین المللی",
)
MIXED_TEXT = st.lists(st.sampled_from(FRAGMENTS) | ANY_TEXT, max_size=12).map("".join)

COMPARABLE_TEXT = re.compile(r"[a-z0-9_]+")


def _raw(text: str) -> NormalizedName:
    """Normalise without the result cache, so determinism is really tested."""
    return normalize_name.__wrapped__(text)  # type: ignore[attr-defined,no-any-return]


def _texts(tokens: tuple[Token, ...]) -> list[str]:
    return [token.text for token in tokens]


# --------------------------------------------------------------------------------------------
# Properties


@settings(max_examples=200, deadline=None)
@given(ANY_TEXT | MIXED_TEXT)
def test_never_raises_and_is_deterministic(text: str) -> None:
    first = _raw(text)
    second = _raw(text)
    assert first == second
    assert normalize_name(text) == first
    assert first.original == text
    assert len(first.variants) >= 1  # the matcher relies on at least one variant
    # the comparable forms are what the docs promise: lower-case ASCII (class codes may hold _)
    for variant in first.variants:
        for token in variant:
            assert COMPARABLE_TEXT.fullmatch(token.text), (text, token)
    assert first.transformations[0] == "nfkc+casefold"


@settings(max_examples=10, deadline=None)
@given(st.text(alphabet=st.characters(codec=None, exclude_categories=()), min_size=1, max_size=30))
def test_100_kb_input_is_cut_not_choked_on(piece: str) -> None:
    text = (piece * (100_000 // len(piece) + 1))[:100_000]
    result = _raw(text)
    assert result.truncated
    assert f"truncated to {MAX_NAME_CHARS} characters" in result.transformations
    assert result == _raw(text)


def test_100_kb_of_mixed_scripts() -> None:
    rng = random.Random(100)
    text = "".join(rng.choice(FRAGMENTS) for _ in range(60_000))[:100_000]
    assert len(text) == 100_000
    result = normalize_name(text)
    assert result.truncated and not result.is_empty
    assert normalize_name("a" * 100_000).truncated
    assert not normalize_name("a" * MAX_NAME_CHARS).truncated


@pytest.mark.parametrize("text", ["", "\ud800", "\udfff\ud800", "\x00", "\x7f\x9f", "\u200b\ufeff"])
def test_unsafe_characters_fold_to_space(text: str) -> None:
    folded = fold(text)
    assert folded.strip() == ""
    assert normalize_name(text).is_empty


# --------------------------------------------------------------------------------------------
# Han


def test_phrase_aware_pinyin() -> None:
    # character by character 重 reads zhong; in the city name it is chong
    (token,) = normalize_name("重庆").tokens
    assert token.text == "chongqing"
    assert token.script is Script.HAN and token.how == "pinyin"


def _whole_run_pinyin(run: str) -> list[str]:
    return list(lazy_pinyin(run, errors=_unreadable, v_to_u=True))


def test_pinyin_word_by_word_is_pypinyins_reading_of_the_whole_run() -> None:
    names = [name for entry in default_release().entries for name in entry.names]
    names += [row["han"] for row in tables.han_terms()]
    names += (EXAMPLES / "customers.csv").read_text(encoding="utf-8").splitlines()
    runs = {run for name in names for run, script in _runs(fold(name)) if script is Script.HAN}
    terms = sorted(run for run in runs if len(run) <= 6)
    rng = random.Random(7)
    # terms run together, as they are in company names (北京 + 格灵深瞳 + 信息技术 + 有限公司)
    runs.update("".join(rng.sample(terms, rng.randint(2, 4))) for _ in range(2000))
    assert len(runs) > 2500
    for run in sorted(runs):
        assert _pinyin(run) == _whole_run_pinyin(run), run


_PHRASES = sorted(phrase for phrase in PHRASES_DICT if len(phrase) <= 4)[::50]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(_PHRASES)
        | st.text(
            alphabet=st.sampled_from("中国科技有限公司北京重庆银行长〇豈𠀀𪚥乐行A1-"),
            min_size=1,
            max_size=4,
        ),
        min_size=1,
        max_size=6,
    )
)
def test_pinyin_word_by_word_agrees_on_made_up_runs(pieces: list[str]) -> None:
    # phrases pypinyin knows, joined with characters of several readings (重 行 长 乐), others
    # it reads only alone, and characters it has no reading for
    run = "".join(pieces)
    assert _pinyin(run) == _whole_run_pinyin(run)


def test_han_generic_words_are_translated_and_kept_in_pinyin() -> None:
    # the list may give the English (technology) or the pinyin (keji) of a generic word
    name = normalize_name("北京智谱华章科技有限公司")
    variants = [_texts(variant) for variant in name.variants]
    assert variants[0] == ["beijing", "zhipu", "huazhang", "technology", "co_ltd"]
    assert ["beijing", "zhipu", "huazhang", "keji", "co_ltd"] in variants
    translated = name.variants[0][3]
    assert (translated.original, translated.how) == ("科技", "translated")
    pinyin = next(t for v in name.variants for t in v if t.text == "keji")
    assert (pinyin.original, pinyin.how) == ("科技", "pinyin")


def test_foreign_countries_in_han_script_are_translated_and_kept_in_pinyin() -> None:
    # a Chinese group's subsidiary abroad is listed under its English name (Huawei Technologies
    # Japan K.K.): the country is read as the English name of the place, and also in pinyin;
    # a Japanese name (株式会社) is read in Japanese, never in pinyin, the group's name kept
    name = normalize_name("華為技術日本株式会社")
    variants = [_texts(variant) for variant in name.variants]
    assert variants[0] == ["huawei", "technology", "japan", "kk"]
    assert not any("jishu" in variant or "riben" in variant for variant in variants)
    assert ["huawei", "jishu", "riben", "co_ltd"] in [
        _texts(variant) for variant in normalize_name("华为技术日本有限公司").variants
    ]
    assert _texts(normalize_name("华为技术（澳大利亚）有限公司").variants[0]) == [
        "huawei", "technology", "australia", "co_ltd"
    ]


@pytest.mark.parametrize(
    ("numeral", "value"),
    [("二", 2), ("十", 10), ("十三", 13), ("二十", 20), ("五十五", 55), ("一百零八", 108),
     ("七二二", 722), ("七一九", 719), ("两百", 200)],
)
def test_chinese_numerals_read_positionally_or_digit_by_digit(numeral: str, value: int) -> None:
    assert _han_number(numeral) == value


@pytest.mark.parametrize(
    ("name", "ordinal", "forms"),
    [
        ("中国电子科技集团公司第十三研究所", "13th", {"13"}),
        ("中国航天科工集团第二研究院", "2nd", {"2", "second"}),
        ("中国船舶重工集团公司第七一九研究所", "719th", {"719"}),
        ("第二十一研究所", "21st", {"21"}),
        ("第一百一十二研究所", "112th", {"112"}),
    ],
)
def test_han_ordinals_become_the_ordinals_lists_write(
    name: str, ordinal: str, forms: set[str]
) -> None:
    # lists write "13th Research Institute", "No. 13", "Second Academy"; the pinyin variant
    # keeps the characters' reading
    normalized = normalize_name(name)
    token = next(t for t in normalized.variants[0] if t.text == ordinal)
    assert token.original.startswith("第") and token.how == "translated"
    assert {form for form, _ in token.alternatives} == forms
    assert all(ordinal not in _texts(variant) for variant in normalized.variants[-1:])


def test_one_word_renderings_are_forms_of_one_token() -> None:
    # 中国 is "China" in most English names and "Chinese" in some (Chinese Academy of
    # Engineering Physics): both on the one token, whatever the other words' renderings
    (china, *_rest) = normalize_name("中国工程物理研究院").variants[0]
    assert china.text == "china"
    assert ("chinese", "translated") in china.alternatives


def test_institute_words_are_translated_as_official_english_names_give_them(
    default_weights: TokenWeights,
) -> None:
    # 计算技术研究所: "Institute of Computing Technology", as in the Chinese Academy of Sciences'
    # institute of that name; words in another order and "of" do not matter
    name = normalize_name("计算技术研究所")
    assert ["computing", "technology", "institute"] in [_texts(v) for v in name.variants]
    technology = name.variants[0][1]
    assert ("technologies", "translated") in technology.alternatives  # one token, two forms
    english = "Institute of Computing Technology"
    pair = score_pair("计算技术研究所", english, weights=default_weights)
    assert pair.score >= DEFAULT_THRESHOLD
    assert ("计算", "computing") in [
        (step.query_original, step.name) for step in pair.explanation.alignment
    ]


def test_trade_names_are_another_variant_after_the_pinyin_reading() -> None:
    variants = [_texts(v) for v in normalize_name("北京格灵深瞳信息技术有限公司").variants]
    # lists write most Chinese firms in pinyin with generic words translated: that stays first
    assert variants[0] == ["beijing", "geling", "shentong", "information", "technology", "co_ltd"]
    assert ["beijing", "deepglint", "information", "technology", "co_ltd"] in variants
    assert variants[-1] == ["beijing", "geling", "shentong", "xinxi", "jishu", "co_ltd"]


def test_trade_name_with_two_renderings_has_both_as_forms() -> None:
    named = normalize_name("曙光").variants[1]
    assert _texts(named) == ["sugon"]
    assert ("dawning", "translated") in named[0].alternatives


def test_a_trade_name_overlapping_generic_words_only_adds_a_variant() -> None:
    # 北方工业 (NORINCO) would take 工业 out of 工业大学 in 北方工业大学, North China University
    # of Technology: the reading without trade names comes first and keeps every rendering
    variants = [_texts(v) for v in normalize_name("北方工业大学").variants]
    assert variants[0] == ["north", "university", "of", "technology"]
    assert ["north", "polytechnical", "university"] in variants
    assert ["norinco", "university"] in variants
    assert variants[-1] == ["beifang", "gongyedaxue"]


def test_zhipu_and_zhi_pu_match(default_weights: TokenWeights) -> None:
    assert score_pair("Zhipu", "Zhi Pu", weights=default_weights).score == 100.0
    assert score_pair("Zhi Pu Hua Zhang", "Zhipu Huazhang", weights=default_weights).score == 100.0
    joined = score_pair("Zhipu", "Zhi Pu", weights=default_weights).explanation.alignment
    assert [step.how for step in joined] == ["joined"]
    assert joined[0].name == "zhi pu"


def test_wade_giles_has_a_pinyin_variant() -> None:
    name = normalize_name("Chih-p'u Hua-chang")
    assert _texts(name.variants[0]) == ["chih", "pu", "hua", "chang"]  # as written, kept
    wade_giles = [v for v in name.variants if any(t.how == "wade-giles" for t in v)]
    assert [_texts(v) for v in wade_giles] == [["zhipu", "huazhang"]]
    assert "wade-giles" in name.transformations


def test_plain_pinyin_is_not_read_as_wade_giles() -> None:
    # pinyin is not read as Wade-Giles: no second variant appears for it
    assert len(normalize_name("Zhipu Huazhang").variants) == 1
    assert len(normalize_name("Beijing").variants) == 1


# --------------------------------------------------------------------------------------------
# Legal forms


@pytest.mark.parametrize(
    "name",
    ["Acme Co., Ltd.", "Acme Company Limited", "Acme有限公司", "Acme Co Ltd", "ACME CO.,LTD"],
)
def test_limited_company_forms_are_one_class(name: str) -> None:
    tokens = normalize_name(name).tokens
    assert _texts(tokens) == ["acme", "co_ltd"]
    assert tokens[-1].kind is TokenKind.LEGAL_FORM


@pytest.mark.parametrize(
    "name",
    ["ООО Ромашка", "OOO Romashka", "Romashka Limited Liability Company", "Romashka LLC"],
)
def test_llc_forms_are_one_class(name: str) -> None:
    tokens = normalize_name(name).tokens
    assert sorted(_texts(tokens)) == ["llc", "romashka"]
    assert [t.kind for t in tokens if t.text == "llc"] == [TokenKind.LEGAL_FORM]


@pytest.mark.parametrize(
    ("name", "forms"),
    [
        ("Industrias Roig S.L.L.", ["sl"]),
        ("Industrias Roig Sociedad Limitada Laboral", ["sl"]),
        ("Banco NQ S.L. S.Coop.", ["sl", "coop"]),
        ("Borja y Feliu S.L.N.E", ["sl"]),
        ("Familia Bosch S.A. S.Com.", ["sa", "lp"]),
    ],
)
def test_spanish_legal_forms_are_forms_not_letters(name: str, forms: list[str]) -> None:
    """Spain's sociedades laborales, cooperatives, nueva empresa and comanditaria: one legal-form
    token each, never single letters that meet the letters of other names (S.P.R. DE R.L.)."""
    tokens = normalize_name(name).tokens
    assert [t.text for t in tokens if t.kind is TokenKind.LEGAL_FORM] == forms
    words = [t.text for t in tokens if t.kind is not TokenKind.LEGAL_FORM]
    assert not {"s", "l", "n", "e", "coop", "com"} & set(words)


def test_legal_form_in_the_middle_is_part_of_the_name() -> None:
    tokens = normalize_name("Golden Company Trading Ltd").tokens
    assert _texts(tokens) == ["golden", "company", "trading", "co_ltd"]
    assert tokens[1].kind is TokenKind.WORD


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # the organisation's own name ends before a branch's words or a parenthesised name
        ("Sophgo Technologies Ltd. Beijing Branch",
         ["sophgo", "technologies", "co_ltd", "beijing", "branch"]),
        ("Huawei Technologies Co., Ltd. Hong Kong Office",
         ["huawei", "technologies", "co_ltd", "hong", "kong", "office"]),
        ("Beijing Zhipu Huazhang Technology Co., Ltd. (Zhipu AI)",
         ["beijing", "zhipu", "huazhang", "technology", "co_ltd", "zhipu", "ai"]),
        # the last legal form before them, though its word is a generic word too
        ("Acme Corporation Beijing Branch", ["acme", "corp", "beijing", "branch"]),
        ("Acme GmbH Zweigniederlassung Berlin",
         ["acme", "gmbh", "zweigniederlassung", "berlin"]),
        ("Golden Company Trading Ltd Beijing Branch",
         ["golden", "company", "trading", "co_ltd", "beijing", "branch"]),
    ],
)
def test_a_legal_form_before_a_branch_or_qualifier_is_a_legal_form(
    name: str, expected: list[str]
) -> None:
    tokens = normalize_name(name).tokens
    assert _texts(tokens) == expected
    legal = [t.text for t in tokens if t.kind is TokenKind.LEGAL_FORM]
    assert legal == [text for text in expected if text in ("co_ltd", "corp", "gmbh")]


@pytest.mark.parametrize(
    "name",
    [
        "Lee Se Hong",  # a syllable of a Korean name, not Societas Europaea before Hong Kong
        "Arab Company for Drug Industries",  # followed by a word of its own
        "Ford Ltd. Trading",  # a generic word after it may be the name's own
    ],
)
def test_a_legal_form_word_inside_a_name_stays_a_word(name: str) -> None:
    tokens = normalize_name(name).tokens
    assert not [t for t in tokens if t.kind is TokenKind.LEGAL_FORM], tokens


@pytest.mark.parametrize(
    "name",
    [
        "Company Limited",
        "Co., Ltd.",
        "Co Ltd",
        "LLC",
        "Limited Liability Company",
        "GmbH & Co. KG",
        pytest.param(
            "有限公司",
        ),
    ],
)
def test_name_of_legal_form_words_only_keeps_a_word(name: str) -> None:
    tokens = normalize_name(name).tokens
    assert any(t.kind is TokenKind.WORD for t in tokens), tokens


@pytest.mark.parametrize("name", ["Se Ri Pak", "Se-Bong Paek", "Sa Ra Kim", "AO Rosneft"])
def test_two_letters_first_are_read_as_a_legal_form_and_as_a_word(name: str) -> None:
    first = name.split()[0].split("-")[0].lower()
    readings = [(v[0].kind, v[0].text) for v in normalize_name(name).variants]
    assert readings[0][0] is TokenKind.LEGAL_FORM  # the legal form first, as before
    assert (TokenKind.WORD, first) in readings


@pytest.mark.parametrize("name", ["OOO Romashka", "S.A. Acme", "(주) 고려", "Acme SA"])
def test_other_legal_forms_have_one_reading(name: str) -> None:
    # three letters, two words, a form in its own script, or the end of the name: no doubt
    for variant in normalize_name(name).variants:
        assert any(t.kind is TokenKind.LEGAL_FORM for t in variant)


def test_legal_form_with_a_typo_is_recognised() -> None:
    tokens = normalize_name("Romashka Limted Liability Company").tokens
    assert tokens[-1].kind is TokenKind.LEGAL_FORM and tokens[-1].how == "legal form (typo)"


@pytest.mark.parametrize(
    ("name", "legal_class"),
    [
        ("GLOBALTRANS IMITED", "co_ltd"),  # a letter dropped from a word of seven
        ("DAY EXCHANGE COMPNAY", "co"),  # two neighbours swapped: one slip, not two
        ("UNCHON TRADING CORPORTAION", "corp"),
        ("VTB BANK PUBLIC JOINT TOCK COMPANY", "pjsc"),  # one slip in a word of a phrase
        ("LIMITED LIABILITY CMOPANY LASERFORM", "llc"),
        # one slip in the letters that is two in the phonetic keys (shch is read as sh)
        ("AKTSIONERNOE OBHCHESTVO SOEDINITEL", "jsc"),
        ("OBSHCHEETVO S OGRANICHENNOI OTVETSTVENNOSTYU LUCHANO", "llc"),
        ("LIMITED LIABIITY COMPANY NEW COMMUNAL TECHNOLOGIES", "llc"),
    ],
)
def test_legal_form_typos_people_make_are_recognised(name: str, legal_class: str) -> None:
    legal = [t for t in normalize_name(name).tokens if t.kind is TokenKind.LEGAL_FORM]
    assert [(t.text, t.how) for t in legal] == [(legal_class, "legal form (typo)")]


@pytest.mark.parametrize(
    ("name", "word"),
    [
        ("Acme Karl", "karl"),  # one slip from SARL, but four letters alone are too few to tell
        ("Laticom KTD", "ktd"),  # nor three (LTD)
        ("Acme Compass", "compass"),  # two edits from company
        ("PUALA COMPANY LIMITED", "puala"),  # a word of the name is not swallowed by a phrase
    ],
)
def test_words_a_slip_away_from_legal_forms_stay_words(name: str, word: str) -> None:
    tokens = normalize_name(name).tokens
    assert word in [t.text for t in tokens if t.kind is TokenKind.WORD]
    assert all(t.how != "legal form (typo)" for t in tokens)


# --------------------------------------------------------------------------------------------
# Other scripts, particles, honorifics, qualifiers


def test_cyrillic_is_transliterated() -> None:
    (token,) = normalize_name("Путин").tokens
    assert token.text == "putin"
    assert token.script is Script.CYRILLIC and token.how == "transliterated"
    assert _texts(normalize_name("Владимир Путин").tokens) == ["vladimir", "putin"]


@pytest.mark.parametrize(
    ("name", "reading", "yo_form"),
    [("Королёв", "korolev", "korolyov"), ("Пётр", "petr", "pyotr"), ("ЁЛКИН", "elkin", "yolkin")],
)
def test_yo_is_read_as_ye_with_yo_as_another_form(name: str, reading: str, yo_form: str) -> None:
    (token,) = normalize_name(name).tokens
    assert token.text == reading
    assert (yo_form, "transliterated") in token.alternatives
    (written_with_ye,) = normalize_name(name.replace("ё", "е").replace("Ё", "Е")).tokens
    assert written_with_ye.text == reading


def test_yo_spellings_match_lists_either_way(default_weights: TokenWeights) -> None:
    assert score_pair("Пётр Королёв", "KOROLEV, Petr", weights=default_weights).score == 100.0
    assert score_pair("Пётр Королёв", "Pyotr Korolyov", weights=default_weights).score == 100.0


def _translated(name: str) -> list[str | None]:
    return [
        next((form for form, how in token.alternatives if how == "translated"), None)
        for token in normalize_name(name).tokens
    ]


@pytest.mark.parametrize(
    ("name", "english"),
    [
        # the table gives исследовательский and исследование; names decline them
        ("исследований", "research"),
        ("Исследовательского", "research"),
        ("судостроительная", "shipbuilding"),  # the table gives судостроительный
        ("банков", "bank"),
        ("технологий", "technologies"),  # технология / технологии: one word, two numbers
    ],
)
def test_russian_words_are_translated_in_any_case_and_number(name: str, english: str) -> None:
    assert _translated(name) == [english]


def test_russian_stem_shared_by_words_of_different_meaning_is_not_guessed() -> None:
    # объединение (association) and объединённый (united) share a stem: each is translated
    # in the forms the table gives, and a form it does not give is left untranslated
    assert _translated("объединение") == ["association"]
    assert _translated("Объединённая") == ["united"]
    assert _translated("объединения") == [None]


def test_every_one_word_rendering_of_a_term_is_a_form() -> None:
    (token,) = normalize_name("завод").tokens
    assert [form for form, how in token.alternatives if how == "translated"] == [
        "plant", "factory", "works"
    ]
    (token,) = normalize_name("هواپیمایی").tokens
    assert [form for form, how in token.alternatives if how == "translated"] == [
        "airlines", "air"
    ]


def test_hyphenated_russian_words_are_translated_word_by_word() -> None:
    assert _translated("Агентство интернет-исследований") == ["agency", None, "research"]


def test_russian_corporation_is_a_legal_form_as_the_english_word_is(
    default_weights: TokenWeights,
) -> None:
    tokens = normalize_name("АО Объединённая судостроительная корпорация").tokens
    assert [t.kind for t in tokens] == [
        TokenKind.LEGAL_FORM, TokenKind.WORD, TokenKind.WORD, TokenKind.LEGAL_FORM
    ]
    pair = score_pair(
        "АО Объединённая судостроительная корпорация",
        "JOINT STOCK COMPANY UNITED SHIPBUILDING CORPORATION",
        weights=default_weights,
    )
    assert pair.score == 100.0


@pytest.mark.parametrize(
    ("word", "other"),
    [("industries", "industry"), ("industry", "industries"), ("technology", "technologies"),
     ("laboratories", "laboratory")],
)
def test_words_in_y_and_ies_carry_the_other_number(word: str, other: str) -> None:
    (token,) = normalize_name(word).tokens
    assert (other, "plural") in token.alternatives


@pytest.mark.parametrize("word", ["bay", "key", "holiday", "ties", "dies", "обороны"])
def test_other_words_carry_no_other_number(word: str) -> None:
    # a vowel before the y (bay, key), too short to be a plural in -ies (ties), or not
    # English (обороны, romanised oborony)
    (token,) = normalize_name(word).tokens
    assert all(how != "plural" for _, how in token.alternatives)


def test_singular_and_plural_match(default_weights: TokenWeights) -> None:
    pair = score_pair("North Industry Corporation", "NORTH INDUSTRIES CORPORATION",
                      weights=default_weights)
    assert pair.score == 100.0
    assert [step.how for step in pair.explanation.alignment][1] == "plural"


def test_arabic_article_is_split_off() -> None:
    article, stem = normalize_name("الأسد").tokens
    assert (article.text, article.kind, article.how) == ("al", TokenKind.PARTICLE, "article")
    assert stem.kind is TokenKind.WORD and stem.original == "أسد"
    assert stem.script is Script.ARABIC


@pytest.mark.parametrize("name", ["حزب الله", "عبد الله"])
def test_allah_keeps_its_article(name: str) -> None:
    tokens = normalize_name(name).tokens
    assert [t.kind for t in tokens] == [TokenKind.WORD, TokenKind.WORD]
    assert tokens[-1].original == "الله"


def test_latin_honorifics_are_stopwords(default_weights: TokenWeights) -> None:
    tokens = normalize_name("Dr. John Smith").tokens
    assert (tokens[0].text, tokens[0].kind) == ("dr", TokenKind.STOPWORD)
    with_title = score_pair("Dr. John Smith", "John Smith", weights=default_weights).score
    assert with_title == score_pair("John Smith", "John Smith", weights=default_weights).score


def test_arabic_honorific_is_a_stopword() -> None:
    tokens = normalize_name("السيد حسن نصر الله").tokens
    assert tokens[0].kind is TokenKind.STOPWORD and tokens[0].original == "السيد"
    assert all(t.kind is TokenKind.WORD for t in tokens[1:])


def test_honorific_alone_is_empty() -> None:
    assert normalize_name("Dr.").is_empty
    assert normalize_name("السيد").is_empty


@pytest.mark.parametrize("name", ["Huawei (Shenzhen)", "Huawei [Shenzhen]", "华为（深圳）"])
def test_parenthesised_words_are_qualifiers(name: str) -> None:
    tokens = normalize_name(name).tokens
    assert [(t.text, t.qualifier) for t in tokens] == [("huawei", False), ("shenzhen", True)]


def test_name_entirely_in_parentheses_is_not_a_qualifier() -> None:
    assert [(t.text, t.qualifier) for t in normalize_name("(Huawei)").tokens] == [
        ("huawei", False)
    ]


@pytest.mark.parametrize("text", ["", "   ", "---", "\t\n", ".,;", "()"])
def test_is_empty(text: str) -> None:
    assert normalize_name(text).is_empty


@pytest.mark.parametrize("text", ["X", "7", "重", "Ж", "ب"])
def test_single_letter_or_digit_is_not_empty(text: str) -> None:
    assert not normalize_name(text).is_empty


def test_full_width_and_case_fold_to_the_same_tokens() -> None:
    full_width = normalize_name("ＡＣＭＥ　Ｃｏ．，Ｌｔｄ．")
    assert full_width.variants == normalize_name("acme co., ltd.").variants


@settings(max_examples=1500, deadline=None)
@given(
    st.text(alphabet="abcdeiklmnopstuy", max_size=16)
    | st.sampled_from(_fuzzy_legal_words()).flatmap(
        lambda word: st.sampled_from(
            [
                word, word[1:], word + "x", word[:-1] + "q", "z" + word,
                word[1:2] + word[:1] + word[2:],  # two neighbours swapped
            ]
        )
    )
)
def test_a_word_could_be_legal_exactly_when_it_is_near_a_legal_word(word: str) -> None:
    # the function looks only at legal words of nearby lengths: it must find every one within
    # its allowed edits (_typo_allowance of the legal word), as a scan of all would
    near = any(
        OSA.distance(word, legal) <= _typo_allowance(legal) for legal in _fuzzy_legal_words()
    )
    key = f"{Script.LATIN.value}:{word}"
    assert _could_be_legal_word(key) == (near or key in _legal_form_words())


def _slipped(word: str, data: st.DataObject) -> str:
    """``word`` with one random slip: a letter dropped, added, replaced, or two swapped."""
    if not word:
        return word
    at = data.draw(st.integers(0, len(word) - 1))
    kind = data.draw(st.integers(0, 3))
    if kind == 0:
        return word[:at] + word[at + 1:]
    if kind == 1:
        return word[:at] + "q" + word[at:]
    if kind == 2:
        return word[:at] + "z" + word[at + 1:]
    return word[:at] + word[at + 1:at + 2] + word[at:at + 1] + word[at + 2:]


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_a_misspelt_phrase_is_read_as_a_search_of_every_phrase_would(data: st.DataObject) -> None:
    # the phrase-level cutoff only prunes: the form found is the one a scan of every phrase of
    # the bucket, nearest first, checked word by word, finds
    buckets = _fuzzy_legal_forms()
    size = data.draw(st.sampled_from(sorted(buckets)))
    texts, classes = buckets[size]
    words = []
    for word in data.draw(st.sampled_from(texts)).split(" "):
        for _ in range(data.draw(st.integers(0, 2))):  # none, one or two slips
            word = _slipped(word, data)
        words.append(word)
    if "" in words:
        return
    keys = tuple(f"{Script.LATIN.value}:{word}" for word in words)
    joined = " ".join(words)
    expected = None
    if len(joined) >= 6:
        in_phrase = size > 1
        for _distance, position in sorted(
            (OSA.distance(joined, text), position) for position, text in enumerate(texts)
        ):
            if all(
                OSA.distance(word, form_word) <= _typo_allowance(form_word, in_phrase)
                for word, form_word in zip(words, texts[position].split(" "), strict=True)
            ):
                expected = classes[position]
                break
    assert _fuzzy_legal_form_of(keys) == expected


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=40) | ANY_TEXT | MIXED_TEXT)
def test_chunks_are_the_unicode_patterns_chunks(text: str) -> None:
    """Text is cut into chunks by a translation table (ASCII) or by white space first (other
    text) rather than the Unicode pattern alone: the chunks must be the same."""
    expected = [chunk for chunk in normalize._CHUNK_SEPARATORS.split(text) if chunk]
    assert normalize._chunks(text) == expected


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=40))
def test_printable_ascii_folds_to_its_lower_case(text: str) -> None:
    """``fold`` lower-cases printable ASCII without the Unicode steps: they must agree."""
    unsafe_as_space = fold_module._UNSAFE.sub(" ", text)
    expected = unicodedata.normalize("NFKC", unsafe_as_space).casefold().replace("i\u0307", "i")
    assert fold(text) == expected


def _runs_char_by_char(text: str) -> list[tuple[str, Script]]:
    """The script runs as transliterate._runs made them before it cut slices: one character at a
    time into a list (the reference its slices are held to)."""
    runs: list[tuple[str, Script]] = []
    current: list[str] = []
    current_script: Script | None = None
    for index, char in enumerate(text):
        script = scripts._script_of(char)
        if script is None and unicodedata.category(char) in ("Mn", "Mc") and current:
            current.append(char)
            continue
        if script is None and char == "\u200c" and current_script is Script.ARABIC:
            following = text[index + 1 : index + 2]
            if following and scripts._script_of(following) is Script.ARABIC:
                current.append(char)
                continue
        if script is None and char in terms._APOSTROPHES and current_script is Script.LATIN:
            following = text[index + 1 : index + 2]
            if following and scripts._script_of(following) is Script.LATIN:
                current.append(char)
                continue
        if script is Script.LATIN and char.isdigit() and current_script not in (None,):
            script = current_script
        if script is None or (current_script is not None and script is not current_script):
            if current and current_script is not None:
                runs.append(("".join(current), current_script))
            current = []
            current_script = None
        if script is not None:
            current.append(char)
            current_script = script
    if current and current_script is not None:
        runs.append(("".join(current), current_script))
    return runs



@given(ANY_TEXT | MIXED_TEXT | st.text(alphabet="ab1'’ʼ`\u0301\u0627\u4e00 -ж", max_size=20))
def test_script_runs_are_the_character_by_character_runs(text: str) -> None:
    """Runs are cut as slices of the text: the same runs as built a character at a time."""
    assert transliterate._runs(text) == _runs_char_by_char(text)


@pytest.mark.parametrize(
    ("name", "initials"),
    [
        ("Valbuena y Asociados", []),  # Spanish "and", written in lower case
        ("Rossi e Figli", []),  # Italian "and"
        ("Robert E Lee", ["e"]),  # a capital alone: an initial
        ("Juan Y. Garcia", ["y"]),  # a full stop: an initial
        ("ROBERT E LEE", ["e"]),  # all capitals: the case cannot tell
        ("putin v v", ["v", "v"]),  # all lower case: nor here
        ("Garcia y Lopez Y. Perez", ["y", "y"]),  # written as an initial once: kept
    ],
)
def test_a_lower_case_letter_in_a_mixed_case_name_is_a_word(
    name: str, initials: list[str]
) -> None:
    tokens = normalize_name(name).variants[0]
    assert [t.text for t in tokens if t.how == "initial"] == initials


@pytest.mark.parametrize(
    "name", ["Abdulla K., Al Suleimani", "Abdulla K.,Al Suleimani", "Abdulla K , Al Suleimani"]
)
def test_a_letter_before_a_comma_is_an_initial(name: str) -> None:
    # as before a space (found by the spacing property of test_match: 40.2 against 44.68)
    (variant, *_) = normalize_name(name).variants
    assert [t.how for t in variant if t.text == "k"] == ["initial"]


def test_a_stray_full_stop_before_a_letter_alone_keeps_it_an_initial() -> None:
    """Found by the spacing property test: `` .E`` reads as `` E`` (an initial), while a letter
    after another letter and a full stop stays part of an abbreviation."""
    respaced = normalize_name("GRUPO AROSFRAN EMPREENDIMENTOS .E PARTICIPACOES SARL")
    spaced = normalize_name("GRUPO AROSFRAN EMPREENDIMENTOS E PARTICIPACOES SARL")
    assert respaced.variants == spaced.variants
    assert all(t.how != "initial" for v in normalize_name("S.L.N.E. Foo").variants for t in v)


@pytest.mark.parametrize(
    "name", ["IOFFE, Eduard A", "IOFFE, Eduard A.", "IOFFE, Eduard A ", "IOFFE, Eduard A\t"]
)
def test_a_letter_alone_at_the_end_is_an_initial(name: str) -> None:
    """Found by the spacing property test: a last letter was an initial with a full stop and a
    function word without one (``MARIA E`` scored 100 against ``MARIA``, ``MARIA E.`` 88), while
    no name ends with a conjunction or an article."""
    (variant, *_) = normalize_name(name).variants
    assert [(t.text, t.how) for t in variant][-1] == ("a", "initial")
    assert normalize_name(name).variants == normalize_name("IOFFE, Eduard A.").variants


@pytest.mark.parametrize(
    ("name", "letters", "read_as_initials"),
    [
        ("Путин В.В.", "в", True),
        ("PUTIN,V.V.", "v", True),
        ("S.V. Lavrov", "sv", True),
        ("Путин В.", "в", True),
        ("SALZ E.G.", "eg", True),  # in one case, the case cannot tell
        ("Salz e.G.", "eg", False),  # in mixed case, initials are capitals
        ("Eco, s.r.l. Group", "srl", False),
        ("Sans Gargallo S.A.T.", "sat", False),  # three letters: an abbreviation
        ("J.R.R. Tolkien", "jr", False),
        ("Shanghai S.A.L. Offshore Company", "sal", False),
        ("GOLDEN S.V. TRADING LTD.", "sv", False),  # a legal form: a company's abbreviation
        ("Industrias YU S.A. Trading", "sa", False),  # a generic word: a company's
        ("GRUPO PRODUCSIL, S. DE P.R. DE R.L. DE C.V.", "prlcv", False),  # more than two
        ("Supermercados Española S.A. S.C.P", "sacp", False),
    ],
)
def test_which_letters_with_full_stops_are_also_read_as_initials(
    name: str, letters: str, read_as_initials: bool
) -> None:
    """One or two letters each with its full stop, standing alone, are also read as initials
    (a second variant of the name), unless written in lower case in a name of mixed case, or
    in a name with a legal form, a generic word or more letters with full stops; a run of three
    or more is an abbreviation only."""
    variants = normalize_name(name).variants
    assert not any(t.how == "initial" and t.original in letters for t in variants[0])
    initials = {t.original for v in variants for t in v if t.how == "initial"}
    assert (set(letters) <= initials) is read_as_initials, initials
    assert bool(set(letters) & initials) is read_as_initials, initials
