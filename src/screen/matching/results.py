"""What the matcher returns: a hit, its score and its explanation, token by token.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from screen.names.compare import MatchHow
from screen.release.models import AliasKind, ListEntry

__all__ = ["Explanation", "Hit", "PairScore", "TokenAlignment"]

AlignmentHow = MatchHow | Literal[
    "unmatched", "joined", "respaced", "split", "mistyped legal form"
]
"""How a step of an alignment matched: how the tokens compared (:data:`MatchHow`); ``joined`` for
tokens written apart on one side that are the same letters as one token on the other
(``zhi pu`` ~ ``zhipu``); ``respaced`` for tokens with the same letters on both sides, cut at
other places (``sem ielectronic`` ~ ``semi electronic``); ``split`` for words the index cut from
a query token written together (``sergeilavrov`` -> ``sergei`` ``lavrov``) that match exactly;
``mistyped legal form`` for a legal form the query mistypes (a long form's typo, or a short
form's slip: :mod:`screen.names.legal_slips`); ``unmatched``."""
UnmatchedAs = Literal["absent", "extra", "contradicting"]


@dataclass(frozen=True, slots=True, init=False)
class TokenAlignment:
    """One step of the token alignment: which query token met which name token, and how."""

    query: str | None
    """Comparable query token(s) (None: a name token nothing in the query matched)."""
    query_original: str | None
    name: str | None
    """Comparable name token(s) (None: a query token nothing in the name matched)."""
    name_original: str | None
    how: AlignmentHow
    similarity: float
    weight: float
    """Weight this pair or lone token carries in the score."""
    part: str | None
    """What kind of name part the token is (``patronymic``, ``place``, ``given name`` ...; the
    list name's token for a pair); None where kinds were not worked out."""
    unmatched_as: UnmatchedAs | None
    """For a lone token: ``absent`` (a part of the list name the query leaves out), ``extra``
    (a part of the query the list name lacks) or ``contradicting`` (present on both sides and
    different); None for a pair."""

    def __init__(
        self,
        query: str | None,
        query_original: str | None,
        name: str | None,
        name_original: str | None,
        how: AlignmentHow,
        similarity: float,
        weight: float,
        part: str | None = None,
        unmatched_as: UnmatchedAs | None = None,
    ) -> None:
        # written out: see normalize.Token.__init__
        object.__setattr__(self, "query", query)
        object.__setattr__(self, "query_original", query_original)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "name_original", name_original)
        object.__setattr__(self, "how", how)
        object.__setattr__(self, "similarity", similarity)
        object.__setattr__(self, "weight", weight)
        object.__setattr__(self, "part", part)
        object.__setattr__(self, "unmatched_as", unmatched_as)

    def __reduce__(self) -> tuple[type[TokenAlignment], tuple[object, ...]]:
        # pickled by constructor arguments: compiled with mypyc, a frozen class has no default
        # unpickling (results are handed between processes)
        return TokenAlignment, (
            self.query, self.query_original, self.name, self.name_original, self.how,
            self.similarity, self.weight, self.part, self.unmatched_as,
        )

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {
            "query": self.query,
            "query_original": self.query_original,
            "name": self.name,
            "name_original": self.name_original,
            "how": self.how,
            "similarity": round(self.similarity, 4),
            "weight": round(self.weight, 4),
            "part": self.part,
            "unmatched_as": self.unmatched_as,
        }


@dataclass(frozen=True, slots=True, init=False)
class Explanation:
    """Why a name scored what it did."""

    query_normalized: str
    name_normalized: str
    alignment: tuple[TokenAlignment, ...]
    transformations: tuple[str, ...]
    """Transformations applied to the query and the name (see :mod:`screen.normalize`)."""
    parts: dict[str, float] = field(default_factory=dict)
    """The score's parts: matched, unmatched_query and unmatched_name weights."""

    def __init__(
        self,
        query_normalized: str,
        name_normalized: str,
        alignment: tuple[TokenAlignment, ...],
        transformations: tuple[str, ...],
        parts: dict[str, float] | None = None,
    ) -> None:
        # written out: see normalize.Token.__init__
        object.__setattr__(self, "query_normalized", query_normalized)
        object.__setattr__(self, "name_normalized", name_normalized)
        object.__setattr__(self, "alignment", alignment)
        object.__setattr__(self, "transformations", transformations)
        object.__setattr__(self, "parts", {} if parts is None else parts)

    def __reduce__(self) -> tuple[type[Explanation], tuple[object, ...]]:
        # see TokenAlignment.__reduce__
        return Explanation, (
            self.query_normalized, self.name_normalized, self.alignment, self.transformations,
            self.parts,
        )

    def summary(self) -> str:
        """One line: each aligned pair and how it matched, then what was left unmatched."""
        pieces: list[str] = []
        unmatched: list[str] = []
        for step in self.alignment:
            if step.how == "unmatched":
                label = f"{step.query_original or step.name_original}"
                if step.unmatched_as is not None and step.part is not None:
                    label += f" ({step.unmatched_as} {step.part})"
                unmatched.append(label)
            elif step.how == "exact" and step.query == step.name:
                pieces.append(f"{step.query}")
            else:
                pieces.append(f"{step.query_original}~{step.name_original} ({step.how})")
        text = "matched " + ", ".join(pieces) if pieces else "nothing matched"
        if unmatched:
            text += "; unmatched " + ", ".join(unmatched)
        return text

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {
            "summary": self.summary(),
            "query_normalized": self.query_normalized,
            "name_normalized": self.name_normalized,
            "alignment": [step.to_dict() for step in self.alignment],
            "transformations": list(self.transformations),
            "parts": {key: round(value, 4) for key, value in self.parts.items()},
        }


@dataclass(frozen=True, slots=True, init=False)
class PairScore:
    """The score of one query against one name, with its explanation."""

    score: float
    explanation: Explanation

    def __init__(self, score: float, explanation: Explanation) -> None:
        # written out: see normalize.Token.__init__
        object.__setattr__(self, "score", score)
        object.__setattr__(self, "explanation", explanation)

    def __reduce__(self) -> tuple[type[PairScore], tuple[object, ...]]:
        # see TokenAlignment.__reduce__
        return PairScore, (self.score, self.explanation)


@dataclass(frozen=True, slots=True, init=False)
class Hit:
    """A list entry that matched, through which of its names, how well, and why."""

    entry: ListEntry
    matched_name: str
    """The entry's name or alias that scored best, exactly as the list gives it (for a name
    written inside it, alias kind ``inner`` or ``outer``: the name it is written in; the
    explanation's ``name_normalized`` shows the part that matched)."""
    alias_kind: AliasKind | None
    """None when the primary name matched."""
    score: float
    explanation: Explanation

    def __init__(
        self,
        entry: ListEntry,
        matched_name: str,
        alias_kind: AliasKind | None,
        score: float,
        explanation: Explanation,
    ) -> None:
        # written out: see normalize.Token.__init__
        object.__setattr__(self, "entry", entry)
        object.__setattr__(self, "matched_name", matched_name)
        object.__setattr__(self, "alias_kind", alias_kind)
        object.__setattr__(self, "score", score)
        object.__setattr__(self, "explanation", explanation)

    def __reduce__(self) -> tuple[type[Hit], tuple[object, ...]]:
        # see TokenAlignment.__reduce__
        return Hit, (self.entry, self.matched_name, self.alias_kind, self.score, self.explanation)

    @property
    def is_primary(self) -> bool:
        """True when the entry's primary name matched, False for an alias."""
        return self.alias_kind is None

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form (the entry by id, list, primary name, programs and citations)."""
        return {
            "entry_id": self.entry.id,
            "source_list": self.entry.source_list.value,
            "entry_name": self.entry.name,
            "entity_type": self.entry.entity_type.value if self.entry.entity_type else None,
            "programs": list(self.entry.programs),
            "federal_register": list(self.entry.federal_register),
            "verification": self.entry.verification,
            "matched_name": self.matched_name,
            "is_primary": self.is_primary,
            "alias_kind": self.alias_kind.value if self.alias_kind else None,
            "score": round(self.score, 2),
            "explanation": self.explanation.to_dict(),
        }
