"""Which build of the matching core the benchmarks measure (see setup.py)."""

from __future__ import annotations

import importlib
from pathlib import Path


def core_build() -> str:
    """'compiled (mypyc)' when the installed matching core is the C extension, else 'plain
    Python'; figures differ between the two, scores do not."""
    module = importlib.import_module("screen.match")
    compiled = Path(module.__file__ or "").suffix != ".py"
    return "compiled (mypyc)" if compiled else "plain Python"
