"""Turn a name in any script or romanisation into comparable tokens.

The steps, in order: Unicode NFKC and case folding; script detection; per-script conversion to
lower-case ASCII (:mod:`screen.names.transliterate`); Wade-Giles to pinyin where the name shows
Wade-Giles spelling; legal forms at either end of the name replaced by their class
(:mod:`screen.names.legal_forms`); abbreviations, older place-name romanisations and a word's
readings in the lists' spelling (:mod:`screen.names.romanisations`: a Russian name in a national
romanisation, letters with diacritics, digits written for letters) added as alternative forms;
function words marked so they carry no weight.

A name can yield more than one token sequence (``variants``): a Chinese name gives one with its
generic words translated (科技 -> technology) and one entirely in pinyin (科技 -> keji), because the
list may give either. Every token keeps the text it came from and how it was made, so the matcher
can explain itself.
"""

from __future__ import annotations

import re
import string
from functools import lru_cache
from typing import Final

from screen.names.hanja import looks_japanese
from screen.names.legal_forms import _legal_form_readings
from screen.names.romanisations import symbols_as_letters
from screen.names.terms import generic_words
from screen.names.tokens import INITIAL_HOW, MAX_NAME_CHARS, NormalizedName, Token, TokenKind
from screen.names.transliterate import (
    _WG_SIGNAL,
    _arabic_segment,
    _cyrillic_tokens,
    _han_segment,
    _hangul_segment,
    _join_arabic_phrases,
    _kana_segment,
    _latin_tokens,
    _runs,
    _Segment,
    _transliterated_tokens,
    _wade_giles_tokens,
    _word_token,
)
from screen.text.fold import _ascii_words, fold
from screen.text.memo import _remember
from screen.text.scripts import Script

__all__ = ["letters_written_as_words", "normalize_name"]

_CHUNK_SEPARATORS: Final = re.compile(r"[^\w’'ʼ`\-\u0300-\u036f\u200c]+|_")
_ASCII_CHUNK_CHARS: Final = frozenset(string.ascii_letters + string.digits + "'`-")
_ASCII_SEPARATORS_AS_SPACE: Final = str.maketrans(
    {chr(code): " " for code in range(128) if chr(code) not in _ASCII_CHUNK_CHARS}
)
_ASCII_WORD: Final = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=65536)
def _latin_chunk(chunk: str) -> tuple[tuple[Token, ...], tuple[Token, ...] | None, bool]:
    """Tokens of one Latin chunk (hyphens split words), its Wade-Giles reading if it has one,
    and whether the chunk shows a spelling only Wade-Giles uses."""
    if chunk.isascii():
        words = _ASCII_WORD.findall(chunk.replace("'", "").replace("`", ""))
        tokens = [_word_token(word, chunk, Script.LATIN, "as written") for word in words]
    else:
        tokens = []
        for part in chunk.split("-"):
            tokens.extend(_latin_tokens(part, Script.LATIN, "as written"))
    syllables = [s for s in chunk.split("-") if s]
    signal = any(_WG_SIGNAL.search(s) for s in syllables)
    if not (signal or len(syllables) > 1):
        return tuple(tokens), None, False
    return tuple(tokens), _wade_giles_tokens(chunk, tokens), signal


_PARENTHESES: Final = re.compile(r"([(\[（［【][^()\[\]（）［］【】]*[)\]）］】])")


def _as_qualifiers(segment: _Segment) -> _Segment:
    def mark(tokens: tuple[Token, ...] | None) -> tuple[Token, ...] | None:
        if tokens is None:
            return None
        return tuple(
            Token(t.text, t.original, t.script, t.kind, t.how, t.alternatives, qualifier=True)
            for t in tokens
        )

    return _Segment(mark(segment.primary) or (), mark(segment.pinyin), mark(segment.wade_giles))


def _tokenize(text: str, *, detect_legal_forms: bool = True) -> tuple[tuple[Token, ...], ...]:
    """Token variants of already folded ``text``."""
    segments: list[_Segment] = []
    has_wade_giles_signal = False
    japanese = looks_japanese(text)
    text = _join_arabic_phrases(text)
    for part_index, part in enumerate(_PARENTHESES.split(text)):
        qualifier = part_index % 2 == 1
        part_segments, part_signal = _segments(part, japanese)
        has_wade_giles_signal = has_wade_giles_signal or part_signal
        segments.extend(_as_qualifiers(seg) if qualifier else seg for seg in part_segments)
    if not any(t.kind is not TokenKind.STOPWORD and not t.qualifier
               for seg in segments for t in seg.primary):
        # a name written entirely in parentheses: nothing qualifies anything
        segments = [
            _Segment(_unqualified(s.primary) or (), _unqualified(s.pinyin),
                     _unqualified(s.wade_giles))
            for s in segments
        ]
    return _variants(segments, has_wade_giles_signal, detect_legal_forms)


def _unqualified(tokens: tuple[Token, ...] | None) -> tuple[Token, ...] | None:
    if tokens is None:
        return None
    return tuple(Token(t.text, t.original, t.script, t.kind, t.how, t.alternatives) for t in tokens)


def _chunks(text: str) -> list[str]:
    """The non-empty chunks of ``text`` between separators (``_CHUNK_SEPARATORS``)."""
    if text.isascii():
        # the same chunks for ASCII text, four times as fast as the Unicode pattern
        return text.translate(_ASCII_SEPARATORS_AS_SPACE).split()
    # White space always separates, and a word of letters and digits alone (\w less "_") is
    # one chunk: only the other words need the pattern
    chunks: list[str] = []
    for word in text.split():
        if word.isalnum():
            chunks.append(word)
        else:
            chunks.extend(chunk for chunk in _CHUNK_SEPARATORS.split(word) if chunk)
    return chunks


def _segments(text: str, japanese: bool = False) -> tuple[list[_Segment], bool]:
    """The segments of ``text`` (a ``japanese`` name's Han characters read in Japanese) and
    whether it shows a spelling only Wade-Giles uses."""
    segments: list[_Segment] = []
    has_wade_giles_signal = False
    # a chunk's segments depend on its letters (and whether the name reads as Japanese)
    # alone: remembered, as the same words come back in name after name
    memo = _JAPANESE_CHUNKS if japanese else _CHUNKS
    for chunk in _chunks(text):
        known = memo.get(chunk)
        if known is None:
            known = _remember(memo, chunk, _chunk_segments(chunk, japanese))
        segments.extend(known[0])
        has_wade_giles_signal = has_wade_giles_signal or known[1]
    return segments, has_wade_giles_signal


_CHUNKS: Final[dict[str, tuple[tuple[_Segment, ...], bool]]] = {}
_JAPANESE_CHUNKS: Final[dict[str, tuple[tuple[_Segment, ...], bool]]] = {}
"""The segments of each chunk met and whether it shows a Wade-Giles spelling (as
:func:`_chunk_segments` makes them), for names that are not Japanese and for names that are."""


def _chunk_segments(chunk: str, japanese: bool) -> tuple[tuple[_Segment, ...], bool]:
    """The segments of one chunk (see :func:`_segments`) and its Wade-Giles signal."""
    if chunk.isascii():
        tokens, wade_giles, signal = _latin_chunk(chunk)
        return (_Segment(tokens, wade_giles=wade_giles),), signal and wade_giles is not None
    runs = _runs(chunk)
    if len(runs) == 1 and runs[0][1] is Script.LATIN:
        tokens, wade_giles, signal = _latin_chunk(runs[0][0])
        return (_Segment(tokens, wade_giles=wade_giles),), signal and wade_giles is not None
    segments: list[_Segment] = []
    for run, script in runs:
        if script is Script.HAN:
            segments.append(_han_segment(run, japanese))
        elif script is Script.HANGUL:
            segments.append(_hangul_segment(run))
        elif script is Script.KANA:
            segments.append(_kana_segment(run))
        elif script is Script.CYRILLIC:
            segments.append(_Segment(_cyrillic_tokens(run)))
        elif script is Script.ARABIC:
            segments.append(_arabic_segment(run))
        elif script is Script.LATIN:
            segments.append(_Segment(_latin_chunk(run)[0]))
        else:
            segments.append(_Segment(_transliterated_tokens(run, script)))
    return tuple(segments), False


def _variants(
    segments: list[_Segment], has_wade_giles_signal: bool, detect_legal_forms: bool
) -> tuple[tuple[Token, ...], ...]:
    primary = [token for segment in segments for token in segment.primary]
    variants = [primary]
    most_alternates = 0  # a loop: max(generator, default=0) is a generic call, compiled
    for segment in segments:
        if len(segment.alternates) > most_alternates:
            most_alternates = len(segment.alternates)
    for k in range(most_alternates):
        variants.append(
            [
                t
                for s in segments
                for t in (s.alternates[k] if k < len(s.alternates) else s.primary)
            ]
        )
    if any(segment.pinyin is not None for segment in segments):
        variants.append(
            [t for s in segments for t in (s.pinyin if s.pinyin is not None else s.primary)]
        )
    if has_wade_giles_signal:
        variants.append(
            [t for s in segments for t in (s.wade_giles if s.wade_giles is not None else s.primary)]
        )
    if detect_legal_forms:
        variants = [
            _keep_a_word(reading)
            for variant in variants
            for reading in _legal_form_readings(variant)
        ]
    unique: list[tuple[Token, ...]] = []
    for variant in variants:
        as_tuple = tuple(variant)
        if as_tuple not in unique:
            unique.append(as_tuple)
    return tuple(unique)


def _keep_a_word(tokens: list[Token]) -> list[Token]:
    """A name that is nothing but legal forms (有限公司 alone) keeps them as words: there is
    nothing else to screen."""
    if any(t.kind is TokenKind.WORD or t.kind is TokenKind.PARTICLE for t in tokens):
        return tokens
    return [
        Token("".join(_ascii_words(t.original)) or t.text, t.original, t.script, how="as written")
        if t.kind is TokenKind.LEGAL_FORM
        else t
        for t in tokens
    ]


@lru_cache(maxsize=16384)
def normalize_name(text: str) -> NormalizedName:
    """Normalise one name. Never raises for any ``str``; an input with no letter or digit gives
    a name whose ``is_empty`` is True. Results are cached (names repeat in batch files)."""
    truncated = len(text) > MAX_NAME_CHARS
    folded = fold(text[:MAX_NAME_CHARS])
    variants = _tokenize(folded)
    read = symbols_as_letters(folded)
    if read is not None:
        # L@vrov, $ergei: the symbols read as the letters they stand for give another variant
        # (elsewhere a symbol separates words, and the name keeps its first variants)
        variants += tuple(v for v in _tokenize(read) if v not in variants)
    variants = _initials(folded, variants, text[:MAX_NAME_CHARS])
    return NormalizedName(text, variants, truncated)


_ALONE_AFTER: Final = r"(?<![^\s(,.])(?<![^\s(,]\.)"
"""Where a letter alone may begin: at the start, after a space, a parenthesis or a comma, or
after a stray full stop that itself follows one of them (``Empreendimentos .E Participacoes``
reads as ``Empreendimentos E Participacoes``); not after a letter and its full stop, which
join letters into an abbreviation. (Two lookbehinds that each fail fast: an alternation of
them cost twice the scan.)"""
_INITIAL_LETTER: Final = re.compile(_ALONE_AFTER + r"([a-z])\.*(?=[\s,]|$)")
"""A letter alone, with or without a full stop (or several), before a space, a comma or the
end (``A. Khamenei``, ``Putin V. V.``, ``V V Putin``, ``Lavrov Sergey V``, ``Abdulla K., Al
Suleimani``, ``S.. de``): an initial, at the end as anywhere else (no name ends with a
conjunction or an article, which ``a``, ``e``, ``y`` would otherwise be). Letters joined by
full stops (``S.L.N.E.``, ``e.V.``) are an abbreviation, not initials."""
_DOTTABLE: Final = r"[A-Za-z\u0410-\u044f]"
"""A Latin or Cyrillic letter, as written, that may stand for a name with a full stop."""
_DOTTED_RUN: Final = re.compile(_ALONE_AFTER + r"((?:" + _DOTTABLE + r"\.+){1,2})(?=[\s,]|$)")
"""One or two Latin or Cyrillic letters, each with a full stop of its own, standing alone as
written (``V.V.``, ``В.В.``, ``S.V.``, ``В.``): the way a person's initials are written, Russian
``Фамилия И.О.`` above all. Not three or more (``S.R.L.``, ``S.A.T.``, ``L.L.C.``: legal forms
and other abbreviations far more often than initials)."""
_LETTER_WITH_FULL_STOP: Final = re.compile(r"(?<!\w)" + _DOTTABLE + r"\.")
"""A Latin or Cyrillic letter with a full stop, not the end of a longer word (``V.`` and ``V.``
of ``V.V.``; not ``Co.``)."""
_ASCII_LETTER_ALONE: Final = re.compile(_ALONE_AFTER + r"([A-Za-z])(\.*)(?=[\s,]|$)")
"""A Latin letter alone in the name as written, and its full stop if it has one."""


def letters_written_as_words(original: str) -> set[str]:
    """The letters a name written in mixed case has alone only in lower case and without a full
    stop (Spanish ``Valbuena y Asociados``, Italian ``Rossi e Figli``): words, not initials,
    which people write as capitals. In a name all in capitals or all in lower case the case
    cannot tell, and such letters stay initials."""
    if original.islower() or original.isupper():
        return set()
    lower: set[str] = set()
    written_otherwise: set[str] = set()
    for letter, full_stop in _ASCII_LETTER_ALONE.findall(original):
        if letter.islower() and not full_stop:
            lower.add(letter)
        else:
            written_otherwise.add(letter.lower())
    return lower - written_otherwise


def _initials(
    folded: str, variants: tuple[tuple[Token, ...], ...], original: str
) -> tuple[tuple[Token, ...], ...]:
    """Letters written as initials become name words made ``initial``, also those that are
    function words elsewhere (English ``a``, Spanish ``y``): the way they are written says so
    (a capital or a full stop; see :func:`letters_written_as_words`)."""
    for token in variants[0] if variants else ():
        if len(token.text) == 1:
            break
    else:
        return variants  # no letter alone: the pattern need not be run
    letters = set(_INITIAL_LETTER.findall(folded)) - letters_written_as_words(original)
    marked = _as_initials(variants, letters, set()) if letters else variants
    # letters with full stops of their own, run together or in Cyrillic (``Putin V.V.``,
    # ``Путин В.В.``, ``S.V. Lavrov``): initials as often as an abbreviation (``A.I.``), so
    # the name keeps both readings; not in a name with a legal form or a generic word, a
    # company's, whose dotted letters abbreviate (``Industrias YU S.A. Trading``)
    dotted = _dotted_initials(original) - letters
    if not dotted or _names_an_organisation(variants[0]):
        return marked
    extra = _as_initials(variants, letters, dotted)
    return marked + tuple(variant for variant in extra if variant not in marked)


def _dotted_initials(original: str) -> set[str]:
    """The letters, in lower case, of the runs of :data:`_DOTTED_RUN` in the name as written
    that may be initials: in a name with at most two letters with full stops; in a name
    written in mixed case only capitals, as people write initials (``Salz e.G.``, ``Junk
    e.V.``: abbreviations); in a name in one case, all."""
    if "." not in original or len(_LETTER_WITH_FULL_STOP.findall(original)) > 2:
        # a person has at most two initials so written (given name and patronymic); more
        # letters with full stops are a company's abbreviations (``S.P.R. DE R.L.``,
        # ``S.A. S.C.P``), even when no legal form is recognised
        return set()
    one_case = original.islower() or original.isupper()
    found: set[str] = set()
    for run in _DOTTED_RUN.findall(original):
        letters = run.replace(".", "")
        if one_case or letters.isupper():
            found.update(letters.lower())
    return found


def _names_an_organisation(tokens: tuple[Token, ...]) -> bool:
    """Whether ``tokens`` have a legal form or a word that describes an organisation
    (:func:`generic_words`: trading, bank, group, institute ...)."""
    generic = generic_words()
    for token in tokens:  # noqa: SIM110 (compiled, any() is a call)
        if token.kind is TokenKind.LEGAL_FORM or token.text in generic:
            return True
    return False


def _as_initials(
    variants: tuple[tuple[Token, ...], ...], letters: set[str], originals: set[str]
) -> tuple[tuple[Token, ...], ...]:
    """``variants`` with their one-letter words and function words made initials: those
    whose text is in ``letters`` or whose text as written (before transliteration) is in
    ``originals``."""
    return tuple(
        tuple(
            Token(t.text, t.original, t.script, TokenKind.WORD, INITIAL_HOW, t.alternatives,
                  t.qualifier)
            if (t.text in letters or (len(t.text) == 1 and t.original in originals))
            and t.kind in (TokenKind.STOPWORD, TokenKind.WORD)
            else t
            for t in variant
        )
        for variant in variants
    )
