"""The tokens a stored record's name can have, made word by word so that each distinct word is
normalised once for a whole file.

Normalising every name of a million-row result would cost a sixth of screening it again. Names
share their words, though, and the normaliser makes a name's tokens chunk by chunk: a chunk never
spans white space, and what one chunk becomes (its tokens, their alternative forms, a Han run's
pinyin and translations, a Wade-Giles reading) does not depend on the chunks around it. Only four
things look at the whole name:

- legal forms are marked at either end of the name: a word there may become a legal-form token,
  which matches only legal forms (never a list name's word, so it never finds a candidate);
- the Wade-Giles variant is made only when some chunk shows a Wade-Giles spelling;
- a name that has no content word at all keeps its legal forms as words (``有限公司`` alone);
- words in parentheses weigh less (weights do not decide which tokens a name has).

So each distinct word is normalised once *between two filler words*: it is never at an edge (no
legal form is marked, so every token it can contribute appears as the word it is) and the right
filler shows a Wade-Giles spelling (so a Wade-Giles reading of the word, when it has one, is made
too). Every token of every variant of the whole name is then a token of one of its words, and
the tokens a name's variant puts next to each other are next to each other in its words' variants
(words with no scoring token in between). A name whose words could all be without a content word
is normalised whole (:attr:`RecordWords.whole_name_needed`). ``tests/test_rescreen_words.py`` holds
this to the normaliser over several thousand real and generated names.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Final

from screen.index.weights import MAX_JOINED_TOKENS, scoring_tokens
from screen.names.compare import Comparable, comparable
from screen.names.legal_forms import may_be_legal_word
from screen.names.legal_slips import may_be_slipped_legal_form
from screen.names.normalize import normalize_name
from screen.names.tokens import MAX_NAME_CHARS, Token, TokenKind

__all__ = ["ProbeError", "RecordWords", "WordInfo", "WordTable", "name_words"]

LEFT_FILLER: Final = "zzqx"
"""A plain word put before each word probed: no legal form, function word, particle, alternative
form or Wade-Giles spelling."""
RIGHT_FILLER: Final = "hsin"
"""A word put after each word probed: a Wade-Giles spelling (``hs``), read ``xin``, so that the
name shows Wade-Giles and the word's own Wade-Giles reading is made."""

TokenSeq = tuple[Token, ...]


class ProbeError(Exception):
    """The normaliser no longer treats the filler words as this module relies on."""


@dataclass(frozen=True, slots=True)
class WordInfo:
    """What one word of a name can contribute to the name's tokens."""

    items: tuple[Comparable, ...]
    """Comparable forms of every scoring token the word can give (legal forms left out: they
    compare only with legal forms), each once."""
    seqs: tuple[TokenSeq, ...]
    """The word's scoring tokens in each of its variants (function words left out), each
    sequence once."""
    runs: tuple[Comparable, ...]
    """Adjacent tokens of one of the word's variants joined (2 to ``MAX_JOINED_TOKENS``)."""
    can_lack_content: bool
    """True when some variant of the word has no content token (word or particle)."""
    maybe_legal: tuple[tuple[bool, ...], ...] = ()
    """For each token of each of ``seqs``: whether it could be part of a legal form (at an edge
    of a name it may then be one, weighing little; see :func:`_may_be_in_legal_form`)."""
    brackets: bool = False
    """True when the word holds an opening or closing bracket: its tokens, or its neighbours',
    may be a qualifier in parentheses, weighing less."""


    def with_seqs(self, extra: Sequence[TokenSeq]) -> WordInfo:
        """This word with ``extra`` variants of its tokens besides its own (the variants with a
        token written together cut into words: see :mod:`screen.index.split`)."""
        seqs = dict.fromkeys(self.seqs)
        seqs.update(dict.fromkeys(extra))
        items = dict.fromkeys(self.items)
        runs = dict.fromkeys(self.runs)
        _add_items_and_runs(extra, items, runs)
        return WordInfo(
            tuple(items),
            tuple(seqs),
            tuple(runs),
            self.can_lack_content or any(not any(_content(t) for t in seq) for seq in extra),
            self.maybe_legal + tuple(
                tuple(_may_be_in_legal_form(t) for t in seq) for seq in seqs if seq not in self.seqs
            ),
            self.brackets,
        )


def name_words(name: str) -> list[str]:
    """The white-space separated words of a name, as the screener cuts it."""
    return name[:MAX_NAME_CHARS].split()


def _content(token: Token) -> bool:
    return token.kind is TokenKind.WORD or token.kind is TokenKind.PARTICLE


def _joined(seq: Sequence[Token]) -> Iterator[Comparable]:
    """Runs of 2 to MAX_JOINED_TOKENS adjacent tokens of ``seq`` with no legal form, joined as
    the index joins them."""
    for start in range(len(seq) - 1):
        if seq[start].kind is TokenKind.LEGAL_FORM:
            continue
        for end in range(start + 2, min(start + MAX_JOINED_TOKENS, len(seq)) + 1):
            if seq[end - 1].kind is TokenKind.LEGAL_FORM:
                break
            yield comparable(tuple(seq[start:end]))


def _add_items_and_runs(
    seqs: Sequence[TokenSeq], items: dict[Comparable, None], runs: dict[Comparable, None]
) -> None:
    """Add to ``items`` the comparable form of each token of ``seqs`` (legal forms aside) and
    to ``runs`` each run of them joined, in order, each once."""
    for seq in seqs:
        for token in seq:
            if token.kind is not TokenKind.LEGAL_FORM:
                items[comparable((token,))] = None
        runs.update(dict.fromkeys(_joined(seq)))


def _probed_seqs(word: str) -> tuple[TokenSeq, ...]:
    """The scoring tokens of each variant of ``word`` normalised between the fillers. A letter
    alone in lower case is read both ways a name can read it: as an initial (a name all in lower
    case) and as a word (in a name of mixed case: ``letters_written_as_words``)."""
    seqs: dict[TokenSeq, None] = {}
    contexts = [LEFT_FILLER]
    if len(word) == 1 and word.isascii() and word.islower():
        contexts.append(LEFT_FILLER.capitalize())
    for left in contexts:
        variants = normalize_name(f"{left} {word} {RIGHT_FILLER}").variants
        for variant in variants:
            if len(variant) < 2 or variant[0].original != LEFT_FILLER or variant[-1].original != (
                RIGHT_FILLER
            ):
                raise ProbeError(
                    f"the normaliser no longer keeps the filler words apart when probing {word!r}"
                )
            seqs[scoring_tokens(variant[1:-1])] = None
    return tuple(seqs)


def _bracket(char: str) -> bool:
    return unicodedata.category(char) in ("Ps", "Pe")


def probe(word: str) -> WordInfo:
    """Normalise ``word`` between the fillers and keep what it contributes."""
    seqs = _probed_seqs(word)
    items: dict[Comparable, None] = {}
    runs: dict[Comparable, None] = {}
    _add_items_and_runs(seqs, items, runs)
    return WordInfo(
        tuple(items),
        seqs,
        tuple(runs),
        any(not any(_content(t) for t in seq) for seq in seqs),
        tuple(tuple(_may_be_in_legal_form(t) for t in seq) for seq in seqs),
        any(_bracket(char) for char in word),
    )


def _may_be_in_legal_form(token: Token) -> bool:
    """Whether ``token`` could be part of a legal form: the normaliser's own test
    (:func:`screen.names.legal_forms.may_be_legal_word`: a word of a form in the legal-form
    table, as written or with the typos the marking forgives), so a word it rules out is never
    absorbed into a legal form; ``tests/test_rescreen_words.py`` holds it to the marking. Or a
    word one slip from a legal form, which a query's edge word may be read as
    (:mod:`screen.names.legal_slips`)."""
    return (
        token.kind is TokenKind.LEGAL_FORM
        or may_be_legal_word(token)
        or may_be_slipped_legal_form(token)
    )


def check_probe() -> None:
    """Raise :class:`ProbeError` unless the fillers alone give two plain tokens in every variant,
    one of them a Wade-Giles variant (what :func:`probe` relies on)."""
    variants = normalize_name(f"{LEFT_FILLER} {RIGHT_FILLER}").variants
    shapes = {tuple((t.text, t.kind) for t in variant) for variant in variants}
    expected = {
        ((LEFT_FILLER, TokenKind.WORD), (RIGHT_FILLER, TokenKind.WORD)),
        ((LEFT_FILLER, TokenKind.WORD), ("xin", TokenKind.WORD)),
    }
    if shapes != expected:
        raise ProbeError(
            f"the filler words {LEFT_FILLER!r} and {RIGHT_FILLER!r} normalise to {shapes}; "
            "screen.rescreen.words needs new fillers"
        )


class WordTable:
    """:func:`probe` of each distinct word, made once."""

    def __init__(self) -> None:
        check_probe()
        self._infos: dict[str, WordInfo] = {}

    def __len__(self) -> int:
        return len(self._infos)

    def info(self, word: str) -> WordInfo:
        """What ``word`` contributes (probed the first time it is asked for)."""
        found = self._infos.get(word)
        if found is None:
            found = self._infos[word] = probe(word)
        return found

    def words(self) -> Iterable[tuple[str, WordInfo]]:
        """Every word probed so far with its info."""
        return self._infos.items()


@dataclass(frozen=True, slots=True)
class RecordWords:
    """A name cut into words, each with its :class:`WordInfo`."""

    words: tuple[str, ...]
    infos: tuple[WordInfo, ...]

    @classmethod
    def of(cls, name: str, table: WordTable) -> RecordWords:
        """The words of ``name`` looked up in ``table``."""
        words = tuple(name_words(name))
        return cls(words, tuple(table.info(word) for word in words))

    @property
    def whole_name_needed(self) -> bool:
        """True when the name could have no content word at all: the normaliser then keeps its
        legal forms as words, which no single word shows."""
        return all(info.can_lack_content for info in self.infos)

    @property
    def brackets(self) -> bool:
        """True when the name holds a bracket (some of its tokens may be qualifiers)."""
        return any(info.brackets for info in self.infos)

    def cross_runs(self) -> Iterator[tuple[int, int, TokenSeq]]:
        """Runs of adjacent tokens that span two or more words (up to MAX_JOINED_TOKENS tokens),
        for every way the words' variants can follow one another, each with the numbers of its
        first and last word; a word whose variant has no scoring token lets its neighbours
        meet. A run holds no legal form (the index joins none)."""
        infos = self.infos
        if all(len(info.seqs) == 1 and info.seqs[0] for info in infos):
            yield from _simple_cross_runs(infos)
            return
        for i, info in enumerate(infos):
            for seq in info.seqs:
                if not seq or seq[-1].kind is TokenKind.LEGAL_FORM:
                    continue
                for take in range(1, min(len(seq), MAX_JOINED_TOKENS - 1) + 1):
                    tail = seq[len(seq) - take :]
                    if any(t.kind is TokenKind.LEGAL_FORM for t in tail):
                        break
                    for last, run in _extend(tail, infos, i + 1):
                        yield i, last, run


def _simple_cross_runs(infos: Sequence[WordInfo]) -> Iterator[tuple[int, int, TokenSeq]]:
    """:meth:`RecordWords.cross_runs` when every word has one variant, with a scoring token:
    the runs of the words' tokens in a row that cross a word boundary."""
    tokens: list[Token] = []
    owners: list[int] = []
    for number, info in enumerate(infos):
        tokens.extend(info.seqs[0])
        owners.extend([number] * len(info.seqs[0]))
    for start in range(len(tokens) - 1):
        if tokens[start].kind is TokenKind.LEGAL_FORM:
            continue
        for end in range(start + 2, min(start + MAX_JOINED_TOKENS, len(tokens)) + 1):
            if tokens[end - 1].kind is TokenKind.LEGAL_FORM:
                break
            if owners[start] != owners[end - 1]:
                yield owners[start], owners[end - 1], tuple(tokens[start:end])


def _extend(
    run: TokenSeq, infos: Sequence[WordInfo], at: int
) -> Iterator[tuple[int, TokenSeq]]:
    """``run`` continued with the first tokens of the words from ``at`` on, with the number of
    the word it ends in."""
    if at >= len(infos):
        return
    for seq in infos[at].seqs:
        if not seq:
            yield from _extend(run, infos, at + 1)
            continue
        for take in range(1, min(len(seq), MAX_JOINED_TOKENS - len(run)) + 1):
            head = seq[:take]
            if head[-1].kind is TokenKind.LEGAL_FORM:
                break
            joined = run + head
            yield at, joined
            if take == len(seq) and len(joined) < MAX_JOINED_TOKENS:
                yield from _extend(joined, infos, at + 1)
