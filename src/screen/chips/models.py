"""Typed, frozen records of the chip-control data: rule versions, thresholds, known chips.

These are the contract between the converter (:mod:`screen.release.sources.chips`), which writes
the release's ``chips/rules.json`` and ``chips/chips.json``, and the classifier, which reads
them.
Thresholds are data: the classifier knows what a parameter means, never what its limit is.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

__all__ = [
    "Category",
    "Chip",
    "ChipNotice",
    "ChipTable",
    "CitedText",
    "Condition",
    "EffectiveDate",
    "HbmLicenseException",
    "HbmThresholds",
    "IoFigure",
    "NacEligibility",
    "NacRule",
    "NonDatacenterScope",
    "Paragraph",
    "Parameter",
    "PrecisionFigure",
    "RuleBook",
    "RuleKind",
    "RuleStatus",
    "RuleVersion",
    "SecondarySource",
    "SourceFileRef",
    "TextVerification",
    "ThresholdSet",
]

NonEmptyStr = Annotated[str, StringConstraints(min_length=1)]
Sha256Hex = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
PositiveDecimal = Annotated[Decimal, Field(gt=0, allow_inf_nan=False)]

TextVerification = Literal["quoted", "paraphrase"]
"""``quoted``: verbatim, from a secondary transcription of the Federal Register text ([Q] in the
source notes). ``paraphrase``: the verbatim text was not retrieved ([P], or not marked [Q])."""

Parameter = Literal["tpp", "performance_density", "io_gbps", "memory_bandwidth_density"]
"""What a threshold limits: ``tpp`` (total processing performance), ``performance_density``
(TPP per mm² of applicable die area), ``io_gbps`` (aggregate bidirectional I/O in gigabytes per
second, the 2022 test) and ``memory_bandwidth_density`` (GB/s per mm², HBM)."""

RuleKind = Literal[
    "eccn-thresholds",
    "hbm",
    "corrections",
    "license-requirements",
    "due-diligence",
    "license-review-policy",
]
"""``eccn-thresholds`` versions set the 3A090.a/.b limits and are the ones :func:`classify` picks
between; ``hbm`` adds 3A090.c; the others change licensing around the same thresholds."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CitedText(_Frozen):
    """A fragment of rule text or of a summary, with where it comes from and how far to trust it."""

    text: NonEmptyStr
    verification: TextVerification
    source: NonEmptyStr
    """Which secondary source carries it (S1, S2, S3 of the rule book, or a named document)."""
    locator: str | None = None
    """Where in the rule the text sits, e.g. ``Note 2 to 3A090``."""
    note: str | None = None


class SecondarySource(_Frozen):
    """A secondary source the rule notes were compiled from."""

    id: NonEmptyStr
    description: NonEmptyStr
    url: str | None = None


class Condition(_Frozen):
    """An interval test on one parameter: ``min`` <= value, value < ``below``, value > ``above``."""

    parameter: Parameter
    min: Decimal | None = None
    """Inclusive lower bound ("... of 4800 or more")."""
    below: Decimal | None = None
    """Exclusive upper bound."""
    above: Decimal | None = None
    """Exclusive lower bound ("greater than 2")."""

    @model_validator(mode="after")
    def _has_a_bound(self) -> Condition:
        if self.min is None and self.below is None and self.above is None:
            raise ValueError("a condition needs at least one of min, below, above")
        return self


class Paragraph(_Frozen):
    """A paragraph of an ECCN: met when every one of its conditions holds."""

    paragraph: NonEmptyStr
    """E.g. ``3A090.a.2``."""
    eccn: NonEmptyStr
    """The ECCN the paragraph puts an item in, e.g. ``3A090.a``."""
    conditions: tuple[Condition, ...] = Field(min_length=1)
    text: CitedText


class NonDatacenterScope(_Frozen):
    """The note limiting 3A090 for items not designed or marketed for datacenters."""

    paragraph: NonEmptyStr
    conditions: tuple[Condition, ...] = Field(min_length=1)
    """A non-datacenter item is in scope of 3A090 only when all of these hold."""
    text: CitedText
    guidance: CitedText | None = None


class NacEligibility(_Frozen):
    """Whether License Exception NAC is available for one ECCN paragraph and datacenter status."""

    eccn: NonEmptyStr
    datacenter: bool
    eligible: bool


class NacRule(_Frozen):
    """License Exception NAC as a rule version states it."""

    text: CitedText
    eligible: tuple[NacEligibility, ...]
    tiers: tuple[CitedText, ...] = ()


class ThresholdSet(_Frozen):
    """The 3A090.a/.b thresholds of one rule version, with the notes around them."""

    paragraphs: tuple[Paragraph, ...] = Field(min_length=1)
    """In order of severity: every 3A090.a paragraph before any 3A090.b paragraph."""
    non_datacenter_scope: NonDatacenterScope | None
    nac: NacRule | None
    no_nac_note: str | None = None
    systems: dict[str, str]
    """ECCN of the IC -> ECCN of computers, assemblies and components containing it (4A090)."""
    destinations: CitedText | None = None
    definitions: tuple[CitedText, ...] = ()
    not_evaluated: tuple[str, ...] = ()
    """Parts of the rule that screen does not evaluate: say so rather than pass silently."""
    datacenter_distinction: bool

    @model_validator(mode="after")
    def _severity_order(self) -> ThresholdSet:
        ranks = [_eccn_rank(p.eccn) for p in self.paragraphs]
        if ranks != sorted(ranks, reverse=True):
            raise ValueError("paragraphs must list 3A090.a before 3A090.b")
        if (self.non_datacenter_scope is not None) != self.datacenter_distinction:
            raise ValueError(
                "non_datacenter_scope must be given exactly when datacenter_distinction"
            )
        return self


class HbmLicenseException(_Frozen):
    """License Exception HBM: the 3A090.c items it covers."""

    condition: Condition
    text: CitedText


class HbmThresholds(_Frozen):
    """3A090.c (high bandwidth memory)."""

    paragraph: Paragraph
    definition: CitedText
    license_exception_hbm: HbmLicenseException | None = None


class EffectiveDate(_Frozen):
    """One effective or compliance date of a rule and what it applies to."""

    date: dt.date
    applies_to: NonEmptyStr
    source: NonEmptyStr


class RuleStatus(_Frozen):
    """Where a rule version stands, as the source notes record it."""

    code: Literal["in-force", "superseded", "rescission-announced-not-enforced", "not-recorded"]
    since: dt.date | None = None
    text: NonEmptyStr
    source: NonEmptyStr
    url: str | None = None


class RuleVersion(_Frozen):
    """One Federal Register document that created or changed the chip controls."""

    id: NonEmptyStr
    kind: RuleKind
    title: NonEmptyStr
    document_type: NonEmptyStr
    citation: Annotated[str, StringConstraints(pattern=r"^\d+ FR \d+$")]
    """E.g. ``88 FR 73458``."""
    fr_doc: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{5}$")]
    rin: str | None = None
    published: dt.date
    released: dt.date | None = None
    effective_dates: tuple[EffectiveDate, ...] = ()
    compliance_dates: tuple[EffectiveDate, ...] = ()
    in_force_from: dt.date
    """The date screen applies this version from (see ``in_force_basis`` for why)."""
    in_force_basis: NonEmptyStr
    status: RuleStatus
    urls: tuple[str, ...] = ()
    summary: tuple[CitedText, ...] = ()
    effect_on_classification: NonEmptyStr
    thresholds: ThresholdSet | None = None
    hbm: HbmThresholds | None = None

    @model_validator(mode="after")
    def _kind_matches_content(self) -> RuleVersion:
        if (self.kind == "eccn-thresholds") != (self.thresholds is not None):
            raise ValueError("thresholds are given exactly for kind 'eccn-thresholds'")
        if (self.kind == "hbm") != (self.hbm is not None):
            raise ValueError("hbm thresholds are given exactly for kind 'hbm'")
        return self

    @property
    def label(self) -> str:
        """``88 FR 73458 (FR Doc 2023-23055)``."""
        return f"{self.citation} (FR Doc {self.fr_doc})"


class Category(_Frozen):
    """A controlled category (ECCN paragraph) and the rule that introduced it."""

    eccn: NonEmptyStr
    title: NonEmptyStr
    introduced_by: NonEmptyStr
    text: CitedText
    note: str | None = None
    """What the sources leave open about this category (e.g. a date they do not give)."""


class SourceFileRef(_Frozen):
    """A file the release data was converted from, identified by its bytes."""

    name: NonEmptyStr
    """Path relative to the source directory (``chips/chips.csv``) or to the package."""
    sha256: Sha256Hex
    records: int | None = None


class RuleBook(_Frozen):
    """Every rule version and category, as published in the release's ``chips/rules.json``."""

    format: Literal["screen.chip-rules/1"]
    title: NonEmptyStr
    compiled_from: NonEmptyStr
    sources: tuple[SourceFileRef, ...]
    verification_caveat: NonEmptyStr
    verification_legend: dict[str, str]
    secondary_sources: tuple[SecondarySource, ...]
    categories: tuple[Category, ...]
    versions: tuple[RuleVersion, ...] = Field(min_length=1)
    """Ordered by ``in_force_from``."""

    @model_validator(mode="after")
    def _consistent(self) -> RuleBook:
        ids = [version.id for version in self.versions]
        if len(set(ids)) != len(ids):
            raise ValueError("rule version ids must be unique")
        dates = [version.in_force_from for version in self.versions]
        if dates != sorted(dates):
            raise ValueError("rule versions must be ordered by in_force_from")
        if not any(version.kind == "eccn-thresholds" for version in self.versions):
            raise ValueError("at least one version must carry 3A090 thresholds")
        return self

    def threshold_version(self, as_of: dt.date) -> RuleVersion | None:
        """The 3A090.a/.b threshold version in force on ``as_of``; None before the first."""
        return _latest(self.versions, "eccn-thresholds", as_of)

    def hbm_version(self, as_of: dt.date) -> RuleVersion | None:
        """The 3A090.c (HBM) version in force on ``as_of``; None before the first."""
        return _latest(self.versions, "hbm", as_of)

    def first(self, kind: RuleKind) -> RuleVersion:
        """The earliest version of a kind (used to say when a rule started)."""
        return next(version for version in self.versions if version.kind == kind)


class PrecisionFigure(_Frozen):
    """A dense (non-sparse) peak figure at one precision, as the source gives it."""

    precision: NonEmptyStr
    dense_tops: PositiveDecimal
    """Dense TOPS or TFLOPS at that precision (2 x MacTOPS)."""
    bit_length: int = Field(gt=0)

    @property
    def tpp(self) -> Decimal:
        """TPP at this precision: dense TOPS x bit length."""
        return self.dense_tops * self.bit_length


class IoFigure(_Frozen):
    """An I/O rate (GB/s) for the 2022 test, only where the source notes state one."""

    value_gbps: PositiveDecimal
    basis: NonEmptyStr
    quote: NonEmptyStr
    """Verbatim from ``quote_file``."""
    quote_file: NonEmptyStr


class ChipNotice(_Frozen):
    """A license requirement, license statement or guidance outside the ECCN thresholds."""

    id: NonEmptyStr
    kind: Literal["license-requirement", "license-statement", "guidance"]
    date: dt.date
    title: NonEmptyStr
    text: CitedText
    url: str | None = None


class Chip(_Frozen):
    """A known chip with the figures and sources of one row of ``chips/chips.csv``.

    A blank cell stays None; text cells are kept verbatim.
    """

    id: NonEmptyStr
    name: NonEmptyStr
    vendor: NonEmptyStr
    announced: str | None = None
    precision_for_tpp: str | None = None
    figures: tuple[PrecisionFigure, ...] = ()
    """One figure per precision the source gives (Ascend 910 has two)."""
    tpp: Decimal | None = None
    die_area_mm2: PositiveDecimal | None = None
    performance_density: Decimal | None = None
    """As the source states it (rounded to 2 places); the classifier recomputes it exactly."""
    datacenter: bool | None = None
    likely_eccn: str | None = None
    """The compiler's own conclusion, verbatim; screen computes its classification independently."""
    sources: tuple[str, ...] = ()
    notes: str | None = None
    io: IoFigure | None = None
    caveats: tuple[str, ...] = ()
    """Verbatim excerpts of the notes that qualify a figure (inferred, unverified, secondary)."""
    notices: tuple[ChipNotice, ...] = ()
    source_line: int = Field(gt=0)
    """Line of the row in ``chips/chips.csv``."""


class ChipTable(_Frozen):
    """Every known chip, as published in the release's ``chips/chips.json``."""

    format: Literal["screen.chips/1"]
    sources: tuple[SourceFileRef, ...]
    chips: tuple[Chip, ...]

    @model_validator(mode="after")
    def _unique_ids(self) -> ChipTable:
        ids = [chip.id for chip in self.chips]
        if len(set(ids)) != len(ids):
            raise ValueError("chip ids must be unique")
        return self


def _eccn_rank(eccn: str | None) -> int:
    return {"3A090.a": 2, "3A090.b": 1}.get(eccn or "", 0)


def _latest(
    versions: tuple[RuleVersion, ...], kind: RuleKind, as_of: dt.date
) -> RuleVersion | None:
    found: RuleVersion | None = None
    for version in versions:
        if version.kind == kind and version.in_force_from <= as_of:
            found = version
    return found
