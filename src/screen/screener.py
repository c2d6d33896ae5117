"""The public facade: screen one name against a list release and get an auditable result.

::

    from screen import Screener
    s = Screener.default()                  # the shipped release, cached
    r = s.screen("北京智谱华章科技有限公司")
    r.status                                # "hit" | "clear" | "error"
    r.hits[0].entry, r.hits[0].matched_name, r.hits[0].score, r.hits[0].explanation
    r.audit                                 # release version + checksum, matcher version, threshold
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from screen.index.search import NameIndex
from screen.matching.results import Hit, PairScore
from screen.matching.score import DEFAULT_THRESHOLD, MATCHER_VERSION, Matcher
from screen.matching.score import score_pair as _score_pair
from screen.names.normalize import normalize_name
from screen.release.models import EntityType, ListEntry, ListRelease, SourceList
from screen.release.store import default_release, load_release
from screen.text.fold import fold

__all__ = [
    "Audit",
    "Hit",
    "PairScore",
    "ScreenResult",
    "Screener",
    "Status",
    "normalise_country",
    "score_pair",
]

Status = Literal["hit", "clear", "error"]

MAX_HITS = 25
"""At most this many hits are returned, best first (``hit_count`` still counts them all)."""


@dataclass(frozen=True, slots=True)
class Audit:
    """Everything needed to reproduce a result later: the exact list, matcher and settings."""

    release_version: str
    release_checksum: str
    release_date: str
    """Date of the newest source data in the release."""
    matcher_version: str
    threshold: float
    filters: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))
    """The filters applied (country, entity type, lists), read-only: one audit block is shared
    by every result screened with the same settings."""

    def __post_init__(self) -> None:
        if not isinstance(self.filters, MappingProxyType):
            object.__setattr__(self, "filters", MappingProxyType(dict(self.filters)))

    def __reduce__(self) -> tuple[type[Audit], tuple[object, ...]]:
        # the read-only view does not pickle; the block is made again from a copy of its dict
        return Audit, (
            self.release_version, self.release_checksum, self.release_date,
            self.matcher_version, self.threshold, dict(self.filters),
        )

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {
            "release_version": self.release_version,
            "release_checksum": self.release_checksum,
            "release_date": self.release_date,
            "matcher_version": self.matcher_version,
            "threshold": self.threshold,
            "filters": dict(self.filters),
        }


@dataclass(frozen=True, slots=True)
class ScreenResult:
    """The answer for one name."""

    query: str
    status: Status
    hits: tuple[Hit, ...]
    """Best first, at most ``MAX_HITS``."""
    audit: Audit
    error: str | None = None
    """Why the name could not be screened (only when ``status == "error"``)."""
    hit_count: int = 0
    """Number of entries at or above the threshold (may exceed ``len(hits)``)."""

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form of the whole result."""
        return {
            "query": self.query,
            "status": self.status,
            "error": self.error,
            "hit_count": self.hit_count,
            "hits": [hit.to_dict() for hit in self.hits],
            "audit": self.audit.to_dict(),
        }


class Screener:
    """Screens names against one list release.

    Build one per release and reuse it: construction normalises and indexes every name of the
    release (or loads that index from the on-disk cache).
    """

    _default: Screener | None = None
    _default_lock = threading.Lock()

    def __init__(self, release: ListRelease, *, threshold: float | None = None) -> None:
        if threshold is None:
            threshold = DEFAULT_THRESHOLD
        _check_threshold(threshold)
        self.release = release
        self.threshold = float(threshold)
        self._release_date = release.data_date.isoformat()
        self._unfiltered_audits: dict[float, Audit] = {}
        self.index = NameIndex.cached(release)
        self._matcher = Matcher(self.index)

    @classmethod
    def default(cls) -> Screener:
        """The screener for the shipped release at the default threshold, built once."""
        with cls._default_lock:
            if cls._default is None:
                cls._default = cls(default_release())
            return cls._default

    @classmethod
    def from_path(cls, path: str, *, threshold: float | None = None) -> Screener:
        """A screener for the release stored in directory ``path``."""
        return cls(load_release(path, cached=True), threshold=threshold)

    def screen(
        self,
        name: str,
        *,
        country: str | None = None,
        entity_type: EntityType | str | None = None,
        lists: Iterable[SourceList | str] | str | None = None,
        threshold: float | None = None,
    ) -> ScreenResult:
        """Screen one name.

        ``country`` (ISO 3166-1 alpha-2) keeps entries tied to that country and entries with no
        country at all (an unknown country never hides a party). ``entity_type`` keeps entries
        of that type and entries of unknown type. ``lists`` keeps entries of those source lists.
        ``threshold`` overrides the screener's threshold for this call.
        """
        return self._screen(name, country, entity_type, lists, threshold, None)

    def screen_within(
        self,
        name: str,
        entry_ids: Collection[str],
        *,
        country: str | None = None,
        entity_type: EntityType | str | None = None,
        lists: Iterable[SourceList | str] | str | None = None,
        threshold: float | None = None,
    ) -> ScreenResult:
        """Screen one name as :meth:`screen` does, scoring only the entries with the ids
        ``entry_ids`` among the candidates it finds.

        For a caller that knows no other entry can reach the threshold: ``screen rescreen``
        knows which entries a list update changed and which a stored result hit, and that the
        others were below the threshold before and moved only by the update's small weight
        changes. The result reads as :meth:`screen`'s (its audit block names no extra filter)
        and equals it exactly when that knowledge is right; otherwise it lacks the other hits.
        Raises ``TypeError`` for a single string (its letters would be taken for ids).
        """
        if isinstance(entry_ids, str):
            raise TypeError("entry_ids is a collection of entry ids, not one string")
        return self._screen(
            name, country, entity_type, lists, threshold, frozenset(entry_ids)
        )

    def _screen(
        self,
        name: str,
        country: str | None,
        entity_type: EntityType | str | None,
        lists: Iterable[SourceList | str] | str | None,
        threshold: float | None,
        within: frozenset[str] | None,
    ) -> ScreenResult:
        filters: dict[str, object] = {}
        try:
            used_threshold = _threshold(self.threshold if threshold is None else threshold)
        except ValueError as error:
            return self._error(name, str(error), self.threshold, filters)
        try:
            country_code = normalise_country(country)
            wanted_type = _entity_type(entity_type)
            wanted_lists = _source_lists(lists)
        except ValueError as error:
            return self._error(name, str(error), used_threshold, filters)
        if country_code is not None:
            filters["country"] = country_code
        if wanted_type is not None:
            filters["entity_type"] = wanted_type.value
        if wanted_lists is not None:
            filters["lists"] = sorted(item.value for item in wanted_lists)
        if not isinstance(name, str):
            return self._error(str(name), "name is not text", used_threshold, filters)
        normalized = normalize_name(name)
        if normalized.is_empty:
            # folded only here: normalising folds the name, and most names are not empty
            if not fold(name).strip():
                reason = "name is empty"
            elif normalized.tokens:
                reason = "name has only titles or function words (such as Mr, Dr, and, of)"
            else:
                reason = "name has no letter or digit"
            return self._error(name, reason, used_threshold, filters)

        if within is None and country_code is None and wanted_type is None and wanted_lists is None:
            hits = self._matcher.match(normalized, used_threshold, None)
        else:

            def accept(entry: ListEntry) -> bool:
                if within is not None and entry.id not in within:
                    return False
                if wanted_lists is not None and entry.source_list not in wanted_lists:
                    return False
                if wanted_type is not None and entry.entity_type not in (None, wanted_type):
                    return False
                countries = entry.countries
                return country_code is None or not countries or country_code in countries

            hits = self._matcher.match(normalized, used_threshold, accept)
        return ScreenResult(
            query=name,
            status="hit" if hits else "clear",
            hits=tuple(hits[:MAX_HITS]),
            audit=self._audit(used_threshold, filters),
            hit_count=len(hits),
        )

    def screen_many(self, names: Iterable[str], **options: object) -> Iterator[ScreenResult]:
        """Screen names one after another with the same options (see :meth:`screen`)."""
        for name in names:
            yield self.screen(name, **options)  # type: ignore[arg-type]

    def _audit(self, threshold: float, filters: dict[str, object]) -> Audit:
        if not filters:  # most calls: one block per threshold, made once
            known = self._unfiltered_audits.get(threshold)
            if known is not None:
                return known
        audit = Audit(
            release_version=self.release.version,
            release_checksum=self.release.checksum,
            release_date=self._release_date,
            matcher_version=MATCHER_VERSION,
            threshold=threshold,
            filters=filters,
        )
        if not filters and len(self._unfiltered_audits) < 64:
            self._unfiltered_audits[threshold] = audit
        return audit

    def _error(
        self, name: str, reason: str, threshold: float, filters: dict[str, object]
    ) -> ScreenResult:
        return ScreenResult(name, "error", (), self._audit(threshold, filters), reason)


def score_pair(query: str, name: str, *, screener: Screener | None = None) -> PairScore:
    """Score one query against one name (0-100), with the explanation, token by token.

    With ``screener``, words weigh as in that screener's release, so the pair scores exactly as
    it would in a screening against it. Without one, no release is loaded and every word weighs
    alike: a fast check of two spellings, not a substitute for screening.
    """
    return _score_pair(query, name, weights=None if screener is None else screener.index.weights)


def _check_threshold(threshold: float) -> None:
    if not 0.0 < threshold <= 100.0:
        raise ValueError(f"threshold must be in (0, 100], got {threshold}")


def _threshold(value: object) -> float:
    """A threshold from a number or numeric text, checked to be in (0, 100]."""
    try:
        threshold = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"threshold must be a number in (0, 100], got {value!r}") from None
    if threshold != threshold:  # NaN
        raise ValueError("threshold must be a number in (0, 100], got NaN")
    _check_threshold(threshold)
    return threshold


def _entity_type(value: EntityType | str | None) -> EntityType | None:
    if value is None:
        return None
    try:
        return EntityType(str(value).strip().lower())
    except ValueError:
        known = ", ".join(item.value for item in EntityType)
        raise ValueError(f"unknown entity type {value!r} (one of: {known})") from None


def _source_lists(value: Iterable[SourceList | str] | str | None) -> frozenset[SourceList] | None:
    """Source-list codes, case-insensitive; a single code may be given as a string."""
    if value is None:
        return None
    items = [value] if isinstance(value, str) else list(value)
    if not items:
        raise ValueError("lists is empty: give at least one source-list code, or None for all")
    found: set[SourceList] = set()
    for item in items:
        try:
            found.add(SourceList(str(item).strip().upper()))
        except ValueError:
            known = ", ".join(code.value for code in SourceList)
            raise ValueError(f"unknown source list {item!r} (one of: {known})") from None
    return frozenset(found)


def normalise_country(value: str | None) -> str | None:
    """An ISO 3166-1 alpha-2 code in upper case, None for an empty value; ValueError otherwise."""
    if value is None or not value.strip():
        return None
    code = value.strip().upper()
    if len(code) != 2 or not code.isascii() or not code.isalpha():
        raise ValueError(f"country {value!r} is not an ISO 3166-1 alpha-2 code such as CN or DE")
    return code
