"""The compiled matching core (see setup.py), when installed, is whole and built from the
sources beside it: a stale build would screen with other code than the repository shows."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

from screen.implementation import COMPILED_MODULES, NATIVE_MODULES
from screen.screener import Screener

REPO = Path(__file__).resolve().parents[1]


def _compiled_modules() -> list[str]:
    return [name.removeprefix("screen.") for name in COMPILED_MODULES]


def _cython_modules() -> list[str]:
    setup = (REPO / "setup.py").read_text(encoding="utf-8")
    return re.findall(r'"src/screen/(?:\w+/)*(\w+)\.pyx"', setup)


def test_setup_and_dev_script_name_the_same_compiled_modules() -> None:
    modules = _compiled_modules()
    assert modules, "setup.py lists the modules it compiles"
    # the C++ modules setup.py builds are the ones the implementation switch knows
    assert _cython_modules() == [name.rpartition(".")[2] for name in NATIVE_MODULES]
    assert _cython_modules() == ["_candidates", "_phonetic", "_distance", "_pairs"]
    dev = (REPO / "dev.sh").read_text(encoding="utf-8")
    # dev.sh rebuilds when the sources a build records change
    assert "source_digest" in dev


def test_cython_search_when_built_is_not_stale_and_is_used(default_screener: Screener) -> None:
    """Where the C++ candidate search is built, it is newer than its source and the index
    uses it; where it is not, the index runs the same search in Python."""
    try:
        search = importlib.import_module("screen.index._candidates")
    except ImportError:
        return
    path = Path(search.__file__ or "")
    source = path.with_name("_candidates.pyx")
    assert path.stat().st_mtime >= source.stat().st_mtime, (
        f"{path.name} is older than {source.name}: rebuild (./dev.sh test does)"
    )
    assert isinstance(default_screener.index._search, search.CandidateSearch)


def test_cpp_rewrite_engine_when_built_is_not_stale_and_is_used() -> None:
    """Where the C++ rewrite engine is built, it is newer than its source, and the phonetic
    key's table is given to it for ASCII text; where it is not, the Python engine applies the
    same table to every text."""
    from screen.text import phonetic

    try:
        module = importlib.import_module("screen.text._phonetic")
    except ImportError:
        assert phonetic.COMPILED_ENGINE is None
        assert phonetic._COMPILED_KEYS is None
        return
    path = Path(module.__file__ or "")
    source = path.with_name("_phonetic.pyx")
    assert path.stat().st_mtime >= source.stat().st_mtime, (
        f"{path.name} is older than {source.name}: rebuild (./dev.sh test does)"
    )
    assert isinstance(phonetic.COMPILED_ENGINE, module.RewriteEngine)
    assert phonetic.COMPILED_ENGINE.key_and_skeleton == phonetic._COMPILED_KEYS


def test_the_cpp_rewrite_engine_holds_no_rule_of_its_own() -> None:
    """The phonetic rules are written once, in ``data/phonetic_rules.tsv``: the C++ module
    names none of their letter sequences (it is a generic engine given the table)."""
    source = (REPO / "src" / "screen" / "text" / "_phonetic.pyx").read_text(encoding="utf-8")
    code = "\n".join(line.split("#")[0] for line in source.splitlines())
    for sequence in ("sch", "tsch", "dzh", "kh", "ph", "ck", "qu", "ou", "ee", "ie", "ks"):
        assert f'"{sequence}"' not in code, sequence


def test_core_is_compiled_whole_or_not_at_all_and_never_stale() -> None:
    compiled: list[str] = []
    for name in _compiled_modules():
        path = Path(importlib.import_module(f"screen.{name}").__file__ or "")
        if path.suffix != ".py":
            compiled.append(name)
            source = path.with_name(f"{name.rpartition('.')[2]}.py")
            assert path.stat().st_mtime >= source.stat().st_mtime, (
                f"{path.name} is older than {source.name}: rebuild (./dev.sh test does)"
            )
    assert compiled in ([], _compiled_modules()), f"only {compiled} are compiled"


def test_cpp_edit_distance_when_built_is_not_stale_and_is_used() -> None:
    """Where the C++ edit distance is built, it is newer than its source and the token
    comparison uses it; where it is not, the comparison asks rapidfuzz."""
    from screen.names import compare

    try:
        module = importlib.import_module("screen.text._distance")
    except ImportError:
        assert compare._osa_distance is compare._python_osa_distance
        return
    path = Path(module.__file__ or "")
    source = path.with_name("_distance.pyx")
    assert path.stat().st_mtime >= source.stat().st_mtime, (
        f"{path.name} is older than {source.name}: rebuild (./dev.sh test does)"
    )
    assert compare._osa_distance is module.osa_distance


def test_cpp_token_pairs_when_built_are_not_stale_and_are_used() -> None:
    """Where the C++ token pairs' memo is built, it is newer than its source and the matcher's
    memo is one; where it is not, the matcher keeps its comparisons in Python."""
    from screen.matching.pairs import PairMemo, new_memo

    try:
        module = importlib.import_module("screen.matching._pairs")
    except ImportError:
        assert isinstance(new_memo(), PairMemo)
        return
    path = Path(module.__file__ or "")
    source = path.with_name("_pairs.pyx")
    assert path.stat().st_mtime >= source.stat().st_mtime, (
        f"{path.name} is older than {source.name}: rebuild (./dev.sh test does)"
    )
    assert isinstance(new_memo(), module.TokenPairs)
