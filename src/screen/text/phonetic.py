"""Phonetic keys and consonant skeletons of romanised words.

Two spellings of one sound (``kh``/``h``, ``ou``/``u``, ``sch``/``sh``...) share a key, and the
consonant skeleton drops vowels, so romanisations of one name meet.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from functools import lru_cache
from typing import Final

__all__ = ["collapse_repeats", "consonant_skeleton", "key_and_skeleton", "phonetic_key"]

# ---------------------------------------------------------------------------------------------
# Phonetic key and consonant skeleton

# Spelling differences between romanisation systems and languages that name the same sound.
# Order matters: longer sequences first.
_SCH: Final = re.compile(r"shch|sch")
_TSCH: Final = re.compile(r"tch|tsch")
_DZH: Final = re.compile(r"dzh|dj|zh")
_CK_Q: Final = re.compile(r"ck|qu|q")
_C_NOT_H: Final = re.compile(r"c(?!h)")
_OU: Final = re.compile(r"ou|oo")


def _compiled_keys() -> Callable[[str], tuple[str, str]] | None:
    """The C++ rules of the phonetic key and skeleton (``_phonetic.pyx``) for ASCII text, or
    None where that module is not built: the Python rules below then make every key."""
    try:
        from screen.text._phonetic import ascii_key_and_skeleton
    except ImportError:
        return None
    return ascii_key_and_skeleton


def _compiled_key() -> Callable[[str], str] | None:
    """The C++ rules of the phonetic key alone (see :func:`_compiled_keys`)."""
    try:
        from screen.text._phonetic import ascii_phonetic_key
    except ImportError:
        return None
    return ascii_phonetic_key


_COMPILED_KEYS: Final = _compiled_keys()
_COMPILED_KEY: Final = _compiled_key()


def key_and_skeleton(text: str) -> tuple[str, str]:
    """``(phonetic_key(text), consonant_skeleton(text))``, made at once and not remembered:
    for words joined from adjacent tokens, new in nearly every name screened, remembering costs
    more than it saves."""
    if _COMPILED_KEYS is not None and text.isascii():
        key, skeleton = _COMPILED_KEYS(text)
        return sys.intern(key), sys.intern(skeleton)
    return phonetic_key(text), consonant_skeleton(text)


@lru_cache(maxsize=1 << 16)
def phonetic_key(text: str) -> str:
    """Fold spellings that romanisation systems use for the same sound (kh/h, y/i, w/v, ou/u,
    doubled letters ...): ``Yevgeniy`` and ``Evgenii`` give the same key.

    The rules apply in this order, each to the result of the one before: shch|sch -> sh,
    tch|tsch -> ch, dzh|dj|zh -> j, kh -> h, gh -> g, ph -> f, th -> t, dh -> d, ck|qu|q -> k,
    c not before h -> k, x -> ks, w -> v, y -> i, initial ie -> e, ou|oo -> u, ee -> i, a
    repeated letter once, final ii|ij -> i. A rule whose letters are absent is skipped (this
    runs for every new word, so it is written for speed: a rule of alternatives is a plain
    replacement when only one of them occurs, a regular expression only when it needs one).
    ASCII text goes through the same rules compiled, where they are built.
    """
    if _COMPILED_KEY is not None and text.isascii():
        return sys.intern(_COMPILED_KEY(text))  # the key alone: a skeleton is asked for apart
    return _python_phonetic_key(text)


def _python_phonetic_key(text: str) -> str:
    """:func:`phonetic_key` by the Python rules (the reference for the compiled ones)."""
    if "shch" in text:
        text = _SCH.sub("sh", text)
    elif "sch" in text:
        text = text.replace("sch", "sh")
    if "tch" in text or "tsch" in text:
        text = _TSCH.sub("ch", text) if "tsch" in text else text.replace("tch", "ch")
    if "dzh" in text:
        text = _DZH.sub("j", text)
    elif "zh" in text or "dj" in text:  # they cannot overlap: one after the other is the same
        text = text.replace("dj", "j").replace("zh", "j")
    if "h" in text:
        text = (
            text.replace("kh", "h").replace("gh", "g").replace("ph", "f")
            .replace("th", "t").replace("dh", "d")
        )
    if "q" in text:
        text = _CK_Q.sub("k", text)
    elif "ck" in text:
        text = text.replace("ck", "k")
    if "c" in text:
        text = _C_NOT_H.sub("k", text) if "ch" in text else text.replace("c", "k")
    # three replacements rather than str.translate with a table: translate looks every letter
    # up in a dictionary, several times slower, and no replacement brings back x, w or y
    if "x" in text:
        text = text.replace("x", "ks")
    if "w" in text:
        text = text.replace("w", "v")
    if "y" in text:
        text = text.replace("y", "i")
    if text.startswith("ie"):
        text = "e" + text[2:]
    if "oo" in text:
        text = _OU.sub("u", text) if "ou" in text else text.replace("oo", "u")
    elif "ou" in text:
        text = text.replace("ou", "u")
    text = collapse_repeats(text.replace("ee", "i"))
    if text.endswith(("ii", "ij")):
        text = text[:-1]
    return sys.intern(text)


def collapse_repeats(text: str) -> str:
    """``text`` with every run of one character written once: ``re.sub(r"(.)\\1+", r"\\1", text)``
    (so newlines, which ``.`` does not match, stay as they are). A loop rather than that
    substitution: this runs for every new word and word pair, and a substitution with a group
    reference costs several times as much."""
    if len(text) < 2:
        return text
    kept: list[str] = []
    previous = ""
    for char in text:
        if char != previous or char == "\n":
            kept.append(char)
            previous = char
    return text if len(kept) == len(text) else "".join(kept)


_SKELETON_DROP: Final = "aeiouyvw'@`"
_SKELETON_DROP_TABLE: Final = str.maketrans("", "", _SKELETON_DROP)
_SKELETON_DROP_BYTES: Final = _SKELETON_DROP.encode("ascii")


def _drop_skeleton_letters(key: str) -> str:
    """``key`` without vowels, semivowels and apostrophes. An ASCII key (nearly every one)
    loses them in one C loop over its bytes; str.translate looks each letter up in a
    dictionary, several times slower."""
    if key.isascii():
        return key.encode("ascii").translate(None, _SKELETON_DROP_BYTES).decode("ascii")
    return key.translate(_SKELETON_DROP_TABLE)


@lru_cache(maxsize=1 << 16)
def consonant_skeleton(text: str) -> str:
    """The consonants of a token's phonetic key, doubled letters collapsed: ``nasrallah`` and
    the transliterated Arabic ``nsr llh`` both give ``nsrl``."""
    if _COMPILED_KEYS is not None and text.isascii():
        return sys.intern(_COMPILED_KEYS(text)[1])
    return _python_consonant_skeleton(text)


def _python_consonant_skeleton(text: str) -> str:
    """:func:`consonant_skeleton` by the Python rules (the reference for the compiled ones)."""
    key = _python_phonetic_key(text)
    if key.endswith("h"):  # a final h only lengthens a vowel (-ah, -eh)
        key = key[:-1]
    return sys.intern(collapse_repeats(_drop_skeleton_letters(key)))
