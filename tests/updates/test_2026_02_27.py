"""List update 2026.02.27: what release B (newest sources) added to release A (the 2022 CSL alone).

Release A is ``screen lists build ../shared/data --csl-2022-only`` (version 2022.04.21); release B
is the shipped ``lists/``. The facts about B are checked on the shipped release always; the full
A -> B diff is rebuilt and checked when ``../shared/data`` is present. Figures: see CHANGELOG.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from screen.release.diff import ReleaseDiff, diff
from screen.release.models import AliasKind, ListEntry, ListRelease
from screen.release.sources.build import build_release
from screen.release.store import SHIPPED_RELEASE_DIR, load_release

SHIPPED = SHIPPED_RELEASE_DIR
SHARED_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"


@pytest.fixture(scope="module")
def release_b() -> ListRelease:
    return load_release(SHIPPED)


@pytest.fixture(scope="module")
def by_id(release_b: ListRelease) -> dict[str, ListEntry]:
    return {entry.id: entry for entry in release_b.entries}


@pytest.fixture(scope="module")
def a_to_b(release_b: ListRelease, tmp_path_factory: pytest.TempPathFactory) -> ReleaseDiff:
    if not SHARED_DATA.is_dir():
        pytest.skip("needs ../shared/data to rebuild release A")
    release_a = build_release(
        SHARED_DATA, tmp_path_factory.mktemp("release_a"), csl_2022_only=True
    ).release
    return diff(release_a, release_b)


def test_version(release_b: ListRelease) -> None:
    assert release_b.version == "2026.02.27"
    assert release_b.data_date == dt.date(2026, 2, 27)


def test_zhipu_and_affiliates_added_with_their_citation(by_id: dict[str, ListEntry]) -> None:
    zhipu = by_id["EL-2025-beijing-zhipu-huazhang-technology-co-ltd"]
    assert zhipu.name == "Beijing Zhipu Huazhang Technology Co., Ltd."
    assert "Zhipu AI" in zhipu.names
    added = sorted(e.name for e in by_id.values() if e.federal_register == ("90 FR 4617",))
    assert added == [
        "Beijing Keyi Hongyuan Optoelectronics Co., Ltd.",
        "Beijing Lingxin Intelligent Technology Co., Ltd.",
        "Beijing Yuanyin Intelligent Technology Co., Ltd.",
        "Beijing Zhipu Future Technology Co., Ltd.",
        "Beijing Zhipu Huazhang Technology Co., Ltd.",
        "Beijing Zhipu Linghang Technology Co., Ltd.",
        "Beijing Zhipu Qingyan Technology Co., Ltd.",
        "Hangzhou Zhipu Huazhang Technology Co., Ltd.",
    ]
    for entry in by_id.values():
        if entry.federal_register == ("90 FR 4617",):
            assert entry.verification == "secondary-source"
            assert entry.start_date == dt.date(2025, 1, 16)
            assert entry.countries == ("CN",)
            assert entry.source.url is not None and "2025-00704" in entry.source.url


def test_sophgo_added_with_its_citation(by_id: dict[str, ListEntry]) -> None:
    sophgo = by_id["EL-2025-sophgo"]
    assert sophgo.federal_register == ("90 FR 4621",)
    assert sophgo.verification == "secondary-source"
    assert sophgo.source.url is not None and "2025-00480" in sophgo.source.url
    assert sophgo.license_policy is None and sophgo.addresses == ()


def test_un_list_added_with_original_script_names(release_b: ListRelease) -> None:
    un = [e for e in release_b.entries if e.source_list == "UN"]
    assert len(un) == 1003  # 730 INDIVIDUAL + 273 ENTITY records in the 2026-02-27 XML
    scripts = [a.name for e in un for a in e.aliases if a.kind is AliasKind.ORIGINAL_SCRIPT]
    assert len(scripts) == 378
    assert any("\u0600" <= ch <= "\u06ff" for name in scripts for ch in name)  # Arabic
    assert any("\u0400" <= ch <= "\u04ff" for name in scripts for ch in name)  # Cyrillic


def test_sdn_designations_after_2022_are_in(by_id: dict[str, ListEntry]) -> None:
    # Designated in 2022 after the CSL snapshot; primary name from sdn.csv of 2024-05-03.
    rostec = by_id["SDN-17260"]
    assert rostec.name == "STATE CORPORATION ROSTEC"
    assert rostec.source.file == "ofac/2024-05-03/sdn.csv"
    # Highest ent_num of that sdn.csv.
    assert by_id["SDN-48907"].name == "UZAY GROUP DIS TICARET LIMITED SIRKETI"


def test_delisted_sdn_entries_are_out(release_b: ListRelease, by_id: dict[str, ListEntry]) -> None:
    assert "SDN-10021" not in by_id  # in the 2022 CSL, gone from sdn.csv of 2024-05-03
    assert "SDN-6718" not in by_id  # in sdn.csv of 2024-05-03, gone from add.csv of 2025-01-06
    # The Zimbabwe sanctions program ended in March 2024: 120 entries in A, none in B.
    assert not any("ZIMBABWE" in e.programs for e in release_b.entries)


def test_full_diff_a_to_b(a_to_b: ReleaseDiff) -> None:
    assert (a_to_b.old_version, a_to_b.new_version) == ("2022.04.21", "2026.02.27")
    assert len(a_to_b.added) == 7356
    assert len(a_to_b.removed) == 545
    added = {code: 0 for code in a_to_b.new_counts}
    for entry in a_to_b.added:
        added[entry.source_list] += 1
    assert {k: v for k, v in added.items() if v} == {"EL": 9, "ISN": 1, "SDN": 6343, "UN": 1003}
    assert {e.source_list for e in a_to_b.removed} == {"SDN"}
    # The Zimbabwe program ended in March 2024: 113 of its 120 entries were delisted, and 7
    # (Mnangagwa, Chiwenga, Tagwirei ...) were designated again under Global Magnitsky.
    zimbabwe = [e for e in a_to_b.removed if "ZIMBABWE" in e.programs]
    assert len(zimbabwe) == 113
    moved = {c.id for c in a_to_b.changed if "programs" in c.fields}
    assert {"SDN-7513", "SDN-7489", "SDN-29360"} <= moved
    secondary = {e.id for e in a_to_b.added if e.verification == "secondary-source"}
    assert len(secondary) == 9 and "EL-2025-sophgo" in secondary
    changed = {c.id: c for c in a_to_b.changed}
    assert changed["PLC-9673"].names_added[0] == "Mohammed ABU JHEISHEH"


def test_the_maintainers_assertions_hold(release_b: ListRelease) -> None:
    """The same facts as a file ``screen lists update --expect`` runs before adopting."""
    from screen.release.update.expect import check_release, read_expectations

    expectations = read_expectations(Path(__file__).with_name("expect.toml"))
    assert len(expectations) == 8
    assert check_release(release_b, expectations) == []
