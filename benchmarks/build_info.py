"""Which build of the matching core the benchmarks measure (see setup.py)."""

from __future__ import annotations

import importlib
from pathlib import Path


def core_build() -> str:
    """How the installed matching core was built: 'compiled (mypyc)' when it is the C extension,
    else 'plain Python', with the C++ modules (Cython) that are built too; figures differ between
    builds, scores do not."""
    module = importlib.import_module("screen.match")
    compiled = Path(module.__file__ or "").suffix != ".py"
    build = "compiled (mypyc)" if compiled else "plain Python"
    extras = []
    for module, what in (("_candidates", "candidate search and token comparison"),
                         ("_phonetic", "phonetic key")):
        try:
            importlib.import_module(f"screen.{module}")
        except ImportError:
            continue
        extras.append(what)
    if not extras:
        return build
    return f"{build} + C++ {' and '.join(extras)} (Cython)"
