"""The update's proof: the maintainer's assertions (``--expect``), and curated additions reported
as superseded once an official source carries them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from batch_helpers import write_subset_release
from update_helpers import FIXTURES, FixtureServer, fixture_server, options, seed, snapshot

from screen.release.models import ListEntry, ListRelease
from screen.release.store import load_release, read_update_record
from screen.release.update.assemble import Curated, assemble
from screen.release.update.expect import ExpectError, check_release, read_expectations
from screen.release.update.fetch import Fetched
from screen.release.update.run import UpdateFailed, update_lists

PASSING = """\
# what every release must hold
[[present]]
id = "EL-2025-beijing-zhipu-huazhang-technology-co-ltd"
fields = { federal_register = ["90 FR 4617"], verification = "secondary-source" }

[[present]]
name = "zhipu ai"   # an alias; case and punctuation do not matter
list = "EL"

[[present]]
name = "MAHAN AIR"

[[absent]]
id = "SDN-10021"
why = "delisted"

[[count]]
list = "SDN"
min = 3
max = 3
"""

FAILING = """\
[[present]]
id = "EL-2025-sophgo"
why = "90 FR 4621"

[[present]]
id = "SDN-12927"
fields = { programs = ["SDGT"] }

[[absent]]
name = "Mahan Air"

[[count]]
list = "UN"
min = 1000
"""


@pytest.fixture(scope="module")
def subset(tmp_path_factory: pytest.TempPathFactory) -> ListRelease:
    """Five real entries of the shipped release (Mahan Air, VTB, Prigozhin, al-Duri, Zhipu)."""
    return load_release(write_subset_release(tmp_path_factory.mktemp("subset") / "release"))


def _file(tmp_path: Path, text: str, name: str = "expect.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_assertions_that_hold(subset: ListRelease, tmp_path: Path) -> None:
    expectations = read_expectations(_file(tmp_path, PASSING))
    assert len(expectations) == 5
    assert check_release(subset, expectations) == []


def test_assertions_that_fail_say_which_and_why(subset: ListRelease, tmp_path: Path) -> None:
    failures = check_release(subset, read_expectations(_file(tmp_path, FAILING)))
    assert failures == [
        "present[1]: expected id EL-2025-sophgo: not found (90 FR 4621)",
        "present[2]: SDN-12927: programs is ['SDGT', 'NPWMD', 'IFSR'], expected ['SDGT']",
        "absent[1]: expected no name 'Mahan Air': found SDN-12927",
        "count[1]: list UN has 1 entry, expected at least 1,000",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[present]\nid = 1", "not valid TOML"),
        ("[[present]]\nid = 'X'\nnmae = 'Y'", "present[1]: unknown keys ['nmae']"),
        ("[[absent]]\nwhy = 'no id'", "absent[1]: give an id or a name"),
        ("[[count]]\nlist = 'XX'\nmin = 1", "count[1]: list 'XX' is not a list code"),
        ("[[present]]\nid = 'X'\nfields = { colour = 'red' }", "['colour'] are not entry fields"),
        ("[[count]]\nlist = 'UN'", "count[1]: give a list and a min or a max"),
        ("[lists]\nUN = 3", "unknown sections ['lists']"),
        ("# nothing", "no [[present]], [[absent]] or [[count]] entries"),
    ],
)
def test_a_bad_expectations_file_is_refused(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ExpectError, match=message.replace("[", r"\[").replace("]", r"\]")):
        read_expectations(_file(tmp_path, text))


@pytest.fixture(scope="module")
def server() -> Iterator[FixtureServer]:
    with fixture_server() as running:
        yield running


def test_an_update_whose_assertions_fail_is_not_adopted(
    server: FixtureServer, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    seed(home)
    update_lists(options(home, server))
    before = snapshot(home)
    expect = _file(tmp_path, '[[present]]\nid = "SDN-12927"\nwhy = "Mahan Air stays listed"\n')
    with pytest.raises(UpdateFailed) as caught:
        update_lists(options(home, server, expect=expect))
    assert caught.value.problems == [
        f"--expect {expect}: present[1]: expected id SDN-12927: not found (Mahan Air stays listed)"
    ]
    assert snapshot(home) == before


def test_an_update_whose_assertions_hold_records_them(
    server: FixtureServer, tmp_path: Path
) -> None:
    expect = _file(tmp_path, '[[present]]\nname = "BANCO NACIONAL DE CUBA"\nlist = "SDN"\n')
    seed(tmp_path / "home")
    outcome = update_lists(options(tmp_path / "home", server, expect=expect))
    assert outcome.assertions == 1
    record = read_update_record(outcome.directory)
    assert record is not None and record["expect"]["assertions"] == 1
    assert "assertions: 1 held" in (outcome.directory / "update" / "summary.txt").read_text()


def test_a_bad_expectations_file_fails_before_any_download(
    server: FixtureServer, tmp_path: Path
) -> None:
    server.requests.clear()
    with pytest.raises(UpdateFailed, match=r"--expect: .*not valid TOML"):
        update_lists(options(tmp_path / "home", server, expect=_file(tmp_path, "[[x")))
    assert server.requests == []


# ------------------------------------------------------------------ curated additions


def _downloads() -> dict[str, dict[str, Fetched]]:
    data = (FIXTURES / "csl" / "v1.csv").read_bytes()
    fetched = Fetched(
        "csl", "http://127.0.0.1/csl", "http://127.0.0.1/csl", data,
        dt.datetime(2026, 3, 2, tzinfo=dt.UTC), None, None,
    )
    return {"csl": {"csl/consolidated": fetched}}


def _official_e_science() -> ListEntry:
    result = assemble(_downloads(), {"csl": "http://127.0.0.1/csl"}, None)
    (entry,) = [e for e in result.entries if e.name == "Beijing E-science Co., Ltd."]
    return entry


def _curated(entry: ListEntry, **changes: object) -> Curated:
    copy = entry.model_copy(
        update={"id": "EL-2025-e-science", "verification": "secondary-source", **changes}
    )
    return Curated((copy,), ())


def test_a_curated_addition_an_official_entry_carries_is_superseded() -> None:
    official = _official_e_science()
    # as the notes might give it: the official name, in other case and punctuation
    curated = _curated(official, name="BEIJING E-SCIENCE CO LTD", aliases=())
    result = assemble(_downloads(), {"csl": "http://127.0.0.1/csl"}, curated)
    assert "EL-2025-e-science" not in {entry.id for entry in result.entries}
    assert result.superseded == [
        f"EL-2025-e-science ('BEIJING E-SCIENCE CO LTD', secondary-source) is superseded by the "
        f"official {official.id} ('Beijing E-science Co., Ltd.') and left out"
    ]


def test_a_shorter_curated_name_is_superseded_under_the_same_citation() -> None:
    official = _official_e_science()
    assert official.federal_register == ("86 FR 36496",)
    same_rule = _curated(official, name="Beijing E-science", aliases=())
    result = assemble(_downloads(), {"csl": "http://127.0.0.1/csl"}, same_rule)
    assert len(result.superseded) == 1
    other_rule = _curated(
        official, name="Beijing E-science", aliases=(), federal_register=("90 FR 4617",)
    )
    result = assemble(_downloads(), {"csl": "http://127.0.0.1/csl"}, other_rule)
    assert result.superseded == []
    assert "EL-2025-e-science" in {entry.id for entry in result.entries}
