"""Names in Hangul, kana, Han characters of Korean and Japanese names, and Persian words joined by
the zero-width non-joiner: each reading the matcher relies on, from the tables that define it
(``names/data``: hangul_romanisation, korean_surnames, kana_hepburn, unihan_readings,
term_translations)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from screen import Screener
from screen.index.weights import TokenWeights
from screen.matching.score import DEFAULT_THRESHOLD, score_pair
from screen.names import hangul, hanja, kana
from screen.names.normalize import normalize_name
from screen.names.tokens import Token
from screen.text.fold import ZWNJ, fold


def _texts(tokens: tuple[Token, ...]) -> list[str]:
    return [token.text for token in tokens]


def _all_variants(name: str) -> list[list[str]]:
    return [_texts(variant) for variant in normalize_name(name).variants]


def _forms(token: Token) -> set[str]:
    return {token.text, *(form for form, _ in token.alternatives)}


def _hits(screener: Screener, query: str) -> dict[str, float]:
    result = screener.screen(query, threshold=DEFAULT_THRESHOLD)
    return {name: hit.score for hit in result.hits for name in hit.entry.names}


# --------------------------------------------------------------------------------------------
# Hangul


@pytest.mark.parametrize("code", [0xAC00, 0xAC01, 0xB098, 0xC815, 0xC740, 0xD0DD, 0xD7A3])
def test_syllables_decompose_into_unicodes_jamo(code: int) -> None:
    """The arithmetic split of a syllable gives the letters Unicode's own decomposition names."""
    syllable = chr(code)
    found = hangul._syllable(syllable)
    assert found is not None
    conjoining = unicodedata.normalize("NFD", syllable)
    letters = [found[0], found[1]] + ([found[2]] if found[2] != " " else [])
    assert len(conjoining) == len(letters)
    for letter, jamo in zip(letters, conjoining, strict=True):
        # HANGUL LETTER KIYEOK ~ HANGUL CHOSEONG/JONGSEONG KIYEOK, HANGUL LETTER A ~ JUNGSEONG A
        assert unicodedata.name(letter).split()[-1] == unicodedata.name(jamo).split()[-1]


@pytest.mark.parametrize(
    ("hangul_text", "system", "expected"),
    [
        ("정은", "rr", "jeongeun"),
        ("정은", "kp", "jongun"),
        ("정은", "mr", "chongun"),
        ("택", "kp", "thaek"),
        ("택", "rr", "taek"),
        ("문길", "mr", "mungil"),  # McCune-Reischauer voices k after n
        ("문길", "kp", "munkil"),
        ("신", "mr", "shin"),
        ("신", "rr", "sin"),
        ("일리", "rr", "illi"),  # r after l is l
        ("룡해", "kp", "ryonghae"),
        ("최", "rr", "choe"),
        ("김", "rr", "gim"),
    ],
)
def test_hangul_romanised_per_system(
    hangul_text: str, system: hangul.System, expected: str
) -> None:
    assert hangul.romanise(hangul_text, system) == expected


def test_korean_name_is_surname_and_given_name_in_each_system() -> None:
    variants = _all_variants("김정은")
    assert variants[0] == ["kim", "jongun"]
    assert ["gim", "jeongeun"] in variants  # Revised Romanization, for names written so
    given = normalize_name("김정은").tokens[1]
    assert {"jongun", "jeongeun", "chongun"} <= _forms(given)


@pytest.mark.parametrize(
    ("name", "spellings"),
    [
        ("이영호", {"lee", "yi", "rhee"}),
        ("리영호", {"ri", "lee"}),
        ("박봉주", {"park", "pak", "bak"}),
        ("최룡해", {"choi", "choe"}),
        ("정경택", {"jung", "chung", "jeong", "jong"}),
    ],
)
def test_surnames_carry_their_customary_spellings(name: str, spellings: set[str]) -> None:
    assert spellings <= _forms(normalize_name(name).tokens[0])


def test_generic_words_of_a_hangul_name_are_translated() -> None:
    variants = _all_variants("조선광업개발무역회사")
    assert variants[0] == ["korea", "mining", "development", "trading", "corporation"]
    # the words as spelt are forms of their translation
    assert {"choson", "joseon"} <= _forms(normalize_name("조선광업개발무역회사").tokens[0])


def test_korean_legal_form_in_hangul_is_a_legal_form() -> None:
    assert "jusik_hoesa" in _texts(normalize_name("주식회사 코어제조").tokens)


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("김정은", "KIM, Jong Un"),
        ("김 정은", "KIM, Jong Un"),
        ("최룡해", "CHOE, Ryong Hae"),
        ("金正恩", "KIM, Jong Un"),  # Han characters of a Korean name, read in Korean
    ],
)
def test_korean_names_find_the_listed_person(
    default_screener: Screener, query: str, listed: str
) -> None:
    assert _hits(default_screener, query).get(listed, 0.0) >= 95.0


def test_rr_and_joined_spellings_match_the_hangul(default_weights: TokenWeights) -> None:
    for written in ("Gim Jeongeun", "Kim Jong-un", "Kim Jongun", "Kim Jeong Eun"):
        assert score_pair("김정은", written, weights=default_weights).score >= 95.0, written


# --------------------------------------------------------------------------------------------
# Han characters of Korean names


def test_possible_korean_name_keeps_its_pinyin_first() -> None:
    variants = _all_variants("金正恩")
    assert variants[0] == ["jin", "zhengen"]
    assert ["kim", "jongun"] in variants


def test_korean_reading_of_simplified_characters() -> None:
    # Chinese texts write Korean names in simplified characters: 龙 reads as 龍 (룡)
    assert hanja.korean_reading("崔龙海") == ("최룡해", ())
    assert ["choe", "ryonghae"] in _all_variants("崔龙海")


@pytest.mark.parametrize(
    "name", ["知乎", "国防科技大学", "北京旷视科技有限公司", "金山软件有限公司"]
)
def test_chinese_names_not_read_in_korean(name: str) -> None:
    """Only two to four characters beginning with a Korean surname may be a Korean name."""
    assert hanja.korean_reading(name) is None
    assert all(token.how != "transliterated" for v in normalize_name(name).variants for token in v)


def test_li_reads_both_korean_surnames() -> None:
    surname = normalize_name("李英浩").variants[-1][0]
    assert {"lee", "yi", "ri"} <= _forms(surname)


# --------------------------------------------------------------------------------------------
# Kana and Japanese names


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("とうきょう", "tokyo"),
        ("おおの", "ono"),
        ("きっと", "kitto"),
        ("マッチ", "matchi"),
        ("しんぶん", "shinbun"),
        ("プーチン", "puchin"),
        ("ティム", "timu"),
        ("ジェット", "jetto"),
        ("オウム", "oumu"),  # katakana write a long vowel with ー: ou is two vowels
    ],
)
def test_kana_in_hepburn(written: str, expected: str) -> None:
    assert kana.hepburn(written) == expected


def test_katakana_name_carries_its_foreign_spelling(default_weights: TokenWeights) -> None:
    token = normalize_name("プーチン").tokens[0]
    assert {"puchin", "puuchin", "putin"} <= _forms(token)
    assert score_pair("プーチン", "Putin", weights=default_weights).score == 100.0


def test_katakana_generic_words_are_translated() -> None:
    assert _texts(normalize_name("トヨタグループ").tokens) == ["toyota", "group"]


@pytest.mark.parametrize(
    "name",
    [
        "近藤建設株式会社", "有限会社近藤運輸", "近藤運輸合同会社", "(株)近藤建設",
        "近藤ホールディングス",
    ],
)
def test_japanese_names_are_not_read_in_pinyin(name: str) -> None:
    assert hanja.looks_japanese(fold(name))
    assert not any("jinteng" in variant for variant in _all_variants(name))
    assert any("kintou" in variant for variant in _all_variants(name))


def test_chinese_name_with_the_same_characters_keeps_pinyin() -> None:
    assert not hanja.looks_japanese(fold("近藤建设有限公司"))
    assert _all_variants("近藤建设有限公司")[0][0] == "jinteng"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(
    "ab (株)会社有限合同近藤ホールディングスカナ조선유한회사Şامةабв〇\u4dbf\u3400\uf900\U00020001"
), max_size=16))
def test_looks_japanese_answers_as_the_markers_alone(text: str) -> None:
    """The quick test for kana or Han characters never changes the answer of the markers."""
    folded = fold(text)
    assert hanja.looks_japanese(folded) == (hanja._japanese_pattern().search(folded) is not None)


def test_japanese_reading_doubles_long_vowels_and_gives_them_once_as_a_form() -> None:
    token = normalize_name("佐藤建設株式会社").tokens[0]
    assert token.text == "satou"
    assert "sato" in _forms(token)
    assert "shinrikyo" in _forms(normalize_name("オウム真理教").tokens[1])


def test_japanese_only_kanji_words_are_translated() -> None:
    assert "electric" in _texts(normalize_name("石川電気株式会社").tokens)


def test_benign_japanese_company_does_not_alert_on_a_chinese_person(
    default_screener: Screener,
) -> None:
    assert "JIN TENG" not in _hits(default_screener, "近藤建設株式会社")


# --------------------------------------------------------------------------------------------
# Persian zero-width non-joiner, Arabic and Persian generic words


def test_fold_keeps_the_zero_width_non_joiner() -> None:
    assert ZWNJ in fold("بین\u200cالمللی")
    assert fold("a\u200bb") == "a b"  # the zero-width space still separates


def test_word_with_a_zero_width_non_joiner_is_one_word() -> None:
    joined = normalize_name("شرکت بین\u200cالمللی نفت").tokens
    assert len(joined) == 3
    assert "international" in _forms(joined[1])
    # the same term written with a space is read as the one word
    spaced = normalize_name("شرکت بین المللی نفت")
    assert _texts(spaced.tokens) == _texts(joined)
    # in a Latin word it separates, as before
    assert _texts(normalize_name("foo\u200cbar").tokens) == ["foo", "bar"]


def test_persian_given_name_in_parts_stays_one_word(default_weights: TokenWeights) -> None:
    assert len(normalize_name("علی\u200cرضا").tokens) == 1


@pytest.mark.parametrize(
    ("word", "english"),
    [
        ("صناعات", "industries"),  # listed with the article only
        ("الإسلامية", "islamic"),
        ("الاسلامية", "islamic"),
        ("للطيران", "airlines"),
        ("الطيران", "airlines"),
        ("مصرف", "bank"),
        ("بنك", "bank"),
        ("المصرف", "bank"),
        ("مؤسسة", "foundation"),
        ("تنظيم", "organization"),
    ],
)
def test_arabic_generic_words_are_translated(word: str, english: str) -> None:
    token = [t for t in normalize_name(word).tokens if t.kind.value == "word"][-1]
    assert english in _forms(token)


def test_a_table_form_keeps_its_own_rendering() -> None:
    token = normalize_name("تجارة").tokens[-1]
    assert "trade" in _forms(token)
    assert "trading" not in _forms(token)


def test_renderings_of_several_words_are_variants() -> None:
    variants = _all_variants("پژوهشگاه هوافضا")
    assert variants[0][0] != "research"
    assert ["research", "institute", variants[0][1]] in variants


def test_he_before_the_non_joiner_ends_its_part(default_weights: TokenWeights) -> None:
    """خامنه‌ای is Khamene-i: the ه before the non-joiner is the vowel -e, not an h inside the
    word, so the consonants are those of Khamenei."""
    token = normalize_name("خامنه\u200cای").tokens[0]
    assert token.skeleton == normalize_name("Khamenei").tokens[0].skeleton
    assert score_pair("خامنه\u200cای", "Khamenei", weights=default_weights).score >= 85.0
