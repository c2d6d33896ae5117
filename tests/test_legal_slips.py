"""A short legal form mistyped (``LDT``, ``Lttd``, ``OEOD``) counts as that form only against a
listed name that has it (screen.names.legal_slips, screen.matching.align._best)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from screen.matching.score import DEFAULT_THRESHOLD
from screen.names.legal_forms import LEGAL_FORM_TYPO
from screen.names.legal_slips import (
    SLIPPED_LEGAL_FORM,
    _one_slip,
    _slips,
    may_be_slipped_legal_form,
    slipped_readings,
)
from screen.names.normalize import normalize_name
from screen.names.tokens import TokenKind
from screen.screener import Screener, score_pair


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener.default()


def test_one_slip_is_one_edit() -> None:
    made = _one_slip("ltd")
    assert {"ktd", "ldt", "lttd", "ltdd", "lt", "ld"} & made == {"ktd", "ldt", "lttd", "ltdd"}
    assert "ld" not in _one_slip("ltd")  # nothing is left out of a form of three letters
    assert "lxtd" not in _one_slip("ltd")  # nor any letter but a doubled one added to it
    assert {"gbh", "gmbhh", "gmhb", "gmbx"} <= _one_slip("gmbh")
    assert "ltd" not in _one_slip("ltd")


def test_slips_leave_out_the_table_spellings_and_short_forms() -> None:
    slips = _slips()
    assert "ltd" not in slips and "llc" not in slips and "ooo" not in slips  # forms themselves
    assert "ab" not in slips  # one slip from two-letter forms is any pair of letters
    assert slips["ktd"] == ("ltd",)
    assert set(slips["ldt"]) >= {"ltd"}  # Ltd and Lda: a reading for each


@pytest.mark.parametrize(
    ("name", "form"),
    [
        ("LATICOM KTD", "co_ltd"),
        ("Intercom Lttd.", "co_ltd"),
        ("FUNSAGA PTE LDT.", "co_ltd"),
        ("VATO 2002 OEOD", None),
    ],
)
def test_an_edge_word_one_slip_from_a_form_is_read_as_it(name: str, form: str | None) -> None:
    variant = normalize_name(name).variants[0]
    readings = slipped_readings(variant)
    assert readings, name
    slipped = [
        t for reading in readings for t in reading
        if t.how in (SLIPPED_LEGAL_FORM, LEGAL_FORM_TYPO)
    ]
    assert slipped and all(t.kind is TokenKind.LEGAL_FORM for t in slipped)
    if form is not None:
        assert form in {t.text for t in slipped}


def test_only_the_last_word_and_never_a_name_of_one_word() -> None:
    assert slipped_readings(normalize_name("LATICOM TRADING KTD").variants[0])
    assert not slipped_readings(normalize_name("KTD LATICOM TRADING").variants[0])  # start
    assert not slipped_readings(normalize_name("Tov Markus").variants[0])  # a given name
    assert not slipped_readings(normalize_name("LATICOM KTD TRADING").variants[0])  # inside
    assert not slipped_readings(normalize_name("KTD").variants[0])  # nothing else to screen
    assert not slipped_readings(normalize_name("LATICOM LTD").variants[0])  # already a form


def test_a_slipped_form_counts_against_the_name_with_that_form(screener: Screener) -> None:
    for query, listed in [
        ("LATICOM KTD", "LATICOM LTD"),
        ("Intercom Lttd.", "Intercom Ltd."),
        ("FUNSAGA PTE LDT.", "FUNSAGA PTE LTD."),
        ("VATO 2002 OEOD", "VATO 2002 EOOD"),
    ]:
        scored = score_pair(query, listed, screener=screener)
        assert scored.score >= DEFAULT_THRESHOLD, (query, scored.score)
        assert {f"query: {SLIPPED_LEGAL_FORM}", f"query: {LEGAL_FORM_TYPO}"} & set(
            scored.explanation.transformations
        )
        assert "mistyped legal form" in [step.how for step in scored.explanation.alignment]


def test_a_slipped_form_counts_for_nothing_where_the_name_lacks_that_form(
    screener: Screener,
) -> None:
    # another form of the same family, or none: the word stays a word, as before
    for query, listed in [
        ("LATICOM KTD", "LATICOM LLC"),
        ("LATICOM KTD", "LATICOM GMBH"),
        ("LATICOM KTD", "LATICOM"),
    ]:
        scored = score_pair(query, listed, screener=screener)
        assert scored.score < DEFAULT_THRESHOLD, (query, listed, scored.score)
        assert f"query: {SLIPPED_LEGAL_FORM}" not in scored.explanation.transformations


def test_screening_finds_the_listed_party(screener: Screener) -> None:
    result = screener.screen("LATICOM KTD")
    assert result.hits and result.hits[0].entry.name == "LATICOM LTD"


def test_may_be_slipped_is_latin_letters_only() -> None:
    latin = normalize_name("LATICOM KTD").variants[0][-1]
    assert may_be_slipped_legal_form(latin)
    cyrillic = normalize_name("ЛАТИКОМ КТД").variants[0][-1]
    assert not may_be_slipped_legal_form(cyrillic)


def test_a_word_of_a_code_is_no_slip() -> None:
    # an aircraft's registration: MMN is one slip from MMC (an Azerbaijani LLC), yet a part of
    # the code, not a word of its own
    assert not slipped_readings(normalize_name("EP-MMN").variants[0])
    assert slipped_readings(normalize_name("EP MMN").variants[0])


def test_a_word_the_tables_know_is_no_slip() -> None:
    # San. abbreviates the Turkish Sanayi (industry), one slip from the Spanish SAU
    assert not slipped_readings(normalize_name("Demir Celik Tic. ve San.").variants[0])
    assert slipped_readings(normalize_name("Demir Celik SAY").variants[0])


def test_a_phrase_of_forms_with_one_word_mistyped_is_context_enough(screener: Screener) -> None:
    # Co. written right and Ltd. mistyped make the phrase Co., Ltd.: a legal form even against a
    # listed name without one
    reading = slipped_readings(normalize_name("Mahan Air Co., Ldt.").variants[0])
    assert any(t.how == LEGAL_FORM_TYPO for r in reading for t in r)
    result = screener.screen("Mahan Air Co., Ldt.")
    assert result.hits and "MAHAN AIR" in result.hits[0].entry.name.upper()
    # a word alone stays a word there
    assert score_pair("Mahan Air Ldt", "MAHAN AIR", screener=screener).score < DEFAULT_THRESHOLD


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["ltd", "ldt", "Lttd", "co", "Co.", "pte", "gmbh", "gbh", "Acme", "San.",
                         "EP-MMN", "ооо", "北京", "&", "(Asia)", "KTD", "inc", "Ina", " "]),
        max_size=6,
    ).map(" ".join)
    | st.text(max_size=40)
)
def test_a_reading_has_one_legal_form_read_from_the_last_word(name: str) -> None:
    for variant in normalize_name(name).variants:
        for reading in slipped_readings(variant):
            # the tokens made are legal forms (with the mistyped word read as one, the words
            # before it may be marked too: ``ltd ldt``), one of them read from the mistyped word
            made = [t for t in reading if not any(t is old for old in variant)]
            assert made and all(t.kind is TokenKind.LEGAL_FORM for t in made), (name, reading)
            mistyped = [t for t in made if t.how in (SLIPPED_LEGAL_FORM, LEGAL_FORM_TYPO)]
            assert len(mistyped) == 1, (name, reading)
            # a word of the name is left besides
            assert any(t.kind is not TokenKind.LEGAL_FORM for t in reading), (name, reading)
