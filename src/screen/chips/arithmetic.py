"""Exact arithmetic for the chip thresholds: figures become fractions of the decimal the caller
wrote (``5.92`` is exactly 592/100), so a value on a boundary is never pushed across it by float
rounding.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from typing import Literal

__all__ = ["Number"]

Number = int | float | Decimal | Fraction
"""A figure as the caller has it; floats are read as the decimal they print as (``5.92``)."""
# A stated density may be rounded; anything further from TPP / area is a contradiction.
_DENSITY_SLACK = Fraction(1, 100)


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
