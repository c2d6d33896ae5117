"""A name variant prepared for scoring: its scoring tokens, their weights and comparable forms, and
the runs of adjacent tokens that may be joined (``zhipu huazhang`` ~ ``zhipuhuazhang``).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from screen.index.weights import (
    EXTRA_FACTORS,
    LEAST_EXTRA_FACTOR,
    MAX_JOINED_TOKENS,
    TokenWeights,
    scoring_tokens,
)
from screen.names.compare import (
    Comparable,
    comparable,
)
from screen.names.legal_slips import slip_position, slipped_readings
from screen.names.parts import INITIAL, list_name_parts, query_parts
from screen.names.tokens import Token
from screen.release.models import EntityType

__all__ = ["PreparedVariant", "is_person", "joined_runs", "prepare", "slipped_variants"]

@dataclass(frozen=True, slots=True, init=False)
class PreparedVariant:
    """A token sequence with what scoring needs of each token computed once."""

    tokens: tuple[Token, ...]
    """The scoring tokens (left out, as (), in the variants a :class:`NameIndex` keeps)."""
    items: tuple[Comparable, ...]
    weights: tuple[float, ...]
    total: float
    runs: tuple[Comparable | None, ...]
    """Comparable forms of adjacent word tokens joined, by slot (see :func:`joined_runs`);
    computed once here because the matcher and the index look at them for every comparison."""
    parts: str
    """The kind of each token, one character each (:mod:`screen.names.parts`)."""
    costs: tuple[float, ...]
    """For a query's variant: the least each token can cost left unmatched (its weight, or
    ``LEAST_EXTRA_FACTOR`` of it for a place, generic word, legal form or initial), which the
    candidate search's bounds count; () for a listed name's variant."""
    cuts: tuple[tuple[int, ...], ...]
    """The positions of the words cut from each token written together, each cut apart (see
    :mod:`screen.index.split`; legal forms cut off left out); empty for every variant as
    written, which is nearly all."""
    pair_texts: dict[str, str]
    """For a query's variant: the letters of each two adjacent tokens of its :attr:`runs`, with
    the letters of the first ("" when two such pairs have the same letters), for the matcher to
    see at once whether a list name has two tokens of the same letters cut elsewhere (respaced
    words); empty for a listed name's variant. Never changed once made."""
    slip: int
    """For a query's variant: the position of its legal form read from a mistyped word
    (:mod:`screen.names.legal_slips`), which counts only paired exactly; -1 for none."""

    def __init__(
        self,
        tokens: tuple[Token, ...],
        items: tuple[Comparable, ...],
        weights: tuple[float, ...],
        total: float,
        runs: tuple[Comparable | None, ...],
        parts: str,
        costs: tuple[float, ...],
        cuts: tuple[tuple[int, ...], ...] = (),
        pair_texts: dict[str, str] | None = None,
        slip: int = -1,
    ) -> None:
        # written out: see normalize.Token.__init__
        object.__setattr__(self, "tokens", tokens)
        object.__setattr__(self, "items", items)
        object.__setattr__(self, "weights", weights)
        object.__setattr__(self, "total", total)
        object.__setattr__(self, "runs", runs)
        object.__setattr__(self, "parts", parts)
        object.__setattr__(self, "costs", costs)
        object.__setattr__(self, "cuts", cuts)
        object.__setattr__(self, "pair_texts", {} if pair_texts is None else pair_texts)
        object.__setattr__(self, "slip", slip)

    def __reduce__(self) -> tuple[type[PreparedVariant], tuple[object, ...]]:
        # see TokenWeights.__reduce__
        return PreparedVariant, (
            self.tokens, self.items, self.weights, self.total, self.runs, self.parts,
            self.costs, self.cuts, self.pair_texts, self.slip,
        )


_RUN_LENGTHS: Final = MAX_JOINED_TOKENS - 1


def _run_slot(start: int, length: int) -> int:
    return start * _RUN_LENGTHS + length - 2


def _run_positions(slot: int) -> tuple[int, ...]:
    if slot < len(_RUN_POSITIONS):
        return _RUN_POSITIONS[slot]
    start, offset = divmod(slot, _RUN_LENGTHS)
    return tuple(range(start, start + offset + 2))


_RUN_POSITIONS: Final = tuple(
    tuple(range(slot // _RUN_LENGTHS, slot // _RUN_LENGTHS + slot % _RUN_LENGTHS + 2))
    for slot in range(64 * _RUN_LENGTHS)
)
"""The positions of each run slot of names up to 64 tokens, made once: read for every run of
every name screened."""


def joined_runs(
    prepared: PreparedVariant, used: set[int] | None = None
) -> list[tuple[tuple[int, ...], Comparable]]:
    """Every run of 2 to MAX_JOINED_TOKENS adjacent word tokens of ``prepared`` (legal forms
    take no part: they compare only as whole legal forms), with its comparable form; with
    ``used``, only runs of positions not in it. (A list: compiled, a generator costs more than
    the few runs it would spare making.)"""
    runs: list[tuple[tuple[int, ...], Comparable]] = []
    for slot, item in enumerate(prepared.runs):
        if item is not None:
            positions = _run_positions(slot)
            if used is None or _none_in(positions, used):
                runs.append((positions, item))
    return runs


def _none_in(positions: tuple[int, ...], used: set[int]) -> bool:
    """``used.isdisjoint(positions)`` as a loop: compiled, a set's ``in`` is a direct call and
    its methods are looked up by name."""
    for position in positions:  # noqa: SIM110
        if position in used:
            return False
    return True


def is_person(entity_type: EntityType | None) -> bool:
    """Whether an entry of this type names a person, whose names have given names, surnames
    and patronymics (an entry of unknown type is read as an organisation's)."""
    return entity_type is EntityType.INDIVIDUAL


def prepare(
    tokens: Iterable[Token],
    weights: TokenWeights,
    shared: dict[Comparable, Comparable] | None = None,
    *,
    listed_as: tuple[str, bool] | None = None,
    mistyped: bool = False,
) -> PreparedVariant:
    """The scoring tokens of a variant with their comparable forms, weights and kinds. With
    ``shared``, equal comparable forms become one object (the index shares them across names,
    so the matcher can remember a comparison by object identity). ``listed_as``: the name as
    the list writes it and whether its entry is a person, for a listed name's variant (its
    kinds come from its structure); without it the variant is a query's. ``mistyped``: a
    query's variant with a legal form read from a mistyped word, whose position
    :attr:`PreparedVariant.slip` records (looked for only then: nearly no variant has one)."""
    kept = scoring_tokens(tokens)
    token_weights = tuple(weights.weight(token) for token in kept)
    costs: tuple[float, ...] = ()
    if listed_as is None:
        parts = query_parts(kept)
        costs = tuple(
            weight * LEAST_EXTRA_FACTOR if part in EXTRA_FACTORS or part == INITIAL else weight
            for part, weight in zip(parts, token_weights, strict=True)
        )
    else:
        parts = list_name_parts(listed_as[0], kept, listed_as[1])
    items = tuple(comparable((token,)) for token in kept)
    if shared is not None:
        items = tuple(shared.setdefault(item, item) for item in items)
    slots: list[Comparable | None] = []
    # a query's pairs of adjacent tokens by their letters (see PreparedVariant.pair_texts)
    pair_texts: dict[str, str] | None = {} if listed_as is None else None
    legal = [item.legal_form for item in items]
    for start in range(len(kept) - 1):
        if legal[start]:
            continue
        for end in range(start + 2, min(start + MAX_JOINED_TOKENS, len(kept)) + 1):
            if legal[end - 1]:
                break
            slot = _run_slot(start, end - start)
            slots.extend([None] * (slot + 1 - len(slots)))
            run = comparable(kept[start:end])
            slots[slot] = run if shared is None else shared.setdefault(run, run)
            if pair_texts is not None and end - start == 2:
                first = items[start].text
                pair_texts[run.text] = first if pair_texts.get(run.text, first) == first else ""
    total = 0.0
    for weight in token_weights:  # not sum(), which compensates rounding from Python 3.12 on
        total += weight
    return PreparedVariant(
        kept, items, token_weights, total, tuple(slots), sys.intern(parts), costs, (),
        pair_texts, slip_position(kept) if mistyped else -1,
    )


def slipped_variants(
    variants: Iterable[tuple[Token, ...]], weights: TokenWeights
) -> list[PreparedVariant]:
    """A query's variants with a word at the end that is one slip from a legal form read as
    that form, prepared, each with the position of that form (:attr:`PreparedVariant.slip`;
    see :mod:`screen.names.legal_slips`); nearly always none."""
    return [
        prepare(reading, weights, mistyped=True)
        for variant in variants
        for reading in slipped_readings(variant)
    ]
