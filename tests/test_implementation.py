"""SCREEN_IMPLEMENTATION chooses the implementation of the matching core, once per process; both
give the same answers; caches are keyed by the build, never by reading source files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from screen.implementation import (
    COMPILED_MODULES,
    IMPLEMENTATION_ENV,
    NATIVE_MODULES,
    active_implementation,
    build_identity,
    source_digest,
)

SRC = Path(__file__).resolve().parents[1] / "src"

_PROBE = """
import importlib, json, sys
import screen
from screen.implementation import COMPILED_MODULES, NATIVE_MODULES, active_implementation
from screen.screener import score_pair
origins = {m: importlib.import_module(m).__file__ for m in COMPILED_MODULES}
native = []
for m in NATIVE_MODULES:
    try:
        importlib.import_module(m)
        native.append(m)
    except ImportError:
        pass
pair = score_pair("Bejing Zhipu Huazang Technology", "Beijing Zhipu Huazhang Technology Co., Ltd.")
print(json.dumps({"active": active_implementation(), "origins": origins, "native": native,
                  "score": pair.score}))
"""


def _probe(value: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != IMPLEMENTATION_ENV}
    if value is not None:
        env[IMPLEMENTATION_ENV] = value
    return subprocess.run(
        [sys.executable, "-c", _PROBE], env=env, capture_output=True, text=True, check=False
    )


def test_python_runs_every_core_module_from_its_source_and_no_cpp() -> None:
    done = _probe("python")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["active"] == "python"
    assert all(origin.endswith(".py") for origin in report["origins"].values())
    assert report["native"] == []


def test_both_implementations_score_alike() -> None:
    """The same pair scores the same, to the last bit, under each implementation this
    installation has (the full comparison is benchmarks/hit_digest.py)."""
    python = json.loads(_probe("python").stdout)
    auto = json.loads(_probe(None).stdout)
    assert python["score"] == auto["score"] > 0


def test_compiled_is_all_or_nothing() -> None:
    done = _probe("compiled")
    auto = json.loads(_probe("auto").stdout)
    compiled = [m for m, origin in auto["origins"].items() if not origin.endswith(".py")]
    assert compiled in ([], list(COMPILED_MODULES)), f"only {compiled} are compiled"
    if compiled:
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["active"] == "compiled"
    else:  # a plain-Python installation says so rather than run the other implementation
        assert done.returncode != 0
        assert "no compiled modules" in done.stderr


def test_an_unknown_implementation_is_refused() -> None:
    done = _probe("fast")
    assert done.returncode != 0
    assert IMPLEMENTATION_ENV in done.stderr and "'fast'" in done.stderr


def test_native_modules_exist_only_compiled() -> None:
    for name in NATIVE_MODULES:
        package, _, leaf = name.rpartition(".")
        assert (SRC / package.replace(".", "/") / f"{leaf}.pyx").is_file()
        assert not (SRC / package.replace(".", "/") / f"{leaf}.py").exists()


def test_build_identity_names_this_build(monkeypatch: pytest.MonkeyPatch) -> None:
    identity = build_identity()
    if identity is None:
        pytest.skip("running from a source tree that was never built")
    import screen._build as build  # type: ignore[import-not-found,unused-ignore]

    # the build recorded the digest of the very sources beside it (dev.sh rebuilds on a change)
    assert source_digest(SRC / "screen") == build.SOURCE_DIGEST
    monkeypatch.setattr(build, "SOURCE_DIGEST", "0" * 64)
    assert build_identity() != identity


def test_source_digest_ignores_what_no_cache_depends_on(tmp_path: Path) -> None:
    package = tmp_path / "screen"
    (package / "names").mkdir(parents=True)
    (package / "batch").mkdir()
    (package / "names" / "rules.py").write_text("A = 1\n")
    (package / "batch" / "run.py").write_text("B = 1\n")
    before = source_digest(package)
    (package / "batch" / "run.py").write_text("B = 2\n")
    assert source_digest(package) == before
    (package / "names" / "rules.py").write_text("A = 2\n")
    assert source_digest(package) != before


def test_active_implementation_is_one_of_the_two() -> None:
    assert active_implementation() in ("python", "compiled")
