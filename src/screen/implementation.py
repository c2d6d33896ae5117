"""Which implementation of the matching core runs, and what identifies this build.

The matching core (:data:`COMPILED_MODULES`) is plain, strictly typed Python. When the package is
built with a C compiler, mypyc compiles those same source files to C extensions that sit beside
them; Python's import system then prefers the extension. There is no second copy of any rule:
both implementations are built from one source and give the same scores.

``SCREEN_IMPLEMENTATION`` chooses, once per process, before ``screen`` is first imported:

- ``compiled``: the compiled modules, or an ``ImportError`` saying they were not built;
- ``python``: the plain source files, even where compiled modules are installed (slower; for
  checking and debugging);
- unset or ``auto``: compiled where built, else plain Python.

This module uses nothing but the standard library: ``setup.py`` reads :data:`COMPILED_MODULES`
from it before the package is built.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Final, Literal

__all__ = [
    "COMPILED_MODULES",
    "IMPLEMENTATION_ENV",
    "NATIVE_MODULES",
    "Implementation",
    "active_implementation",
    "build_identity",
    "requested_implementation",
    "source_digest",
]

IMPLEMENTATION_ENV: Final = "SCREEN_IMPLEMENTATION"
"""Environment variable choosing the implementation: ``python``, ``compiled`` or ``auto``."""

COMPILED_MODULES: Final = (
    "screen.text.memo",
    "screen.text.scripts",
    "screen.text.fold",
    "screen.text.phonetic",
    "screen.names.tokens",
    "screen.names.terms",
    "screen.names.romanisations",
    "screen.names.legal_forms",
    "screen.names.legal_slips",
    "screen.names.hangul",
    "screen.names.kana",
    "screen.names.hanja",
    "screen.names.transliterate",
    "screen.names.normalize",
    "screen.names.segment",
    "screen.names.compare",
    "screen.names.parts",
    "screen.index.weights",
    "screen.index.prepared",
    "screen.index.names",
    "screen.index.vocabulary",
    "screen.index.split",
    "screen.index.inner_names",
    "screen.index.build",
    "screen.index.search",
    "screen.matching.results",
    "screen.matching.pairs",
    "screen.matching.align",
    "screen.matching.score",
    "screen.rescreen.cuts",
    "screen.rescreen.words",
    "screen.rescreen.targets",
    "screen.rescreen.reverse",
)
"""The modules mypyc compiles (in import order): every screened name passes through them, and
every stored record ``screen rescreen`` decides on passes through the last four."""

NATIVE_MODULES: Final = (
    "screen.index._candidates", "screen.text._phonetic", "screen.text._distance",
    "screen.matching._pairs",
)
"""C++ modules (Cython) that exist only compiled; the core runs without them, in Python."""

Implementation = Literal["python", "compiled"]


_DIGESTED: Final = ("*.py", "*.pyx", "*.pyi", "*.tsv", "*.json")
_NOT_DIGESTED: Final = frozenset({
    # above the index or beside it: nothing a cache holds is computed by these
    "screener.py", "batch", "cli", "chips", "frames", "frames.py", "_build.py",
    # converters of publisher files and the shipped data (a release is keyed by its checksum)
    "sources", "shipped",
    # fetching, gating and adopting new releases (`screen lists update`): a release they make
    # is keyed by its checksum like any other
    "update",
    # re-screening stored results (`screen rescreen`): above the screener, caches nothing
    "rescreen",
})


def source_digest(package_dir: Path | str) -> str:
    """The sha256 of the package's sources that cached data is computed by: everything but the
    layers above the index, the converters and the shipped release. ``setup.py`` writes it into
    ``screen/_build.py`` when it builds; ``dev.sh`` reinstalls when it changes."""
    package = Path(package_dir)
    digest = hashlib.sha256()
    files = sorted(
        path for pattern in _DIGESTED for path in package.rglob(pattern)
        if not _NOT_DIGESTED.intersection(path.relative_to(package).parts)
        and "__pycache__" not in path.parts
    )
    for path in files:
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def requested_implementation() -> Implementation | None:
    """What ``$SCREEN_IMPLEMENTATION`` asks for (None: ``auto``, the best one built).

    Raises ValueError for any other value, so a typo never silently runs the other one.
    """
    value = os.environ.get(IMPLEMENTATION_ENV, "").strip().lower()
    if value in ("", "auto"):
        return None
    if value == "python":
        return "python"
    if value == "compiled":
        return "compiled"
    raise ValueError(f"${IMPLEMENTATION_ENV} must be python, compiled or auto, not {value!r}")


class _SourceOnlyFinder(importlib.abc.MetaPathFinder):
    """Finds the core modules as their ``.py`` files, skipping the compiled extensions beside
    them, and refuses the C++ modules (:data:`NATIVE_MODULES`), so the core runs as plain Python.
    It answers only for those modules; every other import is left alone."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname in NATIVE_MODULES:
            raise ModuleNotFoundError(f"{fullname} is not used with ${IMPLEMENTATION_ENV}=python")
        if fullname not in COMPILED_MODULES or not path:
            return None
        leaf = fullname.rpartition(".")[2]
        for directory in path:
            source = Path(directory) / f"{leaf}.py"
            if source.is_file():
                loader = importlib.machinery.SourceFileLoader(fullname, str(source))
                return importlib.util.spec_from_file_location(fullname, source, loader=loader)
        return None


def _is_compiled(module_name: str) -> bool:
    spec = importlib.util.find_spec(module_name)
    origin = spec.origin if spec is not None else None
    return origin is not None and origin.endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES))


def _choose() -> None:
    """Called once from ``screen/__init__.py``, before any core module is imported."""
    wanted = requested_implementation()
    if wanted == "python":
        if not any(isinstance(finder, _SourceOnlyFinder) for finder in sys.meta_path):
            sys.meta_path.insert(0, _SourceOnlyFinder())
    elif wanted == "compiled" and not _is_compiled(COMPILED_MODULES[0]):
        raise ImportError(
            f"${IMPLEMENTATION_ENV}=compiled, but this installation of screen has no compiled "
            "modules (it was built without a C compiler, or with SCREEN_PURE_PYTHON=1)"
        )


def active_implementation() -> Implementation:
    """The implementation this process runs: ``compiled`` when the core's modules are the
    compiled extensions, else ``python``."""
    if any(isinstance(finder, _SourceOnlyFinder) for finder in sys.meta_path):
        return "python"
    return "compiled" if _is_compiled(COMPILED_MODULES[0]) else "python"


def build_identity() -> str | None:
    """What identifies the code that computes a cached file: the package version, the digest
    of the sources this build was made from (written by ``setup.py`` at build time, so nothing
    reads source files at run time), the implementation running, and the Python running it.

    None when the package runs from a source tree that was never built: a cache could then
    outlive the code that wrote it, so callers keep no cache.
    """
    try:
        build = importlib.import_module("screen._build")  # written by setup.py
    except ImportError:
        return None
    digest = hashlib.sha256()
    from screen import __version__

    parts = (__version__, build.SOURCE_DIGEST, active_implementation(), sys.version)
    for part in parts:
        digest.update(str(part).encode())
        digest.update(b"\0")
    return digest.hexdigest()[:16]
