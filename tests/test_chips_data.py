"""The chip release data: the converter (deterministic, fails loudly), the shipped files, loading.

Converter tests read ``../shared/data/chips`` (beside the repository) and skip when it is absent.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import BaseModel

from screen.chips import ChipDataError, default_chip_data, load_chip_data
from screen.chips.models import CitedText, RuleBook
from screen.release.sources.chips import RULE_TABLE, SUPPLEMENTS, ChipSourceError, convert_chips
from screen.release.store import SHIPPED_RELEASE_DIR

REPO = Path(__file__).resolve().parents[1]
SHARED_CHIPS = REPO / ".." / "shared" / "data" / "chips"
RELEASE = SHIPPED_RELEASE_DIR
FILES = ("chips/rules.json", "chips/chips.json")

needs_shared = pytest.mark.skipif(
    not (SHARED_CHIPS / "chips.csv").is_file(), reason="../shared/data/chips is not available"
)


@pytest.fixture
def chips_dir(tmp_path: Path) -> Path:
    """A writable copy of the shared chips source directory."""
    target = tmp_path / "chips"
    shutil.copytree(SHARED_CHIPS, target)
    for path in target.iterdir():
        path.chmod(0o644)
    return target


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# ---- the converter --------------------------------------------------------------------------


@needs_shared
def test_converter_rebuilds_the_shipped_files_byte_for_byte() -> None:
    built = convert_chips(SHARED_CHIPS)
    assert sorted(built) == sorted(FILES)
    for name, data in built.items():
        assert (RELEASE / name).read_bytes() == data, f"lists/{name} is stale: rebuild the release"


@needs_shared
def test_converter_is_deterministic() -> None:
    assert convert_chips(SHARED_CHIPS) == convert_chips(SHARED_CHIPS)


@needs_shared
def test_every_csv_row_is_converted_and_blanks_stay_blank() -> None:
    table = json.loads(convert_chips(SHARED_CHIPS)["chips/chips.json"])
    rows = (SHARED_CHIPS / "chips.csv").read_text(encoding="utf-8").count("\n") - 1
    assert len(table["chips"]) == rows == 16
    ascend_b = next(c for c in table["chips"] if c["name"] == "Huawei Ascend 910B")
    assert (
        ascend_b["tpp"] is None
        and ascend_b["figures"] == []
        and ascend_b["die_area_mm2"] == "665.61"
    )
    ascend = next(c for c in table["chips"] if c["name"] == "Huawei Ascend 910")
    assert [(f["precision"], f["dense_tops"], f["bit_length"]) for f in ascend["figures"]] == [
        ("FP16", "256", 16),
        ("INT8", "512", 8),
    ]


A100_FIGURES = ",624,8,4992,826,6.04,yes,"


@needs_shared
@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (A100_FIGURES, ",624,8,4993,826,6.04,yes,", "tpp 4993"),
        (A100_FIGURES, ",624,8,4992,826,6.10,yes,", "performance_density"),
        (A100_FIGURES, ",624,8,4992,826,6.04,maybe,", "datacenter"),
        (A100_FIGURES, ",six hundred,8,4992,826,6.04,yes,", "dense_tops"),
        ("chip,vendor,", "name,vendor,", "header"),
    ],
)
def test_bad_csv_is_refused_with_file_line_and_field(
    chips_dir: Path, old: str, new: str, message: str
) -> None:
    _replace(chips_dir / "chips.csv", old, new)
    with pytest.raises(ChipSourceError, match=message) as caught:
        convert_chips(chips_dir)
    assert str(caught.value).startswith("chips/chips.csv:")
    if message != "header":
        assert caught.value.line == 2


@needs_shared
def test_changed_rules_md_requires_a_review(chips_dir: Path) -> None:
    with (chips_dir / "rules.md").open("a", encoding="utf-8") as handle:
        handle.write("\nA new note.\n")
    with pytest.raises(ChipSourceError, match="changed since the rule table was reviewed"):
        convert_chips(chips_dir)


@needs_shared
def test_text_marked_quoted_must_be_verbatim(chips_dir: Path, tmp_path: Path) -> None:
    table = json.loads(RULE_TABLE.read_text(encoding="utf-8"))
    table["categories"][0]["text"]["text"] = "a. Integrated circuits having a TPP of 4800 or more."
    edited = tmp_path / "chip_rules.json"
    edited.write_text(json.dumps(table), encoding="utf-8")
    with pytest.raises(ChipSourceError, match="not verbatim") as caught:
        convert_chips(chips_dir, rule_table=edited)
    assert caught.value.field == "categories[0].text"


@needs_shared
def test_supplement_caveats_and_io_quotes_must_be_verbatim(chips_dir: Path, tmp_path: Path) -> None:
    supplements = json.loads(SUPPLEMENTS.read_text(encoding="utf-8"))
    supplements["chips"][1]["io"]["quote"] = "NVLink 300 GB/s."
    edited = tmp_path / "supplements.json"
    edited.write_text(json.dumps(supplements), encoding="utf-8")
    with pytest.raises(ChipSourceError, match="I/O quote"):
        convert_chips(chips_dir, supplements=edited)
    supplements = json.loads(SUPPLEMENTS.read_text(encoding="utf-8"))
    supplements["chips"][5]["caveats"].append("vendor-confirmed die area")
    edited.write_text(json.dumps(supplements), encoding="utf-8")
    with pytest.raises(ChipSourceError, match="caveat"):
        convert_chips(chips_dir, supplements=edited)
    supplements["chips"][5]["chip"] = "NVIDIA H30"
    edited.write_text(json.dumps(supplements), encoding="utf-8")
    with pytest.raises(ChipSourceError, match="no row"):
        convert_chips(chips_dir, supplements=edited)


def test_missing_source_directory_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ChipSourceError, match=r"chips/chips\.csv: cannot read source file"):
        convert_chips(tmp_path / "nowhere")


# ---- the shipped rule data ------------------------------------------------------------------


def _cited(node: object) -> Iterator[CitedText]:
    if isinstance(node, CitedText):
        yield node
    elif isinstance(node, tuple):
        for item in node:
            yield from _cited(item)
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from _cited(getattr(node, name))


def test_rule_data_validates_and_dates_every_version() -> None:
    rules: RuleBook = default_chip_data().rules
    by_citation = {v.citation: v for v in rules.versions}
    expected = {
        "87 FR 62186": ("2022-21658", "2022-10-13", "2022-10-07", "superseded"),
        "88 FR 73458": ("2023-23055", "2023-10-25", "2023-11-17", "in-force"),
        "89 FR 96790": ("2024-28270", "2024-12-05", "2024-12-02", "not-recorded"),
        "90 FR 4544": (
            "2025-00636",
            "2025-01-15",
            "2025-01-15",
            "rescission-announced-not-enforced",
        ),
    }
    for citation, (doc, published, in_force, status) in expected.items():
        version = by_citation[citation]
        assert version.fr_doc == doc
        assert (str(version.published), str(version.in_force_from)) == (published, in_force)
        assert version.status.code == status
        assert version.urls or version.status.url
    diffusion = by_citation["90 FR 4544"]
    assert diffusion.status.since == dt.date(2025, 5, 13)
    assert diffusion.status.url is not None and diffusion.status.url.startswith(
        "https://www.bis.gov/"
    )
    assert diffusion.thresholds is None  # changed licensing, not thresholds
    hbm = by_citation["89 FR 96790"]
    assert [str(c.date) for c in hbm.compliance_dates] == ["2024-12-31"]


def test_categories_cover_3a090_and_4a090() -> None:
    eccns = {c.eccn for c in default_chip_data().rules.categories}
    assert {"3A090.a", "3A090.b", "3A090.c", "4A090.a", "4A090.b"} <= eccns


def test_verification_marks_follow_the_source_notes() -> None:
    rules = default_chip_data().rules
    version = next(v for v in rules.versions if v.citation == "88 FR 73458")
    assert version.thresholds is not None
    marks = {p.paragraph: p.text.verification for p in version.thresholds.paragraphs}
    # rules.md: 3A090.a wording quoted; 3A090.b "verbatim wording not retrieved".
    assert marks == {
        "3A090.a.1": "quoted",
        "3A090.a.2": "quoted",
        "3A090.b.1": "paraphrase",
        "3A090.b.2": "paraphrase",
    }
    assert all(c.verification in {"quoted", "paraphrase"} for c in _cited(rules))
    assert rules.verification_caveat.startswith("The Federal Register full text")


@needs_shared
def test_every_quoted_text_is_in_rules_md() -> None:
    raw = (SHARED_CHIPS / "rules.md").read_text(encoding="utf-8")
    squashed = " ".join(
        line.strip().removeprefix("> ").removeprefix(">") for line in raw.splitlines()
    )
    squashed = " ".join(squashed.split())
    quoted = [c for c in _cited(default_chip_data().rules) if c.verification == "quoted"]
    assert len(quoted) >= 10
    for cited in quoted:
        assert " ".join(cited.text.split()) in squashed, cited.text


def test_thresholds_are_the_published_figures() -> None:
    rules = default_chip_data().rules
    version = next(v for v in rules.versions if v.citation == "88 FR 73458")
    assert version.thresholds is not None
    limits = {
        p.paragraph: [(c.parameter, c.min, c.below) for c in p.conditions]
        for p in version.thresholds.paragraphs
    }
    d = Decimal
    assert limits == {
        "3A090.a.1": [("tpp", d(4800), None)],
        "3A090.a.2": [("tpp", d(1600), None), ("performance_density", d("5.92"), None)],
        "3A090.b.1": [("tpp", d(2400), d(4800)), ("performance_density", d("1.6"), d("5.92"))],
        "3A090.b.2": [("tpp", d(1600), None), ("performance_density", d("3.2"), d("5.92"))],
    }


# ---- the release --------------------------------------------------------------------------


def test_chip_files_are_in_the_release_manifest_and_checksum() -> None:
    manifest_path = RELEASE / "release.json"
    if not manifest_path.is_file():
        pytest.skip("lists/release.json does not exist yet (the list release is built separately)")
    from screen.release.store import release_checksum

    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    for name in FILES:
        digest = hashlib.sha256((RELEASE / name).read_bytes()).hexdigest()
        assert manifest["files"].get(name) == digest, (
            f"{name} is not (or not currently) in the release"
        )
    assert manifest["checksum"] == release_checksum(manifest["files"])


def test_loading_refuses_chip_files_that_do_not_match_the_manifest(tmp_path: Path) -> None:
    release = tmp_path / "lists"
    shutil.copytree(RELEASE, release)
    chips_file = release / "chips" / "chips.json"
    chips_file.chmod(0o644)
    chips_file.write_bytes(chips_file.read_bytes().replace(b'"4992"', b'"4000"', 1))
    with pytest.raises(ChipDataError, match=r"chips/chips\.json"):
        load_chip_data(release)


def test_loading_a_good_copy_works(tmp_path: Path) -> None:
    release = tmp_path / "lists"
    shutil.copytree(RELEASE, release)
    data = load_chip_data(release)
    assert len(data.chips.chips) == len(default_chip_data().chips.chips)
