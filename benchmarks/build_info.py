"""Which build of the matching core the benchmarks measure (see setup.py)."""

from __future__ import annotations

import importlib

from screen.implementation import active_implementation


def core_build() -> str:
    """How the running matching core was built: 'compiled (mypyc)' or 'plain Python'
    (``$SCREEN_IMPLEMENTATION`` and what was built decide), with the C++ modules (Cython) that are
    built too; figures differ between builds, scores do not."""
    build = "compiled (mypyc)" if active_implementation() == "compiled" else "plain Python"
    extras = []
    for module, what in (("screen.index._candidates", "candidate search"),
                         ("screen.text._phonetic", "phonetic key"),
                         ("screen.text._distance", "edit distance")):
        try:
            importlib.import_module(module)
        except ImportError:
            continue
        extras.append(what)
    if not extras:
        return build
    return f"{build} + C++ {' and '.join(extras)} (Cython)"
