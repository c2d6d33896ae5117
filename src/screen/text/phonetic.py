"""Phonetic keys and consonant skeletons of romanised words.

Two spellings of one sound (``kh``/``h``, ``ou``/``u``, ``sch``/``sh``...) share a key, and the
consonant skeleton drops vowels, so romanisations of one name meet.

The rules are data, written once: ``data/phonetic_rules.tsv`` is an ordered table of rewrite
rules, each with the spelling difference it folds (:func:`phonetic_table` reads it). Two generic
engines apply such a table and hold no rule of their own: :class:`RewriteEngine`, here, is the
reference and makes every key of non-ASCII text (and of all text where the C++ module is not
built, or with ``SCREEN_IMPLEMENTATION=python``); ``_phonetic.pyx`` is given the same table when
this module is imported and applies it to ASCII text in C++. The tests hold the two equal on
every word of the shipped release and on made-up strings, for this table and for altered ones.

What a rule means is one regular expression substitution (:meth:`RewriteRule.pattern`), applied
with ``re.sub``: leftmost, non-overlapping matches, and at each position the first alternative
that matches there. The engines get there faster (a rule is skipped when none of its
alternatives occurs, and one that occurs alone is a plain ``str.replace``).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Final, Literal, Protocol, TypeVar

__all__ = [
    "COMPILED_ENGINE",
    "TABLE",
    "CompiledEngine",
    "PhoneticTable",
    "RewriteEngine",
    "RewriteRule",
    "RuleTableError",
    "Where",
    "collapse_repeats",
    "consonant_skeleton",
    "key_and_skeleton",
    "passing_key",
    "phonetic_key",
    "phonetic_table",
    "read_phonetic_table",
]

# ---------------------------------------------------------------------------------------------
# The table

Where = Literal["anywhere", "start", "end", "collapse"]
"""Where a rule applies: ``anywhere`` in the text, only at its ``start``, only at its ``end``; or
``collapse``, the step that writes every run of one character once (it has no alternatives)."""

_WHERE_CELLS: Final[dict[str, Where]] = {
    "anywhere": "anywhere",
    "at start": "start",
    "at end": "end",
    "collapse repeats": "collapse",
}
_NOT_BEFORE: Final = "not before "
_COLUMNS: Final = ("table", "where", "match", "replacement", "reason")


@dataclass(frozen=True, slots=True)
class RewriteRule:
    """One step of a rewrite table: every match of one of ``alternatives`` (in ``where``, and
    not followed by any character of ``not_before``) becomes ``replacement``."""

    where: Where
    alternatives: tuple[str, ...]
    """Tried in this order at each position; empty for ``collapse``."""
    replacement: str
    not_before: str = ""
    """Characters that must not follow a match (``c`` not before ``h``); empty: no condition."""
    reason: str = ""
    """The spelling difference the rule folds."""

    def pattern(self) -> str:
        """The regular expression this rule substitutes (with ``re.sub``, by ``replacement``;
        ``collapse``: by the repeated character): what the rule means, whatever an engine does
        to be fast."""
        if self.where == "collapse":
            return r"(.)\1+"
        pattern = "(?:" + "|".join(re.escape(part) for part in self.alternatives) + ")"
        if self.where == "start":
            pattern = r"\A" + pattern
        elif self.where == "end":
            pattern += r"\Z"
        if self.not_before:
            pattern += "(?![" + "".join(re.escape(char) for char in self.not_before) + "])"
        return pattern


@dataclass(frozen=True, slots=True)
class PhoneticTable:
    """The rules of the phonetic key (applied to a word, in order) and of the consonant skeleton
    (applied in order to the word's key)."""

    key: tuple[RewriteRule, ...]
    skeleton: tuple[RewriteRule, ...]


class RuleTableError(ValueError):
    """A rewrite table is malformed (for the shipped one: a packaging bug, never user input)."""


def read_phonetic_table(text: str, source: str = "phonetic_rules.tsv") -> PhoneticTable:
    """The table written in ``text`` (the format of ``data/phonetic_rules.tsv``, described at its
    top); ``source`` names it in errors. Raises :class:`RuleTableError` naming line and field."""
    tables: dict[str, list[RewriteRule]] = {"key": [], "skeleton": []}
    for line, cells in _rows(text, source):
        table = cells["table"]
        if table not in tables:
            raise RuleTableError(f"{source}:{line}: table must be key or skeleton, not {table!r}")
        tables[table].append(_rule(cells, f"{source}:{line}"))
    return PhoneticTable(tuple(tables["key"]), tuple(tables["skeleton"]))


def _rows(text: str, source: str) -> Iterator[tuple[int, dict[str, str]]]:
    header: list[str] | None = None
    for line, row in enumerate(text.splitlines(), start=1):
        if not row.strip() or row.startswith("#"):
            continue
        cells = row.split("\t")
        if header is None:
            if tuple(cells) != _COLUMNS:
                raise RuleTableError(f"{source}:{line}: the columns must be {', '.join(_COLUMNS)}")
            header = cells
            continue
        if len(cells) != len(header):
            raise RuleTableError(f"{source}:{line}: {len(cells)} cells, not {len(header)}")
        yield line, dict(zip(header, cells, strict=True))


def _rule(cells: dict[str, str], at: str) -> RewriteRule:
    where_cell, match, replacement = cells["where"], cells["match"], cells["replacement"]
    where: Where = "anywhere"
    not_before = ""
    if where_cell.startswith(_NOT_BEFORE):
        not_before = where_cell.removeprefix(_NOT_BEFORE).strip()
        if not not_before:
            raise RuleTableError(f"{at}: where: 'not before' names no character")
    elif where_cell in _WHERE_CELLS:
        where = _WHERE_CELLS[where_cell]
    else:
        raise RuleTableError(
            f"{at}: where must be one of {', '.join(_WHERE_CELLS)} or 'not before X', "
            f"not {where_cell!r}"
        )
    if not cells["reason"].strip():
        raise RuleTableError(f"{at}: reason: every rule says what spelling difference it folds")
    if where == "collapse":
        if match or replacement:
            raise RuleTableError(f"{at}: collapse repeats takes no match and no replacement")
        return RewriteRule("collapse", (), "", "", cells["reason"])
    alternatives = tuple(match.split("|"))
    if not all(alternatives):
        raise RuleTableError(f"{at}: match: an empty alternative in {match!r}")
    for field, value in (("match", match), ("replacement", replacement), ("where", not_before)):
        if not value.isascii():
            raise RuleTableError(f"{at}: {field}: {value!r} is not ASCII")
    return RewriteRule(where, alternatives, replacement, not_before, cells["reason"])


def phonetic_table() -> PhoneticTable:
    """The phonetic key's and skeleton's rules, as shipped (``data/phonetic_rules.tsv``)."""
    data = resources.files("screen.text").joinpath("data", "phonetic_rules.tsv")
    return read_phonetic_table(data.read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------------------------
# The Python engine


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


# How a step runs, chosen from the shape of its rule (each gives what the rule's regular
# expression gives, by a shorter way)
_REPLACE: Final = 0  # one alternative, anywhere, no condition: str.replace
_DELETE: Final = 1  # one-character alternatives removed anywhere: one translation
_ANYWHERE: Final = 2  # anything else anywhere
_START: Final = 3
_END: Final = 4
_COLLAPSE: Final = 5


class _Step:
    """One rule, ready to apply: :meth:`RewriteRule.pattern` substituted, by the shortest way
    that gives the same text."""

    def __init__(self, rule: RewriteRule) -> None:
        self.alternatives: tuple[str, ...] = rule.alternatives
        self.first: str = rule.alternatives[0] if rule.alternatives else ""
        # at the end, the leftmost match is the longest alternative that ends the text
        self.longest_first: tuple[str, ...] = tuple(
            sorted(rule.alternatives, key=len, reverse=True)
        )
        self.replacement: str = rule.replacement
        self.not_before: str = rule.not_before
        self.regex: re.Pattern[str] = re.compile(rule.pattern())
        self.template: str = rule.replacement.replace("\\", "\\\\")
        deleted = "".join(rule.alternatives)
        self.delete_table: dict[int, int | None] = str.maketrans("", "", deleted)
        self.delete_bytes: bytes = deleted.encode("utf-8") if deleted.isascii() else b""
        self.method: int = _ANYWHERE
        if rule.where == "collapse":
            self.method = _COLLAPSE
        elif rule.where == "start":
            self.method = _START
        elif rule.where == "end":
            self.method = _END
        elif rule.not_before:
            pass
        elif len(rule.alternatives) == 1:
            self.method = _REPLACE
        elif not rule.replacement and all(len(part) == 1 for part in rule.alternatives):
            self.method = _DELETE

    def anywhere(self, text: str) -> str:
        """``re.sub(self.regex, replacement, text)`` for a rule that applies anywhere."""
        found = ""
        count = 0
        for part in self.alternatives:
            if part in text:
                found = part
                count += 1
        if count == 0:
            return text
        if count == 1 and not any(found + char in text for char in self.not_before):
            # the only alternative in the text, never followed by a forbidden character: the
            # substitution is that replacement, which needs no regular expression
            return text.replace(found, self.replacement)
        return self.regex.sub(self.template, text)

    def at_start(self, text: str) -> str:
        """The first alternative that starts ``text`` (not followed by a forbidden
        character) replaced."""
        for part in self.alternatives:
            if text.startswith(part) and (
                len(part) >= len(text) or text[len(part)] not in self.not_before
            ):
                return self.replacement + text[len(part) :]
        return text

    def at_end(self, text: str) -> str:
        """The longest alternative that ends ``text`` replaced (the leftmost match that ends
        there; nothing follows it, so ``not_before`` holds)."""
        for part in self.longest_first:
            if text.endswith(part):
                return text[: len(text) - len(part)] + self.replacement
        return text

    def delete(self, text: str) -> str:
        """Every character of the alternatives removed. An ASCII text loses ASCII letters in
        one C loop over its bytes; str.translate looks each letter up in a dictionary, several
        times slower."""
        if self.delete_bytes and text.isascii():
            return text.encode("ascii").translate(None, self.delete_bytes).decode("ascii")
        return text.translate(self.delete_table)


def _apply(steps: tuple[_Step, ...], text: str) -> str:
    """The steps applied to ``text`` in order. Each kind of step is tested here, before any
    call: most steps find nothing to do, and a call costs more than the test."""
    for step in steps:
        method = step.method
        if method == _REPLACE:
            text = text.replace(step.first, step.replacement)  # the same text when absent
        elif method == _ANYWHERE:
            for part in step.alternatives:
                if part in text:
                    text = step.anywhere(text)
                    break
        elif method == _COLLAPSE:
            text = collapse_repeats(text)
        elif method == _DELETE:
            text = step.delete(text)
        elif method == _START:
            if text.startswith(step.alternatives):
                text = step.at_start(text)
        elif text.endswith(step.alternatives):
            text = step.at_end(text)
    return text


class RewriteEngine:
    """Applies a :class:`PhoneticTable` in Python: the key rules to a word, the skeleton rules to
    its key. Generic: it knows no rule but the table's."""

    def __init__(self, table: PhoneticTable) -> None:
        self._key: tuple[_Step, ...] = tuple(_Step(rule) for rule in table.key)
        self._skeleton: tuple[_Step, ...] = tuple(_Step(rule) for rule in table.skeleton)

    def key(self, text: str) -> str:
        """The key rules applied to ``text``, in order."""
        return _apply(self._key, text)

    def skeleton_of_key(self, key: str) -> str:
        """The skeleton rules applied to a key, in order."""
        return _apply(self._skeleton, key)

    def key_and_skeleton(self, text: str) -> tuple[str, str]:
        """``text``'s key and its key's skeleton."""
        key = _apply(self._key, text)
        return key, _apply(self._skeleton, key)


# ---------------------------------------------------------------------------------------------
# The compiled engine

_T = TypeVar("_T", bound=tuple[object, ...])


class CompiledEngine(Protocol):
    """What ``screen.text._phonetic.RewriteEngine`` offers (ASCII text only)."""

    def key(self, text: str) -> str:
        """The key rules applied to an ASCII ``text``."""
        ...

    def key_and_skeleton(self, text: str) -> tuple[str, str]:
        """An ASCII ``text``'s key and its key's skeleton."""
        ...

    def joined_comparable(self, cls: type[_T], text: str, abjad: bool) -> _T | None:
        """``cls(text, (), key, skeleton, abjad, False)`` for an ASCII ``text``, else None."""
        ...


def _compiled_engine(table: PhoneticTable) -> CompiledEngine | None:
    """The C++ engine (``_phonetic.pyx``) given ``table``, or None where it is not built (or
    with ``SCREEN_IMPLEMENTATION=python``): the Python engine then makes every key."""
    try:
        from screen.text._phonetic import RewriteEngine as Compiled
    except ImportError:
        return None
    return Compiled(table)


TABLE: Final = phonetic_table()
"""The shipped rules, read once."""
_PYTHON: Final = RewriteEngine(TABLE)
COMPILED_ENGINE: Final = _compiled_engine(TABLE)
"""The C++ engine given :data:`TABLE`, for ASCII text; None where it is not built."""
_COMPILED_KEYS: Final[Callable[[str], tuple[str, str]] | None] = (
    None if COMPILED_ENGINE is None else COMPILED_ENGINE.key_and_skeleton
)
_COMPILED_KEY: Final[Callable[[str], str] | None] = (
    None if COMPILED_ENGINE is None else COMPILED_ENGINE.key
)


# ---------------------------------------------------------------------------------------------
# Keys


def key_and_skeleton(text: str) -> tuple[str, str]:
    """``(phonetic_key(text), consonant_skeleton(text))``, made at once and not remembered:
    for words joined from adjacent tokens, new in nearly every name screened, remembering costs
    more than it saves."""
    if _COMPILED_KEYS is not None and text.isascii():
        key, skeleton = _COMPILED_KEYS(text)
        return sys.intern(key), sys.intern(skeleton)
    return phonetic_key(text), consonant_skeleton(text)


def passing_key(text: str) -> str:
    """:func:`phonetic_key` made afresh and not remembered: for the many pieces a word is cut
    into when looking for words written together, which would only crowd the words that come
    back out of the memo."""
    if _COMPILED_KEY is not None and text.isascii():
        return _COMPILED_KEY(text)
    return _PYTHON.key(text)


@lru_cache(maxsize=1 << 16)
def phonetic_key(text: str) -> str:
    """Fold spellings that romanisation systems use for the same sound (kh/h, y/i, w/v, ou/u,
    doubled letters ...): ``Yevgeniy`` and ``Evgenii`` give the same key. The key rules of
    ``data/phonetic_rules.tsv``, in order; ASCII text goes through the compiled engine where it
    is built."""
    if _COMPILED_KEY is not None and text.isascii():
        return sys.intern(_COMPILED_KEY(text))  # the key alone: a skeleton is asked for apart
    return sys.intern(_PYTHON.key(text))


@lru_cache(maxsize=1 << 16)
def consonant_skeleton(text: str) -> str:
    """The consonants of a token's phonetic key, doubled letters collapsed: ``nasrallah`` and
    the transliterated Arabic ``nsr llh`` both give ``nsrl`` (the skeleton rules of
    ``data/phonetic_rules.tsv`` applied to the key)."""
    if _COMPILED_KEYS is not None and text.isascii():
        return sys.intern(_COMPILED_KEYS(text)[1])
    return sys.intern(_PYTHON.skeleton_of_key(phonetic_key(text)))
