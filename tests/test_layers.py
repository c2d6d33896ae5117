"""The package's layers import one way only (README, Architecture; issue 17): publisher files ->
release -> text -> names -> index -> matching -> screener -> batch / cli at the edge, with chips
beside the names. A module never imports one of a higher layer, not even for typing or inside a
function, and the typing stubs of the compiled modules obey the same rule."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "screen"

# lower number = lower layer; a module may import its own layer and those below
LAYERS: dict[str, int] = {
    "implementation": 0,  # the build and the implementation switch (standard library only)
    "diskcache": 0,  # pickled caches (standard library only)
    "process": 0,  # process tuning for entry points (standard library only)
    "_build": 0,
    "release": 1,
    "text": 2,
    "names": 3,
    "index": 4,
    "matching": 5,
    "chips": 1,  # beside the release: the models of its chip files; never the matcher
    "screener": 6,
    "frames": 7,
    "batch": 7,
    "rescreen": 7,  # beside batch: stored batch results screened again
    "cli": 8,
}


def _layer(module: str) -> int:
    parts = module.split(".")
    assert parts[0] == "screen", module
    if len(parts) == 1:
        return 0  # the package itself: __version__, and the lazy facade names
    return LAYERS[parts[1]]


def _module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            # `from screen import batch` names a module too
            if node.module == "screen":
                found += [(node.lineno, f"screen.{alias.name}") for alias in node.names
                          if alias.name not in ("__version__", "Screener", "score_pair")]
    return [(line, name) for line, name in found if name.split(".")[0] == "screen"]


def test_no_module_imports_a_higher_layer() -> None:
    sources = [p for p in PACKAGE.rglob("*.py") if "shipped" not in p.parts]
    sources += list(PACKAGE.rglob("*.pyi")) + list(PACKAGE.rglob("*.pyx"))
    upward = []
    for path in sources:
        if path.suffix == ".pyx":
            text = "\n".join(
                line for line in path.read_text(encoding="utf-8").splitlines()
                if line.startswith(("from screen", "import screen"))
            )
            tmp = ast.parse(text)
            imports = [(n.lineno, n.module) for n in ast.walk(tmp)
                       if isinstance(n, ast.ImportFrom) and n.module]
        else:
            imports = _imports(path)
        importer = _module_name(path)
        if importer == "screen":
            continue  # the package's lazy facade (Screener, score_pair) is the top by design
        for line, imported in imports:
            if _layer(imported) > _layer(importer):
                upward.append(f"{path.relative_to(PACKAGE)}:{line} {importer} -> {imported}")
    assert not upward, "imports of a higher layer:\n" + "\n".join(upward)


def test_every_module_is_in_a_layer() -> None:
    for path in PACKAGE.rglob("*.py"):
        if "shipped" in path.parts:
            continue
        _layer(_module_name(path) if path.name != "__init__.py" or path.parent != PACKAGE
               else "screen")
