"""Words written together (``SergeiLavrov``, ``BALTIC SHIPYARDJSC``): cut into the list's words by
the index at query time, found without a full scan, scored only when every word cut meets the
name exactly, and explained as ``split``."""

from __future__ import annotations

import pytest

from screen.index.split import WordSplitter
from screen.index.weights import TokenWeights
from screen.matching.score import score_pair
from screen.names.normalize import normalize_name
from screen.names.segment import cuts, legal_pieces, with_pieces
from screen.names.tokens import TokenKind
from screen.screener import Screener
from screen.text.phonetic import phonetic_key

WORDS = frozenset({"sergei", "lavrov", "moises", "flores", "shipyard", "argument", "abcd",
                   "abcde", "kuznetsov", "kuznetsova", "artem", "anatolyevich", "prokofyev"})


def _known(piece: str) -> bool:
    return piece in WORDS


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("sergeilavrov", ("sergei", "lavrov")),
        ("shipyardjsc", ("shipyard", "jsc")),  # a legal form at the end
        ("jscargument", ("jsc", "argument")),  # and at the start
        ("sergeilavrovmoises", ("sergei", "lavrov", "moises")),  # three words
        ("jscsergeilavrov", ("jsc", "sergei", "lavrov")),
        ("kuznetsovartem", ("kuznetsov", "artem")),  # "kuznetsova" leaves "rtem"
        ("abcdeabcd", ("abcde", "abcd")),
    ],
)
def test_the_best_cut_is_into_known_words(text: str, pieces: tuple[str, ...]) -> None:
    assert cuts(text, _known)[0] == pieces


@pytest.mark.parametrize(
    "text",
    [
        "sergeilavrovx",  # a piece left over
        "sergei",  # too short to be two words
        "lavrovabc",  # "abc" is shorter than a word may be
        "jscllc",  # legal forms alone
        "lavrovco",  # "co" is also an ordinary word: never cut off
        "sergeijsclavrov",  # a legal form only at either end
        "x" * 60,
    ],
)
def test_no_cut_of_what_is_not_made_of_known_words(text: str) -> None:
    assert cuts(text, _known) == []


def test_cuts_come_fewest_pieces_then_longest_shortest_word_first() -> None:
    words = {"abcd", "efgh", "abcdefgh", "ijkl", "efghijkl", "abcde", "fghijkl"}
    assert cuts("abcdefghijkl", words.__contains__) == [
        ("abcde", "fghijkl"), ("abcd", "efghijkl"), ("abcdefgh", "ijkl"),  # then from the left
        ("abcd", "efgh", "ijkl"),
    ]


def test_legal_pieces_come_from_the_table_without_ordinary_words() -> None:
    pieces = legal_pieces()
    assert {"jsc", "llc", "ltd", "pte", "zao", "ooo", "gmbh"} <= pieces
    assert not {"co", "sa", "ag", "company", "spa"} & pieces


def test_cut_legal_form_is_marked_with_its_neighbour() -> None:
    variant = normalize_name("Corad TechnologyPte Ltd.").variants[0]
    assert [t.text for t in variant] == ["corad", "technologypte", "co_ltd"]
    split = with_pieces(variant, {1: ("technology", "pte")})
    assert [(t.text, t.kind) for t in split] == [
        ("corad", TokenKind.WORD), ("technology", TokenKind.WORD),
        ("co_ltd", TokenKind.LEGAL_FORM),
    ]
    assert split[1].how == "split" and split[1].original == "technologypte"


def test_splitter_cuts_only_unknown_words_of_alphabets(default_weights: TokenWeights) -> None:
    splitter = WordSplitter(default_weights.document_frequency)
    lavrov = normalize_name("SergeiLavrov").tokens[0]
    assert splitter.pieces(lavrov)[0] == ("sergei", "lavrov")
    known = normalize_name("Vneshtorgservis").tokens[0]
    assert splitter.known(known.key) and splitter.pieces(known) == ()
    assert splitter.split_variants(normalize_name("Sergei Lavrov").variants) == []
    # a Chinese word read in pinyin is not cut into syllables
    han = normalize_name("旺明").variants
    assert all(splitter.pieces(t) == () for v in han for t in v)


def test_the_index_cuts_only_into_words_one_name_has(default_screener: Screener) -> None:
    splitter = default_screener.index.splitter
    lavrov = normalize_name("SergeiLavrov").tokens[0]
    assert ("sergei", "lavrov") in splitter.pieces(lavrov)
    # "toni" and "nelli" are both list words, but of no one name
    toninelli = normalize_name("Toninelli").tokens[0]
    assert splitter.pieces(toninelli) == ()
    assert WordSplitter(default_screener.index.weights.document_frequency).pieces(toninelli)


def test_pair_scoring_cuts_into_the_names_own_words() -> None:
    unknown = TokenWeights.without_release()  # no release: only the name's words are known
    assert score_pair("QwertzAsdfgh", "Asdfgh Qwertz", weights=unknown).score == 100.0
    assert score_pair("QwertzAsdfgh", "Asdfgh Zxcvbn", weights=unknown).score == 0.0


def test_a_cut_counts_only_whole_and_exact(default_weights: TokenWeights) -> None:
    # "bachmann" is cut in two list words, but a name with only one of them is not met
    assert phonetic_key("bach") in default_weights.document_frequency
    assert phonetic_key("mann") in default_weights.document_frequency
    assert score_pair("Bachmann", "Bach", weights=default_weights).score == 0.0
    assert score_pair("Bachmann", "Bach Mann", weights=default_weights).score == 100.0
    # nor by a near spelling of a word cut
    assert score_pair("Bachmann", "Bach Mahn", weights=default_weights).score == 0.0


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("SergeiLavrov", "LAVROV, Sergey"),
        ("MoisesFlores Esparza", "FLORES ESPARZA, Moises"),
        ("BALTIC SHIPYARDJSC", "BALTIC SHIPYARD JSC"),
        ("JSCARGUMENT", "JSC ARGUMENT"),
        ("ZAOVNESHTORGSERVIS", "ZAO VNESHTORGSERVIS"),
        ("Yuriy AnatolyevichProkofyev", "PROKOFYEV, Yuriy Anatolyevich"),
        ("Corad TechnologyPte Ltd.", "Corad Technology Pte Ltd."),
    ],
)
def test_words_written_together_are_found_and_explained(
    default_screener: Screener, query: str, listed: str
) -> None:
    index = default_screener.index
    normalized = normalize_name(query)
    # found by the index (a cut variant), not by scoring every name
    wanted = [i for i, n in enumerate(index.names) if n.name == listed]
    assert wanted, listed
    assert set(wanted) & set(index.candidates(normalized, 0.8))
    result = default_screener.screen(query)
    hit = next(h for h in result.hits if h.matched_name == listed)
    assert hit.score >= 80
    assert "query: split" in hit.explanation.transformations
    assert "split" in {step.how for step in hit.explanation.alignment}
    assert "(split)" in hit.explanation.summary()


def test_words_written_apart_are_joined(default_screener: Screener) -> None:
    result = default_screener.screen("Kaliningradnef teprodukt OOO")
    hit = next(h for h in result.hits if h.matched_name == "Kaliningradnefteprodukt OOO")
    assert hit.score >= 80
    assert "(joined)" in hit.explanation.summary()
