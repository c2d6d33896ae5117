"""Build hook: compile the matching core with mypyc when possible.

The modules every screened name passes through (normalisation, token comparison, the candidate
index and the scorer), and those ``screen rescreen`` decides each stored record with, are plain,
strictly typed Python; mypyc compiles them to a C extension,
which screens names markedly faster (figures in the README). The candidate search's set
operations and bounds, the phonetic key, the edit distance and the token pairs' memo also have
C++ versions written in Cython (``_candidates.pyx``, ``_phonetic.pyx``, ``_distance.pyx``,
``_pairs.pyx``), used when they are built;
no rule of matching is written in them. Compiled and plain code give
the same scores (the test suite runs on whichever is installed, and the README says
how both were checked). When compilation is impossible (no C compiler, or
``SCREEN_PURE_PYTHON=1`` in the environment), the package installs as plain Python and says so.
"""

from __future__ import annotations

import os
import runpy
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext

HERE = Path(__file__).resolve().parent
PACKAGE = HERE / "src" / "screen"
_IMPLEMENTATION = runpy.run_path(str(PACKAGE / "implementation.py"))
# one list of the compiled modules, read from the package itself (plain standard library)
COMPILED_MODULES = [
    "src/" + name.replace(".", "/") + ".py" for name in _IMPLEMENTATION["COMPILED_MODULES"]
]


def _write_build_identity() -> None:
    """Write ``screen/_build.py``: the digest of the sources this build is made from. Caches of
    computed data are keyed by it (``screen.implementation.build_identity``), so an installed
    package never reads its own source files to know whether a cache is stale."""
    digest = _IMPLEMENTATION["source_digest"](PACKAGE)
    (PACKAGE / "_build.py").write_text(
        '"""Written by setup.py when this package was built; see screen.implementation."""\n\n'
        f"SOURCE_DIGEST = {digest!r}\n"
    )


CYTHON_MODULES = [
    "src/screen/index/_candidates.pyx",
    "src/screen/text/_phonetic.pyx",
    "src/screen/text/_distance.pyx",
    "src/screen/matching/_pairs.pyx",
]


def _warn(message: str) -> None:
    print(f"screen build: {message}; installing as plain Python (same results, slower)",
          file=sys.stderr)


class _AllOrNothingBuildExt(build_ext):
    """Build every compiled module or none: the modules share one mypyc runtime library, so a
    partial build would leave modules that cannot be imported."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as error:  # a missing compiler or header shows up here
            _warn(f"compiling failed ({error})")
            for output in self.get_outputs():
                Path(output).unlink(missing_ok=True)


def _extensions() -> list[object]:
    if os.environ.get("SCREEN_PURE_PYTHON"):
        _warn("SCREEN_PURE_PYTHON is set")
        return []
    return _mypyc_extensions() + _cython_extensions()


def _mypyc_extensions() -> list[object]:
    try:
        from mypyc.build import mypycify
    except ImportError:
        _warn("mypyc is not available")
        return []
    try:
        return list(mypycify(COMPILED_MODULES, opt_level="3"))
    except (Exception, SystemExit) as error:  # mypyc exits on a type error
        _warn(f"mypyc could not compile the modules ({error})")
        return []


def _cython_extensions() -> list[object]:
    """The candidate search, the phonetic key, the edit distance and the token pairs' memo in
    C++ (``_candidates.pyx``, ``_phonetic.pyx``, ``_distance.pyx``, ``_pairs.pyx``). Without
    them, the same code runs in Python (compiled by mypyc when that is built)."""
    try:
        from Cython.Build import cythonize
        from setuptools import Extension
    except ImportError:
        _warn("Cython is not available for the C++ modules")
        return []
    modules = [
        Extension(
            source.removeprefix("src/").removesuffix(".pyx").replace("/", "."),
            [source],
            language="c++",
            # no fused multiply-add: every bound must round as Python's float arithmetic does
            extra_compile_args=["-ffp-contract=off"],
        )
        for source in CYTHON_MODULES
    ]
    try:
        return list(cythonize(modules, language_level=3, quiet=True))
    except Exception as error:
        _warn(f"Cython could not translate the C++ modules ({error})")
        return []


_write_build_identity()
setup(ext_modules=_extensions(), cmdclass={"build_ext": _AllOrNothingBuildExt})
