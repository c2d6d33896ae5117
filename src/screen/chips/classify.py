"""Classify an integrated circuit against ECCN 3A090 under the rule version in force on a date.

The thresholds come from the rule book (the release's ``chips/rules.json``); this module only
knows what each parameter means. Comparisons are exact: inputs become fractions from the
decimal the caller wrote (``5.92`` is exactly 592/100), and a density is TPP / die area as an
exact quotient, so a value on a boundary is never pushed across it by float rounding.

Three-valued logic keeps missing figures honest: a paragraph whose test needs a figure the caller
did not give is ``unknown``, and a result that depends on an unknown paragraph is
``insufficient-data``, never a guess.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from screen.chips.arithmetic import (
    Number,
    _as_eccn,
    _decimal,
    _density,
    _exact,
    _fmt,
    _maybe_decimal,
    _optional,
)
from screen.chips.conditions import _NEEDS, _needs, _test, _test_all, _test_paragraph
from screen.chips.data import default_chip_data
from screen.chips.models import (
    Parameter,
    RuleBook,
    RuleVersion,
    ThresholdSet,
)
from screen.chips.results import (
    Classification,
    ClassificationStatus,
    HbmClassification,
    ParagraphTest,
    RuleRef,
    _Frozen,
)

__all__ = ["classify", "classify_hbm", "performance_density", "tpp"]

def tpp(dense_tops: Number, bit_length: int) -> Decimal:
    """Total processing performance: dense (non-sparse) TOPS at a precision x its bit length.

    Equals 2 x MacTOPS x bit length, the definition in Technical Note 1 to 3A090.
    """
    if isinstance(bit_length, bool) or not isinstance(bit_length, int) or bit_length <= 0:
        raise ValueError(f"bit_length must be a positive whole number, got {bit_length!r}")
    return _decimal(_exact(dense_tops, "dense_tops", positive=True) * bit_length)


def performance_density(tpp: Number, die_area_mm2: Number) -> Decimal:
    """TPP divided by the applicable die area in mm² (to 28 significant digits)."""
    return _decimal(_exact(tpp, "tpp") / _exact(die_area_mm2, "die_area_mm2", positive=True))


def classify(
    *,
    tpp: Number | None,
    performance_density: Number | None = None,
    die_area_mm2: Number | None = None,
    datacenter: bool | None = True,
    io_gbps: Number | None = None,
    as_of: dt.date | None = None,
    rules: RuleBook | None = None,
) -> Classification:
    """Classify an IC under the 3A090.a/.b thresholds in force on ``as_of`` (default: today).

    ``tpp`` is dense TOPS x bit length (see :func:`tpp`); give ``die_area_mm2`` (preferred, the
    density is then computed exactly) or ``performance_density``. ``datacenter`` says whether the
    item is designed or marketed for use in datacenters (None: unknown). ``io_gbps`` is the
    aggregate bidirectional I/O rate in gigabytes per second, which only the 2022 rule uses.
    Raises ValueError for impossible figures (negative, zero area, contradicting density).
    """
    return _classify(
        tpp_value=tpp,
        density=performance_density,
        area=die_area_mm2,
        datacenter=datacenter,
        io=io_gbps,
        as_of=as_of,
        rules=rules,
        preface=(),
    )


def classify_hbm(
    memory_bandwidth_gbps: Number | None,
    area_mm2: Number | None,
    as_of: dt.date | None = None,
    *,
    rules: RuleBook | None = None,
) -> HbmClassification:
    """Classify high bandwidth memory against 3A090.c (memory bandwidth density > 2 GB/s/mm²).

    ``memory_bandwidth_gbps`` is the bandwidth of the stack or package in GB/s and ``area_mm2``
    its area; 3A090.c exists only from the rule that added it (89 FR 96790).
    """
    book = rules or default_chip_data().rules
    day = as_of or dt.date.today()
    bandwidth = _optional(memory_bandwidth_gbps, "memory_bandwidth_gbps")
    area = _optional(area_mm2, "area_mm2", positive=True)
    version = book.hbm_version(day)
    if version is None or version.hbm is None:
        first = book.first("hbm")
        return HbmClassification(
            status="not-controlled",
            eccn=None,
            paragraph=None,
            test=None,
            arithmetic=(),
            rule=None,
            as_of=day,
            memory_bandwidth_density=None,
            license_exception_hbm=None,
            explanation=(
                f"Not 3A090.c: no 3A090.c rule was in force on {day}; {first.citation} added it "
                f"from {first.in_force_from}."
            ),
            notes=(),
        )
    hbm = version.hbm
    density = bandwidth / area if bandwidth is not None and area is not None else None
    arithmetic: list[str] = []
    if bandwidth is not None and area is not None and density is not None:
        arithmetic.append(
            f"memory bandwidth density = {_fmt(bandwidth)} GB/s / {_fmt(area)} mm2 "
            f"= {_fmt(density)}"
        )
    values: dict[Parameter, Fraction | None] = {"memory_bandwidth_density": density}
    test = _test_paragraph(hbm.paragraph, values)
    notes = [f"{hbm.definition.text} [{hbm.definition.verification}, {hbm.definition.source}]"]
    notes += [
        f"Compliance date for {c.applies_to}: {c.date}."
        for c in version.compliance_dates
        if day < c.date
    ]
    exception: bool | None = None
    if test.outcome == "met" and hbm.license_exception_hbm is not None and density is not None:
        exception = _test(hbm.license_exception_hbm.condition, density)
        cited = hbm.license_exception_hbm.text
        notes.append(f"{cited.text} [{cited.verification}, {cited.source}]")
    cite = f"{version.citation} (in force from {version.in_force_from})"
    if test.outcome == "met":
        status: ClassificationStatus = "controlled"
        explanation = f"3A090.c under {cite}: {test.detail}."
        if exception is not None:
            explanation += (
                " License Exception HBM may apply (below 3.3 GB/s/mm2)."
                if exception
                else " License Exception HBM does not apply (3.3 GB/s/mm2 or more)."
            )
    elif test.outcome == "not met":
        status = "not-controlled"
        explanation = f"Not 3A090.c under {cite}: {test.detail}."
    else:
        status = "insufficient-data"
        explanation = f"Insufficient data under {cite}: need memory_bandwidth_gbps and area_mm2."
    return HbmClassification(
        status=status,
        eccn="3A090.c" if status == "controlled" else None,
        paragraph=hbm.paragraph.paragraph if status == "controlled" else None,
        test=test,
        arithmetic=tuple(arithmetic),
        rule=RuleRef.of(version),
        as_of=day,
        memory_bandwidth_density=_decimal(density) if density is not None else None,
        license_exception_hbm=exception,
        explanation=explanation,
        notes=tuple(notes),
    )


def _classify(
    *,
    tpp_value: Number | None,
    density: Number | None,
    area: Number | None,
    datacenter: bool | None,
    io: Number | None,
    as_of: dt.date | None,
    rules: RuleBook | None,
    preface: Sequence[str],
) -> Classification:
    """:func:`classify`, with lines of arithmetic the caller derived the figures by."""
    book = rules or default_chip_data().rules
    day = as_of or dt.date.today()
    exact_tpp = _optional(tpp_value, "tpp")
    exact_area = _optional(area, "die_area_mm2", positive=True)
    stated = _optional(density, "performance_density")
    arithmetic = list(preface)
    if exact_tpp is not None and not preface:
        arithmetic.append(f"TPP = {_fmt(exact_tpp)} (given)")
    exact_density = _density(exact_tpp, exact_area, stated, arithmetic)
    exact_io = _optional(io, "io_gbps")
    version = book.threshold_version(day)
    notes: list[str] = []
    if version is None or version.thresholds is None:
        first = book.first("eccn-thresholds")
        decision = _Decision(
            status="not-controlled",
            eccn=None,
            paragraph=None,
            met=(),
            at_least=None,
            tests=(),
            missing=(),
            nac=None,
            nac_note=None,
            datacenter=datacenter,
        )
        explanation = (
            f"Not 3A090: no 3A090 rule was in force on {day}. ECCN 3A090 was created by "
            f"{first.citation} (FR Doc {first.fr_doc}), applied from {first.in_force_from}."
        )
        rule, systems = None, None
    else:
        thresholds = version.thresholds
        values: dict[Parameter, Fraction | None] = {
            "tpp": exact_tpp,
            "performance_density": exact_density,
            "io_gbps": exact_io,
        }
        notes += thresholds.not_evaluated
        if not thresholds.datacenter_distinction:
            decision = _decide(thresholds, values, datacenter=None)
            if datacenter is not None:
                notes.append(f"{version.citation} makes no datacenter distinction.")
        elif datacenter is None:
            decision = _decide_unknown_datacenter(thresholds, values)
        else:
            decision = _decide(thresholds, values, datacenter=datacenter)
        notes += _context(book, day)
        if exact_tpp is None and exact_area is not None:
            # The density is TPP / die area: with the area known, TPP is the only figure missing.
            decision = decision.model_copy(
                update={
                    "missing": tuple(
                        m for m in decision.missing if m != _NEEDS["performance_density"]
                    )
                }
            )
        explanation = _explain(version, decision)
        rule = RuleRef.of(version)
        systems = thresholds.systems.get(decision.eccn or "")
    return Classification(
        status=decision.status,
        eccn=decision.eccn,
        paragraph=decision.paragraph,
        paragraphs_met=decision.met,
        at_least=decision.at_least,
        tests=decision.tests,
        arithmetic=tuple(arithmetic),
        rule=rule,
        as_of=day,
        tpp=_maybe_decimal(exact_tpp),
        performance_density=_maybe_decimal(exact_density),
        die_area_mm2=_maybe_decimal(exact_area),
        datacenter=datacenter,
        io_gbps=_maybe_decimal(exact_io),
        nac_eligible=decision.nac,
        nac_note=decision.nac_note,
        systems_eccn=systems,
        missing=decision.missing,
        explanation=explanation,
        notes=tuple(notes),
    )


class _Decision(_Frozen):
    status: ClassificationStatus
    eccn: Literal["3A090.a", "3A090.b"] | None
    paragraph: str | None
    met: tuple[str, ...]
    at_least: Literal["3A090.a", "3A090.b"] | None
    tests: tuple[ParagraphTest, ...]
    missing: tuple[str, ...]
    nac: bool | None
    nac_note: str | None
    datacenter: bool | None


def _decide(
    thresholds: ThresholdSet,
    values: Mapping[Parameter, Fraction | None],
    *,
    datacenter: bool | None,
) -> _Decision:
    scope = thresholds.non_datacenter_scope
    tests: list[ParagraphTest] = []
    if scope is not None and datacenter is False:
        outcome, detail, needs = _test_all(scope.conditions, values)
        tests.append(
            ParagraphTest(
                paragraph=scope.paragraph,
                eccn=None,
                outcome=outcome,
                detail=detail,
                parameters=tuple(c.parameter for c in scope.conditions),
                text=scope.text,
            )
        )
        if outcome != "met":
            status: ClassificationStatus = (
                "not-controlled" if outcome == "not met" else "insufficient-data"
            )
            return _Decision(
                status=status,
                eccn=None,
                paragraph=scope.paragraph,
                met=(),
                at_least=None,
                tests=tuple(tests),
                missing=needs,
                nac=None,
                nac_note=None,
                datacenter=datacenter,
            )
    tests += [_test_paragraph(paragraph, values) for paragraph in thresholds.paragraphs]
    met = tuple(t.paragraph for t in tests if t.eccn is not None and t.outcome == "met")
    blocked = False
    decided: ParagraphTest | None = None
    for eccn in dict.fromkeys(p.eccn for p in thresholds.paragraphs):
        level = [t for t in tests if t.eccn == eccn]
        decided = next((t for t in level if t.outcome == "met"), None)
        if decided is not None:
            break
        blocked = blocked or any(t.outcome == "unknown" for t in level)
    missing = tuple(
        dict.fromkeys(
            need
            for paragraph in thresholds.paragraphs
            if _test_all(paragraph.conditions, values)[0] == "unknown"
            for need in _needs(paragraph.conditions, values)
        )
    )
    if decided is not None and not blocked:
        eccn = _as_eccn(decided.eccn)
        nac, nac_note = _nac(thresholds, eccn, datacenter)
        return _Decision(
            status="controlled",
            eccn=eccn,
            paragraph=decided.paragraph,
            met=met,
            at_least=None,
            tests=tuple(tests),
            missing=(),
            nac=nac,
            nac_note=nac_note,
            datacenter=datacenter,
        )
    if decided is None and not blocked:
        return _Decision(
            status="not-controlled",
            eccn=None,
            paragraph=None,
            met=(),
            at_least=None,
            tests=tuple(tests),
            missing=(),
            nac=None,
            nac_note=None,
            datacenter=datacenter,
        )
    return _Decision(
        status="insufficient-data",
        eccn=None,
        paragraph=None,
        met=met,
        at_least=_as_eccn(decided.eccn) if decided is not None else None,
        tests=tuple(tests),
        missing=missing,
        nac=None,
        nac_note=None,
        datacenter=datacenter,
    )


def _decide_unknown_datacenter(
    thresholds: ThresholdSet, values: Mapping[Parameter, Fraction | None]
) -> _Decision:
    inside = _decide(thresholds, values, datacenter=True)
    outside = _decide(thresholds, values, datacenter=False)
    if inside.status == outside.status and inside.eccn == outside.eccn:
        if inside.nac == outside.nac:
            return inside.model_copy(update={"datacenter": None})
        return inside.model_copy(
            update={
                "nac": None,
                "nac_note": "NAC depends on whether the item is designed or marketed for use in "
                "datacenters, which was not given. "
                + " / ".join(note for note in (inside.nac_note, outside.nac_note) if note),
                "datacenter": None,
            }
        )
    return _Decision(
        status="insufficient-data",
        eccn=None,
        paragraph=None,
        met=(),
        at_least=None,
        tests=inside.tests,
        missing=("datacenter (designed or marketed for use in datacenters?)", *inside.missing),
        nac=None,
        nac_note=None,
        datacenter=None,
    )


def _nac(thresholds: ThresholdSet, eccn: str, datacenter: bool | None) -> tuple[bool | None, str]:
    if thresholds.nac is None:
        return None, thresholds.no_nac_note or "No License Exception NAC in this rule version."
    where = "designed or marketed" if datacenter else "not designed or marketed"
    for rule in thresholds.nac.eligible:
        if rule.eccn == eccn and rule.datacenter == bool(datacenter):
            if rule.eligible:
                return True, (
                    f"NAC-eligible: License Exception NAC is available for {eccn} items {where} "
                    "for use in datacenters."
                )
            scope = thresholds.destinations
            destinations = f" ({scope.text})" if scope is not None else ""
            return False, (
                f"Not NAC-eligible: License Exception NAC does not cover {eccn} items {where} for "
                f"use in datacenters; a license is required for the destinations the rule "
                f"covers{destinations}."
            )
    return (
        None,
        f"The rule data records no NAC eligibility for {eccn} items {where} for use in "
        "datacenters.",
    )


def _explain(version: RuleVersion, decision: _Decision) -> str:
    cite = f"{version.citation} (in force from {version.in_force_from})"
    tests = {t.paragraph: t for t in decision.tests}
    if decision.status == "controlled" and decision.eccn is not None:
        assert version.thresholds is not None and decision.paragraph is not None
        detail = tests[decision.paragraph].detail
        text = f"{decision.eccn} under {cite}: {decision.paragraph} met ({detail})."
        if len(decision.met) > 1:
            text += f" Also met: {', '.join(p for p in decision.met if p != decision.paragraph)}."
        if decision.nac_note:
            text += f" {decision.nac_note}"
        systems = version.thresholds.systems.get(decision.eccn)
        if systems:
            text += f" Computers, electronic assemblies and components containing it: {systems}."
        return text
    if decision.status == "not-controlled":
        if decision.paragraph is not None:
            return (
                f"Not 3A090 under {cite}: {decision.paragraph} excludes items not designed or "
                f"marketed for use in datacenters unless {tests[decision.paragraph].detail}."
            )
        return f"Not 3A090 under {cite}: no paragraph is met."
    text = f"Insufficient data under {cite}: need {', '.join(decision.missing)}."
    if decision.at_least is not None:
        text += (
            f" At least {decision.at_least} ({', '.join(decision.met)} met); a higher level "
            "cannot be ruled out."
        )
    return text


def _context(book: RuleBook, day: dt.date) -> list[str]:
    """The other rule versions in force on ``day`` that bear on IC licensing, with their status."""
    notes = []
    for version in book.versions:
        if version.kind in {"eccn-thresholds", "hbm"} or version.in_force_from > day:
            continue
        since = version.status.since
        if version.status.code == "not-recorded":
            status = "status not recorded"
        elif since is not None and since > day:
            status = f"later: {version.status.code} from {since}"
        else:
            status = version.status.code + (f" since {since}" if since is not None else "")
        notes.append(
            f"{version.citation} (published {version.published}; {status}): "
            f"{version.effect_on_classification}"
        )
    return notes
