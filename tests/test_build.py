"""The compiled matching core (see setup.py), when installed, is whole and built from the
sources beside it: a stale build would screen with other code than the repository shows."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _compiled_modules() -> list[str]:
    setup = (REPO / "setup.py").read_text(encoding="utf-8")
    return re.findall(r'"src/screen/(\w+)\.py"', setup)


def test_setup_and_dev_script_name_the_same_compiled_modules() -> None:
    modules = _compiled_modules()
    assert modules, "setup.py lists the modules it compiles"
    dev = (REPO / "dev.sh").read_text(encoding="utf-8")
    # dev.sh rebuilds when one of them changes
    assert sorted(re.findall(r"src/screen/(\w+)\.py", dev)) == sorted(modules)


def test_core_is_compiled_whole_or_not_at_all_and_never_stale() -> None:
    compiled: list[str] = []
    for name in _compiled_modules():
        path = Path(importlib.import_module(f"screen.{name}").__file__ or "")
        if path.suffix != ".py":
            compiled.append(name)
            source = path.with_name(f"{name}.py")
            assert path.stat().st_mtime >= source.stat().st_mtime, (
                f"{path.name} is older than {source.name}: rebuild (./dev.sh test does)"
            )
    assert compiled in ([], _compiled_modules()), f"only {compiled} are compiled"
