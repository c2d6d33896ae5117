"""Find a known chip in free text ("nvidia h100 sxm5 80gb", "A800") and classify it.

Matching works on model numbers, not on fuzzy similarity: text and chip names are cut into runs
of letters and of digits, and a chip matches only where its model key appears as whole runs.
So "A1000" never matches A100, "H2O" never matches H20 and "RTX 4090D" is not an RTX 4090.
Case, spacing and punctuation between runs do not matter ("h100sxm", "H100-SXM5"), except that a
single-letter prefix must touch its number ("H 100" is not read as H100, "A 100 kg" is no chip).
Where the text does not say which variant (H100 SXM or PCIe) the best match is returned with
``ambiguous`` set and the alternatives listed, never silently picked.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict
from rapidfuzz import fuzz, process

from screen.chips.classify import _classify
from screen.chips.data import ChipData, default_chip_data
from screen.chips.models import Chip, ChipNotice, RuleBook
from screen.chips.results import Classification

__all__ = [
    "ChipAlternative",
    "ChipMatch",
    "ItemResult",
    "ItemStatus",
    "classify_chip",
    "classify_item",
    "lookup",
    "suggest",
]

ItemStatus = Literal["controlled", "not-controlled", "unknown-item", "insufficient-data"]

# Form-factor words that name a variant even when the data has no row for it (H200 NVL).
_FORM_FACTORS = frozenset({"sxm", "pcie", "hgx", "nvl", "oam", "dgx", "mxm"})
_JOINERS = frozenset("-_./")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ChipAlternative(_Frozen):
    """Another chip the text may mean, with how it would classify."""

    id: str
    name: str
    status: str
    eccn: str | None


class ChipMatch(_Frozen):
    """A known chip found in free text, with its figures, sources and classification."""

    query: str
    matched: str
    """The part of the query that named the chip."""
    chip: Chip
    classification: Classification
    ambiguous: bool
    """True when the text fits more than one row (variant not stated, or several chips named)."""
    alternatives: tuple[ChipAlternative, ...]
    exact: bool
    """False when the text names a variant (e.g. PCIe) the chosen row does not cover."""
    notices: tuple[ChipNotice, ...]
    """License requirements or guidance outside the ECCN thresholds dated on or before ``as_of``."""
    warnings: tuple[str, ...]
    as_of: dt.date


class ItemResult(_Frozen):
    """One item of a batch: a one-line summary and a status a spreadsheet can filter on.

    ``controlled`` also covers a chip under a license requirement outside the ECCN thresholds
    (the April 2025 H20 notice); ``eccn`` is then None and ``summary`` names the notice.
    """

    text: str
    status: ItemStatus
    eccn: str | None
    chip: str | None
    summary: str
    match: ChipMatch | None


@dataclass(frozen=True)
class _Run:
    text: str
    start: int
    end: int

    @property
    def alpha(self) -> bool:
        return self.text[0].isalpha()


@dataclass(frozen=True)
class _Key:
    words: tuple[tuple[str, ...], ...]
    """Each word of the model name as its runs: ``(("rtx",), ("4090",))``, ``(("h", "100"),)``."""
    variants: frozenset[str]


@dataclass(frozen=True)
class _Hit:
    chip: Chip
    start: int
    end: int


def lookup(
    text: str, *, as_of: dt.date | None = None, data: ChipData | None = None
) -> ChipMatch | None:
    """The known chip named in ``text``, classified under the rule in force on ``as_of``.

    Returns None when no known chip's model number appears in the text.
    """
    chip_data = data or default_chip_data()
    day = as_of or dt.date.today()
    normal, runs = _tokenise(text)
    form_factors = _FORM_FACTORS | {v for c in chip_data.chips.chips for v in _key(c).variants}
    hits = _find(chip_data.chips.chips, normal, runs, form_factors)
    if not hits:
        return None
    first = hits[0]
    family = [h.chip for h in hits if _key(h.chip).words == _key(first.chip).words]
    others = [h.chip for h in hits if _key(h.chip).words != _key(first.chip).words]
    named = {run.text for run in runs if run.alpha} & form_factors
    chosen, candidates, warnings = _pick_variant(family, named)
    alternatives = [c for c in candidates if c.id != chosen.id] + _unique(others)
    if others:
        names = ", ".join(dict.fromkeys(c.name for c in others))
        warnings.append(f"The text also names {names}; classified the first chip named.")
    classification = classify_chip(chosen, as_of=day, rules=chip_data.rules)
    return ChipMatch(
        query=text,
        matched=normal[first.start : first.end],
        chip=chosen,
        classification=classification,
        ambiguous=bool(alternatives),
        exact=not (named - set().union(*(_key(c).variants for c in family))),
        alternatives=tuple(_alternative(c, day, chip_data.rules) for c in alternatives),
        notices=tuple(n for n in chosen.notices if n.date <= day),
        warnings=tuple(warnings) + _chip_warnings(chosen, classification),
        as_of=day,
    )


def classify_chip(
    chip: Chip, *, as_of: dt.date | None = None, rules: RuleBook | None = None
) -> Classification:
    """Classify a known chip from its recorded figures, showing how its TPP was derived."""
    preface: list[str] = []
    value = chip.tpp
    if chip.figures:
        highest = max(figure.tpp for figure in chip.figures)
        value = value if value is not None else highest
        for figure in chip.figures:
            taken = " (highest, taken)" if len(chip.figures) > 1 and figure.tpp == highest else ""
            preface.append(
                f"TPP = {figure.dense_tops} dense TOPS ({figure.precision}) x {figure.bit_length} "
                f"bits = {figure.tpp}{taken}"
            )
    elif value is not None:
        preface.append(f"TPP = {value} (as the source states)")
    if chip.io is not None:
        preface.append(f"I/O = {chip.io.value_gbps} GB/s (as {chip.io.quote_file} states it)")
    return _classify(
        tpp_value=value,
        density=chip.performance_density if chip.die_area_mm2 is None else None,
        area=chip.die_area_mm2,
        datacenter=chip.datacenter,
        io=chip.io.value_gbps if chip.io is not None else None,
        as_of=as_of,
        rules=rules,
        preface=preface,
    )


def classify_item(
    text: str, as_of: dt.date | None = None, *, data: ChipData | None = None
) -> ItemResult:
    """Classify one item description for a batch row: status plus a one-line summary."""
    match = lookup(text, as_of=as_of, data=data) if text.strip() else None
    if match is None:
        return ItemResult(
            text=text,
            status="unknown-item",
            eccn=None,
            chip=None,
            match=None,
            summary="no known chip recognised in the item text",
        )
    result = match.classification
    chip = match.chip.name
    disagree = [a for a in match.alternatives if (a.status, a.eccn) != (result.status, result.eccn)]
    requirements = [n for n in match.notices if n.kind == "license-requirement"]
    status: ItemStatus
    if disagree:
        status = "insufficient-data"
        options = "; ".join(
            f"{a.name}: {a.eccn or a.status}" for a in (_self(match), *match.alternatives)
        )
        summary = f"ambiguous chip, the candidates classify differently ({options})"
    else:
        status = "controlled" if requirements else result.status
        summary = f"{chip}: {_short(result)}"
        if match.ambiguous:
            summary += f" (ambiguous: also {', '.join(a.name for a in match.alternatives)})"
        if not match.exact:
            summary += (
                " (the text names a variant the data does not have; figures are for this row)"
            )
    for notice in match.notices:
        label = {
            "license-requirement": "license required outside the ECCN thresholds since",
            "license-statement": "license statement of",
            "guidance": "guidance of",
        }[notice.kind]
        summary += f"; {label} {notice.date}: {notice.title}"
    return ItemResult(
        text=text,
        status=status,
        eccn=None if disagree else result.eccn,
        chip=chip,
        summary=summary,
        match=match,
    )


def suggest(text: str, *, limit: int = 3, data: ChipData | None = None) -> tuple[str, ...]:
    """Names of known chips that look like ``text``, for "did you mean" messages only."""
    chips = (data or default_chip_data()).chips.chips
    # Compare with the model number alone: "H1OO" is far from "nvidiah100sxm", close to "h100".
    choices = {chip.name: "".join("".join(word) for word in _key(chip).words) for chip in chips}
    found = process.extract(
        _compact(text), choices, scorer=fuzz.ratio, limit=limit, score_cutoff=50
    )
    return tuple(name for _, _, name in found)


# ---- results ------------------------------------------------------------------------------


def _short(result: Classification) -> str:
    rule = result.rule.citation if result.rule is not None else "no 3A090 rule in force"
    if result.status == "controlled" and result.paragraph is not None:
        test = next(t for t in result.tests if t.paragraph == result.paragraph)
        nac = {True: "NAC-eligible", False: "not NAC-eligible", None: "NAC n/a"}[
            result.nac_eligible
        ]
        systems = f"; systems {result.systems_eccn}" if result.systems_eccn else ""
        return f"{result.eccn} ({result.paragraph}: {test.detail}) under {rule}; {nac}{systems}"
    if result.status == "not-controlled":
        return f"not 3A090 under {rule}"
    return f"insufficient data under {rule} (need {', '.join(result.missing)})"


def _self(match: ChipMatch) -> ChipAlternative:
    return ChipAlternative(
        id=match.chip.id,
        name=match.chip.name,
        status=match.classification.status,
        eccn=match.classification.eccn,
    )


def _alternative(chip: Chip, day: dt.date, rules: RuleBook) -> ChipAlternative:
    result = classify_chip(chip, as_of=day, rules=rules)
    return ChipAlternative(id=chip.id, name=chip.name, status=result.status, eccn=result.eccn)


def _chip_warnings(chip: Chip, result: Classification) -> tuple[str, ...]:
    warnings = [f"Source caveat: {caveat}" for caveat in chip.caveats]
    uses_io = any("io_gbps" in test.parameters for test in result.tests)
    if chip.io is not None and uses_io:
        warnings.append(f"I/O rate: {chip.io.basis}")
    return tuple(warnings)


def _unique(chips: Sequence[Chip]) -> list[Chip]:
    return list({chip.id: chip for chip in chips}.values())


# ---- matching -----------------------------------------------------------------------------


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    # "PCI-e", "PCI Express" -> "pcie"; "8xH100" -> "8x h100" (a count, not part of the model).
    text = re.sub(r"\bpci[\s\-_]*(?:express|e\b)", "pcie", text)
    return re.sub(r"(?<![a-z0-9])(\d+)x(?=[a-z])", r"\1x ", text)


def _tokenise(text: str) -> tuple[str, list[_Run]]:
    normal = _normalise(text)
    return normal, [
        _Run(m.group(), m.start(), m.end()) for m in re.finditer(r"[a-z]+|[0-9]+", normal)
    ]


def _compact(text: str) -> str:
    return "".join(run.text for run in _tokenise(text)[1])


def _key(chip: Chip) -> _Key:
    parenthesised = re.findall(r"\(([^)]*)\)", chip.name)
    words = re.sub(r"\([^)]*\)", " ", chip.name).split()
    if words and words[0].casefold() == chip.vendor.casefold():
        words = words[1:]
    with_digits = [i for i, word in enumerate(words) if any(ch.isdigit() for ch in word)]
    if not with_digits:
        return _Key(words=(), variants=frozenset())
    index = with_digits[-1]
    model = words[index]
    # A bare number ("4090", "910") is only a model next to its series word ("RTX 4090").
    key_words = (
        [model] if any(ch.isalpha() for ch in model) else words[max(index - 1, 0) : index + 1]
    )
    extras = words[index + 1 :] + [p for group in parenthesised for p in re.split(r"[/,]", group)]
    variants = frozenset(
        _compact(extra)
        for extra in extras
        if extra.strip() and not any(ch.isdigit() for ch in extra)
    )
    return _Key(
        words=tuple(tuple(run.text for run in _tokenise(w)[1]) for w in key_words),
        variants=variants,
    )


def _gap(normal: str, left: _Run, right: _Run) -> str:
    return normal[left.end : right.start]


def _match_at(key: _Key, normal: str, runs: Sequence[_Run], start: int) -> int | None:
    """Index past the last run of ``key`` if it matches at run ``start``, else None."""
    position = start
    for word_index, word in enumerate(key.words):
        for part_index, part in enumerate(word):
            if position >= len(runs) or runs[position].text != part:
                return None
            if part_index > 0:
                gap = _gap(normal, runs[position - 1], runs[position])
                short_prefix = runs[position - 1].alpha and len(runs[position - 1].text) < 2
                if gap and not (set(gap) <= _JOINERS or (gap.isspace() and not short_prefix)):
                    return None
            elif word_index > 0 and _gap(normal, runs[position - 1], runs[position]).strip(
                "-_./ \t"
            ):
                return None
            position += 1
    return position


def _find(
    chips: Sequence[Chip], normal: str, runs: Sequence[_Run], form_factors: frozenset[str]
) -> list[_Hit]:
    hits: list[_Hit] = []
    for chip in chips:
        key = _key(chip)
        if not key.words:
            continue
        for start in range(len(runs)):
            end = _match_at(key, normal, runs, start)
            if end is None:
                continue
            if start > 0 and _gap(normal, runs[start - 1], runs[start]) == "":
                continue  # glued to a longer token: "xa100", "gb200"
            glued = end < len(runs) and _gap(normal, runs[end - 1], runs[end]) == ""
            if glued and not (runs[end].alpha and runs[end].text in form_factors):
                continue  # "a100x", "4090d" are other chips; "h100sxm" is a form factor
            hits.append(_Hit(chip=chip, start=runs[start].start, end=runs[end - 1].end))
            break
    # A hit inside a longer hit is the shorter model read into the longer one: drop it.
    kept = [
        hit
        for hit in hits
        if not any(
            other is not hit
            and other.start <= hit.start
            and hit.end <= other.end
            and (other.end - other.start) > (hit.end - hit.start)
            for other in hits
        )
    ]
    return sorted(kept, key=lambda hit: hit.start)


def _pick_variant(family: Sequence[Chip], named: set[str]) -> tuple[Chip, list[Chip], list[str]]:
    """The row of a model family the text means, the rows it might mean, and warnings."""
    warnings: list[str] = []
    fitting = [chip for chip in family if _key(chip).variants & named]
    known = set().union(*(_key(chip).variants for chip in family))
    unknown = sorted(named - known)
    if unknown:
        rows = ", ".join(chip.name for chip in family)
        warnings.append(
            f"The text names variant {', '.join(unknown).upper()}, which the data does not have; "
            f"figures are for {rows}."
        )
    if len(family) == 1:
        return family[0], [], warnings
    if len(fitting) == 1:
        return fitting[0], [], warnings
    candidates = fitting or list(family)
    return candidates[0], candidates, warnings
