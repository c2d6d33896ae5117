"""``screen.names.romanisations``: a Russian name in the German, Polish, French, Czech, Latvian or
Lithuanian romanisation is read back into the lists' spelling; letters with diacritics are read
as digraphs; digits and symbols written for letters are read as them. Only where the word shows
it: Spanish, Chinese and Korean words, numbers and codes get no such reading."""

from __future__ import annotations

import pytest

from screen.index.weights import TokenWeights
from screen.matching.score import DEFAULT_THRESHOLD, score_pair
from screen.names import romanisations
from screen.names.compare import Comparable, comparable, compare
from screen.names.normalize import normalize_name
from screen.names.romanisations import (
    DIGITS_AS_LETTERS,
    ROMANISATION,
    RomanisationTableError,
    convention_readings,
    digit_readings,
    letter_reading,
    readings,
    symbols_as_letters,
    word_conventions,
)
from screen.names.tokens import Token
from screen.screener import Screener
from screen.text.phonetic import phonetic_key


def _token(text: str) -> Token:
    """The one token ``text`` normalises to."""
    tokens = normalize_name(text).tokens
    assert len(tokens) == 1, tokens
    return tokens[0]


def _forms(text: str) -> set[str]:
    """The reading forms of the one token of ``text``."""
    return {
        form for form, how in _token(text).alternatives if how in (ROMANISATION, DIGITS_AS_LETTERS)
    }


def _item(text: str) -> Comparable:
    return comparable((_token(text),))


# One name (Шостакович) in each convention: its reading has the key of the lists' spelling.
SHOSTAKOVICH = {
    "de": "Schostakowitsch",
    "pl": "Szostakowicz",
    "fr": "Chostakovitch",
    "cs": "Šostakovič",
    "lv": "Šostakovičs",
    "lt": "Šostakovičius",
}


@pytest.mark.parametrize(("convention", "word"), sorted(SHOSTAKOVICH.items()))
def test_each_convention_reads_back_the_lists_spelling(convention: str, word: str) -> None:
    assert convention in word_conventions(word.casefold())
    item = _item(word)
    lists = _item("Shostakovich")
    assert item.key != lists.key  # the phonetic key alone does not make them meet
    assert compare(item, lists) == (0.95, "transliteration")


@pytest.mark.parametrize(
    ("word", "lists"),
    [
        ("Jelzin", "Yeltsin"),  # de: j -> y, z -> ts
        ("Rasumowski", "Razumovskiy"),  # de: s between vowels is з
        ("Chruschtschow", "Khrushchov"),  # de: ch -> kh, schtsch -> shch
        ("Prigoschin", "Prigozhin"),  # de: sch is ж as well as ш (optional reading)
        ("Subkow", "Zubkov"),  # de: initial s is з as well as с (optional reading)
        ("Czernyszewski", "Chernyshevskiy"),  # pl: cz, sz
        ("Fiodorowicz", "Fyodorovich"),  # pl
        ("Sieliezniow", "Seleznyov"),  # pl: ie after a consonant is е (optional reading)
        ("Poutine", "Putin"),  # fr: ou, -ine
        ("Liaguine", "Lyagin"),  # fr: gu before i, -ine
        ("Jegorow", "Yegorov"),  # de, pl
        ("Ivanovas", "Ivanov"),  # lt: -as
        ("Sergejus", "Sergey"),  # lt: -jus
        ("Dostojevskis", "Dostoyevskiy"),  # lt: -skis
        ("Ivanovs", "Ivanov"),  # lv: -s
        ("Ņikolajs", "Nikolay"),  # lv letters
        ("Žukov", "Zhukov"),  # cs
        ("Cvetajeva", "Tsvetayeva"),  # cs: c is ц
    ],
)
def test_readings_have_the_key_of_the_lists_spelling(word: str, lists: str) -> None:
    wanted = phonetic_key(_token(lists).text)
    assert _token(word).key != wanted
    assert any(phonetic_key(form) == wanted for form in _forms(word)), _token(word).alternatives


def test_one_weak_sign_is_not_enough() -> None:
    # gu before e is French г, and Spanish (Miguel): alone it does not make a word French
    assert word_conventions("evgueni") == ()
    assert _forms("Evgueni") == set()


def test_letters_with_diacritics_are_read_as_digraphs_and_the_plain_fold_stays() -> None:
    token = _token("Savčenko")
    assert token.text == "savcenko"
    assert ("savchenko", ROMANISATION) in token.alternatives
    assert letter_reading("şahin") == "shahin"
    assert letter_reading("ivanov") is None


@pytest.mark.parametrize(
    "word",
    ["Juan", "Jong", "Jin", "Chen", "Chang", "Zhang", "Rojas", "Jose", "Smith", "Mitchell",
     "Technology", "Group", "Miguel", "Andrew",
     # pinyin: j and c are not the conventions' (Junhui is no German Yunhui)
     "Junjun", "Junhui", "Juanjuan", "Jianjun", "Cixin"],
)
def test_words_of_other_languages_are_not_read(word: str) -> None:
    assert _forms(word) == set(), _token(word).alternatives


def test_a_word_is_read_alone_whatever_its_neighbours_show() -> None:
    alone = normalize_name("Jong").tokens[0]
    beside = normalize_name("Jong Schostakowitsch Lawrow").tokens[0]
    assert alone == beside


def test_short_readings_are_dropped() -> None:
    assert all(len(form) >= romanisations.MIN_READING_LETTERS for form in _forms("Lewas"))
    assert "lev" not in _forms("Levas")


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("ig0r", ("igor",)),
        ("sech1n", ("sechin", "sechln")),
        ("3lena", ("elena",)),
        ("1st", ()),
        ("54th", ()),
        ("a320", ()),
        ("h3c", ()),
        ("mig29", ()),
        ("2024", ()),
        ("b52", ()),
    ],
)
def test_digits_are_read_as_letters_only_inside_words(word: str, expected: tuple[str, ...]) -> None:
    assert digit_readings(word) == expected


def test_a_number_still_identifies() -> None:
    assert compare(_item("61398"), _item("61399"))[0] == 0.0
    assert compare(_item("54th"), _item("55th"))[0] == 0.0
    assert compare(_item("Sech1n"), _item("Sechin")) == (0.95, "transliteration")
    assert compare(_item("Ig0r"), _item("Igor")) == (0.8, "transliteration")


def test_symbols_inside_words_give_another_variant() -> None:
    assert symbols_as_letters("l@vrov $ergei") == "lavrov sergei"
    for text in ("us$ 5", "us$5", "a @ b", "lavrov"):
        assert symbols_as_letters(text) is None
    variants = normalize_name("L@vrov").variants
    assert [t.text for t in variants[0]] == ["l", "vrov"]
    assert any([t.text for t in variant] == ["lavrov"] for variant in variants)


def test_a_reading_meets_a_long_word_one_edit_away_and_a_short_one_only_exactly() -> None:
    # Polish ie is е or ье: the reading with neither choice everywhere is one edit from the list's
    long = compare(_item("Gieorgiewicz"), _item("Georgiyevich"))
    assert long[1] == "transliteration" and 0.8 < long[0] < 0.95
    # a short word read another way and changed again is another word
    assert compare(_item("Ivanas"), _item("Ivan"))[0] == 0.8
    assert compare(_item("Ivanas"), _item("Ivon"))[0] == 0.0


def test_readings_are_deterministic_and_never_the_tokens_own_key() -> None:
    for text, original in (("lawrow", "ławrow"), ("schostakowitsch", "schostakowitsch")):
        key = phonetic_key(text)
        for form, _ in readings(text, original):
            assert phonetic_key(form) != key
        assert readings(text, original) == readings.__wrapped__(text, original)  # type: ignore[attr-defined]


def test_optional_rows_give_a_second_reading() -> None:
    # German sch is ш or ж; initial s is с or з
    assert set(convention_readings("prigoschin", ("de",))) == {"prigoshin", "prigozhin"}
    assert "zubkov" in convention_readings("subkow", ("de",))


@pytest.mark.parametrize(
    "where", ["sometimes", "at end, later", "before", "not after", "at start,at end"]
)
def test_a_malformed_condition_is_refused(where: str) -> None:
    with pytest.raises(RomanisationTableError):
        romanisations._pattern(where, "ch", "test:1")


def test_an_empty_alternative_is_refused() -> None:
    with pytest.raises(RomanisationTableError):
        romanisations._pattern("anywhere", "ch||sh", "test:1")


# --- the whole matcher -------------------------------------------------------------------------

LAVROV = "LAVROV, Sergei Viktorovich"


@pytest.mark.parametrize(
    "query",
    [
        "Sergej Wiktorowitsch Lawrow",  # German
        "Siergiej Wiktorowicz Ławrow",  # Polish
        "Sergueï Viktorovitch Lavrov",  # French
        "Sergej Viktorovič Lavrov",  # Czech
        "Sergejs Viktorovičs Lavrovs",  # Latvian
        "Sergejus Viktorovičius Lavrovas",  # Lithuanian
    ],
)
def test_national_romanisations_find_the_listed_party(
    default_screener: Screener, default_weights: TokenWeights, query: str
) -> None:
    assert score_pair(query, LAVROV, weights=default_weights).score >= DEFAULT_THRESHOLD
    hits = default_screener.screen(query).hits
    assert hits and hits[0].entry.name == LAVROV


def test_digits_for_letters_find_the_listed_party(default_screener: Screener) -> None:
    hits = default_screener.screen("Ig0r Iv4novich Sech1n").hits
    assert hits and hits[0].entry.name == "SECHIN, Igor Ivanovich"


def test_a_spanish_name_is_not_read_as_lithuanian(default_weights: TokenWeights) -> None:
    # Rojas is no Lithuanian Roj-as (й takes -jus): it does not meet Roy
    assert compare(_item("Rojas"), _item("Roy"))[0] == 0.0
    assert score_pair("Maria Rojas", "ROY, Maria", weights=default_weights).score < 80
