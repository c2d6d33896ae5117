"""Three-valued tests of a rule's conditions: a condition on a figure the caller did not give is
``unknown``, never assumed met or not met.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction

from screen.chips.arithmetic import _fmt
from screen.chips.models import (
    Condition,
    Paragraph,
    Parameter,
)
from screen.chips.results import Outcome, ParagraphTest

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
