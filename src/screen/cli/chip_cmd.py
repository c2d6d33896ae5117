"""``screen chip``: classify an advanced-computing chip against ECCN 3A090, by name or figures."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from decimal import Decimal, InvalidOperation
from typing import Any, TextIO

from screen.chips import (
    ChipDataError,
    ChipMatch,
    Classification,
    HbmClassification,
    classify,
    classify_hbm,
    lookup,
    suggest,
)

__all__ = ["register", "run"]

_EXIT_OK = 0
_EXIT_ERROR = 2

_EPILOG = """\
examples:
  screen chip H20
  screen chip nvidia h100 sxm5 80gb --json
  screen chip A800 --as-of 2023-01-01
  screen chip --tpp 3000 --die-area 600 --datacenter
  screen chip --tpp 2000 --performance-density 3.5
  screen chip --hbm-bandwidth 819 --hbm-area 110

figures: TPP = dense (non-sparse) TOPS at a precision x its bit length; die area in mm2 of all
non-planar logic dies (HBM excluded); I/O and memory bandwidth in gigabytes per second (GB/s).
Exit status: 0 classified, 2 unknown chip or bad input.
"""


class _UsageError(Exception):
    """Bad command-line input: reported as one line, exit 2."""


def register(subparsers: Any) -> None:
    """Add the ``chip`` subcommand."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "chip",
        help="classify a chip against ECCN 3A090 (by name, or by TPP and die area)",
        description="Classify an integrated circuit against ECCN 3A090 / 4A090 under the rule in "
        "force on a date: look up a known chip by name, or give its figures.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "text", nargs="*", metavar="CHIP", help="chip name, e.g. H20 or 'A800 80GB'"
    )
    parser.add_argument("--tpp", metavar="N", help="total processing performance (TOPS x bits)")
    density = parser.add_mutually_exclusive_group()
    density.add_argument("--die-area", metavar="MM2", help="applicable die area in mm2")
    density.add_argument("--performance-density", metavar="PD", help="TPP per mm2 of die area")
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--datacenter",
        dest="datacenter",
        action="store_const",
        const=True,
        help="designed or marketed for use in datacenters (the default)",
    )
    where.add_argument(
        "--not-datacenter",
        dest="datacenter",
        action="store_const",
        const=False,
        help="not designed or marketed for use in datacenters",
    )
    where.add_argument(
        "--datacenter-unknown",
        dest="datacenter",
        action="store_const",
        const="unknown",
        help="not known whether designed or marketed for datacenters",
    )
    parser.add_argument(
        "--io-gbps", metavar="N", help="aggregate bidirectional I/O in GB/s (2022 rule)"
    )
    parser.add_argument(
        "--hbm-bandwidth", metavar="GBPS", help="HBM stack/package bandwidth in GB/s (3A090.c)"
    )
    parser.add_argument("--hbm-area", metavar="MM2", help="HBM stack/package area in mm2 (3A090.c)")
    parser.add_argument(
        "--as-of",
        metavar="DATE",
        help="apply the rule in force on this date (YYYY-MM-DD; default today)",
    )
    parser.add_argument("--json", action="store_true", help="print the full result as JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Handle ``screen chip``; returns the exit code."""
    stdout = out or sys.stdout
    try:
        return _run(args, stdout)
    except _UsageError as exc:
        print(f"screen chip: {exc}", file=sys.stderr)
    except ChipDataError as exc:
        print(f"screen chip: chip data unavailable: {exc}", file=sys.stderr)
    except ValueError as exc:
        print(f"screen chip: {exc}", file=sys.stderr)
    return _EXIT_ERROR


def _run(args: argparse.Namespace, out: TextIO) -> int:
    text = " ".join(args.text).strip()
    as_of = _date(args.as_of)
    figures = [args.tpp, args.die_area, args.performance_density, args.io_gbps, args.datacenter]
    hbm = [args.hbm_bandwidth, args.hbm_area]
    if any(value is not None for value in hbm):
        if text or any(value is not None for value in figures):
            raise _UsageError(
                "--hbm-bandwidth/--hbm-area classify memory; give no chip name or --tpp"
            )
        if None in hbm:
            raise _UsageError("give both --hbm-bandwidth and --hbm-area")
        result = classify_hbm(
            _number(args.hbm_bandwidth, "--hbm-bandwidth"),
            _number(args.hbm_area, "--hbm-area"),
            as_of,
        )
        _emit(result, args.json, out, _hbm_lines)
        return _EXIT_OK
    if text:
        if any(value is not None for value in figures):
            raise _UsageError("give a chip name or figures (--tpp ...), not both")
        match = lookup(text, as_of=as_of)
        if match is None:
            hint = suggest(text)
            maybe = f" (did you mean: {', '.join(hint)}?)" if hint else ""
            raise _UsageError(f"no known chip matches {text!r}{maybe}")
        _emit(match, args.json, out, _match_lines)
        return _EXIT_OK
    if args.tpp is None:
        raise _UsageError("give a chip name, or --tpp N (see screen chip --help)")
    classification = classify(
        tpp=_number(args.tpp, "--tpp"),
        die_area_mm2=_optional(args.die_area, "--die-area"),
        performance_density=_optional(args.performance_density, "--performance-density"),
        datacenter=None if args.datacenter == "unknown" else args.datacenter is not False,
        io_gbps=_optional(args.io_gbps, "--io-gbps"),
        as_of=as_of,
    )
    _emit(classification, args.json, out, _classification_lines)
    return _EXIT_OK


def _emit(result: Any, as_json: bool, out: TextIO, lines: Any) -> None:
    if as_json:
        out.write(result.model_dump_json(indent=2) + "\n")
    else:
        out.write("\n".join(lines(result)) + "\n")


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _UsageError(f"--as-of: not a date (YYYY-MM-DD): {value!r}") from None


def _number(value: str, option: str) -> Decimal:
    try:
        number = Decimal(value.replace(",", "").replace("_", ""))
    except InvalidOperation:
        raise _UsageError(f"{option}: not a number: {value!r}") from None
    if not number.is_finite() or number < 0:
        raise _UsageError(f"{option}: must be a finite number, zero or more: {value!r}")
    return number


def _optional(value: str | None, option: str) -> Decimal | None:
    return None if value is None else _number(value, option)


# ---- human output -------------------------------------------------------------------------


def _match_lines(match: ChipMatch) -> list[str]:
    chip = match.chip
    datacenter = {True: "yes", False: "no", None: "not stated"}[chip.datacenter]
    lines = [
        f"{chip.name}  (matched {match.matched!r} in {match.query!r})",
        f"  vendor {chip.vendor}; announced {chip.announced or 'not stated'}; "
        f"designed or marketed for datacenters: {datacenter}",
        "  figures: "
        + (
            "; ".join(
                f"{f.dense_tops} dense TOPS ({f.precision}) x {f.bit_length} bits"
                for f in chip.figures
            )
            or "none in the source data"
        ),
        f"  TPP {_or_blank(chip.tpp)}; die area {_or_blank(chip.die_area_mm2)} mm2; "
        f"performance density {_or_blank(chip.performance_density)} (as the source states)",
    ]
    if chip.likely_eccn:
        lines.append(f"  source's own conclusion: {chip.likely_eccn}")
    if match.ambiguous:
        others = ", ".join(f"{a.name} ({a.eccn or a.status})" for a in match.alternatives)
        lines.append(f"  AMBIGUOUS: the text may also mean {others}")
    lines.append("")
    lines += _classification_lines(match.classification)
    if match.notices:
        lines += ["", "License requirements and guidance outside the ECCN thresholds:"]
        for notice in match.notices:
            lines.append(f"  {notice.date} {notice.kind}: {notice.title}")
            lines.append(f"    {notice.text.text}")
            lines.append(f"    [{notice.text.verification}; {notice.text.source}]")
            if notice.url:
                lines.append(f"    {notice.url}")
    if match.warnings:
        lines += ["", "Warnings:"] + [f"  - {warning}" for warning in match.warnings]
    lines += ["", f"Sources of the figures (chips.csv line {chip.source_line}):"]
    lines += [f"  - {source}" for source in chip.sources] or ["  (none)"]
    if chip.notes:
        lines += ["Notes (verbatim):", f"  {chip.notes}"]
    return lines


def _classification_lines(result: Classification) -> list[str]:
    verdict = {
        "controlled": f"{result.eccn}",
        "not-controlled": "NOT 3A090",
        "insufficient-data": "INSUFFICIENT DATA",
    }[result.status]
    lines = [f"Classification as of {result.as_of}: {verdict}"]
    if result.rule is not None:
        rule = result.rule
        lines.append(
            f"  rule: {rule.citation} (FR Doc {rule.fr_doc}), in force from {rule.in_force_from}; "
            f"status: {rule.status}"
        )
        if rule.url:
            lines.append(f"        {rule.url}")
    if result.arithmetic:
        lines.append("  arithmetic:")
        lines += [f"    {line}" for line in result.arithmetic]
    if result.tests:
        lines.append("  tests:")
        width = max(len(t.paragraph) for t in result.tests)
        lines += [
            f"    {t.paragraph:<{width}}  {t.outcome:<8} {t.detail}  [{t.text.verification}]"
            for t in result.tests
        ]
    lines.append(f"  {result.explanation}")
    if result.notes:
        lines.append("  context:")
        lines += [f"    - {note}" for note in result.notes]
    return lines


def _hbm_lines(result: HbmClassification) -> list[str]:
    verdict = {
        "controlled": "3A090.c",
        "not-controlled": "NOT 3A090.c",
        "insufficient-data": "INSUFFICIENT DATA",
    }[result.status]
    lines = [f"HBM classification as of {result.as_of}: {verdict}"]
    if result.rule is not None:
        lines.append(
            f"  rule: {result.rule.citation} (FR Doc {result.rule.fr_doc}), in force from "
            f"{result.rule.in_force_from}"
        )
    lines += [f"  {line}" for line in result.arithmetic]
    lines.append(f"  {result.explanation}")
    lines += [f"  - {note}" for note in result.notes]
    return lines


def _or_blank(value: Decimal | None) -> str:
    return "(blank)" if value is None else str(value)
