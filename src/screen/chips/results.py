"""What a chip classification returns: the rule it applied, each paragraph's test and the outcome,
with the figures it used, so a decision can be explained and reproduced.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict

from screen.chips.models import (
    CitedText,
    Parameter,
    RuleVersion,
)

__all__ = [
    "Classification",
    "ClassificationStatus",
    "HbmClassification",
    "ParagraphTest",
    "RuleRef",
    "control_level",
]

ClassificationStatus = Literal["controlled", "not-controlled", "insufficient-data"]
Outcome = Literal["met", "not met", "unknown"]
# The severity order of 3A090.a/.b; None (outside 3A090) is the lowest.
_LEVELS = {"3A090.a": 2, "3A090.b": 1}


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
