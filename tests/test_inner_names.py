"""Names written inside a listed name (``Huawei Technologies Co., Ltd. (Huawei)``, ``(f.k.a. ...)``)
are indexed as names of the entry; bracketed places, legal forms, generic words, other parties and
parts of a person's name are not."""

from __future__ import annotations

import datetime as dt

import pytest

from screen.index.inner_names import inner_names
from screen.index.search import NameIndex
from screen.matching.score import DEFAULT_THRESHOLD, Matcher
from screen.names.normalize import normalize_name
from screen.release.models import (
    Address,
    Alias,
    AliasKind,
    EntityType,
    ListEntry,
    ListRelease,
    SourceList,
    SourceRef,
)
from screen.screener import Screener

INNER, OUTER = AliasKind.INNER, AliasKind.OUTER


def _entry(
    name: str,
    entity_type: EntityType | None = None,
    addresses: tuple[str, ...] = (),
    countries: tuple[str, ...] = (),
    number: int = 1,
) -> ListEntry:
    return ListEntry(
        id=f"TEST-{number}",
        source_list=SourceList.EL,
        entity_type=entity_type,
        name=name,
        addresses=tuple(Address(text=text) for text in addresses),
        countries=countries,
        source=SourceRef(file="test.csv", record=str(number), date=dt.date(2026, 1, 1)),
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Huawei Technologies Co., Ltd. (Huawei)",
         [("Huawei", INNER), ("Huawei Technologies Co., Ltd.", OUTER)]),
        # an abbreviation either way round (Schwartz and Hearst)
        ("KHATIBA IMAM AL-BUKHARI (KIB)", [("KIB", INNER), ("KHATIBA IMAM AL-BUKHARI", OUTER)]),
        ("ASMAT (APPLIED SYSTEMS METHODS AND TECHNOLOGY)",
         [("APPLIED SYSTEMS METHODS AND TECHNOLOGY", INNER), ("ASMAT", OUTER)]),
        ("China Electronics Technology Group Corporation 55th Research Institute (CETC 55)",
         [("CETC 55", INNER),
          ("China Electronics Technology Group Corporation 55th Research Institute", OUTER)]),
        # a legal form may follow the bracketed name
        ("NAFTIRAN TRADING SERVICES CO. (NTS) LIMITED",
         [("NTS", INNER), ("NAFTIRAN TRADING SERVICES CO. LIMITED", OUTER)]),
        ("Markel Closed Joint Stock Company (Markel CJSC)",
         [("Markel CJSC", INNER), ("Markel Closed Joint Stock Company", OUTER)]),
        # what the list says is another name, anywhere in brackets
        ("Gazprom Promgaz, AO (f.k.a. Otkrytoe Aktsionernoe Obshchestvo Gazprom Promgaz)",
         [("Otkrytoe Aktsionernoe Obshchestvo Gazprom Promgaz", INNER),
          ("Gazprom Promgaz, AO", OUTER)]),
        ("Precision Image Corporation (a.k.a. Precision Industries, Inc.; CK Enterprises, Inc.)",
         [("Precision Industries, Inc.", INNER), ("CK Enterprises, Inc.", INNER),
          ("Precision Image Corporation", OUTER)]),
        ("PEARL (A.K.A. NEI-CHIEN CHU) LI", [("NEI-CHIEN CHU", INNER), ("PEARL LI", OUTER)]),
        # and outside brackets, written with its full stops
        ("JSC NIIP, f.k.a., Otkrytoe Aktsionernoe Obshchestvo Priborostroeniya",
         [("JSC NIIP", OUTER), ("Otkrytoe Aktsionernoe Obshchestvo Priborostroeniya", INNER)]),
        ("f.k.a. Sibirskaya Neftyanaya Kompaniya OAO",
         [("Sibirskaya Neftyanaya Kompaniya OAO", INNER)]),
    ],
)
def test_names_written_inside_a_name(name: str, expected: list[tuple[str, AliasKind]]) -> None:
    assert inner_names(_entry(name), name) == expected


@pytest.mark.parametrize(
    "name",
    [
        "Huawei Technologies (Vietnam) Company Limited",  # a place
        "Corad Technology Ltd. (Shenzhen)",
        "SINO ENERGY SHIPPING (HONG KONG) LTD",
        "Sur-Link International (HK) Ltd.",
        "CHINA COMMUNICATIONS CONSTRUCTION GROUP (LIMITED)",  # a legal form
        "Value Additions (Pvt) Ltd.",
        "CCCC Dredging (Group)",  # a generic word
        "STARS GROUP SAL (HOLDING)",
        "SPORTS ZONE (MNC GROUP INTERNATIONAL, INC.)",  # another party (its owner)
        "TET KHAM (S) PTE. LTD.",  # a letter
        "OOO Elkomtekh (Elkomtex)",  # a spelling of a word of it
        "Lev Anatolyevich Yershov (Ershov)",
        # the parent's name in the middle, or at the end of a longer name
        "China Shipbuilding Industry Group Co., Ltd. (CSIC) 707th Research Institute",
        "10th Research Institute of China Electronic Technology Group Corp (CETC)",
        "Department of Atomic Energy entity: Nuclear reactors not under International Atomic "
        "Energy Agency (IAEA)",
        "AKA INTEGRAL SERVICES, S. DE R.L. DE C.V.",  # AKA is a word of this name
        "(all of preceding located in or near Mianyang, Sichuan Province)",
        "Plain Name Trading LLC",
    ],
)
def test_parts_that_are_not_names_of_the_entry(name: str) -> None:
    assert inner_names(_entry(name), name) == []


def test_a_persons_bracketed_part_is_no_name_of_its_own() -> None:
    name = "SANTOS, Ahmad (Ahmed)"
    assert inner_names(_entry(name, EntityType.INDIVIDUAL), name) == []
    # what the list marks as another name still is one
    marked = "Ri Sung Chol (aka Ri Su'ng-ch'o'l)"
    assert inner_names(_entry(marked, EntityType.INDIVIDUAL), marked) == [
        ("Ri Su'ng-ch'o'l", INNER), ("Ri Sung Chol", OUTER),
    ]


def test_a_part_of_the_entrys_own_address_is_a_place() -> None:
    name = "Futian Acme Electronics Ltd (Futian)"
    # a word of the name, and of no table: without the address it reads as a short name
    assert inner_names(_entry(name), name)[0] == ("Futian", INNER)
    located = _entry(name, addresses=("12 Tianlin Road, Futian, Shenzhen, CN",))
    assert inner_names(located, name) == []
    assert inner_names(_entry("Acme Trading (HK)", countries=("HK",)), "Acme Trading (HK)") == []


def test_a_place_of_the_place_table_is_no_name_of_its_own() -> None:
    # the place table the typing of name parts reads (cities of a million and more): no
    # address needed
    name = "Shenzhen Acme Electronics Ltd (Shenzhen)"
    assert inner_names(_entry(name), name) == []


def _release(entries: list[ListEntry]) -> ListRelease:
    return ListRelease.model_construct(
        version="test", created=dt.date(2026, 1, 1), sources=(), counts={},
        checksum="0" * 64, entries=tuple(entries),
    )


def test_the_index_holds_inner_names_without_weighing_them() -> None:
    entries = [
        _entry("Huawei Technologies Co., Ltd. (Huawei)", number=1),
        _entry("Acme Trading (Hong Kong) Ltd", number=2),
        _entry("Pasdaran Trading", number=3),
    ]
    index = NameIndex(_release(entries))
    names = [(indexed.name, indexed.alias_kind, indexed.listed) for indexed in index.names]
    huawei = "Huawei Technologies Co., Ltd. (Huawei)"
    assert names == [
        (huawei, None, huawei),
        ("Acme Trading (Hong Kong) Ltd", None, "Acme Trading (Hong Kong) Ltd"),
        ("Pasdaran Trading", None, "Pasdaran Trading"),
        ("Huawei", INNER, huawei),
        ("Huawei Technologies Co., Ltd.", OUTER, huawei),
    ]
    # weights are those of the names the list gives
    assert index.weights.name_count == 3
    assert index.weights.document_frequency["huavei"] == 1


def test_huawei_finds_the_entry_by_the_name_in_brackets(default_screener: Screener) -> None:
    result = default_screener.screen("Huawei")
    hit = next(h for h in result.hits if h.entry.name == "Huawei Technologies Co., Ltd. (Huawei)")
    assert hit.score == 100.0
    # the name matched as the list gives it, the part that matched in the explanation
    assert hit.matched_name == "Huawei Technologies Co., Ltd. (Huawei)"
    assert hit.alias_kind is AliasKind.INNER and hit.to_dict()["alias_kind"] == "inner"
    assert hit.explanation.name_normalized == "huawei"
    # a place in brackets makes no name: a place alone finds nothing
    assert default_screener.screen("Vietnam").status == "clear"


def test_indexing_some_entries_finds_their_inner_names_as_the_release_does(
    default_screener: Screener,
) -> None:
    # re-screening indexes the added and changed entries alone: each entry's inner names must
    # not depend on the others
    index = default_screener.index
    entries = default_screener.release.entries
    by_entry: dict[int, list[tuple[str, AliasKind | None]]] = {}
    for indexed in index.names:
        by_entry.setdefault(indexed.entry_index, []).append((indexed.name, indexed.alias_kind))
    chosen = [i for i, names in by_entry.items() if any(k is INNER for _, k in names)][::7]
    assert len(chosen) > 20
    alone = NameIndex(_release([entries[i] for i in chosen]))
    found: dict[int, list[tuple[str, AliasKind | None]]] = {}
    for indexed in alone.names:
        found.setdefault(indexed.entry_index, []).append((indexed.name, indexed.alias_kind))
    for number, entry_index in enumerate(chosen):
        assert sorted(found[number], key=str) == sorted(by_entry[entry_index], key=str)


def test_a_name_found_inside_another_is_contradicted_by_its_entrys_other_names() -> None:
    """An inner name is indexed after every entry's own names, so its entry's names are not
    next to it: the other names that contradict a query's patronymic are found all the same."""
    alias = Alias(name="KOZLOV, Oleg (a.k.a. SIDOROV, Ivan)", kind=AliasKind.AKA)
    listed = _entry("SIDOROV, Ivan Petrovich", EntityType.INDIVIDUAL, number=1).model_copy(
        update={"aliases": (alias,)}
    )
    other = _entry("MARTINEZ, Lucia", EntityType.INDIVIDUAL, number=2)
    matcher = Matcher(NameIndex(_release([listed, other])))
    names = matcher.index.names
    inner = next(i for i, n in enumerate(names) if n.alias_kind is INNER)
    assert names[inner].name == "SIDOROV, Ivan"
    assert names[inner - 1].entry_index == 1  # the other entry's name sits between
    assert names.names_of(0) == (0, 1, inner, inner + 1)  # and KOZLOV, Oleg around it
    # the inner name alone lacks a patronymic; the entry's own name has another one
    assert matcher.match(normalize_name("Ivan Petrovich Sidorov"), DEFAULT_THRESHOLD)
    assert matcher.match(normalize_name("Ivan Sidorov"), DEFAULT_THRESHOLD)
    # the inner name alone would score about 70 (a patronymic the query adds); contradicted by
    # the entry's own name, far less (it scored 69.5 here before the entry's names were found)
    assert not matcher.match(normalize_name("Ivan Nikolayevich Sidorov"), 60.0)
