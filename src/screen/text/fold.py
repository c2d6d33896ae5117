"""Folding text to a comparable form: Unicode NFKC, case folding, unsafe characters removed.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from unidecode import unidecode

__all__ = ["fold"]

# ---------------------------------------------------------------------------------------------
# Folding and scripts

_UNSAFE: Final = re.compile(
    r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\u200b\u200d-\u200f\u202a-\u202e\u2060-\u2064\ufeff]"
)
ZWNJ: Final = "\u200c"
"""The zero-width non-joiner, kept by :func:`fold`: Persian writes it inside a word, between
parts that must not join in writing (بین‌المللی "international", سرمایه‌گذاری "investment",
علی‌رضا); the tokeniser keeps such a word whole. Elsewhere it separates, as a space does."""
# Arabic short-vowel marks and tatweel carry no consonant: drop them so words do not split.
_ARABIC_MARKS: Final = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")


def fold(text: str) -> str:
    """NFKC-normalise and case-fold ``text``; control, format (except :data:`ZWNJ`) and lone
    surrogate characters become spaces, so any Python string is safe to pass."""
    if text.isascii() and text.isprintable():
        return text.lower()  # what the steps below make of printable ASCII
    text = _UNSAFE.sub(" ", text)
    # Turkish İ case-folds to i + combining dot above: the dot is not a letter of its own
    return unicodedata.normalize("NFKC", text).casefold().replace("i\u0307", "i")


# ---------------------------------------------------------------------------------------------
# Tables


_NON_ALNUM: Final = re.compile(r"[^a-z0-9]+")


def _ascii_words(text: str) -> list[str]:
    """Lower-case ASCII words of an already romanised string."""
    return [word for word in _NON_ALNUM.split(unidecode(text).lower().replace("'", "")) if word]
