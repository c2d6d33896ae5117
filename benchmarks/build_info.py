"""Which build of the matching core the benchmarks measure (see setup.py)."""

from __future__ import annotations

import importlib
from pathlib import Path


def core_build() -> str:
    """How the installed matching core was built: 'compiled (mypyc)' when it is the C extension,
    else 'plain Python', with '+ C++ candidate search (Cython)' when that is built too; figures
    differ between builds, scores do not."""
    module = importlib.import_module("screen.match")
    compiled = Path(module.__file__ or "").suffix != ".py"
    build = "compiled (mypyc)" if compiled else "plain Python"
    try:
        importlib.import_module("screen._candidates")
    except ImportError:
        return build
    return f"{build} + C++ candidate search (Cython)"
