"""``screen lists update`` end to end on fixture files served from 127.0.0.1: what it builds, the
proof it writes, the store it keeps (history, roll back, pruning) and the assertions it runs."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from update_helpers import (
    FIXTURES,
    FixtureServer,
    Route,
    fixture_server,
    options,
    seed,
    snapshot,
)

from screen.release.home import CURRENT_FILE, RELEASES_DIR, current_release_dir
from screen.release.store import (
    SHIPPED_RELEASE_DIR,
    ListError,
    default_release,
    load_release,
    read_update_record,
    resolve_release_dir,
)
from screen.release.switch import StoreBusy, read_history, store_lock, use_release
from screen.release.update.run import UpdateFailed, update_lists

DAY = dt.date(2026, 3, 2)
WITHOUT_CONS = frozenset({"ofac-cons"})


@pytest.fixture(scope="module")
def server() -> Iterator[FixtureServer]:
    with fixture_server() as running:
        yield running


@pytest.fixture
def served(server: FixtureServer) -> Iterator[FixtureServer]:
    """The server, back to the v1 files after the test."""
    yield server
    server.serve_release()


@pytest.fixture(scope="module")
def two_updates(server: FixtureServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store after two updates without ofac-cons: v1 (over the shipped release), then v2."""
    home = tmp_path_factory.mktemp("two") / "home"
    first = update_lists(options(home, server, without=WITHOUT_CONS, accept_shrink=True), DAY)
    assert first.version == "2026.03.02"
    server.serve_release(csl="v2", sdn="v2")
    try:
        second = update_lists(options(home, server, without=WITHOUT_CONS), DAY)
    finally:
        server.serve_release()
    assert second.version == "2026.03.02.2"  # a second update on one day
    return home


def _copy(home: Path, tmp_path: Path) -> Path:
    target = tmp_path / "home"
    shutil.copytree(home, target)
    return target


def test_the_second_update_is_current_and_its_proof_is_written(two_updates: Path) -> None:
    current = current_release_dir(two_updates)
    assert current == two_updates / RELEASES_DIR / "2026.03.02.2"
    proof = json.loads((current / "update" / "diff.json").read_text())
    assert proof["old"]["version"] == "2026.03.02"
    assert proof["new"]["checksum"] == load_release(current).checksum
    assert sorted(entry["id"] for entry in proof["added"]) == [
        "EL-99ed1b052fdb09695fae1ba87516d8a0882b0df04652e07aeb5ce7be",
        "ISN-233a4d725770c81fb561ffe3842c14010c2201971d6be62eca1e613b",
        "SDN-17527",
        "SDN-24184",
    ]
    assert [entry["id"] for entry in proof["removed"]] == [
        "EL-2c4ed063f0b97757888387931d2f743f4fcb6d17"
    ]
    changed = {change["id"]: change for change in proof["changed"] if not change["provenance_only"]}
    assert list(changed) == ["PLC-9673"]
    assert changed["PLC-9673"]["names_added"][0] == "Mohammed ABU JHEISHEH"
    assert "ABU JHEISHEH, Mohammed" in changed["PLC-9673"]["names_removed"]
    assert changed["PLC-9673"]["names"][0] == "Mohammed ABU JHEISHEH"
    summary = (current / "update" / "summary.txt").read_text()
    assert "release 2026.03.02.2 replaces 2026.03.02" in summary
    assert "added 4, removed 1, changed 1" in summary
    assert "SDN-17527  RIXO INTERNATIONAL TRADING LTD." in summary


def test_the_manifest_records_the_update(two_updates: Path) -> None:
    first = read_update_record(two_updates / RELEASES_DIR / "2026.03.02")
    second = read_update_record(two_updates / RELEASES_DIR / "2026.03.02.2")
    assert first is not None and second is not None
    assert first["previous"]["checksum"] == load_release(SHIPPED_RELEASE_DIR).checksum
    assert any("list SDN shrinks from 15,824 to 12" in text for text in first["accepted_shrink"])
    assert second["accepted_shrink"] == []
    assert second["without"] == ["ofac-cons"]
    assert second["previous"]["version"] == "2026.03.02"
    sdn = second["sources"]["ofac-sdn"]
    assert sdn["records"] == 14
    assert set(sdn["files"]) == {
        "ofac-sdn/ADD.CSV", "ofac-sdn/ALT.CSV", "ofac-sdn/SDN.CSV", "ofac-sdn/SDN_COMMENTS.CSV"
    }
    assert second["list_sources"]["SDN"] == "ofac-sdn"
    assert second["list_sources"]["PLC"] == "csl"


def test_releases_are_kept_immutable_with_their_checksums(two_updates: Path) -> None:
    for folder in (two_updates / RELEASES_DIR).iterdir():
        release = load_release(folder)  # every file verified against the manifest
        assert release.version == folder.name
        for path in folder.rglob("*"):
            if path.is_file():
                assert not path.stat().st_mode & 0o222, path  # read-only
    events = read_history(two_updates)
    assert [(e.action, e.version, e.previous_version) for e in events] == [
        ("update", "2026.03.02", "2026.02.27"),
        ("update", "2026.03.02.2", "2026.03.02"),
    ]


def test_what_each_source_supplies(two_updates: Path) -> None:
    release = load_release(two_updates / RELEASES_DIR / "2026.03.02.2")
    by_id = {entry.id: entry for entry in release.entries}
    # SDN from OFAC's own files, not from the CSL's SDN rows
    assert "SDN-26860" not in by_id  # a CSL SDN row
    assert by_id["SDN-306"].source.file == "ofac-sdn/SDN.CSV"
    # remarks cut at 1,000 characters continue, mid-word, in SDN_COMMENTS.CSV
    remarks = by_id["SDN-12300"].remarks
    assert remarks is not None and "Linked To: PROMO RAIZ S.A.S.;" in remarks
    assert remarks.endswith("Linked To: R D I S.A.")  # as SDN_COMMENTS.CSV ends it
    # the curated additions stay until an official Entity List entry carries them
    assert by_id["EL-2025-sophgo"].verification == "secondary-source"
    assert by_id["UN-IQi.001"].source.file == "un/consolidated.xml"


def test_the_consolidated_files_supply_their_lists(served: FixtureServer, tmp_path: Path) -> None:
    home = tmp_path / "home"
    seed(home)
    update_lists(options(home, served), DAY)
    directory = current_release_dir(home)
    assert directory is not None
    release = load_release(directory)
    by_id = {entry.id: entry for entry in release.entries}
    assert {i for i in by_id if i.split("-")[0] in {"PLC", "FSE", "SSI"}} == {
        "PLC-9659", "FSE-17526", "FSE-17527", "SSI-18299", "SSI-18782", "SSI-28603"
    }
    assert by_id["PLC-9659"].source.file == "ofac-cons/CONS_PRIM.CSV"
    assert by_id["PLC-9659"].programs == ("SDGT", "NS-PLC")
    assert "SDN-9659" in by_id  # on both lists, as the CSL has it
    assert by_id["CAP-15268"].source.file == "csl/consolidated.csv"  # CAP stays the CSL's


def test_a_consolidated_row_on_no_list_fails(served: FixtureServer, tmp_path: Path) -> None:
    # SDN rows served as the consolidated files: ent_num 36 (CUBA) names no non-SDN list
    for sdn, cons in zip(
        ("SDN.CSV", "ADD.CSV", "ALT.CSV", "SDN_COMMENTS.CSV"),
        ("CONS_PRIM.CSV", "CONS_ADD.CSV", "CONS_ALT.CSV", "CONS_COMMENTS.CSV"),
        strict=True,
    ):
        served.routes[f"/ofac/{cons}"] = Route((FIXTURES / "ofac-sdn" / "v1" / sdn).read_bytes())
    seed(tmp_path / "home")
    with pytest.raises(UpdateFailed) as caught:
        update_lists(options(tmp_path / "home", served), DAY)
    assert caught.value.problems[0] == (
        f"ofac-cons: {served.url('/ofac/')}: ofac-cons/CONS_PRIM.CSV:1: ent_num 36 has programs "
        "['CUBA'], which name none of CMIC, FSE, NS-MBS, PLC, SSI, and the CSL lists it on none "
        "of its other lists"
    )


def test_an_unchanged_update_adopts_nothing(
    two_updates: Path, tmp_path: Path, served: FixtureServer
) -> None:
    home = _copy(two_updates, tmp_path)
    served.serve_release(csl="v2", sdn="v2")
    before = snapshot(home)
    outcome = update_lists(options(home, served, without=WITHOUT_CONS), DAY)
    assert outcome.status == "unchanged" and outcome.version == "2026.03.02.2"
    assert snapshot(home) == before


def test_roll_back_and_forth(two_updates: Path, tmp_path: Path) -> None:
    home = _copy(two_updates, tmp_path)
    event = use_release("2026.03.02", home)
    assert (event.version, event.previous_version) == ("2026.03.02", "2026.03.02.2")
    assert current_release_dir(home) == home / RELEASES_DIR / "2026.03.02"
    use_release("shipped", home)
    assert current_release_dir(home) == SHIPPED_RELEASE_DIR
    assert (home / CURRENT_FILE).read_text() == "shipped\n"
    with pytest.raises(ListError, match=r"known versions: 2026\.03\.02, 2026\.03\.02\.2"):
        use_release("2020.01.01", home)
    elsewhere = shutil.copytree(home / RELEASES_DIR / "2026.03.02", tmp_path / "elsewhere")
    with pytest.raises(ListError, match="only stored releases"):
        use_release(str(elsewhere), home)
    assert [e.action for e in read_history(home)] == ["update", "update", "use", "use"]


def test_the_store_serves_the_default_release(
    two_updates: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCREEN_HOME", str(two_updates))
    monkeypatch.delenv("SCREEN_LISTS_DIR", raising=False)
    default_release.cache_clear()
    try:
        assert resolve_release_dir() == two_updates / RELEASES_DIR / "2026.03.02.2"
        assert default_release().version == "2026.03.02.2"
    finally:
        default_release.cache_clear()


def test_old_releases_beyond_the_kept_count_are_removed(
    served: FixtureServer, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    seed(home)
    update_lists(options(home, served, without=WITHOUT_CONS, keep=2), DAY)
    served.serve_release(csl="v2")
    update_lists(options(home, served, without=WITHOUT_CONS, keep=2), DAY)
    served.serve_release(csl="v2", sdn="v2")
    update_lists(options(home, served, without=WITHOUT_CONS, keep=2), DAY)
    assert sorted(p.name for p in (home / RELEASES_DIR).iterdir()) == [
        "2026.03.02.2", "2026.03.02.3"
    ]  # the seed release and the first update are gone
    use_release("2026.03.02.2", home)  # the previous one is still there to roll back to


def test_one_writer_at_a_time(served: FixtureServer, tmp_path: Path) -> None:
    home = tmp_path / "home"
    with store_lock(home), pytest.raises(StoreBusy, match="another screen process"):
        update_lists(options(home, served, accept_shrink=True), DAY)


def test_what_a_crashed_update_left_is_cleared(served: FixtureServer, tmp_path: Path) -> None:
    home = tmp_path / "home"
    leftover = home / "staging" / "2026.03.01.999.1"
    (leftover / "entries").mkdir(parents=True)
    (leftover / "entries" / "SDN.jsonl").write_text("{")
    seed(home)
    update_lists(options(home, served), DAY)
    assert list((home / "staging").iterdir()) == []


def test_a_damaged_release_in_service_stops_the_update(
    two_updates: Path, tmp_path: Path, served: FixtureServer
) -> None:
    home = _copy(two_updates, tmp_path)
    damaged = home / RELEASES_DIR / "2026.03.02.2" / "entries" / "UN.jsonl"
    damaged.chmod(0o644)
    damaged.write_bytes(damaged.read_bytes().replace(b"SADDAM", b"SADAM", 1))
    with pytest.raises(UpdateFailed) as caught:
        update_lists(options(home, served, without=WITHOUT_CONS), DAY)
    (problem,) = caught.value.problems
    assert "cannot be loaded" in problem and "entries/UN.jsonl" in problem


def test_json_and_csv_csl_give_the_same_entries(served: FixtureServer, tmp_path: Path) -> None:
    rows = list(csv.DictReader(io.StringIO((FIXTURES / "csl" / "v1.csv").read_text("utf-8"))))
    results = [_as_json_result(row) for row in rows]
    body = json.dumps({"results": results}, ensure_ascii=False).encode("utf-8")
    json_type = {"Content-Type": "application/json"}
    served.routes["/csl/consolidated.json"] = Route(body, headers=json_type)
    seed(tmp_path / "a")
    seed(tmp_path / "b")
    from_csv = update_lists(options(tmp_path / "a", served), DAY)
    urls = {**served.urls, "csl": served.url("/csl/consolidated.json")}
    from_json = update_lists(options(tmp_path / "b", served, urls=urls), DAY)

    def content(directory: Path) -> list[dict[str, object]]:
        return [
            entry.model_dump(exclude={"source"})
            for entry in load_release(directory).entries
            if entry.source.file.startswith("csl/")
        ]

    assert content(from_csv.directory) == content(from_json.directory)
    assert len(content(from_csv.directory)) > 20
    names = [s.name for s in load_release(from_json.directory).sources]
    assert "csl/consolidated.json" in names


_LIST_COLUMNS = (
    "programs", "alt_names", "citizenships", "dates_of_birth", "nationalities", "places_of_birth"
)


def _as_json_result(row: dict[str, str]) -> dict[str, object]:
    """A CSV row in the shape of trade.gov's JSON (arrays, address and id objects)."""
    result: dict[str, object] = {("id" if k == "_id" else k): (v or None) for k, v in row.items()}
    for column in _LIST_COLUMNS:
        result[column] = [p.strip() for p in row[column].split(";") if p.strip()]
    addresses = []
    for part in (p.strip() for p in row["addresses"].split(";") if p.strip()):
        street, _, country = part.rpartition(", ")
        addresses.append({"address": street or None, "city": None, "country": country})
    result["addresses"] = addresses
    result["ids"] = [{"number": p.strip()} for p in row["ids"].split(";") if p.strip()]
    return result
