"""Name tokens and normalised names: what the normaliser makes of a name and the matcher compares.

Every token keeps the text it came from, its script, its kind (word, legal form, particle...) and
how it was made, so a hit can be explained.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

from screen.text.phonetic import consonant_skeleton, phonetic_key
from screen.text.scripts import ABJAD_SCRIPTS, Script

__all__ = ["INITIAL_HOW", "MAX_NAME_CHARS", "NormalizedName", "Token", "TokenKind"]

MAX_NAME_CHARS: Final = 1000
"""Longer input is cut to this many characters before matching: no published name comes close,
and it bounds the work a hostile input can cause."""


INITIAL_HOW: Final = "initial"
"""``Token.how`` of a letter written as an initial (``A.`` in ``A. Khamenei``)."""


class TokenKind(StrEnum):
    """What a token is, which decides how much it weighs in a match."""

    WORD = "word"
    LEGAL_FORM = "legal_form"
    """A legal form (Co., Ltd., LLC, ООО ...) replaced by its class, e.g. ``co_ltd``."""
    PARTICLE = "particle"
    """A name particle such as Arabic ``al``/``el``: it counts, but little."""
    STOPWORD = "stopword"
    """A function word (and, of, the, de ...): kept for display, ignored when scoring."""


# The frozen classes below write their own __init__: the one dataclasses generates is
# interpreted even when mypyc compiles the class, and costs ten times as much. The compiled
# __init__ is the same, field by field (dataclasses still makes eq, hash and repr).


@dataclass(frozen=True, slots=True, init=False)
class Token:
    """One comparable token and where it came from."""

    text: str
    """Comparable form: lower-case ASCII letters and digits (legal forms: their class code)."""
    original: str
    """The span of the folded input it was made from."""
    script: Script
    kind: TokenKind = TokenKind.WORD
    how: str = "as written"
    """The transformation that produced ``text`` (transliteration, pinyin, translation ...)."""
    alternatives: tuple[tuple[str, str], ...] = ()
    """Other comparable forms with how each was made, e.g. ``("technology", "abbreviation")``."""
    qualifier: bool = False
    """Written in parentheses: an acronym, a place or a former name that qualifies the name."""
    key: str = field(init=False)
    """Phonetic key of ``text``: folds spelling differences between romanisation systems."""
    skeleton: str = field(init=False)
    """Consonant skeleton of ``text``, for scripts that do not write short vowels."""
    comparable_form: tuple[object, ...] | None = field(init=False, repr=False, compare=False)
    """What :func:`screen.names.compare.comparable` made of this token alone, kept there for the
    next query that has the token (None until then; tokens are shared through the caches)."""
    word_part: str | None = field(init=False, repr=False, compare=False)
    """What :mod:`screen.names.parts` made of this token alone (its kind as a word of any name),
    kept like ``comparable_form``."""

    def __init__(
        self,
        text: str,
        original: str,
        script: Script,
        kind: TokenKind = TokenKind.WORD,
        how: str = "as written",
        alternatives: tuple[tuple[str, str], ...] = (),
        qualifier: bool = False,
    ) -> None:
        # one string object per distinct word: the index holds tens of thousands of tokens
        text = sys.intern(text)
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "original", original)
        object.__setattr__(self, "script", script)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "how", how)
        object.__setattr__(self, "alternatives", alternatives)
        object.__setattr__(self, "qualifier", qualifier)
        object.__setattr__(self, "key", phonetic_key(text))
        if script in ABJAD_SCRIPTS:
            # romanised Persian p+h is two letters (په), not the digraph ph
            object.__setattr__(self, "skeleton", consonant_skeleton(text.replace("ph", "p")))
        else:
            object.__setattr__(self, "skeleton", consonant_skeleton(text))
        object.__setattr__(self, "comparable_form", None)
        object.__setattr__(self, "word_part", None)



@dataclass(frozen=True, slots=True, init=False)
class NormalizedName:
    """A name as comparable tokens, in one or more variants (see the module docs)."""

    original: str
    variants: tuple[tuple[Token, ...], ...]
    truncated: bool = False
    """True when the input was longer than ``MAX_NAME_CHARS`` and was cut."""

    def __init__(
        self, original: str, variants: tuple[tuple[Token, ...], ...], truncated: bool = False
    ) -> None:
        object.__setattr__(self, "original", original)
        object.__setattr__(self, "variants", variants)
        object.__setattr__(self, "truncated", truncated)

    @property
    def transformations(self) -> tuple[str, ...]:
        """Every transformation applied, in order, for the explanation of a match."""
        return _describe(self.variants, self.truncated)

    @property
    def tokens(self) -> tuple[Token, ...]:
        """The first (primary) variant."""
        return self.variants[0] if self.variants else ()

    @property
    def text(self) -> str:
        """The primary variant as one space-separated string."""
        return " ".join(token.text for token in self.tokens)

    @property
    def is_empty(self) -> bool:
        """True when the name has no letter or digit to compare."""
        return not any(token.kind is not TokenKind.STOPWORD for token in self.tokens)


def _describe(variants: Iterable[Sequence[Token]], truncated: bool) -> tuple[str, ...]:
    steps: list[str] = ["nfkc+casefold"]
    if truncated:
        steps.append(f"truncated to {MAX_NAME_CHARS} characters")
    seen: set[str] = set()
    for variant in variants:
        for token in variant:
            labels = [token.how] + [how for _, how in token.alternatives]
            if token.script is not Script.LATIN:
                labels.append(f"script:{token.script.value}")
            for label in labels:
                if label != "as written" and label not in seen:
                    seen.add(label)
                    steps.append(label)
    return tuple(steps)
