"""screen.chips.lookup: finding known chips in free text, classifying them, batch item results."""

from __future__ import annotations

import datetime as dt

import pytest

from screen.chips import classify_chip, classify_item, default_chip_data, lookup, suggest

TODAY_RULE = dt.date(2024, 6, 1)  # 2023 rule in force, before the April 2025 H20 notice


@pytest.mark.parametrize(
    ("text", "chip"),
    [
        ("nvidia h100 sxm5 80gb", "NVIDIA H100 SXM"),
        ("H100-SXM5 80GB", "NVIDIA H100 SXM"),
        ("h100sxm", "NVIDIA H100 SXM"),
        ("NVIDIA H100 PCIe 80GB", "NVIDIA H100 PCIe"),
        ("h100 pci-express", "NVIDIA H100 PCIe"),
        ("A800", "NVIDIA A800 (SXM/PCIe)"),
        ("nvidia a800", "NVIDIA A800 (SXM/PCIe)"),
        ("A800 80GB PCIe", "NVIDIA A800 (SXM/PCIe)"),
        ("H20 141GB", "NVIDIA H20 (HGX)"),
        ("HGX H20", "NVIDIA H20 (HGX)"),
        ("h200", "NVIDIA H200 SXM"),
        ("H800", "NVIDIA H800 SXM"),
        ("Tesla A100 40GB", "NVIDIA A100 (SXM/PCIe)"),
        ("L40S", "NVIDIA L40S"),
        ("L20", "NVIDIA L20 (PCIe)"),
        ("GeForce RTX 4090", "NVIDIA GeForce RTX 4090"),
        ("rtx4090", "NVIDIA GeForce RTX 4090"),
        ("B200", "NVIDIA B200 (HGX, 1000 W)"),
        ("AMD Instinct MI250X", "AMD Instinct MI250X"),
        ("MI-250X", "AMD Instinct MI250X"),
        ("mi250", "AMD Instinct MI250"),
        ("MI300X OAM", "AMD Instinct MI300X"),
        ("Huawei Ascend 910", "Huawei Ascend 910"),
        ("ascend 910b", "Huawei Ascend 910B"),
        ("910B", "Huawei Ascend 910B"),
        ("8xH100 SXM server", "NVIDIA H100 SXM"),
        ("ＨＧＸ Ｈ２０", "NVIDIA H20 (HGX)"),  # full-width forms
    ],
)
def test_lookup_finds_the_chip(text: str, chip: str) -> None:
    match = lookup(text, as_of=TODAY_RULE)
    assert match is not None and match.chip.name == chip


@pytest.mark.parametrize(
    "text",
    [
        "H2O water",
        "A1000",
        "A100X converged accelerator",
        "RTX 4090D",
        "GB200 NVL72",
        "H 100",
        "A 100 kg steel",
        "910",
        "Ascend 910C",
        "MI325X",
        "L40",
        "nvidia",
        "",
        "   ",
        "steel bolts M8",
    ],
)
def test_lookup_has_no_false_match(text: str) -> None:
    assert lookup(text, as_of=TODAY_RULE) is None


def test_unstated_variant_is_ambiguous_with_alternatives() -> None:
    match = lookup("NVIDIA H100 80GB", as_of=TODAY_RULE)
    assert match is not None
    assert match.ambiguous
    assert match.chip.name == "NVIDIA H100 SXM"
    assert [a.name for a in match.alternatives] == ["NVIDIA H100 PCIe"]
    assert match.alternatives[0].eccn == "3A090.a"


def test_stated_variant_is_not_ambiguous() -> None:
    match = lookup("H100 PCIe", as_of=TODAY_RULE)
    assert match is not None and not match.ambiguous and match.exact


def test_variant_missing_from_the_data_is_flagged() -> None:
    match = lookup("H800 PCIe", as_of=TODAY_RULE)
    assert match is not None
    assert match.chip.name == "NVIDIA H800 SXM"
    assert not match.exact
    assert any("PCIE" in warning for warning in match.warnings)


def test_several_chips_named_are_ambiguous() -> None:
    match = lookup("A100 or H20", as_of=TODAY_RULE)
    assert match is not None and match.ambiguous
    assert match.chip.name == "NVIDIA A100 (SXM/PCIe)"
    assert "NVIDIA H20 (HGX)" in [a.name for a in match.alternatives]


def test_every_known_chip_is_found_by_its_own_name() -> None:
    for chip in default_chip_data().chips.chips:
        match = lookup(chip.name, as_of=TODAY_RULE)
        assert match is not None and match.chip.id == chip.id, chip.name
        assert not match.ambiguous, chip.name


# ---- worked examples through lookup ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "eccn", "paragraph"),
    [
        ("A100", "3A090.a", "3A090.a.1"),
        ("A800", "3A090.a", "3A090.a.1"),
        ("H100 SXM", "3A090.a", "3A090.a.1"),
        ("H800", "3A090.a", "3A090.a.1"),
        ("H200", "3A090.a", "3A090.a.1"),
        ("H100 PCIe", "3A090.a", "3A090.a.1"),
        ("L40S", "3A090.a", "3A090.a.1"),
        ("B200", "3A090.a", "3A090.a.1"),
        ("MI300X", "3A090.a", "3A090.a.1"),
        ("MI250X", "3A090.a", "3A090.a.1"),
        ("MI250", "3A090.a", "3A090.a.1"),
        ("RTX 4090", "3A090.a", "3A090.a.1"),
        ("Ascend 910", "3A090.a", "3A090.a.2"),
        ("H20", None, None),
        ("L20", None, None),
    ],
)
def test_worked_examples_by_name(text: str, eccn: str | None, paragraph: str | None) -> None:
    match = lookup(text, as_of=TODAY_RULE)
    assert match is not None
    assert (match.classification.eccn, match.classification.paragraph) == (eccn, paragraph)


def test_rtx_4090_is_nac_eligible_and_a100_is_not() -> None:
    rtx = lookup("RTX 4090", as_of=TODAY_RULE)
    a100 = lookup("A100", as_of=TODAY_RULE)
    assert rtx is not None and rtx.classification.nac_eligible is True
    assert a100 is not None and a100.classification.nac_eligible is False


@pytest.mark.parametrize(
    ("text", "in_2022", "in_2023"),
    [
        ("A100", "3A090.a", "3A090.a"),
        ("A800", None, "3A090.a"),
        ("H800", None, "3A090.a"),
        ("H100 SXM", "3A090.a", "3A090.a"),
    ],
)
def test_2022_versus_2023(text: str, in_2022: str | None, in_2023: str | None) -> None:
    old = lookup(text, as_of=dt.date(2023, 1, 1))
    new = lookup(text, as_of=dt.date(2024, 1, 1))
    assert old is not None and new is not None
    assert old.classification.status == ("controlled" if in_2022 else "not-controlled")
    assert (old.classification.eccn, new.classification.eccn) == (in_2022, in_2023)
    assert old.classification.rule is not None
    assert old.classification.rule.citation == "87 FR 62186"


def test_2022_io_caveat_is_reported_for_a800() -> None:
    match = lookup("A800", as_of=dt.date(2023, 1, 1))
    assert match is not None
    assert any(w.startswith("I/O rate:") for w in match.warnings)
    assert any("400" in line for line in match.classification.arithmetic)


def test_chip_without_io_figure_is_insufficient_under_2022_rule() -> None:
    match = lookup("H100 PCIe", as_of=dt.date(2023, 1, 1))
    assert match is not None and match.classification.status == "insufficient-data"


def test_h20_notice_is_dated() -> None:
    before = lookup("H20", as_of=dt.date(2025, 4, 8))
    on = lookup("H20", as_of=dt.date(2025, 4, 9))
    later = lookup("H20", as_of=dt.date(2025, 8, 1))
    assert before is not None and on is not None and later is not None
    assert before.notices == ()
    assert [n.id for n in on.notices] == ["usg-h20-license-2025-04"]
    assert on.notices[0].url is not None and "sec.gov" in on.notices[0].url
    assert [n.kind for n in later.notices] == ["license-requirement", "license-statement"]
    assert on.classification.eccn is None  # the notice is not an ECCN threshold


def test_h20_caveat_on_inferred_die_area() -> None:
    match = lookup("H20", as_of=TODAY_RULE)
    assert match is not None
    assert any("inferred" in w for w in match.warnings)


def test_ascend_910b_blank_figures_stay_blank() -> None:
    match = lookup("Ascend 910B", as_of=TODAY_RULE)
    assert match is not None
    assert match.chip.tpp is None and match.chip.figures == ()
    assert match.classification.status == "insufficient-data"
    assert match.classification.missing == ("tpp",)


def test_computed_classification_agrees_with_the_sources_own_conclusion() -> None:
    # likely_eccn is the compiler's note; screen must reach the same level independently.
    for chip in default_chip_data().chips.chips:
        result = classify_chip(chip, as_of=TODAY_RULE)
        note = chip.likely_eccn or ""
        if note.startswith("3A090.a") or "meet 3A090.a" in note:
            assert result.eccn == "3A090.a", chip.name
        elif note.startswith("Not 3A090"):
            assert result.eccn is None and result.status == "not-controlled", chip.name
        else:
            assert result.status == "insufficient-data", chip.name  # Ascend 910B: no TOPS


# ---- batch items ----------------------------------------------------------------------------


def test_classify_item_statuses() -> None:
    assert classify_item("steel bolts", TODAY_RULE).status == "unknown-item"
    assert classify_item("", TODAY_RULE).status == "unknown-item"
    assert classify_item("A100 80GB", TODAY_RULE).status == "controlled"
    assert classify_item("L20", TODAY_RULE).status == "not-controlled"
    assert classify_item("Ascend 910B", TODAY_RULE).status == "insufficient-data"
    assert classify_item("H100 PCIe", dt.date(2023, 1, 1)).status == "insufficient-data"


def test_classify_item_h20_license_requirement_after_notice() -> None:
    before = classify_item("H20", dt.date(2025, 1, 1))
    after = classify_item("H20", dt.date(2025, 4, 10))
    assert (before.status, before.eccn) == ("not-controlled", None)
    assert (after.status, after.eccn) == ("controlled", None)
    assert "license required outside the ECCN thresholds since 2025-04-09" in after.summary


def test_classify_item_summary_is_one_line() -> None:
    for text in ("H100", "A800", "RTX 4090", "H20", "Ascend 910B", "H800 PCIe", "nothing"):
        summary = classify_item(text, TODAY_RULE).summary
        assert summary and "\n" not in summary


def test_ambiguous_item_whose_candidates_agree_keeps_the_result() -> None:
    result = classify_item("H100", TODAY_RULE)
    assert (result.status, result.eccn) == ("controlled", "3A090.a")
    assert "ambiguous" in result.summary


def test_suggest_offers_near_model_numbers_only() -> None:
    assert "NVIDIA H100 SXM" in suggest("H1OO")
    assert suggest("steel bolts") == ()
