"""Name parts: what each word of a name is, and how the scorer tells what a query leaves out
from what it contradicts (issue: names as people write them)."""

from __future__ import annotations

import pytest

from screen.matching.score import DEFAULT_THRESHOLD, score_pair
from screen.names.normalize import normalize_name
from screen.names.parts import is_patronymic, list_name_parts, looks_like_person, query_parts
from screen.screener import Screener


def _list_parts(name: str, person: bool) -> str:
    tokens = [t for t in normalize_name(name).tokens if t.kind.value != "stopword"]
    return list_name_parts(name, tokens, person)


def _query_parts(text: str) -> str:
    tokens = [t for t in normalize_name(text).tokens if t.kind.value != "stopword"]
    return query_parts(tokens)


@pytest.mark.parametrize(
    ("name", "person", "parts"),
    [
        ("LAVROV, Sergey Viktorovich", True, "SGP"),
        ("MADURO MOROS, Nicolas", True, "SsG"),
        ("AL-TIKRITI, Hamid Raja Shalah", True, "aSGMM"),
        ("LUKASHENKA, Halina Radzivonawna", True, "SGP"),
        ("Sergey Viktorovich LAVROV", True, "GPS"),
        ("Evren KAYAKIRAN", True, "GS"),
        ("Huawei Technologies Co., Ltd.", False, "WgL"),
        ("Zhejiang Dahua Technology Co., Ltd.", False, "pWgL"),
        ("Hong Kong ACTeam Logistics Ltd.", False, "ppWgL"),
    ],
)
def test_list_name_parts(name: str, person: bool, parts: str) -> None:
    assert _list_parts(name, person) == parts


def test_query_parts_are_read_without_the_entry() -> None:
    assert _query_parts("Sophgo Technologies Ltd.") == "WgL"
    assert _query_parts("M. L. Kislyakov") == "IIW"
    assert _query_parts("A. Khamenei") == "IW"  # "a" with its full stop is no article
    assert _query_parts("Sergey Ivanovich Lavrov") == "WPW"


def test_patronymic_needs_a_stem() -> None:
    assert is_patronymic("viktorovich")
    assert is_patronymic("ivanivna")
    assert is_patronymic("ogly")
    assert not is_patronymic("ovich")  # an ending alone is no name
    assert not is_patronymic("lavrov")


def test_person_guess_for_a_bare_pair() -> None:
    assert looks_like_person("LAVROV, Sergey", normalize_name("LAVROV, Sergey").tokens)
    name = "Huawei Technologies Co., Ltd."
    assert not looks_like_person(name, normalize_name(name).tokens)


def _score(query: str, name: str, *, person: bool | None = None) -> float:
    return score_pair(query, name, person=person).score


def test_parts_people_leave_out_cost_little() -> None:
    assert _score("Nicolas Maduro", "MADURO MOROS, Nicolas") >= DEFAULT_THRESHOLD
    assert _score("Hamid Al-Tikriti", "AL-TIKRITI, Hamid Raja Shalah") >= DEFAULT_THRESHOLD
    assert _score("Alexander Babakov", "BABAKOV, Alexander Mikhailovich") >= DEFAULT_THRESHOLD


def test_parts_present_and_different_cost_much() -> None:
    # another patronymic: another person
    result = score_pair("Sergey Ivanovich Lavrov", "LAVROV, Sergey Viktorovich")
    assert result.score < DEFAULT_THRESHOLD
    contradicting = [s for s in result.explanation.alignment if s.unmatched_as == "contradicting"]
    assert {s.part for s in contradicting} == {"patronymic"}
    # another given name: the absent middle name is no longer excused
    assert _score("Mojtaba Khamenei", "KHAMENEI, Ali Hosseini") < DEFAULT_THRESHOLD
    assert _score("Sergey Ivanov", "LAVROV, Sergey Viktorovich") < DEFAULT_THRESHOLD


def test_given_name_left_out_is_not_excused() -> None:
    assert _score("Lavrov", "LAVROV, Sergey Viktorovich") < DEFAULT_THRESHOLD


def test_company_extras_and_missing_generic_words() -> None:
    assert _score("Zhejiang Dahua Technology Co., Ltd.", "Dahua Technology", person=False) >= 80
    assert _score("Megvii", "Megvii Technology Co., Ltd.", person=False) >= DEFAULT_THRESHOLD
    explanation = score_pair("Sophgo Technologies Ltd.", "Sophgo", person=False).explanation
    extras = {(s.query, s.part) for s in explanation.alignment if s.unmatched_as == "extra"}
    assert ("technologies", "generic word") in extras


def test_a_query_of_places_and_generic_words_alone_does_not_hit() -> None:
    name = "Beijing Zhipu Huazhang Technology Co., Ltd."
    assert _score("Beijing Technology Co., Ltd.", name, person=False) < DEFAULT_THRESHOLD
    # unless it is the listed name itself
    listed = "China Satellite Communications Co., Ltd."
    assert _score(listed, listed, person=False) == 100.0


def test_initials_are_weak_evidence() -> None:
    listed = "KISLYAKOV, Mikhail Leonidovich"
    result = score_pair("M. L. Kislyakov", listed)
    assert result.score >= DEFAULT_THRESHOLD
    assert any(step.how == "initial" for step in result.explanation.alignment)
    assert _score("S. Kislyakov", listed) < DEFAULT_THRESHOLD
    assert result.score < _score("Mikhail Leonidovich Kislyakov", listed)


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener.default()


def _entry_names(screener: Screener, query: str) -> set[str]:
    return {name for hit in screener.screen(query).hits for name in hit.entry.names}


def test_an_entry_s_other_name_contradicts_a_patronymic(screener: Screener) -> None:
    """The entry gives ``LAVROV, Sergey`` as a name and ``Viktorovich`` in another: another
    patronymic contradicts the entry through the shorter name too."""
    def hits_lavrov(query: str) -> bool:
        return any(
            name.upper().startswith("LAVROV, SERGE") for name in _entry_names(screener, query)
        )

    assert not hits_lavrov("Sergey Ivanovich Lavrov")
    assert hits_lavrov("Sergey Viktorovich Lavrov")
    assert hits_lavrov("Sergey Lavrov")


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Nicolas Maduro", "MADURO MOROS"),
        ("Sophgo Technologies Ltd.", "Sophgo"),
        ("Alexander Lukashenko", "LUKASHENKO"),
        ("Huawei", "HUAWEI TECHNOLOGIES"),
    ],
)
def test_common_forms_of_listed_names_hit(screener: Screener, query: str, listed: str) -> None:
    assert any(listed.upper() in name.upper() for name in _entry_names(screener, query))


def test_a_bare_brand_meets_its_company_but_a_full_other_name_does_not() -> None:
    listed = "Noble Shipping Company Limited"
    assert _score("Noble", listed, person=False) >= DEFAULT_THRESHOLD
    # a company's own full name, legal form included, without the listed generic word
    assert _score("Noble Inc", listed, person=False) < DEFAULT_THRESHOLD


def test_one_list_of_generic_words_and_places() -> None:
    # a word of the abbreviation table's expansions (prod. -> products) and one of the Han
    # terms' renderings (半导体 -> semiconductor) are generic words to the typing of parts ...
    assert _query_parts("Acme Products") == "Wg"
    assert _query_parts("Acme Semiconductor") == "Wg"
    # ... and to the normaliser, which reads no initials in an organisation's name
    def initials(name: str) -> list[str]:
        return [t.text for v in normalize_name(name).variants for t in v if t.how == "initial"]

    assert initials("A.B. Semiconductor") == []
    assert initials("A.B. Smith") == ["a", "b"]
    # a city of the place table is a place to both the parts and the alias finder
    assert _query_parts("Shenzhen Acme") == "pW"
