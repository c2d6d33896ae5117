"""The ``screen lists`` commands of the release store, run as a user runs them (subprocesses),
against fixture files served from 127.0.0.1."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from fnmatch import fnmatch
from pathlib import Path

import pytest
from batch_helpers import REPO
from update_helpers import FixtureServer, Route, fixture_server, snapshot

_SCRIPT = Path(sys.executable).parent / "screen"


def _screen(
    home: Path, *args: str | Path, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SCREEN_HOME": str(home), "PYTHONIOENCODING": "utf-8"}
    env.pop("SCREEN_LISTS_DIR", None)
    command = [str(_SCRIPT)] if _SCRIPT.exists() else [
        sys.executable, "-c", "import sys; from screen.cli import main; sys.exit(main())"
    ]
    return subprocess.run(
        [*command, *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd or REPO,
        env=env,
        timeout=600,
        check=False,
    )


def _sources(server: FixtureServer) -> list[str]:
    return [arg for name, url in server.urls.items() for arg in ("--source", f"{name}={url}")]


@pytest.fixture(scope="module")
def server() -> Iterator[FixtureServer]:
    with fixture_server() as running:
        yield running


@pytest.fixture(scope="module")
def updated(server: FixtureServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store after one update from the v1 fixture files (read-only for the tests)."""
    home = tmp_path_factory.mktemp("cli") / "home"
    done = _screen(home, "lists", "update", *_sources(server), "--accept-shrink")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("adopted list release ")
    assert "accepted (--accept-shrink): list SDN shrinks from 15,824 to 12 entries" in done.stderr
    return home


def test_a_failed_update_exits_2_with_one_line_per_problem(
    server: FixtureServer, updated: Path
) -> None:
    server.routes["/ofac/SDN.CSV"] = Route(status=503)
    server.routes["/un/consolidated.xml"] = Route(b"")
    before = snapshot(updated)
    try:
        done = _screen(updated, "lists", "update", *_sources(server), "--retries", "0")
    finally:
        server.serve_release()
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"screen lists update: error: ofac-sdn: {server.url('/ofac/SDN.CSV')}: "
        "HTTP 503 Service Unavailable",
        f"screen lists update: error: un: {server.url('/un/consolidated.xml')}: "
        "empty body (0 bytes): not a list",
        "screen lists update: nothing adopted (2 problems); the release in service is unchanged",
    ]
    assert snapshot(updated) == before


def test_usage_errors(updated: Path) -> None:
    done = _screen(updated, "lists", "update", "--source", "ofac=http://127.0.0.1/")
    assert done.returncode == 2
    assert "unknown source 'ofac' (known: csl, ofac-sdn, ofac-cons, un)" in done.stderr
    done = _screen(updated, "lists", "update", "--without", "sdn")
    assert done.returncode == 2 and "invalid choice: 'sdn'" in done.stderr


def test_history_info_and_roll_back(updated: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    shutil.copytree(updated, home)
    (version,) = [p.name for p in (home / "releases").iterdir()]
    done = _screen(home, "lists", "history")
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert lines[0] == f"release store: {home}"
    assert lines[2].startswith(f"* {version} ") and "14 shrinks accepted" in lines[2]
    assert lines[3].startswith("  2026.02.27 ") and lines[3].endswith("shipped with the package")
    info = _screen(home, "lists", "info", "--max-age", "100000")
    assert info.returncode == 0 and info.stderr == ""
    assert f"release    {version}\n" in info.stdout
    assert "in service the current release of the store\n" in info.stdout
    assert "accepted   --accept-shrink: list UN shrinks from 1,003 to 5 entries" in info.stdout
    stale = _screen(home, "lists", "info")
    assert "warning: source un/consolidated.xml is " in stale.stderr  # data of 2026-02-27
    assert "entity-list/" not in stale.stderr  # curated notes are not fetched: no warning
    back = _screen(home, "lists", "use", "shipped")
    assert back.returncode == 0
    assert back.stdout.startswith(
        f"release 2026.02.27 (checksum 9eae95a3b638) is in service (was {version})"
    )
    assert "in service the release shipped in the package" in _screen(home, "lists", "info").stdout
    missing = _screen(home, "lists", "use", "1999.01.01")
    assert missing.returncode == 2 and "known versions: " in missing.stderr


def test_check_a_release_against_assertions(updated: Path, tmp_path: Path) -> None:
    expect = tmp_path / "expect.toml"
    expect.write_text(
        '[[present]]\nname = "Banco Nacional de Cuba"\n\n[[absent]]\nid = "SDN-10021"\n\n'
        '[[present]]\nid = "EL-2025-sophgo"\n\n[[count]]\nlist = "SDN"\nmin = 100\n',
        encoding="utf-8",
    )
    done = _screen(updated, "lists", "check", "current", "--expect", expect)
    assert done.returncode == 1
    assert done.stdout.splitlines()[0] == (
        "failed: count[1]: list SDN has 12 entries, expected at least 100"
    )
    assert "3 of 4 assertions hold on release " in done.stdout
    shipped = _screen(updated, "lists", "check", "shipped", "--expect", expect)
    assert shipped.returncode == 0, shipped.stdout
    bad = _screen(updated, "lists", "check", "current", "--expect", tmp_path / "missing.toml")
    assert bad.returncode == 2 and "cannot read" in bad.stderr


def test_verify_finds_the_recorded_release_in_the_store(updated: Path, tmp_path: Path) -> None:
    (version,) = [p.name for p in (updated / "releases").iterdir()]
    source = tmp_path / "in.csv"
    source.write_text("name\nBanco Nacional de Cuba\nAcme Bakery Ltd\n", encoding="utf-8")
    result = tmp_path / "out.jsonl"
    done = _screen(updated, "batch", source, "-o", result, "--release", version)
    assert done.returncode == 1, done.stderr  # a hit
    home = tmp_path / "home"  # the same store, with the shipped release back in service
    shutil.copytree(updated, home)
    assert _screen(home, "lists", "use", "shipped").returncode == 0
    verified = _screen(home, "verify", result)
    assert verified.returncode == 0, verified.stderr
    assert f"verified 2 rows on release {version}" in verified.stdout


_AUDIT = """\
import json, os, sys
opened = []
def hook(event, args):
    if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        opened.append(os.path.abspath(os.fsdecode(args[0])))
sys.addaudithook(hook)
from screen.cli import main
code = main(sys.argv[2:])
with open(sys.argv[1], "w") as out:
    json.dump(opened, out)
sys.exit(code)
"""


def _package_data() -> list[str]:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    return list(config["tool"]["setuptools"]["package-data"]["screen"])


def test_an_update_reads_nothing_of_a_source_checkout(
    server: FixtureServer, tmp_path: Path
) -> None:
    """What a wheel has: the package's code and package data. Every file the update opens is in
    ``$SCREEN_HOME``, a temporary folder, the Python installation, or the package's code and
    declared package data; nothing else of the checkout (tests, ../shared, README ...)."""
    record = tmp_path / "opened.json"
    script = tmp_path / "audit.py"
    script.write_text(_AUDIT, encoding="utf-8")
    env = {**os.environ, "SCREEN_HOME": str(tmp_path / "home"), "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run(
        [sys.executable, str(script), str(record), "lists", "update", *_sources(server),
         "--accept-shrink"],
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=600, check=False,
    )
    assert done.returncode == 0, done.stderr
    opened = {Path(path) for path in json.loads(record.read_text())}
    package = REPO / "src" / "screen"
    patterns = _package_data()
    installed = (REPO / ".venv", REPO / "src" / "screen.egg-info")  # what pip installed
    in_checkout = {
        path for path in opened
        if path.is_relative_to(REPO) and not any(path.is_relative_to(i) for i in installed)
    }
    assert package / "release" / "shipped" / "release.json" in in_checkout  # the hook works
    outside = {
        path for path in in_checkout
        if not path.is_relative_to(package)
        or not (
            path.suffix in {".py", ".pyc", ".so", ".pyd"}
            or any(fnmatch(path.relative_to(package).as_posix(), p) for p in patterns)
        )
    }
    assert outside == set()
