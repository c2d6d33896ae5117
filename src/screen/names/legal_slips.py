"""A short legal form mistyped (``LDT``, ``Lttd``, ``GBH``, ``OEOD`` for Ltd, GmbH, EOOD): read as
that form only where the listed name has it.

The legal-form marking forgives typos only in long forms (``limted``; see
:func:`screen.names.legal_forms._typo_allowance`): one slip in three or four letters makes
another word as often as not (``pak``, ``asia``, ``don`` are one slip from forms of the table).
Yet a slip in ``Ltd`` is among the commonest in a company's name, and left as a word of its
own it weighs as a rare word, which sinks the score (``LATICOM KTD`` scored 66 against
``LATICOM LTD``). So a query gets a second reading of its name, with its last word (before
any legal forms marked there) read as the form it is one slip from, when

- the word is the last of the name: where legal forms are written in most scripts, and not the
  first, where a given name one slip from a form (``Ton``, ``Tov``) is more likely than a
  mistyped ``OOO`` (:func:`slipped_readings`);
- the word is written on its own (not joined to another by a hyphen, as in a code:
  ``EP-MMN``), and is no word the term tables know (``San.``, the Turkish Sanayi abbreviated,
  is one slip from the Spanish ``SAU``);
- the form is written as one word of three letters or more that is not also an ordinary word
  (the table's ``word`` note); a word one slip from forms of several classes (``ldt``: Ltd,
  Lda) gets a reading for each;
- and the matcher counts a reading only where the listed name has that very form, paired with
  the slipped one (:func:`slip_position`, ``screen.matching.align._best``): a word that only
  looks like a slip of a form the listed name lacks (``Pacific Asia`` against ``Pacific
  Ltd``) is left a word, and costs as one. Only that context tells a slip from a word: the
  lists themselves hold such words, and abbreviations of three letters (``KTD``, ``LDT``).
  Unless the word makes a phrase of forms with the words written before it (``Co., Ldt.``,
  ``Pte Ldt``): the phrase is context enough, and the reading counts as a long form's typo
  does (:data:`screen.names.legal_forms.LEGAL_FORM_TYPO`), also against a listed name
  without a legal form.

A slip is one letter changed, two neighbouring letters swapped, a letter added (to a form of
three letters, only a letter doubled: ``lttd``; any other makes words such as ``asia`` and
``zhao``), or, in a form of four letters or more, a letter left out: the edits of the optimal
string alignment distance, at distance one.
"""

from __future__ import annotations

from typing import Final

from screen.names import tables
from screen.names.compare import neighbour_swaps
from screen.names.legal_forms import LEGAL_FORM_TYPO, legal_form_rows, mark_legal_forms
from screen.names.parts import may_cost_less
from screen.names.tokens import Token, TokenKind
from screen.text.scripts import Script

__all__ = [
    "MISTYPED_LEGAL_FORMS",
    "SLIPPED_LEGAL_FORM",
    "may_be_slipped_legal_form",
    "slip_position",
    "slipped_readings",
]

SLIPPED_LEGAL_FORM: Final = "mistyped legal form"
"""``Token.how`` of a legal form read from a word one slip away from it, and how such a pair
matched in an explanation (``ktd~ltd (mistyped legal form)``)."""
MISTYPED_LEGAL_FORMS: Final = frozenset({SLIPPED_LEGAL_FORM, LEGAL_FORM_TYPO})
"""``Token.how`` of every legal form read from a mistyped word or phrase: a short form's slip,
or a long form's (or a phrase's) typo, which explanations call a mistyped legal form."""
_MIN_FORM_LETTERS: Final = 3
"""Forms shorter than this are not read from a slip: every other pair of letters is one slip
from a form of two (``AG``, ``SA``, ``AB``)."""
_LETTERS: Final = "abcdefghijklmnopqrstuvwxyz"


_SLIPS: Final[dict[str, tuple[str, ...]]] = {}
""":func:`_slips`, made on first use (a module dict: read for the last word of every query)."""


def _slips() -> dict[str, tuple[str, ...]]:
    """Every word one slip from a form that may be read from one (see the module docs) -> the
    spelling of each class of form it is one slip from (the first in alphabetical order of
    each class); the table's own spellings of any form are left out."""
    if not _SLIPS:
        _SLIPS.update(_make_slips())
    return _SLIPS


def _make_slips() -> dict[str, tuple[str, ...]]:
    ordinary = {row["variant"] for row in tables.legal_forms() if row["note"] == "word"}
    spelt: set[str] = set()
    forms: dict[str, str] = {}
    for tokens, canonical in legal_form_rows():
        if len(tokens) != 1:
            continue
        text = tokens[0].text
        spelt.add(text)
        if (
            tokens[0].script is Script.LATIN
            and len(text) >= _MIN_FORM_LETTERS
            and text.isalpha()
            and text.isascii()
            and text not in ordinary
        ):
            forms.setdefault(text, canonical)
    by_class: dict[str, dict[str, str]] = {}
    for text in sorted(forms):
        for slip in _one_slip(text):
            if slip not in spelt:
                by_class.setdefault(slip, {}).setdefault(forms[text], text)
    return {slip: tuple(found.values()) for slip, found in by_class.items()}


def _one_slip(text: str) -> set[str]:
    """The words one slip from ``text`` (see the module docs)."""
    made = set(neighbour_swaps(text))
    for at in range(len(text)):
        for letter in _LETTERS:
            if letter != text[at]:
                made.add(text[:at] + letter + text[at + 1 :])
        if len(text) > _MIN_FORM_LETTERS:
            made.add(text[:at] + text[at + 1 :])
    for at in range(len(text) + 1):
        if len(text) > _MIN_FORM_LETTERS:
            for letter in _LETTERS:
                made.add(text[:at] + letter + text[at:])
        else:  # a letter doubled (lttd): any other letter added to three makes too many words
            if at < len(text):
                made.add(text[:at] + text[at] + text[at:])
    made.discard(text)
    return made


def may_be_slipped_legal_form(token: Token) -> bool:
    """Whether ``token`` is one slip from a legal form it may be read as (anywhere, by any
    list): what a bound on a score must allow for."""
    return token.script is Script.LATIN and token.text in _slips()


def slipped_readings(tokens: tuple[Token, ...]) -> list[tuple[Token, ...]]:
    """``tokens`` (a variant, legal forms marked) with the word at its end read as each legal
    form it is one slip from (none when there is no such word). The word is the last that is
    not a legal form, with only legal forms after it, and the form must be marked there as the
    marking marks any legal form (with a word of the name left besides). Not the word at the
    start, where forms are written too (``OOO``, ``PT``): the first word of a name is as often
    a given name one slip from a form (``Ton``, ``Tov``), and a listed company named after
    the person's surname would then meet it."""
    end = len(tokens) - 1
    while end > 0 and tokens[end].kind is TokenKind.LEGAL_FORM:
        end -= 1
    if end < 1:  # no word before it: nothing else to screen
        return []
    token = tokens[end]
    if (
        token.kind is not TokenKind.WORD
        or token.qualifier
        or not may_be_slipped_legal_form(token)
        or not _written_alone(token)
        or _known_word(token)
    ):
        return []
    return [
        reading
        for spelling in _slips()[token.text]
        if (reading := _read_as(tokens, end, spelling)) is not None
    ]


def _known_word(token: Token) -> bool:
    """Whether the term tables know ``token`` as a word: an abbreviation (``San.`` for the
    Turkish Sanayi, one slip from ``SAU``), a generic word, a word of a place. Such a word is
    written on purpose, not mistyped."""
    return bool(token.alternatives) or may_cost_less(token)


def _written_alone(token: Token) -> bool:
    """Whether ``token`` was written as a word of its own, not as a part of a code or of words
    joined by hyphens (``EP-MMN``, an aircraft's registration, is no mistyped ``MMC``)."""
    return "".join(ch for ch in token.original if ch.isalnum()) == token.text


def _read_as(tokens: tuple[Token, ...], at: int, spelling: str) -> tuple[Token, ...] | None:
    """``tokens`` with the word at ``at`` read as the legal form spelt ``spelling``, or None
    when the marking does not take it for one there."""
    token = tokens[at]
    form = Token(spelling, token.original, token.script)
    marked = mark_legal_forms([*tokens[:at], form, *tokens[at + 1 :]])
    # the form alone or with words before it made one legal form: the token now at that place
    # (the legal forms already marked after it are as they were)
    edge = len(marked) - len(tokens) + at
    if not 0 <= edge < len(marked):
        return None
    made = marked[edge]
    if made.kind is not TokenKind.LEGAL_FORM or form.original not in made.original:
        return None
    # one word of a phrase of forms whose other words are written right (Co., Ldt.; Pte Ldt):
    # the phrase says legal form on its own, as a long form's typo does; a word alone says so
    # only beside the listed name's own form
    how = LEGAL_FORM_TYPO if len(marked) < len(tokens) else SLIPPED_LEGAL_FORM
    marked[edge] = Token(
        made.text, made.original, made.script, TokenKind.LEGAL_FORM, how,
        qualifier=made.qualifier,
    )
    return tuple(marked)


def slip_position(tokens: tuple[Token, ...]) -> int:
    """Where a variant's legal form read from a slip is among its (scoring) ``tokens``, or
    -1."""
    for at, token in enumerate(tokens):
        if token.how == SLIPPED_LEGAL_FORM:
            return at
    return -1
