"""Re-screen the rows of a JSON-lines batch result and report every row whose answer changed.

This is the auditor's check: a result file records, on every row, the list release (version and
checksum), the matcher version, the threshold and the options it was screened with, and the name
and country screened. Verification refuses to run on any other release or matcher, since a
difference would then say nothing about the recorded answer.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from screen.batch.screening import screen_query
from screen.matching.score import MATCHER_VERSION
from screen.release.models import SourceList
from screen.screener import Screener

__all__ = [
    "MAX_LISTED_DIFFERENCES",
    "Difference",
    "VerifyError",
    "VerifyReport",
    "recorded_release",
    "verify_results",
]

MAX_LISTED_DIFFERENCES = 1_000
"""Differences kept in the report (all are counted)."""


class VerifyError(Exception):
    """The file cannot be verified (other release or matcher, not a result file); one line."""


@dataclass(frozen=True)
class Difference:
    """A row whose answer on re-screening is not the recorded one."""

    result_line: int
    """Line of the row in the result file."""
    input_line: int | None
    """Line of the record in the original input file."""
    name: str
    recorded: str
    now: str


@dataclass
class VerifyReport:
    """What verification found."""

    path: Path
    release_version: str = ""
    release_checksum: str = ""
    matcher_version: str = ""
    rows: int = 0
    rescreened: int = 0
    same: int = 0
    not_rescreened: int = 0
    """Rows that were input errors (no name was screened), so there is nothing to re-screen."""
    differing: int = 0
    differences: list[Difference] = field(default_factory=list)


def _rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        handle = path.open("r", encoding="utf-8")
    except IsADirectoryError:
        raise VerifyError(f"{path}: is a directory, not a result file") from None
    except OSError as exc:
        raise VerifyError(f"{path}: cannot read: {exc.strerror or exc}") from None
    with handle:
        number = 0
        try:
            for number, text in enumerate(handle, start=1):
                if not text.strip():
                    continue
                try:
                    row = json.loads(text)
                except json.JSONDecodeError as exc:
                    hint = ""
                    if number == 1:
                        hint = " (verify needs the JSON-lines output: screen batch --format jsonl)"
                    raise VerifyError(f"{path}: line {number}: not JSON: {exc.msg}{hint}") from None
                if not isinstance(row, dict) or not isinstance(row.get("audit"), dict):
                    raise VerifyError(
                        f"{path}: line {number}: not a screen batch result row (no audit block)"
                    )
                yield number, row
        except UnicodeDecodeError:
            raise VerifyError(f"{path}: line {number + 1}: not UTF-8") from None


def recorded_release(path: Path) -> tuple[str | None, str | None]:
    """The list release (version, checksum) the first row of a result file was screened on.

    Raises :class:`VerifyError` when the file is not a JSON-lines batch result.
    """
    for _number, row in _rows(path):
        audit: dict[str, Any] = row["audit"]
        version, checksum = audit.get("release_version"), audit.get("release_checksum")
        return (
            version if isinstance(version, str) else None,
            checksum if isinstance(checksum, str) else None,
        )
    raise VerifyError(f"{path}: no result rows to verify")


def _answer(result: Any) -> tuple[str, tuple[tuple[str, float], ...], str | None]:
    if not isinstance(result, dict):
        return ("missing", (), None)
    hits = tuple(
        (str(hit.get("entry_id")), float(hit.get("score", 0.0))) for hit in result.get("hits") or ()
    )
    return (str(result.get("status")), hits, result.get("error"))


def _describe(answer: tuple[str, tuple[tuple[str, float], ...], str | None]) -> str:
    status, hits, error = answer
    if status == "error":
        return f"error ({error})"
    if not hits:
        return status
    shown = ", ".join(f"{entry} {score:.2f}" for entry, score in hits[:5])
    more = f" and {len(hits) - 5} more" if len(hits) > 5 else ""
    return f"{status}: {shown}{more}"


def _check_audit(path: Path, number: int, audit: dict[str, Any], screener: Screener) -> None:
    release = screener.release
    checksum = audit.get("release_checksum")
    if checksum != release.checksum:
        raise VerifyError(
            f"{path}: line {number} was screened on list release {audit.get('release_version')} "
            f"(sha256 {str(checksum)[:12]}...), but the release loaded is {release.version} "
            f"(sha256 {release.checksum[:12]}...): "
            "pass --release with the recorded release to verify"
        )
    if audit.get("matcher_version") != MATCHER_VERSION:
        raise VerifyError(
            f"{path}: line {number} was screened with matcher {audit.get('matcher_version')}, this "
            f"installation has matcher {MATCHER_VERSION}: "
            "verify with the screen version that made it "
            f"({audit.get('screen_version')})"
        )


def verify_results(
    path: Path,
    screener: Screener | Callable[[], Screener],
    progress: Callable[[int], None] | None = None,
) -> VerifyReport:
    """Re-screen every row of ``path`` on ``screener`` and compare with the recorded answers.

    ``screener`` may be a function that builds one, called once the first row has been read (so
    a wrong file fails at once). Raises :class:`VerifyError` before re-screening anything when a
    row was recorded on another release or matcher, or when the file is not a batch result.
    """
    report = VerifyReport(path=path, matcher_version=MATCHER_VERSION)
    checked: tuple[str | None, str | None] | None = None
    for number, row in _rows(path):
        if not isinstance(screener, Screener):
            screener = screener()
        report.rows += 1
        audit: dict[str, Any] = row["audit"]
        key = (audit.get("release_checksum"), audit.get("matcher_version"))
        if key != checked:
            _check_audit(path, number, audit, screener)
            checked = key
        query = row.get("query")
        if not isinstance(query, dict) or not isinstance(query.get("name"), str):
            report.not_rescreened += 1
            continue
        options = audit.get("options") or {}
        lists = options.get("lists")
        try:
            codes = tuple(SourceList(code) for code in lists) if lists else None
            threshold = float(audit["threshold"])
        except (KeyError, TypeError, ValueError):
            raise VerifyError(
                f"{path}: line {number}: the audit block's options are not valid"
            ) from None
        outcome = screen_query(
            screener,
            query["name"],
            query.get("country"),
            lists=codes,
            threshold=threshold,
            with_json=True,
        )
        now = _answer(
            json.loads(outcome.result_json)
            if outcome.result_json
            else {"status": outcome.status, "error": outcome.reason, "hits": []}
        )
        recorded = _answer(row.get("result"))
        report.rescreened += 1
        if now == recorded:
            report.same += 1
        else:
            report.differing += 1
            if len(report.differences) < MAX_LISTED_DIFFERENCES:
                line = row.get("line")
                report.differences.append(
                    Difference(
                        number,
                        line if isinstance(line, int) else None,
                        query["name"],
                        _describe(recorded),
                        _describe(now),
                    )
                )
        if progress is not None and report.rows % 1000 == 0:
            progress(report.rows)
    if report.rows == 0 or not isinstance(screener, Screener):
        raise VerifyError(f"{path}: no result rows to verify")
    report.release_version = screener.release.version
    report.release_checksum = screener.release.checksum
    return report
