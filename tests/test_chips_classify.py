"""screen.chips.classify: 3A090 thresholds by rule version, exact boundaries, missing figures.

Figures are the ones of ``shared/data/chips/worked_examples.md`` and rules.md section 7; the
thresholds come from the shipped rule data, never from this file.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from screen.chips import (
    Classification,
    classify,
    classify_hbm,
    control_level,
    default_chip_data,
    performance_density,
    tpp,
)

RULE_2023 = dt.date(2024, 1, 1)
RULE_2022 = dt.date(2023, 1, 1)


def _dc(
    value_tpp: float | Decimal | Fraction | int, pd: float | Decimal | Fraction
) -> Classification:
    return classify(tpp=value_tpp, performance_density=pd, datacenter=True, as_of=RULE_2023)


# ---- tpp and performance density ------------------------------------------------------------


def test_tpp_is_dense_tops_times_bit_length() -> None:
    assert tpp(624, 8) == Decimal(4992)
    assert tpp(660.6, 8) == Decimal("5284.8")
    assert tpp(Decimal("362.1"), 16) == Decimal("5793.6")
    assert tpp(256, 16) == tpp(512, 8) == Decimal(4096)


def test_bis_worked_example_reaches_4800_both_ways() -> None:
    # "600 tera integer operations ... at 8 bits or 300 tera FLOPS ... at 16 bits"
    assert tpp(600, 8) == tpp(300, 16) == Decimal(4800)


def test_performance_density_is_tpp_over_area() -> None:
    assert performance_density(3000, 600) == Decimal(5)
    assert round(performance_density(4992, 826), 2) == Decimal("6.04")
    assert round(performance_density(2368, 814), 2) == Decimal("2.91")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: tpp(-1, 8), "dense_tops"),
        (lambda: tpp(100, 0), "bit_length"),
        (lambda: tpp(float("nan"), 8), "finite"),
        (lambda: performance_density(100, 0), "die_area_mm2"),
        (lambda: classify(tpp=-5), "tpp"),
        (lambda: classify(tpp=3000, die_area_mm2=0), "die_area_mm2"),
        (lambda: classify(tpp=3000, die_area_mm2=600, performance_density=9), "contradicts"),
    ],
)
def test_impossible_figures_are_refused(call: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()  # type: ignore[operator]


# ---- worked examples (2023 rule) ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "dense", "bits", "area", "paragraphs"),
    [
        ("A100 / A800", 624, 8, 826, ("3A090.a.1", "3A090.a.2")),
        ("H100 SXM / H800 SXM / H200", 1979, 8, 814, ("3A090.a.1", "3A090.a.2")),
        ("H100 PCIe", 1513, 8, 814, ("3A090.a.1", "3A090.a.2")),
        ("L40S", 733, 8, Decimal("608.5"), ("3A090.a.1", "3A090.a.2")),
        ("B200", 4500, 8, None, ("3A090.a.1",)),
        ("MI300X", Decimal("2614.9"), 8, None, ("3A090.a.1",)),
        ("MI250X", 383, 16, None, ("3A090.a.1",)),
        ("MI250", Decimal("362.1"), 16, None, ("3A090.a.1",)),
    ],
)
def test_worked_examples_3a090a(
    name: str,
    dense: int | Decimal,
    bits: int,
    area: int | Decimal | None,
    paragraphs: tuple[str, ...],
) -> None:
    result = classify(tpp=tpp(dense, bits), die_area_mm2=area, as_of=RULE_2023)
    assert (result.status, result.eccn, result.paragraph) == ("controlled", "3A090.a", "3A090.a.1")
    assert result.paragraphs_met == paragraphs, name
    assert result.nac_eligible is False  # datacenter 3A090.a: license required
    assert result.systems_eccn == "4A090.a"
    assert result.rule is not None and result.rule.citation == "88 FR 73458"


def test_worked_example_a100_arithmetic() -> None:
    result = classify(tpp=tpp(624, 8), die_area_mm2=826, as_of=RULE_2023)
    assert result.tpp == 4992
    assert result.performance_density is not None
    assert round(result.performance_density, 2) == Decimal("6.04")
    assert "PD = TPP / die area = 4992 / 826 mm2 = ~6.0436" in result.arithmetic


def test_worked_example_rtx_4090_non_datacenter_is_3a090a_nac() -> None:
    result = classify(tpp=tpp(660.6, 8), die_area_mm2=608.5, datacenter=False, as_of=RULE_2023)
    assert result.tpp == Decimal("5284.8")
    assert (result.eccn, result.paragraph) == ("3A090.a", "3A090.a.1")
    assert result.nac_eligible is True
    assert result.tests[0].paragraph == "Note 2 to 3A090" and result.tests[0].outcome == "met"


def test_worked_example_hypothetical_3000_on_600_is_3a090b() -> None:
    result = classify(tpp=3000, die_area_mm2=600, datacenter=True, as_of=RULE_2023)
    assert (result.eccn, result.paragraph) == ("3A090.b", "3A090.b.1")
    assert result.paragraphs_met == ("3A090.b.1", "3A090.b.2")
    assert result.nac_eligible is True
    assert result.systems_eccn == "4A090.b"


def test_worked_example_h20_is_outside_3a090() -> None:
    result = classify(tpp=tpp(296, 8), die_area_mm2=814, as_of=RULE_2023)
    assert result.tpp == 2368
    assert (result.status, result.eccn) == ("not-controlled", None)
    outcomes = {t.paragraph: t.outcome for t in result.tests}
    assert outcomes == dict.fromkeys(
        ("3A090.a.1", "3A090.a.2", "3A090.b.1", "3A090.b.2"), "not met"
    )
    assert result.performance_density is not None
    assert round(result.performance_density, 2) == Decimal("2.91")


def test_worked_example_l20_and_its_thin_margin() -> None:
    assert classify(tpp=tpp(239, 8), die_area_mm2=608.5, as_of=RULE_2023).eccn is None
    # "a die under 597.5 mm2, or dense TOPS above 243.3, would make it 3A090.b.2"
    smaller_die = classify(tpp=tpp(239, 8), die_area_mm2=597.4, as_of=RULE_2023)
    assert (smaller_die.eccn, smaller_die.paragraph) == ("3A090.b", "3A090.b.2")
    assert classify(tpp=tpp(239, 8), die_area_mm2=597.6, as_of=RULE_2023).eccn is None
    assert classify(tpp=tpp(243.3, 8), die_area_mm2=608.5, as_of=RULE_2023).eccn is None
    assert classify(tpp=tpp(243.4, 8), die_area_mm2=608.5, as_of=RULE_2023).eccn == "3A090.b"


def test_worked_example_ascend_910_meets_a2() -> None:
    result = classify(tpp=tpp(256, 16), die_area_mm2=456.25, as_of=RULE_2023)
    assert result.tpp == 4096
    assert (result.eccn, result.paragraph) == ("3A090.a", "3A090.a.2")


# ---- 2022 rule (87 FR 62186): I/O AND TPP ---------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value_tpp", "io", "eccn"),
    [
        ("A100", 4992, 600, "3A090.a"),
        ("A800", 4992, 400, None),
        ("H800", 15832, 400, None),
        ("H100", 15832, 900, "3A090.a"),
    ],
)
def test_2022_rule_needs_io_and_tpp(name: str, value_tpp: int, io: int, eccn: str | None) -> None:
    result = classify(tpp=value_tpp, io_gbps=io, as_of=RULE_2022)
    assert result.eccn == eccn, name
    assert result.rule is not None and result.rule.citation == "87 FR 62186"
    assert result.nac_eligible is None  # no NAC recorded for the 2022 version


def test_a800_contrast_2022_versus_2023() -> None:
    assert classify(tpp=4992, die_area_mm2=826, io_gbps=400, as_of=RULE_2022).eccn is None
    assert classify(tpp=4992, die_area_mm2=826, io_gbps=400, as_of=RULE_2023).eccn == "3A090.a"


def test_2022_boundaries() -> None:
    assert classify(tpp=4800, io_gbps=600, as_of=RULE_2022).eccn == "3A090.a"
    assert classify(tpp=Decimal("4799.99"), io_gbps=600, as_of=RULE_2022).eccn is None
    assert classify(tpp=4800, io_gbps=Decimal("599.99"), as_of=RULE_2022).eccn is None


def test_2022_rule_missing_io_is_insufficient_not_a_guess() -> None:
    result = classify(tpp=15832, as_of=RULE_2022)
    assert (result.status, result.eccn) == ("insufficient-data", None)
    assert any("io_gbps" in need for need in result.missing)
    # Below 4800 the I/O rate cannot matter.
    assert classify(tpp=4000, as_of=RULE_2022).status == "not-controlled"
    # Known low I/O decides even without TPP.
    assert classify(tpp=None, io_gbps=400, as_of=RULE_2022).status == "not-controlled"


def test_2022_rule_ignores_datacenter_and_says_so() -> None:
    result = classify(tpp=5285, io_gbps=700, datacenter=False, as_of=RULE_2022)
    assert result.eccn == "3A090.a"
    assert any("no datacenter distinction" in note for note in result.notes)


# ---- rule in force by date -----------------------------------------------------------------


def test_before_october_2022_no_3a090_rule_was_in_force() -> None:
    result = classify(tpp=15832, io_gbps=900, as_of=dt.date(2022, 10, 6))
    assert (result.status, result.eccn, result.rule) == ("not-controlled", None, None)
    assert "no 3A090 rule was in force on 2022-10-06" in result.explanation
    assert "87 FR 62186" in result.explanation


def test_effective_dates_switch_rules() -> None:
    rules = default_chip_data().rules
    assert (
        classify(tpp=4992, io_gbps=400, as_of=dt.date(2022, 10, 7)).rule.citation == "87 FR 62186"
    )  # type: ignore[union-attr]
    on_16 = classify(tpp=4992, io_gbps=400, as_of=dt.date(2023, 11, 16))
    on_17 = classify(tpp=4992, io_gbps=400, as_of=dt.date(2023, 11, 17))
    assert (on_16.rule and on_16.rule.citation, on_16.eccn) == ("87 FR 62186", None)
    assert (on_17.rule and on_17.rule.citation, on_17.eccn) == ("88 FR 73458", "3A090.a")
    assert rules.threshold_version(dt.date(2023, 11, 17)) is not None


def test_default_as_of_is_today() -> None:
    assert classify(tpp=5000).as_of == dt.date.today()


def test_ai_diffusion_status_is_reported_as_context() -> None:
    before = classify(tpp=5000, as_of=dt.date(2025, 3, 1))
    after = classify(tpp=5000, as_of=dt.date(2025, 6, 1))
    (note_before,) = [n for n in before.notes if n.startswith("90 FR 4544")]
    (note_after,) = [n for n in after.notes if n.startswith("90 FR 4544")]
    assert "later: rescission-announced-not-enforced from 2025-05-13" in note_before
    assert "rescission-announced-not-enforced since 2025-05-13" in note_after
    assert not [n for n in classify(tpp=5000, as_of=RULE_2023).notes if "90 FR 4544" in n]


# ---- exact boundaries (2023 rule) -----------------------------------------------------------


@pytest.mark.parametrize(
    ("value_tpp", "pd", "eccn", "paragraph"),
    [
        (4800, 1, "3A090.a", "3A090.a.1"),
        (Decimal("4799.99"), 1, None, None),
        (1600, Decimal("5.92"), "3A090.a", "3A090.a.2"),
        (1600, 5.92, "3A090.a", "3A090.a.2"),  # a float 5.92 is the decimal 5.92
        (Decimal("1599.99"), Decimal("5.92"), None, None),
        (1600, Decimal("5.91999"), "3A090.b", "3A090.b.2"),
        (2400, Decimal("1.6"), "3A090.b", "3A090.b.1"),
        (Decimal("2399.99"), Decimal("1.6"), None, None),
        (2400, Decimal("1.59999"), None, None),
        (Decimal("4799.99"), Decimal("1.6"), "3A090.b", "3A090.b.1"),
        (1600, Decimal("3.2"), "3A090.b", "3A090.b.2"),
        (1600, Decimal("3.19999"), None, None),
        (Decimal("1599.99"), Decimal("3.2"), None, None),
    ],
)
def test_datacenter_boundaries(
    value_tpp: int | Decimal, pd: int | float | Decimal, eccn: str | None, paragraph: str | None
) -> None:
    result = _dc(value_tpp, pd)
    assert (result.eccn, result.paragraph) == (eccn, paragraph)
    assert result.status == ("controlled" if eccn else "not-controlled")


def test_density_on_the_boundary_from_die_area_is_exact() -> None:
    # 5920 / 1000 is exactly 5.92; 1600 / (1600 / 5.92) too, which floats would miss.
    assert classify(tpp=5920, die_area_mm2=1000, as_of=RULE_2023).paragraph == "3A090.a.1"
    exact = classify(tpp=1600, die_area_mm2=Fraction(1600) / Fraction("5.92"), as_of=RULE_2023)
    assert exact.paragraph == "3A090.a.2"
    assert classify(tpp=2400, die_area_mm2=1500, as_of=RULE_2023).paragraph == "3A090.b.1"
    assert classify(tpp=1600, die_area_mm2=500, as_of=RULE_2023).paragraph == "3A090.b.2"


def test_non_datacenter_below_and_at_4800() -> None:
    below = classify(
        tpp=Decimal("4799.99"), performance_density=50, datacenter=False, as_of=RULE_2023
    )
    assert (below.status, below.eccn, below.paragraph) == (
        "not-controlled",
        None,
        "Note 2 to 3A090",
    )
    at = classify(tpp=4800, datacenter=False, as_of=RULE_2023)
    assert (at.eccn, at.paragraph, at.nac_eligible) == ("3A090.a", "3A090.a.1", True)


# ---- insufficient data ----------------------------------------------------------------------


def test_datacenter_tpp_2000_without_density_is_insufficient() -> None:
    result = classify(tpp=2000, datacenter=True, as_of=RULE_2023)
    assert (result.status, result.eccn) == ("insufficient-data", None)
    assert result.missing == ("performance_density (or die_area_mm2)",)
    assert "Insufficient data" in result.explanation


def test_tpp_4800_decides_a1_without_density() -> None:
    result = classify(tpp=4800, as_of=RULE_2023)
    assert (result.status, result.eccn) == ("controlled", "3A090.a")


def test_low_tpp_needs_no_density() -> None:
    assert classify(tpp=1500, as_of=RULE_2023).status == "not-controlled"
    assert classify(tpp=4000, datacenter=False, as_of=RULE_2023).status == "not-controlled"


def test_missing_tpp_is_insufficient() -> None:
    result = classify(tpp=None, die_area_mm2=665.61, as_of=RULE_2023)
    assert result.status == "insufficient-data"
    assert result.missing == ("tpp",)


def test_unknown_datacenter_status() -> None:
    # Both readings agree on 3A090.a but not on NAC.
    agree = classify(tpp=5000, datacenter=None, as_of=RULE_2023)
    assert (agree.eccn, agree.nac_eligible) == ("3A090.a", None)
    # A datacenter part at TPP 3000 / PD 5 is 3A090.b; a non-datacenter one is outside.
    differ = classify(tpp=3000, performance_density=5, datacenter=None, as_of=RULE_2023)
    assert differ.status == "insufficient-data"
    assert differ.missing[0].startswith("datacenter")
    # Low TPP: outside either way.
    assert classify(tpp=1000, datacenter=None, as_of=RULE_2023).status == "not-controlled"


# ---- HBM (3A090.c) --------------------------------------------------------------------------


def test_hbm_3a090c_dates_and_threshold() -> None:
    before = classify_hbm(1000, 100, dt.date(2024, 12, 1))
    assert (before.status, before.eccn, before.rule) == ("not-controlled", None, None)
    assert "89 FR 96790" in before.explanation
    controlled = classify_hbm(1000, 100, dt.date(2024, 12, 2))
    assert (controlled.eccn, controlled.license_exception_hbm) == ("3A090.c", False)
    assert any("Compliance date" in note for note in controlled.notes)
    at_two = classify_hbm(200, 100, dt.date(2025, 1, 1))  # "greater than 2": exactly 2 is not
    assert at_two.eccn is None and at_two.status == "not-controlled"
    low = classify_hbm(Decimal("300"), 100, dt.date(2025, 1, 1))
    assert (low.eccn, low.license_exception_hbm) == ("3A090.c", True)
    assert classify_hbm(None, 100, dt.date(2025, 1, 1)).status == "insufficient-data"


# ---- monotonicity ---------------------------------------------------------------------------

_figures = st.decimals(
    min_value=0, max_value=40000, places=2, allow_nan=False, allow_infinity=False
)
_densities = st.decimals(min_value=0, max_value=40, places=3, allow_nan=False, allow_infinity=False)


@settings(max_examples=300, deadline=None)
@given(
    low_tpp=_figures,
    more_tpp=_figures,
    low_pd=_densities,
    more_pd=_densities,
    datacenter=st.booleans(),
)
def test_raising_tpp_or_density_never_lowers_the_level(
    low_tpp: Decimal, more_tpp: Decimal, low_pd: Decimal, more_pd: Decimal, datacenter: bool
) -> None:
    rules = default_chip_data().rules
    base = classify(
        tpp=low_tpp, performance_density=low_pd, datacenter=datacenter, as_of=RULE_2023, rules=rules
    )
    raised = classify(
        tpp=low_tpp + more_tpp,
        performance_density=low_pd + more_pd,
        datacenter=datacenter,
        as_of=RULE_2023,
        rules=rules,
    )
    assert base.status != "insufficient-data" and raised.status != "insufficient-data"
    assert raised.control_level >= base.control_level


@settings(max_examples=200, deadline=None)
@given(low_tpp=_figures, more_tpp=_figures, area=st.decimals(min_value=1, max_value=2000, places=1))
def test_raising_tpp_on_a_fixed_die_never_lowers_the_level(
    low_tpp: Decimal, more_tpp: Decimal, area: Decimal
) -> None:
    rules = default_chip_data().rules
    base = classify(tpp=low_tpp, die_area_mm2=area, as_of=RULE_2023, rules=rules)
    raised = classify(tpp=low_tpp + more_tpp, die_area_mm2=area, as_of=RULE_2023, rules=rules)
    assert raised.control_level >= base.control_level


@settings(max_examples=100, deadline=None)
@given(low_tpp=_figures, more_tpp=_figures, io=_figures, more_io=_figures)
def test_2022_rule_is_monotone_in_tpp_and_io(
    low_tpp: Decimal, more_tpp: Decimal, io: Decimal, more_io: Decimal
) -> None:
    rules = default_chip_data().rules
    base = classify(tpp=low_tpp, io_gbps=io, as_of=RULE_2022, rules=rules)
    raised = classify(tpp=low_tpp + more_tpp, io_gbps=io + more_io, as_of=RULE_2022, rules=rules)
    assert raised.control_level >= base.control_level


def test_control_level_order() -> None:
    assert control_level(None) < control_level("3A090.b") < control_level("3A090.a")
