"""screen.screener: the issue's examples through the default screener, and the facade's contract
(status, order, audit, filters, errors, threshold, a hand-made release)."""

from __future__ import annotations

import json
import math
import pickle
from pathlib import Path

import pytest

from screen.matching.score import DEFAULT_THRESHOLD, MATCHER_VERSION
from screen.release.models import EntityType, ListEntry, ListRelease, SourceList
from screen.release.store import default_release
from screen.screener import MAX_HITS, Screener, ScreenResult, score_pair

ZHIPU = "Beijing Zhipu Huazhang Technology Co., Ltd."


def _ids(result: ScreenResult) -> set[str]:
    return {hit.entry.id for hit in result.hits}


def _zhipu_ids(screener: Screener) -> set[str]:
    ids = {e.id for e in screener.release.entries if e.name == ZHIPU}
    assert ids, "the shipped release no longer lists the issue's example entry"
    return ids


# --------------------------------------------------------------------------------------------
# The issue's examples


@pytest.mark.parametrize(
    "query",
    [
        "北京智谱华章科技有限公司",
        "Beijing Zhipu Huazhang Tech Co Ltd",
        "Zhipu Huazhang Technology (Beijing)",
        "Chih-p'u Hua-chang",
        "Bejing Zhipu Huazang",
    ],
)
def test_issue_examples_find_zhipu(default_screener: Screener, query: str) -> None:
    result = default_screener.screen(query)
    assert result.status == "hit", result.error
    assert _zhipu_ids(default_screener) <= _ids(result)
    assert result.audit.threshold == DEFAULT_THRESHOLD


def test_alias_is_found_and_reported_as_alias(default_screener: Screener) -> None:
    result = default_screener.screen("Comrade Olga")
    assert result.status == "hit"
    hits = [hit for hit in result.hits if hit.matched_name == "Comrade Olga"]
    assert hits, [h.matched_name for h in result.hits]
    for hit in hits:
        assert hit.is_primary is False and hit.alias_kind is not None
        assert hit.entry.name != "Comrade Olga"
        assert "Comrade Olga" in [alias.name for alias in hit.entry.aliases]


@pytest.mark.parametrize("query", ["知乎", "Zhihu", "Beijing Technology Co., Ltd."])
def test_lookalikes_do_not_alert_on_zhipu(default_screener: Screener, query: str) -> None:
    result = default_screener.screen(query)
    assert not _zhipu_ids(default_screener) & _ids(result)
    # a different company, and a name of nothing but a city, an industry and a legal form
    assert result.status == "clear", [(h.entry.name, h.score) for h in result.hits]


def _assert_best_entry(screener: Screener, query: str, listed: str, *, min_score: float) -> None:
    """The best hit for ``query`` is the entry named ``listed``, at ``min_score`` or more."""
    result = screener.screen(query)
    assert result.hits, query
    assert result.hits[0].entry.name == listed
    assert result.hits[0].score >= min_score


def _assert_hit_through(
    screener: Screener, query: str, listed: str, *, first: bool = False
) -> None:
    """``query`` is a hit on the entry named ``listed`` (``first``: the best hit, else any
    hit: a party listed twice may match the other entry first); the name it matched may be
    another of the entry's names (中国北方工业公司 meets NORINCO best)."""
    result = screener.screen(query)
    assert result.status == "hit", query
    carrying = [listed in hit.entry.names for hit in result.hits]
    matched = [hit.matched_name for hit in result.hits]
    assert carrying[0] if first else any(carrying), (query, matched)


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("شرکت ملی نفت ایران", "NATIONAL IRANIAN OIL COMPANY"),
        ("هواپیمایی ماهان", "MAHAN AIR"),
        ("سازمان صنایع هوافضا", "AEROSPACE INDUSTRIES ORGANIZATION"),
        ("کشتیرانی جمهوری اسلامی ایران", "ISLAMIC REPUBLIC OF IRAN SHIPPING LINES"),
    ],
)
def test_persian_words_with_persian_letters_are_translated(
    default_screener: Screener, query: str, listed: str
) -> None:
    # the term table writes ک and ی, which are read as Arabic ك and ي: both sides alike
    _assert_hit_through(default_screener, query, listed)


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Российский фонд прямых инвестиций", "RUSSIAN DIRECT INVESTMENT FUND"),
        ("ФГБУ 27 научный центр Министерства обороны Российской Федерации",
         "FEDERAL STATE BUDGETARY ESTABLISHMENT 27 SCIENTIFIC CENTER OF THE MINISTRY OF DEFENSE"
         " OF THE RUSSIAN FEDERATION"),
        ("АО Объединённая судостроительная корпорация",
         "JOINT STOCK COMPANY UNITED SHIPBUILDING CORPORATION"),
    ],
)
def test_russian_names_translated_word_by_word_find_their_english_entries(
    default_screener: Screener, query: str, listed: str
) -> None:
    # words in any case (инвестиций, обороны, Федерации) through their stems; ё read as е
    _assert_hit_through(default_screener, query, listed)


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("華為技術日本株式会社", "Huawei Technologies Japan K.K."),
        ("华为技术加拿大有限公司", "Huawei Technologies Canada Co., Ltd."),
        ("华为技术越南有限公司", "Huawei Technologies (Vietnam) Company Limited"),
    ],
)
def test_han_script_names_of_subsidiaries_abroad_find_their_english_entries(
    default_screener: Screener, query: str, listed: str
) -> None:
    # Entity List entries of a Chinese group's foreign affiliates name the country in English
    _assert_best_entry(default_screener, query, listed, min_score=95)


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("云从科技", "CloudWalk Technology"),
        ("深圳市大疆创新科技有限公司", "DJI"),
        ("天津飞腾信息技术有限公司", "Tianjin Phytium Information Technology"),
        ("曙光信息产业股份有限公司", "DAWNING INFORMATION INDUSTRY CO., LTD"),
        ("同方威视技术股份有限公司", "Tongfang NucTech Technology Ltd."),
        ("武汉锐科光纤激光技术股份有限公司", "Wuhan Raycus Fiber Laser Technologies Co., Ltd."),
        ("烽火科技集团", "FiberHome Technologies Group"),
        ("杭州海康微影传感科技有限公司", "Hangzhou Hikmicro Sensing Technology Co."),
        ("中国兵器工业集团有限公司", "CHINA NORTH INDUSTRIES GROUP CORPORATION LIMITED"),
        ("深圳云天励飞技术有限公司", "Intellifusion"),
        # the entry also gives the pinyin reading: it must stay found through it
        ("北京格灵深瞳信息技术有限公司",
         "Beijing Geling Shentong Information Technology Co., Ltd."),
    ],
)
def test_han_script_trade_names_find_their_english_brand_entries(
    default_screener: Screener, query: str, listed: str
) -> None:
    # 大疆 is DJI, 飞腾 Phytium, 曙光 Sugon / Dawning: not their pinyin (han_terms.tsv, name)
    _assert_best_entry(default_screener, query, listed, min_score=85)


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        # 船舶重工 is "Shipbuilding Industry" in CSIC's official English, not "heavy industry"
        ("中国船舶重工集团公司第七一九研究所",
         "China Shipbuilding Industry Group Co., Ltd. (CSIC) 719th Research Institute"),
        ("中国船舶重工集团公司第七〇一研究所",
         "China Shipbuilding Industry Group Co., Ltd. (CSIC) 701st Research Institute"),
        # 应用: applied / applications
        ("北京计算机应用技术研究所",
         "Beijing Institute of Computer Applications and Simulation Technology"),
        # 北方 north; 工业 industry, which lists also write Industries
        ("中国北方工业公司", "CHINA NORTH INDUSTRIES GROUP CORPORATION"),
        ("中国运载火箭技术研究院", "CHINA ACADEMY OF LAUNCH VEHICLE TECHNOLOGY"),
        # listed twice: the EL entry's name without its short form (alias kind outer) matches
        # as well as the SDN entry's, and its entry id comes first
        ("新疆生产建设兵团", "Xinjiang Production and Construction Corps (XPCC)"),
        ("上海高性能集成电路设计中心",
         "Shanghai High-Performance Integrated Circuit Design Center"),
        ("国家超级计算郑州中心", "National Supercomputer Center Zhengzhou"),
        ("中国核工业集团有限公司", "CHINA NATIONAL NUCLEAR CORPORATION"),
        # 交通 communications, 联合 united, 铁道 railway, 广核 General Nuclear Power
        ("中国交通建设股份有限公司", "CHINA COMMUNICATIONS CONSTRUCTION COMPANY LIMITED"),
        ("中国联合网络通信集团有限公司", "CHINA UNITED NETWORK COMMUNICATIONS GROUP CO., LTD."),
        ("中国铁道建筑集团有限公司", "CHINA RAILWAY CONSTRUCTION CORPORATION LIMITED"),
        ("中国广核集团有限公司", "China General Nuclear Power Group"),
    ],
)
def test_han_script_names_rendered_as_official_english_names_are_hits(
    default_screener: Screener, query: str, listed: str
) -> None:
    _assert_hit_through(default_screener, query, listed, first=True)


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("中国电子科技集团公司第十三研究所",
         "China Electronics Technology Group Corporation 13th Research Institute (CETC 13)"),
        ("中国电子科技集团公司第五十五研究所",
         "China Electronics Technology Group Corporation 55th Research Institute (CETC 55)"),
        ("中国航天科工集团第二研究院",
         "China Aerospace Science and Industry Corporation Second Academy"),
        ("中国工程物理研究院", "Chinese Academy of Engineering Physics"),
        ("国家超级计算广州中心", "National Supercomputing Center Guangzhou (NSCC-GZ)"),
        ("北京邮电大学", "Beijing University of Posts and Telecommunications (BUPT)"),
        ("中国移动通信集团有限公司", "CHINA MOBILE COMMUNICATIONS GROUP CO., LTD."),
    ],
)
def test_han_script_names_of_numbered_institutes_and_academies_find_their_entries(
    default_screener: Screener, query: str, listed: str
) -> None:
    # institute numbers (第十三 13th, 第二 Second) and the renderings official English names
    # use (中国 Chinese, 集团 Corporation) decide these entries
    _assert_best_entry(default_screener, query, listed, min_score=90)


# --------------------------------------------------------------------------------------------
# Contract


def test_default_is_cached(default_screener: Screener) -> None:
    assert Screener.default() is Screener.default() is default_screener
    assert default_screener.release.checksum == default_release().checksum
    assert default_screener.threshold == DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    ("query", "threshold"),
    [("Mahan Air", 40.0), ("Mohammed", 50.0), ("Islamic Republic of Iran Shipping Lines", 50.0)],
)
def test_hits_are_best_first_and_capped(
    default_screener: Screener, query: str, threshold: float
) -> None:
    result = default_screener.screen(query, threshold=threshold)
    assert result.status == "hit"
    scores = [hit.score for hit in result.hits]
    assert scores == sorted(scores, reverse=True)
    assert all(threshold <= score <= 100.0 for score in scores)
    assert len(result.hits) == min(result.hit_count, MAX_HITS)
    entries = {id(entry) for entry in default_screener.release.entries}
    for hit in result.hits:
        assert isinstance(hit.entry, ListEntry) and id(hit.entry) in entries
        assert hit.matched_name in hit.entry.names
    assert len(_ids(result)) == len(result.hits)  # one hit per entry


def test_more_hits_than_the_cap_are_counted(default_screener: Screener) -> None:
    result = default_screener.screen("Mahan Air", threshold=40)
    assert result.hit_count > MAX_HITS == len(result.hits)


@pytest.mark.parametrize("query", ["Mahan Air", "Acme Bakery", ""])
def test_status_and_audit(default_screener: Screener, query: str) -> None:
    result = default_screener.screen(query)
    assert result.status in {"hit", "clear", "error"}
    assert result.status == {"Mahan Air": "hit", "Acme Bakery": "clear", "": "error"}[query]
    release = default_screener.release
    audit = result.audit
    assert audit.release_version == release.version
    assert audit.release_checksum == release.checksum
    assert audit.release_date == release.data_date.isoformat()
    assert audit.matcher_version == MATCHER_VERSION
    assert audit.threshold == DEFAULT_THRESHOLD
    assert (result.error is None) == (result.status != "error")
    assert result.query == query


def test_audit_blocks_are_read_only_and_pickle(default_screener: Screener) -> None:
    """Results screened with the same settings share one audit block, so nothing may change
    it; results still pickle (to hand them between processes) with their audit."""
    first, second = default_screener.screen("Mahan Air"), default_screener.screen("Acme Bakery")
    assert first.audit is second.audit
    with pytest.raises(TypeError):
        first.audit.filters["country"] = "IR"  # type: ignore[index]
    filtered = default_screener.screen("Mahan Air", country="ir", lists=["SDN"])
    assert filtered.audit is not first.audit
    for result in (first, filtered):
        copy = pickle.loads(pickle.dumps(result))
        assert copy == result
        assert copy.audit.to_dict() == result.audit.to_dict()
    assert dict(filtered.audit.filters) == {"country": "IR", "lists": ["SDN"]}


def test_lists_filter(default_screener: Screener) -> None:
    unfiltered = default_screener.screen("Mahan Air")
    assert {h.entry.source_list for h in unfiltered.hits} - {SourceList.SDN}, (
        "the example needs hits on more than one list"
    )
    only_sdn = default_screener.screen("Mahan Air", lists=["SDN"])
    assert only_sdn.status == "hit"
    assert {h.entry.source_list for h in only_sdn.hits} == {SourceList.SDN}
    assert only_sdn.audit.filters == {"lists": ["SDN"]}
    assert default_screener.screen("Mahan Air", lists=[SourceList.EL]).status == "clear"
    both = default_screener.screen("Mahan Air", lists=[SourceList.SDN, "DPL"])
    assert _ids(both) == _ids(unfiltered)


def test_country_filter(default_screener: Screener) -> None:
    query = "Mahan Air"
    everywhere = default_screener.screen(query, threshold=60)
    for code in ("IR", "ir", " AE "):
        result = default_screener.screen(query, country=code, threshold=60)
        wanted = code.strip().upper()
        assert result.audit.filters["country"] == wanted
        kept = {h.entry.id for h in everywhere.hits if _tied_to(h.entry, wanted)}
        assert _ids(result) == kept
        assert all(_tied_to(h.entry, wanted) for h in result.hits)


def _tied_to(entry: ListEntry, country: str) -> bool:
    """True for an entry a country filter keeps: tied to that country, or to none."""
    return not entry.countries or country in entry.countries


def test_entry_with_no_country_is_kept_under_a_country_filter(default_screener: Screener) -> None:
    entry = next(
        e
        for e in default_screener.release.entries
        if not e.countries and e.entity_type is EntityType.ENTITY
    )
    result = default_screener.screen(entry.name, country="DE")
    assert entry.id in _ids(result)
    # an entry tied only to other countries is filtered out
    mahan = default_screener.screen("Mahan Air", country="DE")
    assert "SDN-12927" not in _ids(mahan)


def test_screen_within_scores_only_the_entries_given(default_screener: Screener) -> None:
    """``screen_within`` is ``screen`` with the other entries left unscored: the hits among
    the entries given are ``screen``'s, scores and explanations alike, and the audit block names
    no extra filter (the result reads as an unrestricted screening's)."""
    everything = default_screener.screen("Mahan Air", threshold=50, lists=["SDN", "DPL", "EL"])
    ids = [hit.entry.id for hit in everything.hits]
    assert len(ids) > 2, "the example needs several hits"
    kept = ids[::2]
    within = default_screener.screen_within(
        "Mahan Air", kept, threshold=50, lists=["SDN", "DPL", "EL"]
    )
    assert [hit.to_dict() for hit in within.hits] == [
        hit.to_dict() for hit in everything.hits if hit.entry.id in kept
    ]
    assert within.hit_count == len(kept)
    assert within.audit.to_dict() == everything.audit.to_dict()
    every_hit = default_screener.screen_within(
        "Mahan Air", ids, threshold=50, lists=["SDN", "DPL", "EL"]
    )
    assert every_hit.to_dict() == everything.to_dict()
    unfiltered = default_screener.screen("Mahan Air")
    assert default_screener.screen_within(
        "Mahan Air", [h.entry.id for h in unfiltered.hits]
    ).to_dict() == unfiltered.to_dict()
    nothing = default_screener.screen_within("Mahan Air", ["no-such-entry"])
    assert nothing.status == "clear" and nothing.audit is unfiltered.audit
    assert default_screener.screen_within("", ids).status == "error"
    with pytest.raises(TypeError, match="not one string"):
        default_screener.screen_within("Mahan Air", ids[0])


def test_entity_type_filter(default_screener: Screener) -> None:
    query = "Mahan Air"
    everywhere = default_screener.screen(query, threshold=60)
    for wanted in (EntityType.INDIVIDUAL, "entity", "vessel"):
        result = default_screener.screen(query, entity_type=wanted, threshold=60)
        kind = EntityType(wanted)
        assert _ids(result) == {
            h.entry.id for h in everywhere.hits if h.entry.entity_type in (None, kind)
        }
    individuals = default_screener.screen(query, entity_type="individual")
    assert "SDN-12927" not in _ids(individuals)  # Mahan Air is an entity


@pytest.mark.parametrize(
    ("options", "reason"),
    [
        ({"country": "XYZ"}, "country"),
        ({"country": "1A"}, "country"),
        ({"country": "Ü1"}, "country"),
        ({"lists": ["NOPE"]}, "NOPE"),
        ({"entity_type": "robot"}, "robot"),
        ({"threshold": 0}, "threshold"),
        ({"threshold": -5}, "threshold"),
        ({"threshold": 100.5}, "threshold"),
        ({"threshold": math.nan}, "threshold"),
        ({"threshold": math.inf}, "threshold"),
    ],
)
def test_bad_options_give_an_error_result(
    default_screener: Screener, options: dict[str, object], reason: str
) -> None:
    result = default_screener.screen("Mahan Air", **options)  # type: ignore[arg-type]
    assert result.status == "error"
    assert result.error and reason in result.error
    assert result.hits == () and result.hit_count == 0
    assert result.audit.release_checksum == default_screener.release.checksum


def test_non_numeric_threshold_gives_an_error_result(default_screener: Screener) -> None:
    result = default_screener.screen("Mahan Air", threshold="high")  # type: ignore[arg-type]
    assert result.status == "error"


@pytest.mark.parametrize(
    ("name", "reason"),
    [("", "empty"), ("   ", "empty"), ("\t\n", "empty"), ("\u200b", "empty"), ("---", "letter")],
)
def test_empty_names_give_an_error_result(
    default_screener: Screener, name: str, reason: str
) -> None:
    result = default_screener.screen(name)
    assert result.status == "error" and result.error and reason in result.error
    assert result.hits == ()


def test_non_text_name_gives_an_error_result(default_screener: Screener) -> None:
    result = default_screener.screen(None)  # type: ignore[arg-type]
    assert result.status == "error" and result.error == "name is not text"


def test_threshold_override(default_screener: Screener) -> None:
    query = "Bejing Zhipu Huazang"
    zhipu = _zhipu_ids(default_screener)
    default = default_screener.screen(query)
    score = next(h.score for h in default.hits if h.entry.id in zhipu)
    assert DEFAULT_THRESHOLD <= score < 95
    strict = default_screener.screen(query, threshold=95)
    assert not zhipu & _ids(strict) and strict.audit.threshold == 95
    lenient = default_screener.screen(query, threshold=50)
    assert zhipu <= _ids(lenient) and lenient.hit_count > default.hit_count
    at_score = default_screener.screen(query, threshold=score)  # the threshold is inclusive
    assert zhipu <= _ids(at_score)


def test_screen_many(default_screener: Screener) -> None:
    names = ["Mahan Air", "", "Acme Bakery"]
    results = list(default_screener.screen_many(names, lists=["SDN"]))
    assert [r.query for r in results] == names
    assert [r.status for r in results] == ["hit", "error", "clear"]
    assert all(r.audit.filters == {"lists": ["SDN"]} for r in results)


@pytest.mark.parametrize("query", ["北京智谱华章科技有限公司", "Acme Bakery", "   "])
def test_result_to_dict_is_json(default_screener: Screener, query: str) -> None:
    result = default_screener.screen(query, country="CN")
    data = json.loads(json.dumps(result.to_dict(), ensure_ascii=False))
    assert data["query"] == query and data["status"] == result.status
    assert data["audit"]["release_checksum"] == default_screener.release.checksum
    assert data["audit"]["matcher_version"] == MATCHER_VERSION
    assert data["audit"]["filters"] == {"country": "CN"}
    assert len(data["hits"]) == len(result.hits)
    assert (data["error"] is None) == (result.status != "error")


# --------------------------------------------------------------------------------------------
# A hand-made release

TINY_IDS = ("SDN-12927", "UN-IQi.006", "EL-2025-beijing-zhipu-huazhang-technology-co-ltd")


@pytest.fixture
def tiny_release() -> ListRelease:
    """Three real entries of the shipped release in a release of their own."""
    shipped = default_release()
    entries = tuple(e for e in shipped.entries if e.id in TINY_IDS)
    assert len(entries) == len(TINY_IDS)
    counts: dict[str, int] = {}
    for entry in entries:
        counts[entry.source_list.value] = counts.get(entry.source_list.value, 0) + 1
    return ListRelease(
        version="tiny-test",
        created=shipped.created,
        sources=shipped.sources,
        counts=counts,
        checksum="0" * 64,
        entries=entries,
    )


def test_screener_on_a_hand_made_release(
    tiny_release: ListRelease, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCREEN_CACHE_DIR", str(tmp_path))
    screener = Screener(tiny_release, threshold=75)
    assert screener.threshold == 75.0
    assert list(tmp_path.glob("index-*.pickle")), "the index is cached in SCREEN_CACHE_DIR"
    result = screener.screen("Mahan Air")
    assert result.status == "hit" and _ids(result) == {"SDN-12927"}
    assert result.hits[0].entry is tiny_release.entries[
        [e.id for e in tiny_release.entries].index("SDN-12927")
    ]
    assert result.audit.release_version == "tiny-test"
    assert result.audit.release_checksum == "0" * 64
    assert result.audit.threshold == 75.0
    chinese = screener.screen("北京智谱华章科技有限公司")
    assert _ids(chinese) == {"EL-2025-beijing-zhipu-huazhang-technology-co-ltd"}
    assert screener.screen("Acme Bakery").status == "clear"
    assert screener.screen("Mahan Air", lists=["EL"]).status == "clear"
    # a second screener on the same release loads the cached index
    again = Screener(tiny_release)
    assert again.index.stats() == screener.index.stats()
    assert again.screen("Mahan Air").status == "hit"


def test_hand_made_release_rejects_a_bad_threshold(
    tiny_release: ListRelease, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCREEN_CACHE_DIR", str(tmp_path))
    with pytest.raises(ValueError, match="threshold"):
        Screener(tiny_release, threshold=0)


def test_exact_name_scores_100_on_a_small_release(
    tiny_release: ListRelease, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCREEN_CACHE_DIR", str(tmp_path))
    result = Screener(tiny_release).screen("MAHAN AIR", threshold=95)
    assert _ids(result) == {"SDN-12927"}


@pytest.mark.parametrize("query", ["Şama Gül A.Ş.", "لانا كنانة"])
def test_of_an_entrys_names_scoring_alike_the_first_listed_is_the_hit(
    default_screener: Screener, query: str
) -> None:
    """Which of an entry's names a hit reports does not hang on the order the candidate search
    found them in: of names scoring alike, the one the entry lists first."""
    result = default_screener.screen(query, threshold=60)
    assert result.status == "hit"
    hit = result.hits[0]
    names = [hit.entry.name, *(alias.name for alias in hit.entry.aliases)]
    tied = [
        name for name in dict.fromkeys(names)
        if score_pair(query, name, screener=default_screener).score == hit.score
    ]
    assert len(tied) >= 2, tied  # the case this is about
    assert hit.matched_name == tied[0]


@pytest.mark.parametrize(
    ("query", "surname"),
    [
        ("Putin V.V.", "PUTIN"),
        ("PUTIN,V.V.", "PUTIN"),
        ("Путин В.В.", "PUTIN"),
        ("Путин В. В.", "PUTIN"),
        ("S.V. Lavrov", "LAVROV"),
        ("Лавров С.В.", "LAVROV"),
        ("Lavrov Sergey V", "LAVROV"),
        ("Vladimir Putin V", "PUTIN"),
    ],
)
def test_initials_run_together_in_cyrillic_or_at_the_end_are_initials(
    default_screener: Screener, query: str, surname: str
) -> None:
    """``Фамилия И.О.``, the way Russian writes a person with initials, the same run together
    in Latin letters, and a patronymic's initial last without a full stop: the letters are read
    as initials (as ``Putin V. V.`` always was), so the listed person is found."""
    result = default_screener.screen(query)
    assert result.status == "hit"
    assert result.hits[0].matched_name.upper().startswith(surname)


def test_letters_with_full_stops_keep_their_reading_as_an_abbreviation() -> None:
    """``A.I.`` may be an abbreviation as well as initials: both readings are kept."""
    from screen.names.normalize import normalize_name

    hows = {tuple(t.how for t in v) for v in normalize_name("Zhipu A.I.").variants}
    assert ("as written", "as written", "as written") in hows
    assert ("as written", "initial", "initial") in hows
