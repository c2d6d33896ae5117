"""screen.match: score properties (range, identity, invariance under case, spacing, punctuation
and legal-form spelling) and the explanation every hit carries."""

from __future__ import annotations

import json
import random
import re
from functools import cache

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from screen.index.weights import TokenWeights
from screen.matching.results import Explanation, Hit
from screen.matching.score import DEFAULT_THRESHOLD, score_pair
from screen.names.compare import (
    MIN_TOKEN_SIMILARITY,
    Comparable,
    comparable,
    compare,
    compare_joined,
)
from screen.names.normalize import letters_written_as_words, normalize_name
from screen.release.models import EntityType
from screen.release.store import default_release
from screen.screener import Screener

ANY_TEXT = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=60)


def _list_names() -> list[str]:
    return sorted({name for entry in default_release().entries for name in entry.names})


def _entity_names() -> list[str]:
    release = default_release()
    return sorted(
        {e.name for e in release.entries if e.entity_type is EntityType.ENTITY}
    )


def _name_alias_pairs() -> list[tuple[str, str]]:
    """(primary name, alias) of entries that have aliases: related names with varied scores."""
    return [
        (entry.name, alias.name)
        for entry in default_release().entries
        for alias in entry.aliases[:2]
    ]


LIST_NAMES = st.sampled_from(_list_names())
RELATED = st.sampled_from(_name_alias_pairs())
WORD = st.from_regex(r"[A-Za-z]{3,10}", fullmatch=True)
ASCII_NAME = st.lists(WORD, min_size=1, max_size=4).map(" ".join)


def _score(query: str, name: str, weights: TokenWeights) -> float:
    return score_pair(query, name, weights=weights).score


# --------------------------------------------------------------------------------------------
# Range and identity


@settings(max_examples=100, deadline=None)
@given(query=ANY_TEXT | LIST_NAMES, name=ANY_TEXT | LIST_NAMES)
def test_score_is_in_0_100(default_weights: TokenWeights, query: str, name: str) -> None:
    result = score_pair(query, name, weights=default_weights)
    assert 0.0 <= result.score <= 100.0
    assert result.explanation.summary().count("\n") == 0


@settings(max_examples=100, deadline=None)
@given(RELATED)
def test_score_of_related_names_is_in_0_100(
    default_weights: TokenWeights, pair: tuple[str, str]
) -> None:
    assert 0.0 <= _score(*pair, default_weights) <= 100.0


@settings(max_examples=100, deadline=None)
@given(LIST_NAMES | ASCII_NAME | ANY_TEXT)
def test_a_name_screened_verbatim_is_always_a_hit(default_weights: TokenWeights, name: str) -> None:
    if normalize_name(name).is_empty:
        return
    assert _score(name, name, default_weights) >= DEFAULT_THRESHOLD


@settings(max_examples=100, deadline=None)
@given(st.lists(st.from_regex(r"[bcdfgjklmnpqrstvxz]{2}[aeiou][a-z]{4,8}", fullmatch=True),
                min_size=1, max_size=4).map(" ".join))
def test_identical_unlisted_names_score_100(default_weights: TokenWeights, name: str) -> None:
    # words no list name contains are as rare as words get
    tokens = normalize_name(name).tokens
    assume(all(t.key not in default_weights.document_frequency for t in tokens))
    assert _score(name, name, default_weights) == 100.0


def _sample_of_list_names() -> list[str]:
    names = _list_names()
    return random.Random(2024).sample(names, 400)


def test_identical_list_names_score_100(default_weights: TokenWeights) -> None:
    below = [
        (name, score)
        for name in _sample_of_list_names()
        if not normalize_name(name).is_empty
        and (score := _score(name, name, default_weights)) != 100.0
    ]
    assert below == []


def test_exact_listed_name_is_a_hit_at_a_high_threshold(default_screener: Screener) -> None:
    name = "NATIONAL IRANIAN OIL COMPANY PTE LTD"
    listed = [e.id for e in default_screener.release.entries if e.name == name]
    assert listed, "the shipped release no longer lists this name"
    result = default_screener.screen(name, threshold=95)
    assert set(listed) <= {hit.entry.id for hit in result.hits}


# --------------------------------------------------------------------------------------------
# Invariance


def _case_forms(text: str) -> list[str]:
    return [text, text.upper(), text.lower(), text.title(), text.swapcase()]


@settings(max_examples=100, deadline=None)
@given(pair=RELATED | st.tuples(ASCII_NAME, LIST_NAMES))
@example(pair=("Vaqar Jaffery", "Vaqar A Jaffery"))  # swapped: vAQAR a jAFFERY, a word
def test_case_does_not_change_the_score(
    default_weights: TokenWeights, pair: tuple[str, str]
) -> None:
    query, name = pair
    # the one thing case decides: a letter alone in lower case in a name of mixed case is a
    # word, not an initial (``Valbuena y Asociados``; see letters_written_as_words), so forms
    # are compared with those that read their letters alone the same way

    def as_query(form: str) -> float:
        return _score(form, name, default_weights)

    def as_name(form: str) -> float:
        return _score(query, form, default_weights)

    for forms, score in ((_case_forms(query), as_query), (_case_forms(name), as_name)):
        by_reading: dict[frozenset[str], set[float]] = {}
        for form in forms:
            by_reading.setdefault(frozenset(letters_written_as_words(form)), set()).add(
                score(form)
            )
        for reading, scores in by_reading.items():
            assert len(scores) == 1, (forms, reading, scores)


SEPARATORS = st.sampled_from([" ", "  ", "   ", ", ", ". ", " ,", " .", ",", "\t", " , . "])
EDGES = st.sampled_from(["", " ", "  ", ".", ",", " ,", ". ", "\t"])


@settings(max_examples=100, deadline=None)
@given(pair=RELATED, data=st.data())
def test_spacing_and_punctuation_do_not_change_the_score(
    default_weights: TokenWeights, pair: tuple[str, str], data: st.DataObject
) -> None:
    query, name = pair
    words = query.split()
    respaced = data.draw(EDGES)
    for index, word in enumerate(words):
        respaced += word + (data.draw(SEPARATORS) if index < len(words) - 1 else "")
    respaced += data.draw(EDGES)
    assert _score(respaced, name, default_weights) == _score(query, name, default_weights), (
        respaced
    )


LIMITED = ("Co., Ltd.", "Company Limited", "Co Ltd", "CO.,LTD.", "co. ltd", "有限公司")
LLC = ("LLC", "L.L.C.", "Limited Liability Company", "llc.")


@settings(max_examples=100, deadline=None)
@given(
    base=ASCII_NAME | st.sampled_from(_entity_names()),
    forms=st.sampled_from([LIMITED, LLC]),
    other=LIST_NAMES,
    which=st.integers(0, 3),
)
def test_legal_form_spelling_does_not_change_the_score(
    default_weights: TokenWeights, base: str, forms: tuple[str, ...], other: str, which: int
) -> None:
    # against the same company under another spelling, the bare name, and any list name
    name = [f"{base} {forms[0]}", f"{base} {forms[-1]}", base, other][which]
    scores = {form: _score(f"{base} {form}", name, default_weights) for form in forms}
    assert len(set(scores.values())) == 1, (name, scores)


def test_legal_form_spellings_of_an_issue_example(default_weights: TokenWeights) -> None:
    listed = "Beijing Zhipu Huazhang Technology Co., Ltd."
    base = "Beijing Zhipu Huazhang Technology"
    scores = {_score(f"{base} {form}", listed, default_weights) for form in LIMITED}
    assert scores == {100.0}


def test_word_order_does_not_matter(default_weights: TokenWeights) -> None:
    assert _score("Huazhang Zhipu Beijing", "Beijing Zhipu Huazhang", default_weights) == 100.0


def test_chinese_name_matches_list_name_with_the_city_moved(
    default_weights: TokenWeights,
) -> None:
    # the Chinese name as words, not one run: the city may stand anywhere in the list's name
    listed = "Zhipu Huazhang Technology (Beijing)"
    score = _score("北京智谱华章科技有限公司", listed, default_weights)
    assert score >= DEFAULT_THRESHOLD


# --------------------------------------------------------------------------------------------
# Explanations


@pytest.fixture(scope="module")
def zhipu_hit(default_screener: Screener) -> Hit:
    result = default_screener.screen("Beijing Zhipu Huazhang Tech Co Ltd")
    return next(h for h in result.hits if h.entry.name == ZHIPU)


ZHIPU = "Beijing Zhipu Huazhang Technology Co., Ltd."


def test_hit_carries_entry_name_score_and_explanation(
    default_screener: Screener, zhipu_hit: Hit
) -> None:
    hit = zhipu_hit
    assert hit.entry in default_screener.release.entries
    assert hit.matched_name == ZHIPU and hit.is_primary and hit.alias_kind is None
    assert hit.score == 100.0
    explanation = hit.explanation
    assert explanation.query_normalized == "beijing zhipu huazhang tech co_ltd"
    assert explanation.name_normalized == "beijing zhipu huazhang technology co_ltd"
    hows = {(step.query, step.name): step.how for step in explanation.alignment}
    assert hows == {
        ("beijing", "beijing"): "exact",
        ("zhipu", "zhipu"): "exact",
        ("huazhang", "huazhang"): "exact",
        ("tech", "technology"): "abbreviation",
        ("co_ltd", "co_ltd"): "legal form",
    }
    assert "query: legal form" in explanation.transformations
    assert "name: legal form" in explanation.transformations
    assert explanation.transformations[0] == "query: nfkc+casefold"
    assert explanation.parts["unmatched_query_weight"] == 0.0
    assert explanation.parts["matched_weight"] > 0


@pytest.mark.parametrize(
    ("query", "entry_id"),
    [
        ("SARV SHIPPING COMPNAY LIMITED", "SDN-15137"),
        ("MEADOWBROOK INVESTMENTS LIMTIED", "SDN-9601"),
        ("JOINT SOTCK COMPANY COMPEL", "SDN-41999"),
    ],
)
def test_a_typo_in_the_legal_form_finds_the_party(
    default_screener: Screener, query: str, entry_id: str
) -> None:
    # the misspelt word was a distinctive word of the query, an extra the list name lacked
    hit = next(h for h in default_screener.screen(query).hits if h.entry.id == entry_id)
    assert hit.score == 100.0
    assert any(s.how == "mistyped legal form" and s.query for s in hit.explanation.alignment)


def test_a_korean_given_name_written_first_is_no_legal_form(default_screener: Screener) -> None:
    # Se of Se-Bong is also the legal form SE (Societas Europaea) before a name
    hits = default_screener.screen("Se-Bong PAEK").hits
    assert next(h for h in hits if h.entry.id == "SDN-15787").score == 100.0


def test_explanation_of_a_typo_and_a_missing_word(default_screener: Screener) -> None:
    result = default_screener.screen("Bejing Zhipu Huazang")
    hit = next(h for h in result.hits if h.entry.name == ZHIPU)
    steps = hit.explanation.alignment
    assert {s.query: s.how for s in steps if s.query} == {
        "bejing": "edit distance",
        "zhipu": "exact",
        "huazang": "edit distance",
    }
    unmatched = [s for s in steps if s.how == "unmatched"]
    assert {s.name for s in unmatched} == {"technology", "co_ltd"}
    assert all(s.query is None and s.similarity == 0.0 for s in unmatched)
    assert hit.explanation.parts["unmatched_name_weight"] > 0
    assert hit.score < 100.0
    summary = hit.explanation.summary()
    assert "bejing~beijing (edit distance)" in summary and "unmatched" in summary


@pytest.mark.parametrize(
    ("query", "name", "how"),
    [
        ("Evgenii Prigozhin", "Yevgeniy Prigozhin", "transliteration"),
        ("Party of God", "حزب الله", "translation"),
        ("Peking University", "Beijing University", "place romanisation"),
        ("Acme Intl Trading", "Acme International Trading", "abbreviation"),
        ("Hezbollah", "حزب الله", "consonants"),
        ("Romashka Limited Liability Company", "Romashka LLC", "legal form"),
        ("Zhipu Huazhang", "Zhi Pu Hua Zhang", "joined"),
        ("SergeiLavrov", "LAVROV, Sergei", "split"),
    ],
)
def test_alignment_says_how_tokens_matched(
    default_weights: TokenWeights, query: str, name: str, how: str
) -> None:
    explanation = score_pair(query, name, weights=default_weights).explanation
    assert how in {step.how for step in explanation.alignment}, explanation.summary()


def test_chinese_query_explanation_names_the_transformations(default_screener: Screener) -> None:
    result = default_screener.screen("北京智谱华章科技有限公司")
    hit = next(h for h in result.hits if h.entry.name == ZHIPU)
    transformations = hit.explanation.transformations
    for step in ("query: pinyin", "query: script:han", "query: translated", "query: legal form"):
        assert step in transformations
    originals = {s.query_original for s in hit.explanation.alignment}
    assert "有限公司" in originals
    assert {"北京", "智谱", "华章"} <= {word for o in originals if o for word in o.split()}


def test_nothing_matched(default_weights: TokenWeights) -> None:
    result = score_pair("Acme Bakery", "Mahan Air", weights=default_weights)
    assert result.score == 0.0
    assert result.explanation.summary().startswith("nothing matched")
    assert {s.how for s in result.explanation.alignment} == {"unmatched"}


def test_empty_query_scores_0(default_weights: TokenWeights) -> None:
    result = score_pair("", "Mahan Air", weights=default_weights)
    assert result.score == 0.0
    assert {s.how for s in result.explanation.alignment} <= {"unmatched"}


@settings(max_examples=50, deadline=None)
@given(query=ANY_TEXT | LIST_NAMES, name=LIST_NAMES)
def test_explanation_is_json_and_one_line(
    default_weights: TokenWeights, query: str, name: str
) -> None:
    explanation = score_pair(query, name, weights=default_weights).explanation
    assert isinstance(explanation, Explanation)
    data = json.loads(json.dumps(explanation.to_dict()))
    assert data["summary"] == explanation.summary()
    assert "\n" not in data["summary"] and "\r" not in data["summary"]
    assert set(data) == {
        "summary", "query_normalized", "name_normalized", "alignment", "transformations", "parts"
    }


def test_hit_to_dict_is_json(zhipu_hit: Hit) -> None:
    data = json.loads(json.dumps(zhipu_hit.to_dict(), ensure_ascii=False))
    assert data["entry_id"] == zhipu_hit.entry.id
    assert data["matched_name"] == ZHIPU and data["is_primary"] is True
    assert data["score"] == 100.0
    assert data["explanation"]["alignment"][0]["how"] in {"exact", "abbreviation", "legal form"}
    assert re.fullmatch(r"[A-Z-]+", data["source_list"])


def test_an_edit_in_the_letters_counts_more_than_an_edit_after_folding_spellings(
    default_weights: TokenWeights,
) -> None:
    # herrmann ~ herrmanm: one typo as written; herrmann ~ qerman: two letters apart, one edit
    # only once rr/r and q/k are folded, so two steps from the query: a different name
    typo = score_pair("Herrmann", "Herrmanm", weights=default_weights)
    folded = score_pair("Herrmann", "Qerman", weights=default_weights)
    assert typo.score >= DEFAULT_THRESHOLD
    assert folded.score < DEFAULT_THRESHOLD
    assert [step.how for step in folded.explanation.alignment] == ["edit distance"]


def _word(text: str) -> Comparable:
    (variant,) = normalize_name(text).variants
    (token,) = variant
    return comparable((token,))


def test_a_swap_and_one_more_edit_match_in_words_of_six_letters_or_more() -> None:
    # Sergei -> (swap) Segrei -> (g/f) Sefrei: two typing slips in one six-letter word
    similarity, how = compare(_word("Sefrei"), _word("Sergei"))
    assert how == "edit distance"
    assert similarity == pytest.approx(0.95 - 0.95 * 2 / 6)
    one_edit, _ = compare(_word("Serfei"), _word("Sergei"))
    assert MIN_TOKEN_SIMILARITY <= similarity < one_edit
    # two edits without a swap are too far apart, and a swap and an edit in five letters too
    assert compare(_word("Sxrgxi"), _word("Sergei"))[0] == 0.0
    assert compare(_word("Jmaes"), _word("James"))[0] > 0.0  # one swap alone
    assert compare(_word("Jmaez"), _word("James"))[0] == 0.0


def test_vowels_written_otherwise_in_a_long_word_are_one_edit() -> None:
    # romanisations of Arabic and Persian disagree on short vowels: same consonants, two
    # vowels written as others, in words of six letters or more
    for query, listed in (("Mohammed", "Muhammad"), ("Mohamed", "Muhammad"),
                          ("Hezbollah", "Hizballah"), ("Hossein", "Husayn")):
        similarity, how = compare(_word(query), _word(listed))
        assert how == "vowels", (query, listed)
        assert similarity >= 0.8
    # a vowel added or dropped besides, a consonant changed, a short word: not by this rule
    for query, listed in (("Harrison", "Harsin"), ("Tarhan", "Turukhan"), ("Mahmoud", "Muhammad"),
                          ("Omar", "Umer")):
        assert compare(_word(query), _word(listed))[1] != "vowels", (query, listed)


def test_the_arabic_article_joined_or_apart_with_other_vowels() -> None:
    joined_words = normalize_name("Abd al").variants[0]
    abd_al = comparable(tuple(joined_words))
    for written in ("Abdul", "Abdel", "Abdal"):
        similarity, how = compare_joined(_word(written), abd_al)
        assert (how, similarity >= 0.75) == ("vowels" if written != "Abdal" else "exact", True)
    # four letters are too few for a joined pair to differ (Abdu is not Abd al)
    assert compare_joined(_word("Abdu"), abd_al)[0] == 0.0
    for query, listed in (("Abdul Rahman", "ABD AL-RAHMAN"), ("Abdelaziz", "ABD AL-AZIZ"),
                          ("Abd al-Rahman", "ABDUL RAHMAN"), ("Abdullah", "ABD ALLAH")):
        assert score_pair(query, listed).score >= DEFAULT_THRESHOLD, (query, listed)


def test_a_space_typed_a_letter_early_or_late_is_respaced() -> None:
    # the same letters on both sides, cut at another place: one slip, not two words changed
    for query, listed in (("Xian Sem iElectronic Co., Ltd.", "Xian Semi Electronic Co., Ltd."),
                          ("AHMAD, Muhammad Al iSayid", "AHMAD, Muhammad Ali Sayid"),
                          ("Maki Ninstitute", "Makin Institute")):
        pair = score_pair(query, listed)
        assert pair.score >= DEFAULT_THRESHOLD, (query, listed, pair.score)
        steps = [step for step in pair.explanation.alignment if step.how == "respaced"]
        assert len(steps) == 1, pair.explanation.alignment
        # the run respaced is the shortest: words that match one by one are not part of it
        assert steps[0].query is not None and len(steps[0].query.split()) == 2
    # other letters, or the same words in another order, are not respaced
    assert "respaced" not in {s.how for s in score_pair("Sem Ilectronic", "Semi Electronic")
                              .explanation.alignment}
    assert "respaced" not in {s.how for s in score_pair("Electronic Semi", "Semi Electronic")
                              .explanation.alignment}


def test_a_listed_party_is_found_with_a_space_shifted(default_screener: Screener) -> None:
    hits = default_screener.screen("Xian Sem iElectronic Co., Ltd.").hits
    assert any(h.matched_name == "Xian Semi Electronic Co., Ltd." for h in hits)


def test_three_letters_with_two_neighbours_swapped_are_one_typo() -> None:
    similarity, how = compare(_word("Gli"), _word("Gil"))
    assert how == "edit distance" and 0.6 <= similarity < 0.7
    # any other edit of three letters, or a swap of two letters, is another word
    for query, listed in (("Gul", "Gil"), ("Gi", "Gil"), ("Gli", "Gim"), ("Ig", "Gi"),
                          ("Lig", "Gil")):
        assert compare(_word(query), _word(listed))[0] == 0.0, (query, listed)
    # weak: enough beside other words matched, never alone
    assert score_pair("SOTO GLI, Yolanda Esthela", "SOTO GIL, Yolanda Esthela").score >= 90
    assert score_pair("Gli", "Gil").score < DEFAULT_THRESHOLD


def test_a_listed_party_is_found_with_a_short_word_swapped(default_screener: Screener) -> None:
    hits = default_screener.screen("SOTO GLI, Yolanda Esthela").hits
    assert any(h.matched_name == "SOTO GIL, Yolanda Esthela" for h in hits)


def test_the_arabic_article_assimilated() -> None:
    # al- before a sun letter is said, and often written, as that letter doubled
    for query, listed in (("Nureddin", "NUR AL-DIN"), ("Salahuddin", "SALAH AL-DIN"),
                          ("Abdurrahman", "ABD AL-RAHMAN"), ("Abdussalam", "ABD AL-SALAM"),
                          ("Nur al-Din", "NURUDDIN")):
        pair = score_pair(query, listed)
        assert pair.score >= DEFAULT_THRESHOLD, (query, listed, pair.score)
        assert "vowels" in {step.how for step in pair.explanation.alignment}
    # before a letter the article does not assimilate to, the l stays; without the letter
    # written doubled, an l left out is no article
    assert score_pair("Nurebbin", "NUR AL-BIN").score < DEFAULT_THRESHOLD
    assert score_pair("Foster", "FULL STAR").score < DEFAULT_THRESHOLD


def test_a_listed_party_is_found_under_other_vowels(default_screener: Screener) -> None:
    # the list writes Hizballah (and Hizbullah); before, Hezbollah found nothing
    hits = default_screener.screen("Hezbollah").hits
    assert any("hizb" in hit.matched_name.lower() for hit in hits)
    assert hits[0].explanation.alignment[0].how == "vowels"


def _long_list_words() -> list[str]:
    """Words of six letters or more of the shipped list's names."""
    words = {w for name in _list_names() for w in re.findall(r"[a-z]+", name.lower())}
    return sorted(w for w in words if len(w) >= 6)


LONG_WORD = st.from_regex(r"[a-z]{6,14}", fullmatch=True) | st.sampled_from(_long_list_words())


@settings(max_examples=200, deadline=None)
@given(word=LONG_WORD, data=st.data())
def test_a_swap_and_one_substitution_match_both_ways_and_the_index_finds_them(
    default_screener: Screener, word: str, data: st.DataObject
) -> None:
    at = data.draw(st.integers(0, len(word) - 2), label="swap at")
    assume(word[at] != word[at + 1])
    swapped = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    where = data.draw(
        st.sampled_from([i for i in range(len(word)) if i not in (at, at + 1)]), label="edit at"
    )
    letter = data.draw(st.sampled_from("abcdefghijklmnopqrstuvwxyz"), label="letter")
    assume(letter != swapped[where])
    typed = swapped[:where] + letter + swapped[where + 1 :]
    original, slipped = _word(word), _word(typed)
    forward, backward = compare(slipped, original), compare(original, slipped)
    assert forward == backward
    assert forward[0] >= MIN_TOKEN_SIMILARITY
    # a list word is found from the slipped spelling
    holding = _vocabulary_ids_by_spelling(default_screener).get(original.text, set())
    assert holding <= set(default_screener.index.lookup(slipped))


@cache
def _vocabulary_ids_by_spelling(screener: Screener) -> dict[str, set[int]]:
    ids: dict[str, set[int]] = {}
    for vocabulary_id, spellings in enumerate(screener.index._vocabulary.spellings):
        for spelling in spellings:
            ids.setdefault(spelling.text, set()).add(vocabulary_id)
    return ids


def test_acronyms_do_not_match_by_sound(default_weights: TokenWeights) -> None:
    # CSSC and KSK have one phonetic key (c -> k, doubled letters), but an acronym is said
    # letter by letter: a listed KSK GROUP is not CSSC Group
    assert score_pair("CSSC Group", "KSK GROUP", weights=default_weights).score < 60
    assert score_pair("CSSC Group", "CSSC GROUP", weights=default_weights).score == 100.0
    # words with vowels still match by sound
    assert score_pair("Yevgeniy", "Evgenii", weights=default_weights).score >= 90


def test_acronyms_with_a_letter_doubled_still_match(default_weights: TokenWeights) -> None:
    assert score_pair("OE ZNP JSC", "JSC OE ZNPP", weights=default_weights).score >= 80


def test_numbers_match_only_as_written() -> None:
    # one digit more or less is another institute or unit, not a typo
    assert compare(_word("54th"), _word("55th"))[0] == 0.0
    assert compare(_word("61398"), _word("61389"))[0] == 0.0
    assert compare(_word("54th"), _word("54th"))[0] == 1.0


def test_a_numbered_institute_finds_its_own_entry_first(default_screener: Screener) -> None:
    for query in ("China Electronics Technology Group Corporation 54th Research Institute",
                  "中国电子科技集团公司第五十四研究所"):
        result = default_screener.screen(query)
        assert "54th" in result.hits[0].matched_name
        assert all("55th" not in hit.matched_name and "14th" not in hit.matched_name
                   for hit in result.hits)


def test_a_match_on_the_query_s_parenthesised_words_alone_is_not_distinctive(
    default_weights: TokenWeights,
) -> None:
    # the query's qualifier (a place in parentheses) met the list name's main words: before,
    # "Hong Kong" made this a distinctive match and a hit at 80.5
    pair = score_pair("Huawei Technologies (Hong Kong) Co., Ltd.",
                      "Hong Kong Energy Technology Co.", weights=default_weights)
    assert pair.score < DEFAULT_THRESHOLD
    assert pair.explanation.parts["generic_only_factor"] < 1.0
    # written without parentheses, the same words are the name itself
    plain = score_pair("Huawei Technologies Hong Kong Co., Ltd.",
                       "Hong Kong Energy Technology Co.", weights=default_weights)
    assert plain.explanation.parts["generic_only_factor"] == 1.0


def test_an_organisation_meeting_one_word_of_a_person_s_name_is_not_that_person(
    default_weights: TokenWeights,
) -> None:
    # a query with its own legal form names a company: one word of a listed person's name
    # (a surname, a one-word alias) is not enough, however well it matches
    for query, name in (("Ward PLC", "AL-WARD, Abu"), ("Otto GmbH", "OTTO"),
                        ("Butte GmbH & Co. KG", "BUTTE")):
        pair = score_pair(query, name, weights=default_weights, person=True)
        assert pair.score < DEFAULT_THRESHOLD, (query, name, pair.score)
        assert pair.explanation.parts["organisation_as_person_factor"] < 1.0
        # the same name alone may be the person; the same words as a company's name are met
        bare = score_pair(query.split()[0], name, weights=default_weights, person=True)
        assert bare.explanation.parts["organisation_as_person_factor"] == 1.0
        company = score_pair(query, name, weights=default_weights, person=False)
        assert company.explanation.parts["organisation_as_person_factor"] == 1.0
        assert company.score >= DEFAULT_THRESHOLD
    # two words of the person's name met: a company named after the person is worth a look
    named_after = score_pair("Viktor Bout Trading LLC", "BOUT, Viktor Anatolijevitch",
                             weights=default_weights, person=True)
    assert named_after.explanation.parts["organisation_as_person_factor"] == 1.0
    assert named_after.score >= DEFAULT_THRESHOLD
    # a legal form the name has too is matched, not held against it
    both = score_pair("Ward Ltd", "WARD LIMITED", weights=default_weights, person=False)
    assert both.explanation.parts["organisation_as_person_factor"] == 1.0


def test_a_company_named_like_a_listed_person_s_alias_is_clear(
    default_screener: Screener,
) -> None:
    # OTTO and BUTTE are one-word aliases of listed individuals (SDN-26407, SDN-8279)
    for bare, company in (("Otto", "Otto GmbH"), ("Butte", "Butte GmbH & Co. KG")):
        listed = {hit.entry.id for hit in default_screener.screen(bare).hits}
        assert listed & {"SDN-26407", "SDN-8279"}
        hits = default_screener.screen(company).hits
        assert not {hit.entry.id for hit in hits} & listed


def test_a_listed_company_s_branch_or_trade_name_in_parentheses_is_found(
    default_screener: Screener,
) -> None:
    # the legal form before a branch's words or a parenthesised name weighs as a legal form,
    # not as a word the list name lacks (before: no hit, and 80.4 for the company itself)
    for query, listed in (
        ("Sophgo Technologies Ltd. Beijing Branch", "EL-2025-sophgo"),
        ("Beijing Zhipu Huazhang Technology Co., Ltd. (Zhipu AI)", None),
        ("Zhipu Huazhang Technology Co Ltd Shanghai Branch", None),
    ):
        hits = default_screener.screen(query).hits
        assert hits, query
        if listed is not None:
            assert listed in {hit.entry.id for hit in hits}
        else:
            assert hits[0].matched_name == "Beijing Zhipu Huazhang Technology Co., Ltd."
            assert hits[0].score >= 85.0


def test_score_pair_without_a_release_loads_none(monkeypatch: pytest.MonkeyPatch) -> None:
    """screen.score_pair scores two names alone: no list release is read for it."""
    import screen.release.store as store
    from screen.screener import score_pair as facade_score_pair

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("score_pair loaded a release")

    monkeypatch.setattr(store, "load_release", refuse)
    monkeypatch.setattr(store, "default_release", refuse)
    typo = facade_score_pair("Herrmann Industries", "Herrmanm Industries")
    assert 80 < typo.score < 100
    assert facade_score_pair("Acme Bakery", "Mahan Air").score < 50


def test_score_pair_with_a_screener_scores_as_screening_does(default_screener: Screener) -> None:
    from screen.screener import score_pair as facade_score_pair

    query = "Bejing Zhipu Huazang Technology"
    hit = default_screener.screen(query, threshold=60).hits[0]
    assert facade_score_pair(query, hit.matched_name, screener=default_screener).score == (
        pytest.approx(hit.score)
    )


def _alignments(query: str, name: str) -> list[object]:
    """Every alignment ``score_pair`` weighs for the pair (each query variant, cut ones too,
    against each variant of the name)."""
    from screen.index.prepared import prepare
    from screen.index.split import WordSplitter
    from screen.matching.align import _align

    weights = TokenWeights.without_release()
    query_name, list_name = normalize_name(query), normalize_name(name)
    splitter = WordSplitter(
        weights.document_frequency, pieces={t.key for v in list_name.variants for t in v}
    )
    queries = [prepare(v, weights) for v in query_name.variants]
    queries += splitter.prepared_variants(query_name.variants, weights)
    names = [prepare(v, weights, listed_as=(name, False)) for v in list_name.variants]
    return [_align(q, n, weights.distinctive_weight) for q in queries for n in names]


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("Xian Sem iElectronic Co., Ltd.", "Xian Semi Electronic Co., Ltd."),
        ("XianSem iElectronic", "Xian Semi Electronic"),  # a cut and a shifted space
        ("Semi ElectronicXian", "Sem iElectronic Xian"),
        ("Zhipu Huazhang Technology", "Zhi Pu Hua Zhang Tech Nology"),
    ],
)
def test_every_token_used_is_in_a_pair(query: str, name: str) -> None:
    # a token counted as matched is one a pair holds: neither unmatched nor lost to the score
    for alignment in _alignments(query, name):
        pairs = alignment.pairs  # type: ignore[attr-defined]
        assert alignment.used_query == {p for pair in pairs for p in pair.query_positions}  # type: ignore[attr-defined]
        assert alignment.used_name == {p for pair in pairs for p in pair.name_positions}  # type: ignore[attr-defined]
