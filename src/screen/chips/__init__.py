"""Advanced-computing chips under US export controls: ECCN 3A090 / 4A090 by rule version.

``classify`` applies the 3A090.a/.b thresholds in force on a date to a chip's figures;
``lookup`` finds a known chip in free text and classifies it; ``classify_item`` gives a batch row
its status and one-line summary; ``classify_hbm`` covers high bandwidth memory (3A090.c).
The thresholds, rule versions and known chips are data, read from the release's ``chips/``.
"""

from __future__ import annotations

from screen.chips.arithmetic import Number
from screen.chips.classify import classify, classify_hbm, performance_density, tpp
from screen.chips.data import ChipData, ChipDataError, default_chip_data, load_chip_data
from screen.chips.lookup import (
    ChipAlternative,
    ChipMatch,
    ItemResult,
    ItemStatus,
    classify_chip,
    classify_item,
    lookup,
    suggest,
)
from screen.chips.models import Chip, ChipNotice, ChipTable, RuleBook, RuleVersion
from screen.chips.results import (
    Classification,
    ClassificationStatus,
    HbmClassification,
    ParagraphTest,
    RuleRef,
    control_level,
)

__all__ = [
    "Chip",
    "ChipAlternative",
    "ChipData",
    "ChipDataError",
    "ChipMatch",
    "ChipNotice",
    "ChipTable",
    "Classification",
    "ClassificationStatus",
    "HbmClassification",
    "ItemResult",
    "ItemStatus",
    "Number",
    "ParagraphTest",
    "RuleBook",
    "RuleRef",
    "RuleVersion",
    "classify",
    "classify_chip",
    "classify_hbm",
    "classify_item",
    "control_level",
    "default_chip_data",
    "load_chip_data",
    "lookup",
    "performance_density",
    "suggest",
    "tpp",
]
