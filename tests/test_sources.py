"""screen.release.sources: converting the public source files into a release.

Uses ``tests/fixtures/sources``, excerpts of the real files in ``shared/data`` (same file names,
rows copied unchanged, OFAC's CRLF and 0x1A end byte kept). One test converts the real files and
is skipped when ``../shared`` is absent.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from screen.cli import main
from screen.release.models import AliasKind, EntityType, ListEntry, SourceList
from screen.release.sources.build import build_release
from screen.release.sources.common import SourceError, SourceFile
from screen.release.sources.countries import country_code
from screen.release.sources.csl import parse_csl, source_list_for_title
from screen.release.sources.ofac import WEAK_ALIAS_REMARK, UnknownCountries, read_sdn, remark_facts
from screen.release.store import SHIPPED_RELEASE_DIR, load_release

FIXTURE_SOURCES = Path(__file__).parent / "fixtures" / "sources"
SHARED_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"


@pytest.fixture(scope="module")
def entries(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ListEntry]:
    out = tmp_path_factory.mktemp("built")
    result = build_release(FIXTURE_SOURCES, out)
    return {entry.id: entry for entry in result.release.entries}


def _source(name: str, data: bytes) -> SourceFile:
    return SourceFile(name=name, data=data, date=dt.date(2024, 5, 3), url=None, publisher=None)


def test_build_twice_gives_identical_bytes_and_checksum(tmp_path: Path) -> None:
    first = build_release(FIXTURE_SOURCES, tmp_path / "a").release
    second = build_release(FIXTURE_SOURCES, tmp_path / "b").release
    assert first.checksum == second.checksum
    files = sorted(
        p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file()
    )
    assert files
    for path in files:
        assert (tmp_path / "a" / path).read_bytes() == (tmp_path / "b" / path).read_bytes()


def test_version_and_created_come_from_the_newest_source(tmp_path: Path) -> None:
    release = build_release(FIXTURE_SOURCES, tmp_path).release
    assert release.version == "2026.02.27"
    assert release.created == dt.date(2026, 2, 27) == release.data_date
    named = build_release(
        FIXTURE_SOURCES, tmp_path / "n", version="test-1", created=dt.date(2026, 3, 1)
    ).release
    assert (named.version, named.created) == ("test-1", dt.date(2026, 3, 1))
    assert named.checksum == release.checksum  # the checksum covers the data only


def test_csl_row_conversion(entries: dict[str, ListEntry]) -> None:
    el = entries["EL-0062db77a4f15910a8bfd019b3256570e879f000"]
    assert el.name == "Beijing E-science Co., Ltd."
    assert [a.name for a in el.aliases] == ["Beijing Yanjing Electronics Co., Ltd."]
    assert el.addresses[0].text == "No. 9 Jiuxianqiao East Rd, Chaoyang, Beijing, 100015, CN"
    assert el.addresses[0].country == "CN"
    assert el.federal_register == ("86 FR 36496",)
    assert el.start_date == dt.date(2021, 7, 12)
    assert el.license_policy == "Presumption of denial."
    assert el.source.file == "csl/consolidated-2022-04.csv"
    assert el.verification == "official"


def test_csl_name_is_stripped_only(entries: dict[str, ListEntry]) -> None:
    # Published as " I. ASH" with a leading space.
    assert entries["DPL-deb7a1d5743a85c354ca1a2c7f2664e2104b32d7"].name == "I. ASH"


def test_csl_repeated_row_is_kept_once(entries: dict[str, ListEntry]) -> None:
    assert [i for i in entries if i.startswith("CAP-")] == ["CAP-15268"]


def test_newer_csl_rows_supersede_with_the_old_id(entries: dict[str, ListEntry]) -> None:
    # Same entity_number: the 2025 row (name now written first-name first) keeps PLC-9673.
    plc = entries["PLC-9673"]
    assert plc.name == "Mohammed ABU JHEISHEH"
    assert plc.source.file == "csl/consolidated-sample-2025.csv"
    # Three 2022 DPL rows are named "I. ASH": the address picks the one the 2025 row updates.
    dpl = entries["DPL-a6c1a772480394015370092cb86cf002ff20af64"]
    assert dpl.source.file == "csl/consolidated-sample-2025.csv"
    assert entries["DPL-1d14283e38a42b5886b73be7824da507db683773"].source.file.endswith(
        "2022-04.csv"
    )
    # No 2022 row matches: added under its own 2025 id.
    isn = entries["ISN-233a4d725770c81fb561ffe3842c14010c2201971d6be62eca1e613b"]
    assert isn.federal_register == ("Vol. 88, No. 151, 08/08/2023",)


def test_csl_source_titles() -> None:
    assert (
        source_list_for_title("Entity List (EL) - Bureau of Industry and Security") is SourceList.EL
    )
    assert (
        source_list_for_title(
            "Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department"
        )
        is SourceList.NS_MBS
    )
    assert source_list_for_title("Military End User (MEU) List - anything") is SourceList.MEU
    assert source_list_for_title("Some Other List") is None


def test_csl_bad_row_names_file_and_line() -> None:
    header = (FIXTURE_SOURCES / "csl" / "consolidated-2022-04.csv").read_bytes().split(b"\n")[0]
    row = b"x,Entity List (EL) - Bureau of Industry and Security" + b"," * 6 + b"2021-13-01"
    row += b"," * (header.count(b",") - 8)
    with pytest.raises(SourceError) as caught:
        parse_csl(_source("csl/bad.csv", header + b"\n" + row + b"\n"))
    # The row has no name: that is the first problem found.
    assert (caught.value.file, caught.value.line) == ("csl/bad.csv", 2)


def test_sdn_entry_from_ofac_files(entries: dict[str, ListEntry]) -> None:
    entry = entries["SDN-10000"]
    assert entry.name == "CANO CORREA, Jhon Eidelber"
    assert entry.entity_type is EntityType.INDIVIDUAL
    assert entry.programs == ("SDNT",)
    assert entry.source.file == "ofac/2024-05-03/sdn.csv"
    assert "ofac/2025-01-06-partial/alt.csv" in entry.source.record
    assert entry.addresses[0].text == "Carrera 28 No. 7-35, Cali, Colombia"
    assert entry.addresses[0].country == "CO"
    assert entry.dates_of_birth == ("13 Dec 1963",)
    assert entry.countries == ("CO",)
    # The remarks are kept as published; the weak a.k.a. in them also becomes an alias.
    assert entry.remarks is not None and entry.remarks.endswith("a.k.a. 'FLECHAS'.")
    flechas = [a for a in entry.aliases if a.name == "FLECHAS"]
    assert flechas and flechas[0].remarks == WEAK_ALIAS_REMARK


def test_sdn_types_programs_and_fka(entries: dict[str, ListEntry]) -> None:
    vessel = entries["SDN-15038"]
    assert vessel.entity_type is EntityType.VESSEL
    assert {a.name: a.kind for a in vessel.aliases}["AMOL"] is AliasKind.FKA
    assert entries["SDN-26860"].programs == ("SDGT", "IRGC", "IFSR")
    assert entries["SDN-31930"].entity_type is EntityType.VESSEL


def test_sdn_cut_remarks_are_not_joined_to_a_later_continuation(
    entries: dict[str, ListEntry],
) -> None:
    entry = entries["SDN-28263"]
    assert entry.remarks is not None and len(entry.remarks) == 1000
    assert "remarks cut at 1000 characters" in entry.source.record
    assert "not appended" in entry.source.record
    # The alias cut in half by the limit ('snowsjo...) is not taken as a name.
    assert not any(a.name.startswith("snowsjo") for a in entry.aliases)


def test_sdn_delisted_and_unnamed_entries(tmp_path: Path, entries: dict[str, ListEntry]) -> None:
    # 6718 is in sdn.csv of 2024-05-03 but not in add.csv of 2025-01-06: delisted in between.
    assert "SDN-6718" not in entries
    # 20315 is only in add.csv: no name anywhere, so no entry, but the build says so.
    assert "SDN-20315" not in entries
    notes = build_release(FIXTURE_SOURCES, tmp_path).notes
    assert any("1 ent_nums" in note and "no name" in note for note in notes)
    assert any("left out: 6718" in note for note in notes)


def test_sdn_entry_named_by_its_first_current_alias(entries: dict[str, ListEntry]) -> None:
    entry = entries["SDN-17016"]
    # alt.csv: 26095 fka GAZPROMBANK OPEN JOINT STOCK COMPANY, 54916 aka BANK GPB JSC.
    assert entry.name == "BANK GPB JSC"
    assert entry.aliases[0].name == "GAZPROMBANK OPEN JOINT STOCK COMPANY"
    assert entry.entity_type is None
    assert entry.remarks is not None and "primary name" in entry.remarks
    assert entry.source.file == "ofac/2025-01-06-partial/alt.csv"


def test_sdn_row_of_the_newer_csl(entries: dict[str, ListEntry]) -> None:
    entry = entries["SDN-52291"]
    assert entry.name == "RIM, Ryong Nam"
    assert entry.source.file == "csl/consolidated-sample-2025.csv"


def test_ofac_legacy_format_details() -> None:
    data = (
        b'36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\x1a'
    )
    rows = read_sdn(_source("ofac/sdn.csv", data))
    row = rows[36]
    assert (row.name, row.sdn_type, row.programs, row.remarks) == (
        "AEROCARIBBEAN AIRLINES",
        None,
        ("CUBA",),
        None,
    )


def test_ofac_non_utf8_byte_is_reported_not_guessed() -> None:
    data = b'36,"AEROCARIBBEAN",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
    data += b'37,"CAF\xc9 X",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
    with pytest.raises(SourceError) as caught:
        read_sdn(_source("ofac/sdn.csv", data))
    assert (caught.value.file, caught.value.line) == ("ofac/sdn.csv", 2)
    assert "UTF-8" in str(caught.value)


def test_ofac_wrong_field_count() -> None:
    with pytest.raises(SourceError) as caught:
        read_sdn(_source("ofac/sdn.csv", b'36,"X",-0- \r\n'))
    assert caught.value.line == 1


def test_remark_facts() -> None:
    remarks = (
        "DOB 19 Jun 1951; alt. DOB 1950; POB Giza, Egypt; nationality Egypt; citizen Korea, North; "
        "Passport 1084010 (Egypt); a.k.a. 'ABU X'; f.k.a. 'OLD NAME'; a.k.a. 'CUT OFF"
    )
    facts = remark_facts(remarks, UnknownCountries())
    assert facts.dates_of_birth == ("19 Jun 1951", "1950")
    assert facts.places_of_birth == ("Giza, Egypt",)
    assert facts.countries == ("EG", "KP")
    assert facts.identifiers == ("Passport 1084010 (Egypt)",)
    assert [(a.name, a.kind) for a in facts.weak_aliases] == [
        ("ABU X", AliasKind.AKA),
        ("OLD NAME", AliasKind.FKA),
    ]


def test_country_names() -> None:
    assert country_code("Korea, North") == "KP"
    assert country_code("Iran (Islamic Republic of)") == "IR"
    assert country_code("Türkiye") == country_code("Turkey") == "TR"
    assert country_code("United Kingdom of Great Britain and Northern Ireland") == "GB"
    assert country_code("Region: Crimea") is None
    assert country_code(None) is None


def test_un_entries(entries: dict[str, ListEntry]) -> None:
    saddam = entries["UN-IQi.001"]
    assert saddam.name == "SADDAM HUSSEIN AL-TIKRITI"
    assert saddam.entity_type is EntityType.INDIVIDUAL
    assert saddam.start_date == dt.date(2003, 6, 27)
    assert saddam.countries == ("IQ",)
    script = [a for a in saddam.aliases if a.kind is AliasKind.ORIGINAL_SCRIPT]
    assert [a.name for a in script] == ["صدام حسين التكريتي"]
    assert {a.name: a.remarks for a in saddam.aliases}["Abu Ali"] == "quality: Low"
    cyrillic = entries["UN-QDi.290"]
    assert any(a.kind is AliasKind.ORIGINAL_SCRIPT and "Доку" in a.name for a in cyrillic.aliases)
    # LISTED_ON published with a time-zone suffix (2015-04-07-04:00).
    assert entries["UN-QDi.352"].start_date == dt.date(2015, 4, 7)
    assert entries["UN-QDe.002"].entity_type is EntityType.ENTITY
    assert all(e.source.date == dt.date(2026, 2, 27) for i, e in entries.items() if i[:3] == "UN-")


def test_entity_list_additions(entries: dict[str, ListEntry]) -> None:
    zhipu = entries["EL-2025-beijing-zhipu-huazhang-technology-co-ltd"]
    assert zhipu.name == "Beijing Zhipu Huazhang Technology Co., Ltd."
    assert zhipu.federal_register == ("90 FR 4617",)
    assert zhipu.start_date == dt.date(2025, 1, 16)
    assert zhipu.verification == "secondary-source"
    assert zhipu.source.url is not None and "/2025-00704/" in zhipu.source.url
    assert zhipu.source.file == "entity-list/2025-01-zhipu-sophgo.md"
    assert [(a.name, a.kind) for a in zhipu.aliases] == [("Zhipu AI", AliasKind.AKA)]
    assert zhipu.countries == ("CN",)
    assert zhipu.addresses == () and zhipu.license_policy is None
    assert zhipu.license_requirement is None
    assert not any("北京" in name for name in zhipu.names)
    added = [e for e in entries.values() if e.federal_register == ("90 FR 4617",)]
    assert len(added) == 8
    assert all(e.aliases == () for e in added if e is not zhipu)
    assert not any("Nanjing" in e.name for e in added)
    sophgo = entries["EL-2025-sophgo"]
    assert (sophgo.name, sophgo.federal_register) == ("Sophgo", ("90 FR 4621",))
    assert sophgo.aliases == () and sophgo.countries == () and sophgo.addresses == ()
    assert sophgo.source.url is not None and "/2025-00480/" in sophgo.source.url
    assert sophgo.verification == "secondary-source"


def test_entity_list_notes_changing_shape_fail_the_build(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    shutil.copytree(FIXTURE_SOURCES, sources)
    notes = sources / "entity-list" / "2025-01-zhipu-sophgo.md"
    notes.write_text(notes.read_text(encoding="utf-8").replace("**90 FR 4621**", "90 FR 4621"))
    with pytest.raises(SourceError, match="Rule 2"):
        build_release(sources, tmp_path / "out")


def test_cli_build_info_and_diff(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lists", "build", str(FIXTURE_SOURCES), "-o", str(tmp_path / "b")]) == 0
    assert (
        main(["lists", "build", str(FIXTURE_SOURCES), "--csl-2022-only", "-o", str(tmp_path / "a")])
        == 0
    )
    capsys.readouterr()
    assert main(["lists", "info", "--release", str(tmp_path / "b")]) == 0
    info = capsys.readouterr().out
    assert "release    2026.02.27" in info
    assert "un/UN_consolidated-2026-02-27.xml" in info and "days old" in info
    assert load_release(tmp_path / "b").checksum in info
    assert main(["lists", "diff", str(tmp_path / "a"), str(tmp_path / "b")]) == 0
    assert "EL-2025-sophgo  Sophgo" in capsys.readouterr().out


def test_cli_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lists", "info", "--release", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "release.json" in err
    assert main(["lists", "build", str(tmp_path / "nowhere"), "-o", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "csl/consolidated-2022-04.csv" in err


def test_installed_package_is_never_rebuilt_in_place(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Outside a source checkout, ``screen lists build`` without ``-o`` refuses (exit 2, one
    line) and writes nothing: the shipped release belongs to the installed package."""
    from screen.cli import lists_cmd

    monkeypatch.setattr(lists_cmd, "_in_source_checkout", lambda: False)
    before = {p: p.read_bytes() for p in SHIPPED_RELEASE_DIR.rglob("*") if p.is_file()}
    assert main(["lists", "build", str(FIXTURE_SOURCES)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "give -o DIR" in err
    after = {p: p.read_bytes() for p in SHIPPED_RELEASE_DIR.rglob("*") if p.is_file()}
    assert after == before


@pytest.mark.skipif(not SHARED_DATA.is_dir(), reason="needs ../shared/data (real sources)")
def test_real_sources_rebuild_the_shipped_release(tmp_path: Path) -> None:
    """SLOW-ish (about 5 s): the committed lists/ is exactly what the converter makes."""
    shipped = SHIPPED_RELEASE_DIR
    built = build_release(SHARED_DATA, tmp_path).release
    assert built.checksum == load_release(shipped).checksum
    for path in (tmp_path / "entries").iterdir():
        assert path.read_bytes() == (shipped / "entries" / path.name).read_bytes()
