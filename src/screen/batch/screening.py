"""Screening one row: a name (with its country filter) against the release, and an item cell
against the chip rules, condensed to a :class:`~screen.batch.output.RowOutcome`.

Shared by the run in the caller's process, the worker processes (:mod:`screen.batch.workers`),
:func:`screen.batch.rows.screen_records`, ``screen verify`` and ``screen rescreen``, so that a
row gets the same outcome whichever path screened it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from screen.batch.output import RowOutcome
from screen.release.models import SourceList
from screen.screener import Screener

if TYPE_CHECKING:
    from screen.chips import ChipData

# screen.chips is imported where an item column asks for it: a tenth of a second of start-up
# (its models and tables) that a run without one does not need

__all__ = [
    "CLEAR",
    "Query",
    "ScreenSpec",
    "Screening",
    "classify_item_cell",
    "screen_all",
    "screen_query",
]


@dataclass(frozen=True)
class ScreenSpec:
    """What a worker needs besides the screener: the per-call options and the output format."""

    lists: tuple[SourceList, ...] | None
    threshold: float | None
    with_json: bool
    item_as_of: dt.date | None = None
    """Set when rows carry an item to classify."""


CLEAR: Final = RowOutcome("clear")
"""The outcome of every clear row without JSON: one object, so a chunk of them pickles (to and
from a worker) as one, and is written with one set of result cells."""

Query = tuple[str, str | None, str | None]
"""What one row asks: the name, its country filter and its item text (None: no item column)."""


def screen_query(
    screener: Screener,
    name: str,
    country: str | None,
    *,
    lists: Iterable[SourceList | str] | None = None,
    threshold: float | None = None,
    with_json: bool = False,
    within: Collection[str] | None = None,
) -> RowOutcome:
    """Screen one name and condense the result to a :class:`RowOutcome`; with ``within``,
    scoring only those entries (:meth:`Screener.screen_within`).

    An exception from the screener becomes an ``error`` outcome: one odd name must not end a run
    of a million rows, and the row says what went wrong.
    """
    wanted = None if lists is None else tuple(lists)
    try:
        result = (
            screener.screen(name, country=country, lists=wanted, threshold=threshold)
            if within is None
            else screener.screen_within(
                name, within, country=country, lists=wanted, threshold=threshold
            )
        )
    except Exception as exc:
        return RowOutcome("error", f"screening failed: {type(exc).__name__}: {exc}")
    result_json = json.dumps(result.to_dict(), ensure_ascii=False) if with_json else None
    if result.status == "error":
        reason = result.error or "the screener could not screen this name"
        return RowOutcome("error", reason, result_json=result_json)
    if not result.hits:
        return CLEAR if result_json is None else RowOutcome("clear", result_json=result_json)
    top = result.hits[0]
    return RowOutcome(
        status=result.status,
        hit_count=result.hit_count,
        entry_id=top.entry.id,
        source_list=str(top.entry.source_list),
        matched_name=top.matched_name,
        entry_name=top.entry.name,
        score=top.score,
        explanation=top.explanation.summary(),
        result_json=result_json,
        hit_ids=tuple(hit.entry.id for hit in result.hits),
    )


def classify_item_cell(
    text: str, as_of: dt.date, chips: ChipData, *, with_json: bool = False
) -> tuple[str, str, str | None]:
    """Status, one-line summary and (for JSON lines) the JSON of one item cell's classification."""
    if not text.strip():
        return "", "", None
    from screen.chips import classify_item

    try:
        item = classify_item(text, as_of, data=chips)
    except Exception as exc:
        return "error", f"classification failed: {type(exc).__name__}: {exc}", None
    as_json = None
    if with_json:
        as_json = json.dumps(
            {
                "text": text,
                "status": item.status,
                "eccn": item.eccn,
                "chip": item.chip,
                "summary": item.summary,
                "as_of": as_of.isoformat(),
            },
            ensure_ascii=False,
        )
    return item.status, item.summary, as_json


@dataclass(frozen=True)
class Screening:
    """Everything a row is screened with; built once, then handed to each worker."""

    screener: Screener
    spec: ScreenSpec
    chips: ChipData | None


def screen_all(screening: Screening, queries: Sequence[Query]) -> list[RowOutcome]:
    """The outcome of each query, in order: its name screened, and its item classified when the
    run has an item column."""
    spec = screening.spec
    outcomes: list[RowOutcome] = []
    for name, country, item in queries:
        outcome = screen_query(
            screening.screener,
            name,
            country,
            lists=spec.lists,
            threshold=spec.threshold,
            with_json=spec.with_json,
        )
        if item is not None and spec.item_as_of is not None and screening.chips is not None:
            status, summary, as_json = classify_item_cell(
                item, spec.item_as_of, screening.chips, with_json=spec.with_json
            )
            outcome = outcome._replace(item_status=status, item_summary=summary, item_json=as_json)
        outcomes.append(outcome)
    return outcomes
