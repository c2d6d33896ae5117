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
import math
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from pydantic import BaseModel, ConfigDict

from screen.chips.data import default_chip_data
from screen.chips.models import (
    CitedText,
    Condition,
    Paragraph,
    Parameter,
    RuleBook,
    RuleVersion,
    ThresholdSet,
)

__all__ = [
    "Classification",
    "ClassificationStatus",
    "HbmClassification",
    "Number",
    "ParagraphTest",
    "RuleRef",
    "classify",
    "classify_hbm",
    "control_level",
    "performance_density",
    "tpp",
]

Number = int | float | Decimal | Fraction
"""A figure as the caller has it; floats are read as the decimal they print as (``5.92``)."""

ClassificationStatus = Literal["controlled", "not-controlled", "insufficient-data"]
Outcome = Literal["met", "not met", "unknown"]

_LABELS: dict[Parameter, str] = {
    "tpp": "TPP",
    "performance_density": "PD",
    "io_gbps": "I/O GB/s",
    "memory_bandwidth_density": "memory bandwidth density",
}
_NEEDS: dict[Parameter, str] = {
    "tpp": "tpp",
    "performance_density": "performance_density (or die_area_mm2)",
    "io_gbps": "io_gbps (aggregate bidirectional I/O, GB/s)",
    "memory_bandwidth_density": "memory_bandwidth_gbps and area_mm2",
}
# The severity order of 3A090.a/.b; None (outside 3A090) is the lowest.
_LEVELS = {"3A090.a": 2, "3A090.b": 1}
# A stated density may be rounded; anything further from TPP / area is a contradiction.
_DENSITY_SLACK = Fraction(1, 100)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RuleRef(_Frozen):
    """The rule version a result was decided under, with its citation."""

    id: str
    citation: str
    fr_doc: str
    title: str
    published: dt.date
    in_force_from: dt.date
    status: str
    url: str | None

    @classmethod
    def of(cls, version: RuleVersion) -> RuleRef:
        """The reference to a rule version."""
        return cls(
            id=version.id,
            citation=version.citation,
            fr_doc=version.fr_doc,
            title=version.title,
            published=version.published,
            in_force_from=version.in_force_from,
            status=version.status.code,
            url=version.urls[0] if version.urls else version.status.url,
        )


class ParagraphTest(_Frozen):
    """How one paragraph (or note) of the rule came out for the figures given."""

    paragraph: str
    eccn: str | None
    """The ECCN the paragraph assigns; None for a scope note."""
    outcome: Outcome
    detail: str
    """The comparisons, e.g. ``TPP 4992 >= 4800: yes``."""
    parameters: tuple[Parameter, ...]
    """The figures the paragraph tests."""
    text: CitedText


class Classification(_Frozen):
    """The 3A090 classification of an integrated circuit, with the rule, the arithmetic and why."""

    status: ClassificationStatus
    eccn: Literal["3A090.a", "3A090.b"] | None
    """None when 3A090 does not apply, or when the data cannot decide (see ``status``)."""
    paragraph: str | None
    """What decided it: the first paragraph met, or the note that excludes the item."""
    paragraphs_met: tuple[str, ...]
    at_least: Literal["3A090.a", "3A090.b"] | None = None
    """For ``insufficient-data``: a level already met while a higher one cannot be ruled out."""
    tests: tuple[ParagraphTest, ...]
    arithmetic: tuple[str, ...]
    rule: RuleRef | None
    """None when no 3A090 rule was in force on ``as_of``."""
    as_of: dt.date
    tpp: Decimal | None
    performance_density: Decimal | None
    """The density used: TPP / die area when the area is given (to 28 digits; compared exactly)."""
    die_area_mm2: Decimal | None
    datacenter: bool | None
    io_gbps: Decimal | None
    nac_eligible: bool | None
    """License Exception NAC; None when not applicable (not controlled, or no NAC in the rule)."""
    nac_note: str | None
    systems_eccn: str | None
    """The 4A090 paragraph of computers, assemblies and components containing the IC."""
    missing: tuple[str, ...]
    explanation: str
    notes: tuple[str, ...]
    """Caveats and the other rules in force on ``as_of`` that bear on the item."""

    @property
    def control_level(self) -> int:
        """0 outside 3A090 (or undecided), 1 for 3A090.b, 2 for 3A090.a."""
        return control_level(self.eccn)


class HbmClassification(_Frozen):
    """The 3A090.c (high bandwidth memory) classification of an HBM stack or package."""

    status: ClassificationStatus
    eccn: Literal["3A090.c"] | None
    paragraph: str | None
    test: ParagraphTest | None
    arithmetic: tuple[str, ...]
    rule: RuleRef | None
    as_of: dt.date
    memory_bandwidth_density: Decimal | None
    license_exception_hbm: bool | None
    explanation: str
    notes: tuple[str, ...]


def control_level(eccn: str | None) -> int:
    """Severity of a 3A090 result: 0 (outside), 1 (3A090.b), 2 (3A090.a)."""
    return _LEVELS.get(eccn or "", 0)


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


# ---- exact arithmetic -----------------------------------------------------------------------


def _exact(value: Number, name: str, *, positive: bool = False) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | Fraction):
        raise ValueError(f"{name} must be a number, got {value!r}")
    if isinstance(value, float | Decimal) and not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    # A float is taken as the decimal it prints as, i.e. what the caller typed.
    exact = Fraction(Decimal(repr(value))) if isinstance(value, float) else Fraction(value)
    if exact < 0 or (positive and exact == 0):
        raise ValueError(
            f"{name} must be {'positive' if positive else 'zero or more'}, got {value}"
        )
    return exact


def _optional(value: Number | None, name: str, *, positive: bool = False) -> Fraction | None:
    return None if value is None else _exact(value, name, positive=positive)


def _density(
    tpp_value: Fraction | None,
    area: Fraction | None,
    stated: Fraction | None,
    arithmetic: list[str],
) -> Fraction | None:
    if tpp_value is not None and area is not None:
        computed = tpp_value / area
        if stated is not None and abs(computed - stated) > _DENSITY_SLACK:
            raise ValueError(
                f"performance_density {_fmt(stated)} contradicts tpp / die_area_mm2 = "
                f"{_fmt(computed)}"
            )
        arithmetic.append(
            f"PD = TPP / die area = {_fmt(tpp_value)} / {_fmt(area)} mm2 = {_fmt(computed)}"
        )
        return computed
    if stated is not None:
        arithmetic.append(f"PD = {_fmt(stated)} (given)")
    return stated


def _decimal(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


def _maybe_decimal(value: Fraction | None) -> Decimal | None:
    return None if value is None else _decimal(value)


def _fmt(value: Fraction) -> str:
    """Exact decimal when it terminates within 6 places, else ``~`` and 4 places."""
    scaled = value * 10**6
    if scaled.denominator == 1:
        text = f"{Decimal(scaled.numerator).scaleb(-6):f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    return f"~{_decimal(value):.4f}"


def _as_eccn(eccn: str | None) -> Literal["3A090.a", "3A090.b"]:
    if eccn == "3A090.a":
        return "3A090.a"
    if eccn == "3A090.b":
        return "3A090.b"
    raise ValueError(f"rule data names an ECCN screen does not classify: {eccn!r}")


# ---- three-valued tests ---------------------------------------------------------------------


def _test(condition: Condition, value: Fraction | None) -> bool | None:
    if value is None:
        return None
    return (
        (condition.min is None or value >= Fraction(condition.min))
        and (condition.below is None or value < Fraction(condition.below))
        and (condition.above is None or value > Fraction(condition.above))
    )


def _describe(condition: Condition, value: Fraction | None) -> str:
    label = _LABELS[condition.parameter]
    text = label if value is None else f"{label} {_fmt(value)}"
    if condition.min is not None and condition.below is not None:
        text = f"{condition.min} <= {text}"
    elif condition.min is not None:
        text += f" >= {condition.min}"
    if condition.above is not None:
        text += f" > {condition.above}"
    if condition.below is not None:
        text += f" < {condition.below}"
    result = _test(condition, value)
    return f"{text}: {'unknown' if result is None else 'yes' if result else 'no'}"


def _test_all(
    conditions: Iterable[Condition], values: Mapping[Parameter, Fraction | None]
) -> tuple[Outcome, str, tuple[str, ...]]:
    conditions = tuple(conditions)
    results = [_test(c, values.get(c.parameter)) for c in conditions]
    detail = "; ".join(_describe(c, values.get(c.parameter)) for c in conditions)
    if any(result is False for result in results):
        return "not met", detail, ()
    if all(result is True for result in results):
        return "met", detail, ()
    return "unknown", detail, _needs(conditions, values)


def _needs(
    conditions: Iterable[Condition], values: Mapping[Parameter, Fraction | None]
) -> tuple[str, ...]:
    return tuple(
        dict.fromkeys(_NEEDS[c.parameter] for c in conditions if values.get(c.parameter) is None)
    )


def _test_paragraph(
    paragraph: Paragraph, values: Mapping[Parameter, Fraction | None]
) -> ParagraphTest:
    outcome, detail, _ = _test_all(paragraph.conditions, values)
    return ParagraphTest(
        paragraph=paragraph.paragraph,
        eccn=paragraph.eccn,
        outcome=outcome,
        detail=detail,
        parameters=tuple(c.parameter for c in paragraph.conditions),
        text=paragraph.text,
    )
