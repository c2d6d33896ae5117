"""Names written inside a listed name, indexed as names of the entry: ``Huawei Technologies Co.,
Ltd. (Huawei)`` lists the firm as ``Huawei`` too, ``Gazprom Promgaz, AO (f.k.a. Otkrytoe
Aktsionernoe Obshchestvo Gazprom Promgaz)`` its former name, and the name around such a part is a
name of the entry on its own (``Huawei Technologies Co., Ltd.``, whose legal form now ends it).

A part is a name of the entry when the list says so (a.k.a., f.k.a., n.k.a., formerly: in
brackets anywhere, or, written with its full stops, outside them), or when a bracketed part at the
end of the name (before a legal form at most) is a short form of the rest:

- an abbreviation of it or the other way round, by the algorithm of Schwartz and Hearst (2003,
  "A simple algorithm for identifying abbreviation definitions in biomedical text"): every
  letter of the short form in order in the long form, the first at the start of a word, the
  long form at most min(n + 5, 2n) words for a short form of n letters
  (``KHATIBA IMAM AL-BUKHARI (KIB)``, ``ASMAT (APPLIED SYSTEMS METHODS AND TECHNOLOGY)``);
- or words of the rest as written, one at least neither a generic word nor a place of the term
  tables (``Huawei``, ``PASDARAN``, ``Markel CJSC``).

So a bracketed place (``(Hong Kong)``, ``(Vietnam)``: words the rest does not have, or a part of
the entry's own address), a legal form (``(Pvt)``), a generic word (``(Group)``) or another
party (``SPORTS ZONE (MNC GROUP INTERNATIONAL, INC.)``, a division of that firm) is not a name of
the entry, and stays a qualifier of the name, as before. Neither is a bracketed part of a
person's name (``SANTOS, Ahmad (Ahmed)`` spells one name part, not the person), nor one followed
by more words (``CSIC`` in ``China Shipbuilding Industry Group Co., Ltd. (CSIC) 707th Research
Institute`` names the parent, not the institute).

Every decision looks at the entry alone and the tables: indexing a few entries (re-screening)
finds the same names as indexing the release.
"""

from __future__ import annotations

import re
from typing import Final

from screen.names.legal_forms import may_be_legal_word
from screen.names.normalize import _tokenize, normalize_name
from screen.names.terms import generic_words, place_words
from screen.names.tokens import Token, TokenKind
from screen.release.models import AliasKind, EntityType, ListEntry
from screen.text.fold import fold

__all__ = ["inner_names", "plain_name"]

_OPENING: Final = "([{（［【"
_CLOSING: Final = ")]}）］】"
_MARKER: Final = re.compile(
    r"(?:a\.?\s?k\.?\s?a|f\.?\s?k\.?\s?a|n\.?\s?k\.?\s?a|formerly\s+known\s+as|also\s+known\s+as"
    r"|now\s+known\s+as|formerly)\b[\s.,:;]*",
    re.IGNORECASE,
)
"""Opens a bracketed part that the list says is another name of the entry."""
_DOTTED_MARKER: Final = re.compile(
    r"(?:^|(?<=[\s,;]))(?:a\.k\.a|f\.k\.a|n\.k\.a)\.?(?=[\s,:]|$)[\s.,:;]*", re.IGNORECASE
)
"""The same outside brackets: only written with full stops (``AKA`` alone may be a word of the
name itself: ``AKA INTEGRAL SERVICES``, ``YK-AKA``)."""
_MAX_SHORT_FORM: Final = 10
"""Schwartz and Hearst: a short form has 2 to 10 letters or digits, in one or two words."""


def inner_names(entry: ListEntry, name: str) -> list[tuple[str, AliasKind]]:
    """The names written inside ``name`` (one of ``entry``'s names), each with its kind:
    :attr:`AliasKind.INNER` for a part, :attr:`AliasKind.OUTER` for the name around it. None
    of them is ``name`` itself; most names have none."""
    if not any(char in _OPENING for char in name) and "k.a" not in name.lower():
        return []  # most names: neither a bracket nor a marker
    found: list[tuple[str, AliasKind]] = []
    parts = _marked_parts(name)
    for text, kind in parts:
        found.append((text, kind))
    for text in [text for text, _ in parts] or [name]:
        found.extend(_bracketed_names(entry, text))
    unique: list[tuple[str, AliasKind]] = []
    seen = {plain_name(name)}
    for text, kind in found:
        plain = plain_name(text)
        if plain and plain not in seen and _has_content(text):
            seen.add(plain)
            unique.append((text, kind))
    return unique


def _marked_parts(name: str) -> list[tuple[str, AliasKind]]:
    """``X, f.k.a. Y; Z`` outside brackets: X (the name around) and Y and Z (names written in
    it); nothing for a name without such a marker."""
    groups = _groups(name)
    for match in _DOTTED_MARKER.finditer(name):
        if any(start < match.start() < end for start, end in groups):
            continue
        parts: list[tuple[str, AliasKind]] = []
        before = _tidy(name[: match.start()])
        if before:
            parts.append((before, AliasKind.OUTER))
        parts += [(part, AliasKind.INNER) for part in _alternatives(name[match.end() :])]
        return parts
    return []


def _bracketed_names(entry: ListEntry, name: str) -> list[tuple[str, AliasKind]]:
    """The bracketed parts of ``name`` that are names of the entry, and the name without them
    (see the module docs)."""
    groups = _groups(name)
    names: list[tuple[str, AliasKind]] = []
    taken: list[tuple[int, int]] = []
    for number, (start, end) in enumerate(groups):
        inner = name[start + 1 : end - 1].strip()
        marker = _MARKER.match(inner)
        if marker is not None:
            names += [(part, AliasKind.INNER) for part in _alternatives(inner[marker.end() :])]
            taken.append((start, end))
            continue
        after = _without(name[end:], [(s - end, e - end) for s, e in groups[number + 1 :]])
        if not _only_legal_forms(after):
            continue
        outer = _tidy(_without(name, [(start, end)]))
        if _short_form_of(entry, inner, outer):
            names.append((_tidy(inner), AliasKind.INNER))
            taken.append((start, end))
    if taken:
        outer = _tidy(_without(name, taken))
        if outer:
            names.append((outer, AliasKind.OUTER))
    return names


def _short_form_of(entry: ListEntry, inner: str, outer: str) -> bool:
    """Whether the bracketed ``inner`` at the end of a name is another name of the entry
    whose name around it is ``outer`` (see the module docs)."""
    if entry.entity_type is EntityType.INDIVIDUAL or not outer or _only_legal_forms(inner):
        return False
    if _abbreviates(inner, outer) or _abbreviates(outer, inner):
        return True
    words = _content_tokens(inner)
    if not words or _a_place_of(entry, inner):
        return False
    # words of the rest as written: another spelling of one (``Yershov (Ershov)``) spells that
    # word, it is no name of its own
    outer_words = {token.text for variant in normalize_name(outer).variants for token in variant}
    if any(token.text not in outer_words for token in words):
        return False
    generic = generic_words()
    places = place_words()
    return any(token.text not in generic and token.text not in places for token in words)


def _abbreviates(short: str, long: str) -> bool:
    """Whether ``short`` is an abbreviation of ``long`` by Schwartz and Hearst's algorithm (see
    the module docs); a short form that is a word of the long one is none."""
    short = " ".join(fold(short).split())
    long = " ".join(fold(long).split())
    letters = [char for char in short if char.isalnum()]
    if (
        not 2 <= len(letters) <= _MAX_SHORT_FORM
        or len(short.split()) > 2
        or not short[0].isalnum()
        or not any(char.isalpha() for char in letters)
        or len(long) <= len(short)
        or re.search(rf"(?<!\w){re.escape(short)}(?!\w)", long) is not None
    ):
        return False
    at = len(long) - 1
    for position in range(len(short) - 1, -1, -1):
        char = short[position]
        if not char.isalnum():
            continue
        # the short form's first letter must start a word of the long form
        while at >= 0 and (
            long[at] != char or (position == 0 and at > 0 and long[at - 1].isalnum())
        ):
            at -= 1
        if at < 0:
            return False
        at -= 1
    start = long.rfind(" ", 0, at + 1) + 1
    if len(long[start:].split()) > min(len(letters) + 5, 2 * len(letters)):
        return False
    # the long form is the name, not the last words of it (``... not under International Atomic
    # Energy Agency (IAEA)``, ``10th Research Institute of China Electronic Technology Group
    # Corp (CETC)``: the agency and the parent group, not the entry): one word before it at most,
    # besides legal forms and function words (``FSUE FNPC Nizhegorodsky ... (NNIIRT)``)
    return _words_beside_legal_forms(long[:start]) <= 1


def _words_beside_legal_forms(text: str) -> int:
    """How many words ``text`` has that are neither legal-form words nor function words."""
    count = 0
    for variant in _tokenize(text, detect_legal_forms=False)[:1]:
        for token in variant:
            if token.kind is not TokenKind.STOPWORD and not may_be_legal_word(token):
                count += 1
    return count


def _content_tokens(text: str) -> list[Token]:
    """The words of ``text`` (not legal forms, function words or particles)."""
    variants = normalize_name(text).variants
    if not variants:
        return []
    return [token for token in variants[0] if token.kind is TokenKind.WORD]


def _a_place_of(entry: ListEntry, text: str) -> bool:
    """Whether ``text`` is one of the entry's countries (its ISO code) or a part of one of its
    addresses between commas (``Hong Kong``, ``Shenzhen``)."""
    plain = plain_name(text)
    if any(plain == country.lower() for country in entry.countries):
        return True
    for address in entry.addresses:
        for part in re.split(r"[,;]", address.text):
            if plain_name(part) == plain:
                return True
    return False


def _only_legal_forms(text: str) -> bool:
    """Whether ``text`` has no word but legal-form words and function words."""
    return _words_beside_legal_forms(fold(text)) == 0


def _groups(text: str) -> list[tuple[int, int]]:
    """Where each outermost bracketed part of ``text`` starts and ends (brackets included);
    a bracket left open closes nothing."""
    groups: list[tuple[int, int]] = []
    depth = 0
    start = 0
    for at, char in enumerate(text):
        if char in _OPENING:
            if depth == 0:
                start = at
            depth += 1
        elif char in _CLOSING and depth > 0:
            depth -= 1
            if depth == 0:
                groups.append((start, at + 1))
    return groups


def _without(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with ``spans`` (in order, not overlapping) taken out."""
    kept: list[str] = []
    at = 0
    for start, end in spans:
        kept.append(text[at:start])
        at = end
    kept.append(text[at:])
    return " ".join("".join(kept).split())


def _alternatives(text: str) -> list[str]:
    """The names of a list after a marker: ``Precision Industries, Inc.; CK Enterprises``."""
    return [part for part in (_tidy(piece) for piece in text.split(";")) if part]


def _tidy(text: str) -> str:
    """``text`` with white space made single and separators at either end dropped."""
    return " ".join(text.split()).strip(" ,;:-")


def plain_name(text: str) -> str:
    """``text`` folded, its words only: to tell two writings of one name."""
    return " ".join(re.findall(r"\w+", fold(text)))


def _has_content(text: str) -> bool:
    """Whether ``text`` has anything to screen (not only function words)."""
    return not normalize_name(text).is_empty
