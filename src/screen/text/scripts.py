"""Which writing system a character belongs to, and how a text splits into runs of one script.
"""

from __future__ import annotations

import unicodedata
from enum import StrEnum
from typing import Final

from screen.text.memo import _remember

__all__ = ["HAN_RANGES", "KANA_RANGES", "Script", "character_class", "script_of"]

class Script(StrEnum):
    """Writing system of a token's original text."""

    LATIN = "latin"
    HAN = "han"
    KANA = "kana"
    HANGUL = "hangul"
    CYRILLIC = "cyrillic"
    ARABIC = "arabic"
    HEBREW = "hebrew"
    GREEK = "greek"
    OTHER = "other"


ABJAD_SCRIPTS: Final = frozenset({Script.ARABIC, Script.HEBREW})
"""Scripts that usually leave short vowels unwritten: compare their tokens by consonants."""

KANA_RANGES: Final = ((0x3040, 0x30FF), (0x31F0, 0x31FF), (0xFF66, 0xFF9F))
"""The code points :func:`script_of` calls kana, as inclusive ranges."""
HAN_RANGES: Final = (
    (0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0xF900, 0xFAFF), (0x20000, 0x3FFFF), (0x3007, 0x3007)
)
"""The code points :func:`script_of` calls Han, as inclusive ranges."""


def character_class(ranges: tuple[tuple[int, int], ...]) -> str:
    """A regular-expression character class of the code points in ``ranges``: a search for
    characters of a script by the same ranges :func:`script_of` reads."""
    return "[" + "".join(f"{chr(low)}-{chr(high)}" for low, high in ranges) + "]"


def _within(code: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    for low, high in ranges:  # noqa: SIM110 (compiled, any() is a call)
        if low <= code <= high:
            return True
    return False


def script_of(char: str) -> Script | None:
    """The script of one letter or digit (digits count as Latin); None for anything else."""
    return _script_of(char)
_SCRIPTS: Final[dict[str, Script | None]] = {}


def _script_of(char: str) -> Script | None:
    try:
        return _SCRIPTS[char]
    except KeyError:
        return _remember(_SCRIPTS, char, _find_script(char))


def _find_script(char: str) -> Script | None:
    code = ord(char)
    if not (char.isalnum() or unicodedata.category(char) in ("Mn", "Mc")):
        return None
    if code < 0x0250 or 0x1E00 <= code <= 0x1EFF or 0xFF10 <= code <= 0xFF5A:
        return Script.LATIN
    if 0x0370 <= code <= 0x03FF or 0x1F00 <= code <= 0x1FFF:
        return Script.GREEK
    if 0x0400 <= code <= 0x052F or 0x1C80 <= code <= 0x1C8F or (0x2DE0 <= code <= 0xA69F and (
        code <= 0x2DFF or code >= 0xA640
    )):
        return Script.CYRILLIC
    if 0x0590 <= code <= 0x05FF or 0xFB1D <= code <= 0xFB4F:
        return Script.HEBREW
    if (
        0x0600 <= code <= 0x06FF
        or 0x0750 <= code <= 0x077F
        or 0x08A0 <= code <= 0x08FF
        or 0xFB50 <= code <= 0xFDFF
        or 0xFE70 <= code <= 0xFEFF
    ):
        return Script.ARABIC
    if _within(code, KANA_RANGES):
        return Script.KANA
    if 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F or 0xAC00 <= code <= 0xD7AF:
        return Script.HANGUL
    if _within(code, HAN_RANGES):
        return Script.HAN
    if unicodedata.category(char) in ("Mn", "Mc"):
        return None  # a combining mark joins the letter before it
    return Script.OTHER
